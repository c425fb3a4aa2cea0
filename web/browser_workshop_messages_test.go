//go:build !nobrowser

package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The board says what each action did (not "Done."), an attendee hears
// that the instructor closed the round (not "Time is up."), one who joins
// after the round reads that they joined after it, and a refused join
// leaves the workshop's own address in the bar.
func TestBrowserWorkshopMessages(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	q, _, _ := singleQuestion(t, env)
	teacher, code := openWorkshop(t, env)
	ada := joinWorkshop(t, teacher, code, "Ada")
	teacher.run(t, "open the board", chromedp.Click(chromedp.CSS(`.ws-lobby-actions a`)), chromedp.WaitVisible(chromedp.CSS(".ws-roster")))
	status := `document.querySelector("[data-status]").textContent`

	startRound(t, teacher, q.ID, "90")
	waitJS(t, teacher, `"Round started."`, status+` === "Round started."`)
	waitJS(t, ada, "the question", `document.querySelectorAll(".ws-choice").length >= 2`)
	waitJS(t, teacher, "the End round button", `document.querySelector('form[action$="/close"] button')`)
	boardClick(t, teacher, "end the round early", `form[action$="/close"] button`)
	waitJS(t, teacher, `"Round closed."`, status+` === "Round closed."`)
	waitJS(t, ada, "the close, told as the instructor's", `document.querySelector("[data-banner-text]").textContent === "The instructor closed the round."`)
	waitJS(t, ada, "Ada, there and silent", `document.querySelector(".ws-wait.muted")?.textContent === "You did not answer this one."`)

	late := joinWorkshop(t, teacher, code, "Late")
	waitJS(t, late, "the late joiner's note", `document.querySelector(".ws-wait.muted")?.textContent === "You joined after this round."`)

	second := env.catalog.Lessons[1]
	boardClick(t, teacher, "lock lesson 2", `form[action$="/lock"]:has(input[value="`+second.Slug+`"]) button`)
	title, _ := json.Marshal(second.Title + " locked.")
	waitJS(t, teacher, "the lock said", status+` === `+string(title))
	if strings.Contains(eval[string](t, teacher, status), "Done") {
		t.Error(`the board says "Done."`)
	}

	// A refused nickname: the form is back, the bar shows /w/CODE.
	again := teacher.tab(t)
	again.run(t, "a taken nickname",
		chromedp.Navigate(again.base+"/w/"+code),
		chromedp.WaitVisible(chromedp.CSS("#nickname")),
		chromedp.SendKeys(chromedp.CSS("#nickname"), "Ada"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)))
	loaded(t, again, "the refusal", `document.querySelector("#join-error")`)
	waitJS(t, again, "the workshop's address in the bar", `location.pathname === "/w/`+code+`"`)
	again.run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#nickname")))
	for name, b := range map[string]*browser{"teacher": teacher, "ada": ada, "late": late} {
		if p := b.problems(); len(p) > 0 {
			t.Errorf("%s: console errors:\n%s", name, strings.Join(p, "\n"))
		}
	}
}
