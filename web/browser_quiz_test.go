//go:build !nobrowser

package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// quizLesson is a lesson with a single, a multi and an order question.
func quizLesson(t *testing.T, cat *lessons.Catalog) (l *lessons.Lesson, single, multi, order *quiz.Question) {
	t.Helper()
	for _, l := range cat.Lessons {
		pick := func(typ quiz.Type) *quiz.Question {
			if i := slices.IndexFunc(l.Quizzes, func(q *quiz.Question) bool { return q.Type == typ }); i >= 0 {
				return l.Quizzes[i]
			}
			return nil
		}
		if s, m, o := pick(quiz.Single), pick(quiz.Multi), pick(quiz.Order); s != nil && m != nil && o != nil {
			return l, s, m, o
		}
	}
	t.Fatal("no lesson has a single, a multi and an order question")
	return
}

func correctKeys(q *quiz.Question, correct bool) []string {
	var keys []string
	for _, c := range q.Choices {
		if c.Correct == correct {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// sel scopes a CSS selector to one quiz block.
func sel(q *quiz.Question, css string) chromedp.CSS {
	return chromedp.CSS("#quiz-" + q.ID + " " + css)
}

// The tests use the keyboard, as a keyboard user would: focus and a key
// do not depend on where the page has scrolled to, a click's coordinates do.

// press activates a button or link with Enter.
func press(css chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(css), chromedp.KeyEvent(kb.Enter))
}

// clickChoices ticks choices with the space bar.
func clickChoices(q *quiz.Question, keys []string) []chromedp.Action[chromedp.Void] {
	var as []chromedp.Action[chromedp.Void]
	for _, k := range keys {
		as = append(as, chromedp.Focus(sel(q, `input[value="`+k+`"]`)), chromedp.KeyEvent(" "))
	}
	return as
}

// TestBrowserQuiz answers a single, a multi and an order question in a
// lesson with JavaScript: feedback appears without a reload; hint, try
// again and show answer work; the order is set with the keyboard-
// reachable up/down buttons.
func TestBrowserQuiz(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	l, single, multi, order := quizLesson(t, env.catalog)

	b.run(t, "open the lesson", chromedp.Navigate(b.base+"/lessons/"+l.Slug),
		chromedp.WaitVisible(sel(order, "button[data-move]"))) // quiz.js has run
	eval[bool](t, b, `window.noReload = true`)

	// Single: a wrong answer, then try again, then the right one.
	wrong := correctKeys(single, false)[0]
	b.run(t, "answer the single question wrong", append(clickChoices(single, []string{wrong}),
		press(sel(single, `button[type=submit]`)),
		chromedp.WaitVisible(sel(single, `.quiz-result-wrong`)))...)
	if got := eval[int](t, b, `document.querySelectorAll("#quiz-`+single.ID+` .quiz-marks li").length`); got != 1 {
		t.Errorf("feedback on %d choices, want the chosen one", got)
	}
	if single.Hint != "" {
		b.run(t, "show the hint", press(sel(single, `.quiz-hint-button`)), chromedp.WaitVisible(sel(single, `.quiz-hint-body`)))
		if v := get(t, b, "aria-expanded", chromedp.AttributeValue(sel(single, `.quiz-hint-button`), "aria-expanded")); v.Value != "true" {
			t.Errorf("hint button aria-expanded=%q", v.Value)
		}
	}
	b.run(t, "show the answer", press(sel(single, `[data-show-answer]`)), chromedp.WaitVisible(sel(single, `.quiz-answer .is-right`)))
	b.run(t, "try again", press(sel(single, `[data-try-again]`)), chromedp.WaitNotPresent(sel(single, `.quiz-result`)))
	if eval[bool](t, b, `!!document.querySelector("#quiz-`+single.ID+` input:checked")`) {
		t.Error("try again left a choice ticked")
	}
	b.run(t, "answer the single question right", append(clickChoices(single, correctKeys(single, true)),
		press(sel(single, `button[type=submit]`)),
		chromedp.WaitVisible(sel(single, `.quiz-result-correct`)))...)
	if best := get(t, b, "best", chromedp.Text(sel(single, `[data-best]`))); !strings.Contains(best, "100%") || !strings.Contains(best, "2 attempts") {
		t.Errorf("best after two attempts: %q", best)
	}

	// Multi: all the right choices.
	b.run(t, "answer the multi question", append(clickChoices(multi, correctKeys(multi, true)),
		press(sel(multi, `button[type=submit]`)),
		chromedp.WaitVisible(sel(multi, `.quiz-result-correct`)))...)

	// Order: move each item up into place with its button.
	keys := func() []string {
		return eval[[]string](t, b, `[...document.querySelectorAll("#quiz-`+order.ID+` [data-order] > li")].map(li => li.dataset.key)`)
	}
	for i, want := range order.ItemKeys {
		for j := slices.Index(keys(), want); j > i; j-- {
			b.run(t, "move up", press(sel(order, `li[data-key="`+want+`"] button[data-move=up]`)))
			if got := slices.Index(keys(), want); got != j-1 {
				t.Fatalf("item at %d after moving up from %d", got, j)
			}
			if !eval[bool](t, b, `document.activeElement.dataset.move === "up"`) {
				t.Error("the move button lost focus")
			}
		}
	}
	if got := keys(); !slices.Equal(got, order.ItemKeys) {
		t.Fatalf("order %v after moving, want %v", got, order.ItemKeys)
	}
	b.run(t, "check the order", press(sel(order, `button[type=submit]`)), chromedp.WaitVisible(sel(order, `.quiz-result-correct`)))
	b.shot(t, "quiz-js")

	if !eval[bool](t, b, `window.noReload === true`) || strings.Contains(b.location(t), "answered=") {
		t.Error("the page reloaded")
	}
	if n := attemptsStored(t, env, b); n != 4 {
		t.Errorf("%d attempts stored, want 4", n)
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// attemptsStored counts the attempts of the browser's learner, found
// through the session cookie the browser holds.
func attemptsStored(t *testing.T, env *testEnv, b *browser) int {
	t.Helper()
	res := get(t, b, "cookies", func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	})
	qc := newQuizClient(env)
	for _, c := range res.Cookies {
		qc.cookies[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
	}
	atts, err := env.store.Attempts(context.Background(), qc.learner(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(atts)
}

// TestBrowserQuizNoJS answers the same questions with JavaScript off:
// plain form posts, and the lesson comes back at the quiz with the result.
func TestBrowserQuizNoJS(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	l, single, multi, order := quizLesson(t, env.catalog)
	b.run(t, "turn JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.run(t, "open the lesson", chromedp.Navigate(b.base+"/lessons/"+l.Slug), chromedp.WaitVisible(sel(order, `select`)))
	if eval[bool](t, b, `!!document.querySelector("button[data-move]")`) {
		t.Fatal("quiz.js ran although JavaScript is off")
	}

	b.run(t, "tick the single question", clickChoices(single, correctKeys(single, true))...)
	b.follow(t, "answer the single question", press(sel(single, `button[type=submit]`)), "answered="+single.ID)
	b.run(t, "see the result", chromedp.WaitVisible(sel(single, `.quiz-result-correct`)))
	if loc := b.location(t); !strings.HasSuffix(loc, "#quiz-"+single.ID) {
		t.Errorf("after the form post: %s, want the lesson at the quiz", loc)
	}
	b.run(t, "tick the multi question", clickChoices(multi, correctKeys(multi, false)[:1])...)
	b.follow(t, "answer the multi question", press(sel(multi, `button[type=submit]`)), "answered="+multi.ID)
	b.run(t, "see the result", chromedp.WaitVisible(sel(multi, `.quiz-result`)))
	if eval[bool](t, b, `!!document.querySelector("#quiz-`+multi.ID+` .quiz-result-correct")`) {
		t.Error("a wrong multi answer shows as correct")
	}
	b.follow(t, "show the answer", press(sel(multi, `[data-show-answer]`)), "show=answer")
	b.run(t, "see the answer", chromedp.WaitVisible(sel(multi, `.quiz-answer`)))

	var set []chromedp.Action[chromedp.Void]
	for i, k := range order.ItemKeys {
		set = append(set, chromedp.SetValue(sel(order, `select[name="pos.`+k+`"]`), string(rune('1'+i))))
	}
	b.run(t, "set the positions", set...)
	b.follow(t, "answer the order question", press(sel(order, `button[type=submit]`)), "answered="+order.ID)
	b.run(t, "see the result", chromedp.WaitVisible(sel(order, `.quiz-result-correct`)))
	b.shot(t, "quiz-nojs")
	if n := attemptsStored(t, env, b); n != 3 {
		t.Errorf("%d attempts stored, want 3", n)
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// follow runs an action that navigates (a form post, a link) and waits
// until the browser's URL contains want: waiting on elements right away
// could find the old page.
func (b *browser) follow(t *testing.T, what string, a chromedp.Action[chromedp.Void], want string) {
	t.Helper()
	b.run(t, what, a)
	ok, err := b.until(`location.href.includes(`+jsString(want)+`)`, 20*time.Second)
	if err != nil {
		t.Fatalf("%s: waiting for a URL with %q: %v", what, want, err)
	}
	if !ok {
		t.Fatalf("%s: the browser never reached a URL with %q", what, want)
	}
}
