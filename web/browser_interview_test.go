//go:build !nobrowser

package web

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// firstInterview is the first interview-bank question of a type.
func firstInterview(t *testing.T, bank *quiz.Bank, typ quiz.Type, skip ...string) *quiz.Question {
	t.Helper()
	for _, q := range bank.All() {
		if q.Interview && q.Type == typ && !slices.Contains(skip, q.ID) {
			return q
		}
	}
	t.Fatalf("no %s question in the interview bank", typ)
	return nil
}

// openDrill opens a drill of qs, without a timer, as run id, and waits
// for interview.js to have set the page up.
func openDrill(t *testing.T, b *browser, id string, qs ...*quiz.Question) {
	t.Helper()
	run := interview.Run{Kind: interview.KindDrill, ID: id, Qs: qs, Start: time.Now().UTC().Truncate(time.Second)}
	b.run(t, "open the drill", chromedp.Navigate(b.base+run.URL(0)))
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
}

// key presses one key on whatever has focus, as a keyboard user would.
func key(k string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(k) }

// digitOf is the number key that picks the option with that key.
func digitOf(t *testing.T, b *browser, optionKey string) string {
	t.Helper()
	return eval[string](t, b, `document.querySelector('[data-run-form] input[value="`+optionKey+`"]').dataset.digit`)
}

// answered waits for the result panel of the current question.
func answered(t *testing.T, b *browser, what string) {
	t.Helper()
	waitFor(t, b, what, `document.querySelector("[data-result-panel]") && document.activeElement === document.querySelector("[data-result-panel]")`)
}

// next presses N and waits for question i (or the summary) to load.
func next(t *testing.T, b *browser, want string) {
	t.Helper()
	b.follow(t, "press N", key("n"), want)
	waitFor(t, b, "the page after "+want, `document.readyState === "complete" && (document.querySelector("[data-keys-open]:not([hidden])") || document.querySelector(".interview-summary"))`)
}

