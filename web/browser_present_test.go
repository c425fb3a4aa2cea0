//go:build !nobrowser

package web

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// presentFits fails when the presenter screen scrolls (either way) or
// shows any of the site's chrome.
func presentFits(t *testing.T, b *browser, what string) {
	t.Helper()
	if eval[bool](t, b, `document.scrollingElement.scrollHeight > innerHeight || document.scrollingElement.scrollWidth > innerWidth`) {
		t.Errorf("%s: the presenter screen scrolls (%s)", what, eval[string](t, b, `document.scrollingElement.scrollWidth + "×" + document.scrollingElement.scrollHeight + " in " + innerWidth + "×" + innerHeight`))
	}
	if eval[bool](t, b, `!!document.querySelector(".site-header, .site-footer, .site-nav, .guest-note")`) {
		t.Errorf("%s: the site's chrome shows on the presenter screen", what)
	}
	if over := eval[string](t, b, `[...document.querySelectorAll(".present-view:not([hidden])")].filter(v => v.scrollHeight > v.clientHeight + 1).map(v => v.dataset.view + " " + v.scrollHeight + ">" + v.clientHeight).join("; ")`); over != "" {
		t.Errorf("%s: a view is cut off: %s", what, over)
	}
}

// px is a number the page computes, rounded.
func px(t *testing.T, b *browser, expr string) int {
	t.Helper()
	return int(eval[float64](t, b, expr) + 0.5)
}

