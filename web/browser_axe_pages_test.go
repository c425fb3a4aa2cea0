//go:build !nobrowser

package web

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAxeEveryPage runs axe-core over every kind of page a learner
// sees, light and dark, at 1280 and 360 px: no serious or critical
// violation anywhere, and nothing scrolls sideways on a phone.
func TestBrowserAxeEveryPage(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	if src, err := axeSource(); err != nil {
		t.Fatal(err)
	} else if src == "" {
		t.Skip("set AUTHLAB_AXE_JS to axe-core's axe.min.js (.ci/run installs it) to check every page with axe-core")
	}
	env := newTestEnv(t)
	b := newBrowserWithin(t, env.srv, 8*time.Minute) // 16 pages, at two widths, in two themes
	lesson := "/lessons/" + env.catalog.Lessons[0].Slug
	q := env.catalog.Lessons[0].Quizzes[0]

	// A guest with one answer, then an account: every page has something.
	b.run(t, "a guest answers", chromedp.Navigate(b.base+lesson), chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	answerRight(t, b, q)
	pages := []struct{ name, path, wait string }{
		{"home", "/", ".hero"},
		{"lesson, answered", lesson + "?answered=" + q.ID + "#quiz-" + q.ID, ".quiz-result"},
		{"lesson, fresh", "/lessons/" + env.catalog.Lessons[1].Slug, "#lesson-title"},
		{"glossary", "/glossary", "main h1"},
		{"review", "/review", "main h1"},
		{"sign in", "/signin", "#username"},
		{"sign up", "/signup", "#username"},
		{"interview home", "/interview", "main h1"},
		{"drill", "/interview/drill", "main h1"},
		{"mock", "/interview/mock", "main h1"},
		{"stats", "/interview/stats", "main h1"},
		{"cheat sheet", "/interview/cheatsheet", "main h1"},
		{"404", "/no-such-page", "main h1"},
	}
	check := func(t *testing.T) {
		// One tab per width, in b's browser context (its cookies, so the
		// same guest or account), the two side by side: subtests, not
		// parallel ones, so they run now, within this test's slot and its
		// browser's deadline, not after every other test queued for one.
		// Each page is opened once per width and checked in both themes in
		// place: the theme is the data-theme attribute, which changes the
		// colours, not the page.
		var wg sync.WaitGroup
		defer wg.Wait()
		for _, width := range []int64{1280, 360} {
			wg.Go(func() {
				t.Run(fmt.Sprint(width), func(t *testing.T) {
					tab := sameProfileTab(t, b)
					tab.run(t, "window width", chromedp.EmulateViewport(width, 800))
					for _, p := range pages {
						tab.run(t, fmt.Sprintf("open %s at %d px", p.name, width), chromedp.Navigate(b.base+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
						for _, theme := range []string{"light", "dark"} {
							what := fmt.Sprintf("%s at %d px, %s", p.name, width, theme)
							eval[bool](t, tab, `(document.documentElement.setAttribute("data-theme", `+jsString(theme)+`), true)`)
							if width == 360 {
								noSideScroll(t, tab, what)
								// A badge ("this browser") is one word-group: broken over two lines it reads as two.
								if broken := eval[[]string](t, tab, `[...document.querySelectorAll(".badge")].filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).fontSize)).map(e => e.textContent)`); len(broken) > 0 {
									t.Errorf("%s: badges break over lines: %q", what, broken)
								}
							}
							noAxeViolations(t, tab, "body", what)
						}
					}
				})
			})
		}
	}
	t.Run("guest", check)

	// Signed in: the account pages and a finished drill's summary.
	b.run(t, "sign up", chromedp.Navigate(b.base+"/signup"), chromedp.WaitVisible(chromedp.CSS("#username")))
	fillForm(t, b, "create the account", "", "#username", "Ada_Axe", "#password", "an accessible passphrase")
	pages = []struct{ name, path, wait string }{
		{"sessions", "/account/sessions", "main h1"},
		{"change password", "/account/password", "#current-password"},
	}
	b.run(t, "a one-question drill", chromedp.Navigate(b.base+"/interview/drill?n=1"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	run := strings.TrimPrefix(b.location(t), b.base)
	if !strings.HasPrefix(run, "/interview/practice?") {
		t.Fatalf("the drill opened %s", run)
	}
	summary := strings.Replace(regexp.MustCompile(`&i=\d+`).ReplaceAllString(run, ""), "/interview/practice?", "/interview/summary?", 1)
	pages = append(pages, struct{ name, path, wait string }{"summary", summary, "main h1"})
	t.Run("account", check)
}