// TestBrowserInterviewKeyboard drives a drill with the keyboard only:
// number keys pick choices, Enter checks, N moves on, ? lists the keys;
// a per-question timer runs and stops once the question is answered;
// the summary follows the last question. Then a mock prompt: Space
// reveals the model answer, Space ticks a key point, 3 rates it Good.
func TestBrowserInterviewKeyboard(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	bank := env.catalog.Bank

	// One click from the home page starts a drill.
	b.run(t, "open home", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".hero-interview")))
	b.follow(t, "start a drill from home", chromedp.Steps(chromedp.Focus(chromedp.CSS(`.hero-interview a[href="/interview/drill"]`)), key(kb.Enter)), "/interview/practice?kind=drill")
	waitFor(t, b, "the first question", `document.querySelector("[data-run-form]") && document.title.includes("question 1 of 10")`)
	if c := eval[string](t, b, `document.cookie`); !strings.Contains(c, tzCookie+"=") {
		t.Errorf("interview pages do not get the browser's UTC offset: %q", c)
	}

	single, tf, multi := firstInterview(t, bank, quiz.Single), firstInterview(t, bank, quiz.TrueFalse), firstInterview(t, bank, quiz.Multi)
	text := firstInterview(t, bank, quiz.Text)
	run := interview.Run{Kind: interview.KindDrill, ID: "BROWSERDRILL1", Qs: []*quiz.Question{single, tf, multi, text}, Timer: 45,
		Start: time.Now().UTC().Truncate(time.Second)}
	b.run(t, "open the drill", chromedp.Navigate(b.base+run.URL(0)))
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)

	b.run(t, "? shows the keys", key("?"))
	waitFor(t, b, "the key list", `document.querySelector("dialog[data-keys]").open`)
	b.shot(t, "interview-keys")
	b.run(t, "Esc closes it", key(kb.Escape))
	waitFor(t, b, "the key list to close", `!document.querySelector("dialog[data-keys]").open`)
	if clock := eval[string](t, b, `document.querySelector("[data-timer-clock]").textContent`); !strings.HasPrefix(clock, "0:4") {
		t.Errorf("timer shows %q, want 0:45 counting down", clock)
	}

	// 1. Single: the right choice by its number.
	right := correctKeys(single, true)[0]
	b.run(t, "pick and check", key(digitOf(t, b, right)), key(kb.Enter))
	answered(t, b, "the single result")
	if !eval[bool](t, b, `!!document.querySelector(".quiz-result-correct") && document.querySelector("[data-timer]").classList.contains("is-stopped")`) {
		t.Error("the single answer is not correct, or the timer did not stop")
	}
	noAxeViolations(t, b, "[data-timer]", "the stopped timer") // its label keeps 4.5:1 when stopped
	b.shot(t, "interview-result")
	next(t, b, "&i=1")

	// 2. True/false, answered wrong: 1 is true, 2 is false.
	wrongTF := map[bool]string{true: "2", false: "1"}[tf.Answer]
	b.run(t, "answer true/false wrong", key(wrongTF), key(kb.Enter))
	answered(t, b, "the true/false result")
	if !eval[bool](t, b, `!!document.querySelector(".quiz-result-wrong")`) {
		t.Error("a wrong true/false answer is not marked wrong")
	}
	next(t, b, "&i=2")

	// 3. Multi: every right choice.
	var picks []chromedp.Action[chromedp.Void]
	for _, k := range correctKeys(multi, true) {
		picks = append(picks, key(digitOf(t, b, k)))
	}
	b.run(t, "pick every right choice and check", append(picks, key(kb.Enter))...)
	answered(t, b, "the multi result")
	next(t, b, "&i=3")

	// 4. Text: type into the field (Tab would get there too), Enter.
	b.run(t, "type the answer", chromedp.Focus(chromedp.CSS("#iq-text")), chromedp.SendKeys(chromedp.CSS("#iq-text"), text.Accept[0]), key(kb.Enter))
	answered(t, b, "the text result")
	next(t, b, "/interview/summary")

	summary := get(t, b, "summary", chromedp.Text(chromedp.CSS(".interview-summary")))
	if !strings.Contains(summary, "3 of 4") || !strings.Contains(summary, "What to review") {
		t.Errorf("summary:\n%s", summary)
	}
	b.shot(t, "interview-summary")
	if n := attemptsStored(t, env, b); n != 4 {
		t.Errorf("%d attempts stored, want 4", n)
	}

	// A mock prompt with a follow-up.
	var open *quiz.Question
	for _, q := range bank.All() {
		if q.Type == quiz.Open && q.Interview && len(q.FollowUps) > 0 {
			open = q
			break
		}
	}
	follow, _ := bank.Question(open.FollowUps[0])
	mock := interview.Run{Kind: interview.KindMock, ID: "BROWSERMOCK1", Qs: []*quiz.Question{open, follow}, Timer: interview.MockTimer,
		Start: time.Now().UTC().Truncate(time.Second)}
	b.run(t, "open the mock interview", chromedp.Navigate(b.base+mock.URL(0)))
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
	if eval[bool](t, b, `document.body.textContent.includes(`+strconv.Quote(plainText(open.ModelHTML)[:40])+`)`) {
		t.Fatal("the model answer is on the page before the reveal")
	}
	b.run(t, "Space reveals the model answer", key(" "))
	waitFor(t, b, "the rubric", `document.activeElement && document.activeElement.name === "rubric"`)
	b.shot(t, "interview-mock-reveal")
	b.run(t, "tick the first point, rate Good", key(" "), key("3"))
	answered(t, b, "the mock result")
	if got := get(t, b, "rating", chromedp.Text(chromedp.CSS(".run-rating-line"))); !strings.Contains(got, "good by you") {
		t.Errorf("rating line %q", got)
	}
	next(t, b, "&i=1")
	if !eval[bool](t, b, `document.querySelector(".run-followup").textContent.includes("Follow-up to")`) {
		t.Error("the follow-up prompt is not labelled")
	}

	// The other pages, in both themes, for the screenshots and the console.
	for i, page := range []string{"/interview", "/interview/stats", "/interview/cheatsheet?topic=revocation"} {
		b.run(t, "open "+page, chromedp.Navigate(b.base+page), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if i == 1 && !strings.Contains(get(t, b, "stats", chromedp.Text(chromedp.CSS("main"))), "Accuracy by topic") {
			t.Error("the stats page shows no accuracy after six answers")
		}
		b.shot(t, "interview-page-"+strconv.Itoa(i))
	}
	eval[bool](t, b, `(localStorage.setItem("authlab-theme", "dark"), true)`)
	b.run(t, "dark stats", chromedp.Navigate(b.base+"/interview"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	b.shot(t, "interview-home-dark")

	b.run(t, "back to the follow-up", chromedp.Navigate(b.base+mock.URL(1)))
	b.run(t, "narrow screen", chromedp.EmulateViewport(360, 740), chromedp.Reload())
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
	if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
		t.Error("the practice page scrolls sideways at 360 px")
	}
	b.shot(t, "interview-mock-360px")
	b.run(t, "stats on a narrow screen", chromedp.Navigate(b.base+"/interview/stats"), chromedp.WaitVisible(chromedp.CSS(".stats-table")))
	if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
		t.Error("the stats page scrolls sideways at 360 px")
	}
	b.shot(t, "interview-stats-360px")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
