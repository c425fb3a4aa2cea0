//go:build !nobrowser

package web

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
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
	if eval[bool](t, b, `document.body.textContent.replace(/\s+/g, " ").includes(`+strconv.Quote(lessons.PlainText(open.ModelHTML)[:40])+`)`) {
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

// TestBrowserInterviewQuestionClockReload (session 9, finding 1): the
// clock of a question with its own timer counts from when the question
// was first shown, so a reload shows the time left instead of the full
// 0:30 again; and opened 35 s after it was first shown, the question has
// no time left and its answer is late.
func TestBrowserInterviewQuestionClockReload(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	const clock = `document.querySelector("[data-timer-clock]").textContent`

	b.follow(t, "start a timed drill", chromedp.Navigate(b.base+"/interview/drill?n=2&timer=q30"), "&shown=")
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
	waitFor(t, b, "a second off the clock", clock+` <= "0:29"`)
	b.run(t, "reload", chromedp.Reload())
	waitFor(t, b, "interview.js after the reload", `document.readyState === "complete" && document.querySelector("[data-keys-open]:not([hidden])")`)
	left, face := eval[int](t, b, `Number(document.querySelector("[data-timer]").dataset.remaining)`), eval[string](t, b, clock)
	if left > 29 || face > "0:29" {
		t.Errorf("after a reload the page says %d s are left and its clock %s, want the clock to go on from 0:29 or less", left, face)
	}

	single := firstInterview(t, env.catalog.Bank, quiz.Single)
	run := interview.Run{Kind: interview.KindDrill, ID: "BROWSERCLOCK1", Qs: []*quiz.Question{single}, Timer: 30,
		Start: time.Now().UTC().Add(-time.Minute).Truncate(time.Second)}
	b.run(t, "open a question shown 35 s ago", chromedp.Navigate(b.base+run.ShownURL(0, time.Now().Add(-35*time.Second))))
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
	if !eval[bool](t, b, clock+` === "0:00" && document.querySelector("[data-timer]").classList.contains("is-over")`) {
		t.Errorf("35 s after a 30-second question was shown, the clock says %s", eval[string](t, b, clock))
	}
	b.run(t, "pick and check", key(digitOf(t, b, correctKeys(single, true)[0])), key(kb.Enter))
	answered(t, b, "the late result")
	if !eval[bool](t, b, `!!document.querySelector(".quiz-result-correct [data-late]")`) {
		t.Error("an answer 35 s after a 30-second question was shown is not late")
	}
}

// TestBrowserInterviewRatingChosen (session 9, finding 2): once an open
// prompt is rated, the four ratings look disabled (dimmed, no pointer)
// and the chosen one is marked, to the eye ("Your rating") and to screen
// readers (aria-pressed).
func TestBrowserInterviewRatingChosen(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	open := firstInterview(t, env.catalog.Bank, quiz.Open)
	mock := interview.Run{Kind: interview.KindMock, ID: "BROWSERRATE1", Qs: []*quiz.Question{open}, Timer: interview.MockTimer,
		Start: time.Now().UTC().Truncate(time.Second)}
	b.run(t, "open the mock interview", chromedp.Navigate(b.base+mock.URL(0)))
	waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
	b.run(t, "Space reveals the model answer", key(" "))
	waitFor(t, b, "the rubric", `document.activeElement && document.activeElement.name === "rubric"`)
	b.run(t, "rate it Good", key("3"))
	answered(t, b, "the mock result")

	type rating struct {
		Pressed string  `json:"pressed"`
		Cursor  string  `json:"cursor"`
		Opacity float64 `json:"opacity"`
		Text    string  `json:"text"`
	}
	got := eval[map[string]rating](t, b, `Object.fromEntries(Array.from(document.querySelectorAll("button[data-rating]"), (el) => {
  const cs = getComputedStyle(el);
  return [el.dataset.rating, { pressed: el.getAttribute("aria-pressed") ?? "", cursor: cs.cursor, opacity: Number(cs.opacity), text: el.textContent }];
}))`)
	for _, n := range []string{"1", "2", "3", "4"} {
		r, chosen := got[n], n == "3"
		if r.Cursor == "pointer" {
			t.Errorf("rating %s keeps the pointer once disabled", n)
		}
		if chosen != (r.Pressed == "true") || chosen != strings.Contains(r.Text, "Your rating") || (!chosen && r.Pressed != "false") {
			t.Errorf("rating %s (chosen %v): aria-pressed %q, text %q", n, chosen, r.Pressed, r.Text)
		}
		if !chosen && r.Opacity >= 1 {
			t.Errorf("rating %s, not chosen and disabled, is not dimmed", n)
		}
	}
	b.shot(t, "interview-mock-rated")
	noAxeViolations(t, b, "[data-reveal]", "the rated prompt's ratings")
}

// TestBrowserInterviewFocusQuestion (session 9, finding 8): each new
// question page puts the focus on the question, so the first Tab reaches
// its first choice rather than the header's links.
func TestBrowserInterviewFocusQuestion(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	single := firstInterview(t, env.catalog.Bank, quiz.Single)
	openDrill(t, b, "BROWSERFOCUS1", single, firstInterview(t, env.catalog.Bank, quiz.Single, single.ID))

	waitFor(t, b, "the focus on the first question", `document.activeElement === document.getElementById("question")`)
	b.run(t, "Tab", key(kb.Tab))
	if !eval[bool](t, b, `document.activeElement.matches("#question [data-run-form] input[data-digit]")`) {
		t.Errorf("Tab from the question reaches %s, not its first choice", eval[string](t, b, `document.activeElement.outerHTML.slice(0, 80)`))
	}
	b.run(t, "pick and check", key("1"), key(kb.Enter))
	answered(t, b, "the first result")
	next(t, b, "&i=1")
	waitFor(t, b, "the focus on the second question", `document.activeElement === document.getElementById("question")`)
}

// TestBrowserInterviewHomeRows (session 9, finding 7): on a 360 px
// screen, the Quick drill and Mock interview cards keep each label on the
// line of its own control: "Timer" never sits at the end of the
// Questions line with its menu wrapped under it.
func TestBrowserInterviewHomeRows(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{360, 1280} {
		b.run(t, "open /interview", chromedp.EmulateViewport(width, 800), chromedp.Navigate(b.base+"/interview"))
		waitFor(t, b, "the home page", `document.querySelector(".interview-row")`)
		apart := eval[[]string](t, b, `Array.from(document.querySelectorAll(".interview-row label")).filter((label) => {
  const l = label.getBoundingClientRect(), c = document.getElementById(label.htmlFor).getBoundingClientRect();
  const sameLine = Math.abs((l.top + l.bottom) / 2 - (c.top + c.bottom) / 2) < 4;
  return !sameLine || l.right > c.left;
}).map((label) => label.textContent)`)
		if len(apart) > 0 {
			t.Errorf("at %d px these labels are not on the line of their control, before it: %v", width, apart)
		}
		b.shot(t, "interview-home-rows-"+strconv.FormatInt(width, 10)+"px")
	}
}
