//go:build !nobrowser

package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// answerRight fills quiz q's form the way a learner would (clicking
// choices, picking from menus, typing, putting items in order) with
// the full-marks answer, checks it and waits for the verdict.
func answerRight(t *testing.T, b *browser, q *quiz.Question) {
	t.Helper()
	form := `document.querySelector("#quiz-` + q.ID + ` form")`
	var js []string
	switch q.Type {
	case quiz.Single, quiz.Multi:
		for _, c := range q.Choices {
			if c.Correct {
				js = append(js, form+`.querySelector('input[name=choice][value="`+c.Key+`"]').click()`)
			}
		}
	case quiz.TrueFalse:
		js = append(js, form+`.querySelector('input[name=choice][value="`+strconv.FormatBool(q.Answer)+`"]').click()`)
	case quiz.Match:
		for _, p := range q.Pairs {
			js = append(js, `(s => { s.value = "`+p.RightKey+`"; s.dispatchEvent(new Event("change", {bubbles: true})) })(`+form+`.querySelector('select[name="match.`+p.LeftKey+`"]'))`)
		}
	case quiz.Text:
		js = append(js, form+`.querySelector("input[name=text]").value = `+jsString(q.Accept[0]))
	case quiz.Order:
		for _, k := range q.ItemKeys {
			js = append(js, `(l => l.append(l.querySelector('[data-key="`+k+`"]')))(`+form+`.querySelector("[data-order]"))`)
		}
	case quiz.Open:
		b.run(t, "write an answer to "+q.ID, chromedp.SendKeys(chromedp.CSS("#quiz-"+q.ID+"-open"), "A session lives on the server; a token carries its claims."))
		b.run(t, "compare "+q.ID, chromedp.Click(chromedp.CSS(`#quiz-`+q.ID+` button[value="compare"]`)))
		waitFor(t, b, "the rubric of "+q.ID, form+`.querySelectorAll("input[name=rubric]").length > 0`)
		if n := eval[int](t, b, form+`.querySelectorAll(".button-primary").length`); n != 1 {
			t.Errorf("%s offers %d primary buttons after compare, want 1", q.ID, n)
		}
		eval[bool](t, b, `(`+form+`.querySelectorAll("input[name=rubric]").forEach(i => i.click()), true)`)
		b.run(t, "record the self-check of "+q.ID, chromedp.Click(chromedp.CSS(`#quiz-`+q.ID+` [data-compare] button[value="grade"]`)))
		waitFor(t, b, "the verdict of "+q.ID, form+`.querySelector(".quiz-result")`)
		return
	}
	eval[bool](t, b, `(`+strings.Join(js, ", ")+`, true)`)
	b.run(t, "check "+q.ID, chromedp.Click(chromedp.CSS(`#quiz-`+q.ID+` button[value="grade"]`)))
	waitFor(t, b, "the verdict of "+q.ID, form+`.querySelector(".quiz-result")`)
	if v := eval[string](t, b, form+`.querySelector(".quiz-result").className`); !strings.Contains(v, "quiz-result-correct") {
		t.Errorf("%s: the right answer was graded %q", q.ID, v)
	}
}

