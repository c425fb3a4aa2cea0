//go:build !nobrowser

package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A lab is a challenge, in Chromium: the goal comes first and the guided
// steps wait behind a closed reveal that one key opens; solving the goal
// shows "Solved: …" live, keeps it when the page is opened again, and the lesson that sets
// the goal shows the lab solved and the lesson completed. At 360 px
// nothing scrolls sideways.
func TestBrowserLabGoalSolved(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	host := goalLesson(t, env, "twin-login").Slug
	b.run(t, "the lesson that sets the twin lab's goal",
		chromedp.Navigate(b.base+"/lessons/"+host),
		chromedp.WaitVisible(chromedp.CSS(`.lab-card .lab-goal`)))
	if eval[bool](t, b, `document.querySelector(".lab-card .lab-hints").open || !!document.querySelector(".lab-card .lab-steps").checkVisibility()`) {
		t.Error("the lesson card shows its steps before the learner asks for them")
	}
	b.run(t, "open the lab",
		chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="twin-login"]) button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")),
		chromedp.WaitVisible(chromedp.CSS(".lab-header .lab-goal .lab-goal-text")))
	lab := b.location(t)
	if !eval[bool](t, b, `document.querySelector(".lab-solved").hidden && !document.querySelector(".lab-hints").open && !document.querySelector(".lab-guide").checkVisibility()`) {
		t.Error("a new lab shows Solved, or its hints open")
	}
	b.run(t, "open the hints from the keyboard",
		chromedp.Focus(chromedp.CSS(".lab-hints > summary")),
		chromedp.KeyEvent(kb.Enter))
	waitFor(t, b, "the hints open", `document.querySelector(".lab-hints").open && document.querySelector(".lab-guide").checkVisibility()`)

	click(t, b, `.login-form[data-mode="session"] button[type="submit"]`)
	waitFor(t, b, "the session login ticked", `document.querySelector('[data-milestone="session-login"].done')`)
	click(t, b, `[data-action="session-me"]`)
	waitFor(t, b, "the session /api/me ticked", `document.querySelector('[data-milestone="session-me"].done')`)
	click(t, b, `.login-form[data-mode="token"] button[type="submit"]`)
	waitFor(t, b, "the token login ticked", `document.querySelector('[data-milestone="token-login"].done')`)
	if !eval[bool](t, b, `document.querySelector(".lab-solved").hidden`) {
		t.Fatal("Solved before the goal is met")
	}
	click(t, b, `[data-action="token-me"]`)
	waitFor(t, b, "Solved shows live", `!document.querySelector(".lab-solved").hidden && document.querySelector(".lab-solved").textContent.startsWith("Solved: ")`)
	waitFor(t, b, "the header says Solved", `document.querySelector(".lab-progress-count").textContent === "4 of 4 steps · Solved"`)
	if got := eval[string](t, b, `document.querySelector(".lab-solved").getAttribute("role")`); got != "status" {
		t.Errorf(".lab-solved has role %q", got)
	}
	viewShot(t, b, ".lab-header", "lab-goal-solved")

	// The page again, drawn from the learner's record.
	for _, width := range []int64{1280, 360} {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		b.run(t, "the lab again", chromedp.Navigate(lab), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if !eval[bool](t, b, `document.querySelector(".lab-solved").checkVisibility() && document.querySelector(".lab-progress-count").textContent === "4 of 4 steps · Solved"`) {
			t.Errorf("%d px: after a reload the lab is not shown solved", width)
		}
		if width == 360 {
			noSideScroll(t, b, "the solved lab at 360 px")
		}
		viewShot(t, b, ".lab-header", "lab-goal-header-"+w)

		b.run(t, "the lesson", chromedp.Navigate(b.base+"/lessons/"+host), chromedp.WaitVisible(chromedp.CSS(".lab-card .lab-solved")))
		if got := text(t, b, ".lab-card .lab-solved"); !strings.HasPrefix(got, "Solved: ") {
			t.Errorf("%d px: the lesson card says %q", width, got)
		}
		if got := text(t, b, ".lesson-done .state-done"); !strings.Contains(got, "You completed this lesson") {
			t.Errorf("%d px: the lesson is not completed by the solved lab: %q", width, got)
		}
		if width == 360 {
			noSideScroll(t, b, "the lesson at 360 px")
		}
		viewShot(t, b, ".lab-card", "lab-goal-lesson-card-"+w)
	}
	noConsoleProblems(t, b)
}

// waitSolved waits for the lab page to show its goal solved, live: the
// flows of the attack lab tests below meet their panel's goal in a real
// browser (the cookies, the evil page, the injected script's requests).
func waitSolved(t *testing.T, b *browser) {
	t.Helper()
	waitFor(t, b, "the goal solved", `!document.querySelector(".lab-solved").hidden && document.querySelector(".lab-solved").textContent.startsWith("Solved: ") && document.querySelector(".lab-progress-count").textContent.endsWith(" · Solved")`)
}
