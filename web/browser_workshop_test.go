//go:build !nobrowser

package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/quiz"
	"github.com/authlab/authlab/siteauth"
	"github.com/chromedp/chromedp"
)

// waitJS waits for a JavaScript condition in one browser context.
func waitJS(t *testing.T, b *browser, what, cond string) {
	t.Helper()
	ok, err := b.until(cond, 15*time.Second)
	if err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, cond, err)
	}
	if ok {
		return
	}
	b.shot(t, "timeout-workshop")
	t.Fatalf("timed out waiting for %s (%s); console: %v", what, cond, b.problems())
}

// openWorkshop signs an instructor in, in a browser of its own, and
// creates a workshop of every lesson; it returns that browser, on the
// lobby, and the join code.
func openWorkshop(t *testing.T, env *testEnv) (*browser, string) {
	t.Helper()
	hash, _ := siteauth.NewHasher(0).Hash("a long instructor password")
	if _, err := env.store.NewAccount(context.Background(), "ms_teacher", "", hash, true); err != nil {
		t.Fatal(err)
	}
	teacher := newBrowser(t, env.srv)
	teacher.run(t, "sign in",
		chromedp.Navigate(teacher.base+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#username"), "ms_teacher"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long instructor password"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)))
	loaded(t, teacher, "signed in", `document.querySelector(".flash")`)
	teacher.run(t, "open the workshops page", chromedp.Click(chromedp.CSS(`.site-nav a[href="/workshops"]`)))
	loaded(t, teacher, "the workshops page", `document.querySelector("#ws-title")`)
	teacher.run(t, "create a workshop",
		chromedp.SendKeys(chromedp.CSS("#ws-title"), "Friday room"),
		chromedp.Click(chromedp.CSS(`.ws-create button[type="submit"]`)))
	// Read the code by script once the new page has it: the lobby's own
	// script may redraw the element, and a node read by ID can be gone.
	waitFor(t, teacher, "the new workshop's code", `location.pathname !== "/workshops" && document.querySelector(".ws-code")?.textContent.trim().length === 6`)
	code := strings.TrimSpace(eval[string](t, teacher, `document.querySelector(".ws-code").textContent`))
	if len(code) != 6 {
		t.Fatalf("lobby code %q", code)
	}
	return teacher, code
}

// joinWorkshop has a fresh browser context of b join by typing the code.
func joinWorkshop(t *testing.T, b *browser, code, nick string) *browser {
	t.Helper()
	a := b.tab(t)
	a.run(t, nick+" types the code",
		chromedp.Navigate(a.base+"/join"),
		chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(code)),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)))
	pickNickname(t, a, nick)
	waitJS(t, a, "the first lesson in the frame", `!document.querySelector("[data-frame]").hidden && document.querySelector("[data-frame]").contentDocument?.querySelector("#lesson-title")`)
	return a
}

// loaded waits, in the page, until a navigation a click started has
// ended on a page where cond holds. A chromedp query that runs while the
// old document is being replaced can hold a node ID the new document no
// longer has ("Could not find node with given id"); the page's own
// answer has no such window.
func loaded(t *testing.T, b *browser, what, cond string) {
	t.Helper()
	waitJS(t, b, what, `document.readyState === "complete" && (`+cond+`)`)
}

// pickNickname types nick into the join page's nickname form, which b is
// on or is navigating to, and waits for the attendee screen.
func pickNickname(t *testing.T, b *browser, nick string) {
	t.Helper()
	loaded(t, b, "the nickname form", `document.querySelector("#nickname")`)
	b.run(t, nick+" picks a nickname",
		chromedp.SendKeys(chromedp.CSS("#nickname"), nick),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)))
	loaded(t, b, "the attendee screen", `document.querySelector(".ws-play")`)
}

