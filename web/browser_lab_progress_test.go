//go:build !nobrowser

package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Lab progress where a learner looks, in Chromium at 1280 and 360 px: a
// step ticks live and the header counts it; a reload draws it from the
// learner's record; the lesson's progress panel and the course map show
// the lab.
func TestBrowserLabProgress(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	lesson := lessonWithLab(t, env, "twin-login")
	for _, width := range []int64{1280, 360} {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		b.run(t, "open the twin lab from its lesson",
			chromedp.Navigate(b.base+"/lessons/"+lesson),
			chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="twin-login"]) button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if width == 1280 {
			if got := text(t, b, ".lab-progress-count"); got != "0 of 4 steps" {
				t.Errorf("a new lab's header says %q", got)
			}
			click(t, b, `.login-form[data-mode="session"] button[type="submit"]`)
			waitFor(t, b, "the login step ticked", `document.querySelector('[data-milestone="session-login"]').classList.contains("done")`)
			waitFor(t, b, "the header counts it", `document.querySelector(".lab-progress-count").textContent === "1 of 4 steps"`)
			click(t, b, `[data-action="session-me"]`)
			waitFor(t, b, "the /api/me step ticked", `document.querySelector(".lab-progress-count").textContent === "2 of 4 steps"`)
		}
		b.run(t, "reload the lab", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if got := text(t, b, ".lab-progress-count"); got != "2 of 4 steps" {
			t.Errorf("%d px: after a reload the header says %q", width, got)
		}
		if n := eval[int](t, b, `document.querySelectorAll(".lab-guide li.done").length`); n != 2 {
			t.Errorf("%d px: after a reload %d steps are drawn done", width, n)
		}
		if width == 360 {
			noSideScroll(t, b, "the lab page at 360 px")
		}
		viewShot(t, b, ".lab-header", "lab-progress-header-"+w)

		b.run(t, "the lesson", chromedp.Navigate(b.base+"/lessons/"+lesson), chromedp.WaitVisible(chromedp.CSS(".lesson-done")))
		if got := text(t, b, ".lesson-labs"); !strings.Contains(got, "Twin login") || !strings.Contains(got, "2 of 4 steps") {
			t.Errorf("%d px: the lesson's progress panel says %q", width, got)
		}
		if got := text(t, b, ".lab-card .lab-progress"); !strings.Contains(got, "2 of 2 done") || !strings.Contains(got, "2 of 4 steps") {
			t.Errorf("%d px: the lesson's lab card says %q", width, got)
		}
		// The card's hints tick the two steps done, and only those.
		b.run(t, "open the hints", chromedp.Click(chromedp.CSS(".lab-card .lab-hints > summary")))
		if got := eval[string](t, b, `[...document.querySelectorAll(".lab-card .lab-steps li.done")].map((li) => li.dataset.milestone + ":" + li.querySelector("[data-step-tag]").textContent).join(" ")`); got != "session-login:✓ done session-me:✓ done" {
			t.Errorf("%d px: the hints ticked %q", width, got)
		}
		if width == 360 {
			noSideScroll(t, b, "the lesson at 360 px")
		}
		viewShot(t, b, ".lesson-done", "lab-progress-lesson-"+w)
		viewShot(t, b, ".lab-card", "lab-progress-lesson-card-"+w)

		b.run(t, "the course map", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".course-map")))
		badge := `a.lesson-link[href="/lessons/` + lesson + `"] .lab-badge`
		if got := text(t, b, badge); !strings.Contains(got, "Lab 2/4") {
			t.Errorf("%d px: the course map's lab badge says %q", width, got)
		}
		if n := eval[int](t, b, `document.querySelectorAll(".course-map .lab-badge").length`); n < 5 {
			t.Errorf("%d px: only %d lab badges on the course map", width, n)
		}
		if width == 360 {
			noSideScroll(t, b, "the course map at 360 px")
		}
		viewShot(t, b, `a.lesson-link[href="/lessons/`+lesson+`"]`, "lab-progress-map-"+w)
	}
	noConsoleProblems(t, b)
}

// viewShot saves what the window shows with sel scrolled into view.
func viewShot(t *testing.T, b *browser, sel, name string) {
	t.Helper()
	eval[bool](t, b, `(document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: "center", behavior: "instant"}), true)`)
	png := get(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(b.shotsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shotsDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