// TestBrowserGuestWalkthrough walks a new guest through the course the
// way the learner's-path issue tells it: map → lesson 1 → one answer →
// map (Resume at lesson 1) → every answer right (the page shows the
// lesson complete without a reload) → a refused answer without
// JavaScript (back at the quiz with the reason) → sign-up (the progress
// kept) → change password → sign out and in again.
func TestBrowserGuestWalkthrough(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	first := env.catalog.Lessons[0]
	if !eval[bool](t, b, `matchMedia("(prefers-reduced-motion: reduce)").matches`) {
		t.Fatal("the test browser scrolls smoothly: clicks after an #anchor may miss (newBrowserWithin forces reduced motion)")
	}
	b.run(t, "the course map",
		chromedp.Navigate(b.base+"/"),
		chromedp.Click(chromedp.CSS(".hero a.button-primary")),
		chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	if loc := b.location(t); !strings.HasSuffix(loc, "/lessons/"+first.Slug) {
		t.Fatalf("Start led to %s", loc)
	}

	answerRight(t, b, first.Quizzes[0])
	b.run(t, "back to the map", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".hero")))
	if got := eval[string](t, b, `[...document.querySelectorAll(".hero .button-primary")].map(a => a.textContent + " → " + a.getAttribute("href")).join(" | ")`); got != "Resume: “"+first.Title+"” → /lessons/"+first.Slug+"#quiz-"+first.Quizzes[0].ID {
		t.Errorf("after one answer the map offers %q", got)
	}
	if !eval[bool](t, b, `!!document.querySelector('.lesson-item.is-started a[href="/lessons/`+first.Slug+`"]')`) {
		t.Error("lesson 1 is not marked started on the map")
	}

	b.run(t, "Resume", chromedp.Click(chromedp.CSS(".hero a.button-primary")), chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	for _, q := range first.Quizzes[1:] {
		answerRight(t, b, q)
	}
	waitFor(t, b, "the lesson shown complete without a reload", `!!document.querySelector("[data-lesson-completion] .state-done") && !document.querySelector("[data-lesson-completion]").textContent.includes("Mark this lesson complete")`)

	// Without JavaScript, an empty multi answer comes back to the lesson.
	var multi *quiz.Question
	for _, q := range first.Quizzes {
		if q.Type == quiz.Multi {
			multi = q
		}
	}
	if multi != nil {
		noJS := b.tab(t)
		noJS.run(t, "a browser without JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}), chromedp.Navigate(b.base+"/lessons/"+first.Slug), chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
		noJS.run(t, "send the multi quiz empty", chromedp.Click(chromedp.CSS(`#quiz-`+multi.ID+` button[value="grade"]`)), chromedp.WaitVisible(chromedp.CSS(`#quiz-`+multi.ID+` .quiz-error`)))
		if msg := eval[string](t, noJS, `document.querySelector("#quiz-`+multi.ID+` .quiz-error").textContent`); !strings.Contains(msg, "No answer was given") {
			t.Errorf("beside the quiz: %q", msg)
		}
		// The page scrolls (smoothly) to the quiz the answer came from.
		waitFor(t, noJS, "the reason in view", `(r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector("#quiz-`+multi.ID+` .quiz-error").getBoundingClientRect())`)
	}

	b.run(t, "sign up from the guest note",
		chromedp.Click(chromedp.CSS(`.guest-note a[href="/signup"]`)),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	fillForm(t, b, "create the account", "", "#username", "Gwen_Guest", "#password", "my first passphrase")
	if kept := eval[string](t, b, `document.querySelector(".flash").innerText`); !strings.Contains(kept, "Kept from this device: 1 lesson") {
		t.Errorf("sign-up does not say what was kept: %q", kept)
	}
	fillForm(t, b, "change the password", "/account/password", "#current-password", "my first passphrase",
		"#new-password", "my second passphrase", "#confirm-password", "my second passphrase")
	b.run(t, "sign out", chromedp.Navigate(b.base+"/signout"), chromedp.Click(chromedp.CSS(`main form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS(".hero")))
	fillForm(t, b, "sign in with the new password", "/signin", "#username", "gwen_guest", "#password", "my second passphrase")
	b.run(t, "the map", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".hero")))
	if !eval[bool](t, b, `!!document.querySelector('.lesson-item.is-done a[href="/lessons/`+first.Slug+`"]')`) {
		t.Error("after signing in again lesson 1 is not completed on the map")
	}
	if got := eval[string](t, b, `[...document.querySelectorAll(".hero .button-primary")].map(a => a.textContent).join(" | ")`); got != fmt.Sprintf("Resume: “%s”", env.catalog.Lessons[1].Title) {
		t.Errorf("the map's next step: %q", got)
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// fillForm opens path (or stays on the page for ""), types each value
// into its field (selector, value pairs), sends the page's auth form and
// waits for the flash message of the page it brings.
func fillForm(t *testing.T, b *browser, what, path string, fields ...string) {
	t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	if path != "" {
		acts = append(acts, chromedp.Navigate(b.base+path))
	}
	for i := 0; i+1 < len(fields); i += 2 {
		acts = append(acts, chromedp.SendKeys(chromedp.CSS(fields[i]), fields[i+1]))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.run(t, what, acts...)
}
