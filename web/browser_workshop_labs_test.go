//go:build !nobrowser

package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The room-wide moment, in Chromium: an attendee has the twin lab open on
// their workshop screen, logged in both ways. The instructor revokes the
// room's lab sessions: the attendee's session side shows the 401 at once
// while the token side still gets 200, and the board tallies it. Then
// the instructor deny-lists the room's tokens: the token side dies too.
func TestBrowserWorkshopLabMoment(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	lesson := ""
	for _, l := range env.catalog.Lessons {
		for _, seg := range l.Body {
			if seg.Lab != nil && seg.Lab.Name == "twin-login" && lesson == "" {
				lesson = l.Slug
			}
		}
	}
	teacher, code := openWorkshop(t, env)
	ada := joinWorkshop(t, teacher, code, "Ada")
	teacher.run(t, "open the board", chromedp.Click(chromedp.CSS(`.ws-lobby-actions a`)), chromedp.WaitVisible(chromedp.CSS(".ws-roster")))
	eval[bool](t, teacher, `(window.confirm = () => true, true)`) // the board asks before a room-wide action

	// In the frame: the lesson, then its twin lab; log in both ways.
	frame := `document.querySelector("[data-frame]").contentDocument`
	eval[bool](t, ada, `(document.querySelector("[data-frame]").src = "/lessons/`+lesson+`", true)`)
	waitJS(t, ada, "the lesson in the frame", frame+`?.querySelector('.lab-open input[name="panel"][value="twin-login"]')`)
	eval[bool](t, ada, `(`+frame+`.querySelector('.lab-open:has(input[name="panel"][value="twin-login"]) button[type="submit"]').click(), true)`)
	waitJS(t, ada, "the lab in the frame", frame+`?.querySelector(".lab-page[data-ready] .trace") && `+frame+`.querySelector(".lab-clock").textContent.includes("UTC")`)
	for _, side := range []string{"session", "token"} {
		eval[bool](t, ada, `(`+frame+`.querySelector('.login-form[data-mode="`+side+`"] button[type="submit"]').click(), true)`)
		waitJS(t, ada, side+" login", frame+`.querySelector('.trace[data-side="`+side+`"] .exchange .status')?.textContent === "200"`)
	}
	top := func(side string) string {
		return frame + `.querySelector('.trace[data-side="` + side + `"] .exchange')`
	}

	boardClick(t, teacher, "revoke the room's lab sessions", `form[action$="/labs/revoke"] button`)
	waitJS(t, ada, "the 401 on the session side", top("session")+`.querySelector(".status").textContent === "401" && `+top("session")+`.textContent.includes("/api/me")`)
	waitJS(t, ada, "the token side still in", top("token")+`.querySelector("code").textContent.includes("/api/me") && `+top("token")+`.querySelector(".status").textContent === "200"`)
	if note := eval[string](t, ada, frame+`.querySelector(".lab-room-note").textContent`); note == "" {
		t.Error("the lab does not say what the instructor did")
	}
	waitJS(t, teacher, "the board's tally after the revoke", `document.querySelector("[data-moment-reported]")?.textContent === "1" && document.querySelector(".ws-moment-list li")?.textContent.includes("S 401") && document.querySelector(".ws-moment-list li").textContent.includes("T 200")`)
	ada.shot(t, "workshop-moment-attendee")
	teacher.shot(t, "workshop-moment-board")

	boardClick(t, teacher, "deny-list the room's tokens", `form[action$="/labs/denylist"] button`)
	waitJS(t, ada, "the 401 on the token side", top("token")+`.querySelector("code").textContent.includes("/api/me") && `+top("token")+`.querySelector(".status").textContent === "401"`)
	waitJS(t, teacher, "the board's tally after the deny-list", `document.querySelector(".ws-moment-head")?.textContent.includes("deny-listed") && document.querySelector(".ws-moment-list li")?.textContent.includes("T 401")`)
	teacher.shot(t, "workshop-moment-denied")
	noConsoleProblems(t, ada)
	noConsoleProblems(t, teacher)
}