// An instructor and two attendees run a round end to end: create,
// lobby, join, push a question, answer (one reloads mid-round), see the
// histogram, reveal, leaderboard.
func TestBrowserWorkshop(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	var q *quiz.Question
	for _, l := range env.catalog.Lessons {
		for _, x := range l.Quizzes {
			if x.Type == quiz.Single && q == nil {
				q = x
			}
		}
	}
	var right, wrong string
	for _, c := range q.Choices {
		if c.Correct {
			right = c.Key
		} else if wrong == "" {
			wrong = c.Key
		}
	}

	teacher, code := openWorkshop(t, env)
	if !eval[bool](t, teacher, `document.querySelector(".ws-qr").complete && document.querySelector(".ws-qr").naturalWidth > 200`) {
		t.Error("the QR code did not load")
	}
	ada, bob := joinWorkshop(t, teacher, code, "Ada"), joinWorkshop(t, teacher, code, "Bob")
	waitJS(t, teacher, "the lobby to list both", `document.querySelector("[data-count]").textContent.includes("2 people")`)
	teacher.shot(t, "workshop-lobby")

	teacher.run(t, "open the board", chromedp.Click(chromedp.CSS(`.ws-lobby-actions a`)), chromedp.WaitVisible(chromedp.CSS(".ws-roster")))
	// A question of one's own with one option is refused, and the reason
	// shows under the form, where the instructor is looking.
	eval[bool](t, teacher, `(() => {
		const d = document.querySelector(".ws-custom");
		d.open = true;
		d.querySelector("#ws-prompt").value = "Which one?";
		d.querySelector("#ws-options").value = "*Only this";
		d.querySelector('button[type="submit"]').click();
		return true;
	})()`)
	waitJS(t, teacher, "the refusal under the form", `document.querySelector(".ws-custom [data-form-error]")?.textContent.includes("2 to 6 options")`)
	waitJS(t, teacher, "the refusal scrolled into view", `(() => { const r = document.querySelector(".ws-custom [data-form-error]").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1; })()`)
	teacher.shot(t, "workshop-board-refused")
	eval[bool](t, teacher, `(() => { document.querySelector(".ws-custom").open = false; return true; })()`)
	startRound(t, teacher, q.ID, "90")
	for _, a := range []*browser{ada, bob} {
		waitJS(t, a, "the question", `document.querySelectorAll(".ws-choice").length >= 2`)
	}
	ada.shot(t, "workshop-question")
	ada.run(t, "Ada answers right", chromedp.Click(chromedp.CSS(`.ws-choice[value="`+right+`"]`)))
	waitJS(t, ada, "Ada's answer locked in", `document.querySelector(".ws-wait")`)
	// Reload mid-round: the answer and the place are kept.
	ada.run(t, "Ada reloads", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".ws-play")))
	waitJS(t, ada, "the kept answer after a reload", `document.querySelector(".ws-hist-row.is-mine") && document.querySelector(".ws-wait")`)
	waitJS(t, teacher, "the board counting 1 answer", `document.querySelector("[data-answered]")?.textContent === "1"`)
	bob.run(t, "Bob answers wrong", chromedp.Click(chromedp.CSS(`.ws-choice[value="`+wrong+`"]`)))

	// Everyone answered: the round closes at once, the histogram shows.
	for _, a := range []*browser{ada, bob, teacher} {
		waitJS(t, a, "the histogram", `document.querySelectorAll(".ws-hist .ws-hist-count").length >= 2`)
	}
	teacher.shot(t, "workshop-board-closed")
	boardClick(t, teacher, "reveal", `form[action$="/reveal"] button`)
	waitJS(t, ada, "Ada's verdict", `document.querySelector(".ws-verdict.ok")`)
	waitJS(t, bob, "Bob's verdict", `document.querySelector(".ws-verdict.bad")`)
	if first := eval[string](t, bob, `document.querySelector(".ws-leaderboard li .ws-nick").textContent`); first != "Ada" {
		t.Errorf("leaderboard leader %q, want Ada", first)
	}
	waitJS(t, teacher, "the board's leaderboard", `document.querySelector(".ws-leaderboard") && document.querySelector(".ws-correct")`)
	ada.shot(t, "workshop-reveal")
	teacher.shot(t, "workshop-board")

	// Pacing: bring everyone to the second lesson.
	second := env.catalog.Lessons[1]
	boardClick(t, teacher, "bring everyone to lesson 2", `form[action$="/focus"]:has(input[value="`+second.Slug+`"]) button`)
	waitJS(t, bob, "Bob moved", `document.querySelector("[data-frame]").contentWindow.location.pathname === "/lessons/`+second.Slug+`"`)

	bob.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".ws-play")))
	waitJS(t, bob, "state after reload", `document.querySelector(".ws-verdict")`)
	if eval[bool](t, bob, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
		t.Error("the attendee screen scrolls sideways at 360 px")
	}
	bob.shot(t, "workshop-attendee-360px")
	for name, b := range map[string]*browser{"teacher": teacher, "ada": ada, "bob": bob} {
		var bad []string
		for _, p := range b.problems() {
			if name == "teacher" && strings.Contains(p, "status of 422") {
				continue // the one-option round refused above
			}
			bad = append(bad, p)
		}
		if len(bad) > 0 {
			t.Errorf("%s: console errors:\n%s", name, strings.Join(bad, "\n"))
		}
	}
}

// startRound picks a question and a time on the board and starts the
// round, in one step inside the page: the board swaps its live regions
// on every room event unless the instructor's focus is in one, and
// values set from outside the page do not move the focus there.
func startRound(t *testing.T, teacher *browser, question, seconds string) {
	t.Helper()
	eval[bool](t, teacher, `(() => {
		const f = document.querySelector(".ws-start-form");
		f.querySelector("#ws-question").value = `+jsString(question)+`;
		f.querySelector("#ws-seconds").value = `+jsString(seconds)+`;
		f.querySelector('button[type="submit"]').click();
		return true;
	})()`)
}

// boardClick clicks a button of the instructor's board from inside the
// page, so a live region swapped in by the board's refresh between
// finding the button and clicking it cannot lose the click.
func boardClick(t *testing.T, teacher *browser, what, sel string) {
	t.Helper()
	if !eval[bool](t, teacher, `(b => b ? (b.click(), true) : false)(document.querySelector(`+jsString(sel)+`))`) {
		t.Fatalf("%s: no %s on the board", what, sel)
	}
}
