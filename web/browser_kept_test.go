//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserKeptLessonPage: a learner in a real browser reloads a
// lesson and gets the page kept under their progress version
// (lesson_cache.go); its quiz forms answer as the page made for the view
// does, and the next reload shows the new answer. At 1280 and 360 px.
func TestBrowserKeptLessonPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.srv.personal.Verify = false // serve the kept pages
	b := newBrowser(t, env.srv)
	l, single, multi, order := quizLesson(t, env.catalog)
	ready := chromedp.WaitVisible(sel(order, "button[data-move]")) // quiz.js has run
	served := func() int64 { return env.srv.personal.served.Load() }

	b.run(t, "a laptop-sized screen", chromedp.EmulateViewport(1280, 900))
	b.run(t, "open the lesson", chromedp.Navigate(b.base+"/lessons/"+l.Slug), ready)
	b.run(t, "answer the single question", append(clickChoices(single, correctKeys(single, true)),
		press(sel(single, `button[type=submit]`)),
		chromedp.WaitVisible(sel(single, `.quiz-result-correct`)))...)
	// The first reload records the visit (the version moves); the second
	// is the kept page.
	b.run(t, "reload", chromedp.Reload(), ready)
	before := served()
	b.run(t, "reload again", chromedp.Reload(), ready)
	if served() != before+1 {
		t.Fatalf("the second reload was not the kept page (%d served, %d before)", served(), before)
	}
	if best := get(t, b, "best", chromedp.Text(sel(single, `[data-best]`))); !strings.Contains(best, "100%") {
		t.Errorf("the kept page's best for the single question: %q", best)
	}
	b.shot(t, "kept-lesson-1280")

	b.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740))
	b.run(t, "answer the multi question on the kept page", append(clickChoices(multi, correctKeys(multi, true)),
		press(sel(multi, `button[type=submit]`)),
		chromedp.WaitVisible(sel(multi, `.quiz-result-correct`)))...)
	if n := attemptsStored(t, env, b); n != 2 {
		t.Errorf("%d attempts stored, want 2", n)
	}
	before = served()
	b.run(t, "reload after the answer", chromedp.Reload(), ready)
	if served() != before {
		t.Error("the reload after an answer was the kept page from before it")
	}
	if best := get(t, b, "best", chromedp.Text(sel(multi, `[data-best]`))); !strings.Contains(best, "100%") {
		t.Errorf("the multi question's best after the reload: %q", best)
	}
	b.shot(t, "kept-lesson-360")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
