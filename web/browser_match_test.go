//go:build !nobrowser

package web

import (
	"strconv"
	"testing"

	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/chromedp"
)

// TestBrowserMatchSelectsShowTheirChoices: a matching question's selects
// are wide enough for their longest choice at 1280 px (a select cannot
// wrap its text), and nothing scrolls sideways at 360 px.
func TestBrowserMatchSelectsShowTheirChoices(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	slug, id := "", ""
	for _, l := range env.catalog.Lessons {
		for _, q := range l.Quizzes {
			if q.Type == quiz.Match && slug == "" {
				slug, id = l.Slug, "quiz-"+q.ID
			}
		}
	}
	if slug == "" {
		t.Skip("the course has no matching question")
	}
	for _, width := range []int64{1280, 360} {
		b.run(t, "the lesson", chromedp.EmulateViewport(width, 900), chromedp.Navigate(b.base+"/lessons/"+slug),
			chromedp.WaitVisible(chromedp.CSS("#"+id+" select")))
		// Each select against its longest choice, measured in the
		// select's own font; 30 px is the arrow and the padding. A select
		// as wide as its row (360 px: one column) can be no wider.
		cut := eval[[]string](t, b, `(() => {
			const ctx = document.createElement("canvas").getContext("2d");
			const cut = [];
			for (const s of document.querySelectorAll("#`+id+` select")) {
				ctx.font = getComputedStyle(s).font;
				const widest = Math.max(...[...s.options].map((o) => ctx.measureText(o.text).width));
				const full = s.getBoundingClientRect().width >= s.closest("li").getBoundingClientRect().width - 1;
				if (s.clientWidth < widest + 30 && !full) cut.push(s.name + ": " + s.clientWidth + " < " + Math.ceil(widest + 30));
			}
			return cut;
		})()`)
		if len(cut) > 0 {
			t.Errorf("%d px: selects narrower than their longest choice: %v", width, cut)
		}
		if width == 360 {
			noSideScroll(t, b, "the matching question at 360 px")
		}
		viewShot(t, b, "#"+id, "quiz-match-"+strconv.FormatInt(width, 10))
	}
	noConsoleProblems(t, b)
}