// httpAttendee joins the workshop of code over plain HTTP (no browser),
// for rooms whose attendees need not be looked at.
func httpAttendee(t *testing.T, base, code, nick string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &client{t: t, base: base, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if res := cl.do("POST", "/w/"+code+"/join", url.Values{"nickname": {nick}}); res.status != http.StatusSeeOther {
		t.Fatalf("join as %s: %d %s", nick, res.status, res.body)
	}
	return cl
}

// teacherPost sends an instructor action from the teacher's browser.
func teacherPost(t *testing.T, b *browser, path string, form string) {
	t.Helper()
	status := eval[float64](t, b, `fetch(`+jsString(path)+`, {method: "POST", headers: {Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded"}, body: `+jsString(form)+`}).then(r => r.status)`)
	if status >= 400 {
		t.Fatalf("POST %s %s: %v", path, form, status)
	}
}

// TestBrowserPresenter: the projector's screen at 1024×768, 1280×720
// and 1920×1080 through a round: the join code at least 100 px tall,
// the QR code at least 280 px, the URL on one line, the question at
// least 40 px, never a scrollbar nor the site's chrome; → and space
// drive it. Screenshots of every state at every size are saved.
func TestBrowserPresenter(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	teacher, code := openWorkshop(t, env)
	id := strings.Split(strings.TrimPrefix(teacher.location(t), teacher.base+"/workshops/"), "/")[0]
	people := []*client{}
	for _, nick := range []string{"Zoë Łukasz 李小龍", "Ada", "Bob", "Cy"} {
		people = append(people, httpAttendee(t, teacher.base, code, nick))
	}
	q, right, wrong := singleQuestion(t, env)
	// The lobby, too, keeps the code of its join URL on one line.
	teacher.run(t, "the lobby at 1024×768", chromedp.EmulateViewport(1024, 768))
	if eval[float64](t, teacher, `document.querySelector(".ws-url-code").getClientRects().length`) != 1 {
		t.Error("the lobby's join URL wraps inside the code at 1024×768")
	}
	present := teacher.tab(t)
	present.run(t, "sign in on the projector's browser",
		chromedp.Navigate(present.base+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#username"), "ms_teacher"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long instructor password"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.Navigate(present.base+"/workshops/"+id+"/present"))
	waitFor(t, present, "the join screen with the room", `document.querySelector("[data-count]").textContent.includes("4 people")`)
	sizes := [][2]int64{{1024, 768}, {1280, 720}, {1920, 1080}}
	each := func(state string, check func(size string)) {
		for _, s := range sizes {
			size := fmt.Sprintf("%dx%d", s[0], s[1])
			present.run(t, "window "+size, chromedp.EmulateViewport(s[0], s[1]))
			waitFor(t, present, "the layout at "+size, `innerWidth === `+fmt.Sprint(s[0]))
			eval[bool](t, present, `(dispatchEvent(new Event("resize")), true)`)
			presentFits(t, present, state+" at "+size)
			check(size)
			present.shot(t, "present-"+state+"-"+size)
		}
	}
	each("join", func(size string) {
		if h := px(t, present, `document.querySelector(".present-code").getBoundingClientRect().height`); h < 100 {
			t.Errorf("%s: the join code is %d px tall, want ≥ 100", size, h)
		}
		if w := px(t, present, `Math.min(document.querySelector(".present-qr").getBoundingClientRect().width, document.querySelector(".present-qr").getBoundingClientRect().height)`); w < 280 {
			t.Errorf("%s: the QR code is %d px, want ≥ 280", size, w)
		}
		if eval[bool](t, present, `(() => { const u = document.querySelector("[data-fit]"); return u.scrollWidth > u.clientWidth + 1 || u.querySelector("span").getClientRects().length !== 1; })()`) {
			t.Errorf("%s: the join URL does not fit on one line", size)
		}
	})
	if !eval[bool](t, present, `document.querySelector(".present-qr").complete && document.querySelector(".present-qr").naturalWidth > 200`) {
		t.Error("the QR code did not load")
	}
	noAxeViolations(t, present, ".present", "the presenter's join screen")

	teacherPost(t, teacher, "/workshops/"+id+"/rounds", "seconds=120&question="+q.ID)
	waitFor(t, present, "the question", `document.querySelectorAll(".present-choice").length >= 2 && document.querySelector("[data-countdown]")`)
	people[0].do("POST", "/w/"+code+"/answer", url.Values{"round": {roundID(t, present)}, "choice": {right}}, "Accept", "application/json")
	waitFor(t, present, "1 of 4 answered", `document.querySelector("[data-answered]").textContent.startsWith("1 of 4")`)
	each("question", func(size string) {
		if f := px(t, present, `parseFloat(getComputedStyle(document.querySelector(".present-question")).fontSize)`); f < 40 {
			t.Errorf("%s: the question is %d px, want ≥ 40", size, f)
		}
	})
	noAxeViolations(t, present, ".present", "the presenter's question")
	for _, p := range people[1:3] {
		p.do("POST", "/w/"+code+"/answer", url.Values{"round": {roundID(t, present)}, "choice": {wrong}}, "Accept", "application/json")
	}
	present.run(t, "space ends the round", chromedp.KeyEvent(" "))
	waitFor(t, present, "the histogram", `document.querySelectorAll(".present-n").length >= 2`)
	present.run(t, "space reveals", chromedp.KeyEvent(" "))
	waitFor(t, present, "the right answer marked", `document.querySelector(".present-choice.is-correct .present-right")`)
	each("answer", func(string) {})
	present.run(t, "→ the leaderboard", chromedp.KeyEvent(kb.ArrowRight))
	waitFor(t, present, "the leaderboard", `document.querySelector(".present-leaderboard .present-nick")?.textContent === "Zoë Łukasz 李小龍"`)
	each("leaderboard", func(string) {})
	present.run(t, "→ the podium", chromedp.KeyEvent(kb.ArrowRight))
	waitFor(t, present, "the podium", `document.querySelector(".present-step-1 .present-nick")`)
	if n := eval[float64](t, present, `document.querySelectorAll(".present-podium .present-nick").length`); n != 1 {
		t.Errorf("%v people on the podium, want 1: nobody else scored", n)
	}
	each("podium", func(string) {})
	teacherPost(t, teacher, "/workshops/"+id+"/labs/revoke", "")
	waitFor(t, present, "the lab tally", `document.querySelector(".present-sides .present-tile")`)
	each("moment", func(string) {})
	noAxeViolations(t, present, ".present", "the presenter's lab moment")
	if p := present.problems(); len(p) > 0 {
		t.Errorf("console: %v", p)
	}
}

// roundID is the open round the presenter's board snapshot shows.
func roundID(t *testing.T, b *browser) string {
	t.Helper()
	return eval[string](t, b, `fetch(location.pathname.replace("/present", "/board.json"), {headers: {Accept: "application/json"}}).then(r => r.json()).then(b => b.round.id)`)
}
