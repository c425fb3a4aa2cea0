//go:build !nobrowser

package web

import (
	"slices"
	"strconv"
	"testing"

	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/chromedp"
)

// TestBrowserInterviewOrder: an order question in a drill is answered
// with Move up / Move down, as in the lessons, not with a position menu
// per item; once answered, the list shows the order given without its
// controls. At 1280 and 360 px.
func TestBrowserInterviewOrder(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	q := firstInterview(t, env.catalog.Bank, quiz.Order)
	for i, width := range []int64{1280, 360} {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openDrill(t, b, "BROWSERORDER"+w, q)
		waitFor(t, b, "the move buttons", `document.querySelector("[data-order] button[data-move]")`)
		if n := eval[int](t, b, `[...document.querySelectorAll("[data-order] select")].filter((s) => s.checkVisibility()).length`); n != 0 {
			t.Errorf("%s px: %d position menus still shown beside the move buttons", w, n)
		}
		keys := func() []string {
			return eval[[]string](t, b, `[...document.querySelectorAll("[data-order] > li")].map((li) => li.dataset.key)`)
		}
		for i, want := range q.ItemKeys {
			for j := slices.Index(keys(), want); j > i; j-- {
				click(t, b, `[data-order] li[data-key="`+want+`"] button[data-move=up]`)
			}
		}
		if got := keys(); !slices.Equal(got, q.ItemKeys) {
			t.Fatalf("%s px: the list reads %v after moving, want %v", w, got, q.ItemKeys)
		}
		if i == 0 {
			b.shot(t, "interview-order-"+w)
		}
		click(t, b, `[data-run-form] button[data-submit]`)
		answered(t, b, "the order graded")
		if !eval[bool](t, b, `document.querySelector("[data-result-panel]").classList.contains("quiz-result-correct")`) {
			t.Errorf("%s px: the right order graded as %q", w, eval[string](t, b, `document.querySelector("[data-result-panel]").innerText`))
		}
		if n := eval[int](t, b, `[...document.querySelectorAll("[data-order] button[data-move], [data-order] select")].filter((e) => e.checkVisibility()).length`); n != 0 {
			t.Errorf("%s px: %d order controls still shown after the answer", w, n)
		}
		if width == 360 {
			noSideScroll(t, b, "the drill's order question at 360 px")
		}
		b.shot(t, "interview-order-answered-"+w)
	}
	noConsoleProblems(t, b)
}
