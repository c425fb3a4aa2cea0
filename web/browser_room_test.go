//go:build !nobrowser

package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// sameProfileTab opens another tab in b's browser context: the same
// cookies, the same signed-in user, as a second window would.
func sameProfileTab(t *testing.T, b *browser) *browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	o := &browser{ctx: ctx, base: b.base, shotsDir: b.shotsDir}
	o.watch(ctx)
	return o
}

// inViewJS is "" when the element of sel is on screen: its top edge in
// the viewport, and no sticky or fixed element (the site header, the
// room's banner) over that edge; otherwise why not.
func inViewJS(sel string) string {
	return `((sel) => {
		const e = document.querySelector(sel);
		if (!e || !e.getClientRects().length) return "no visible " + sel;
		const r = e.getBoundingClientRect();
		if (r.top < 0 || r.top > innerHeight - 40 || r.left < 0 || r.left > innerWidth - 40) return sel + " is off screen at " + Math.round(r.left) + "," + Math.round(r.top) + " in " + innerWidth + "×" + innerHeight;
		for (const s of document.querySelectorAll("body *")) {
			const p = getComputedStyle(s).position;
			if ((p !== "sticky" && p !== "fixed") || s === e || s.contains(e) || e.contains(s) || !s.getClientRects().length) continue;
			const q = s.getBoundingClientRect();
			if (q.top <= r.top + 1 && q.bottom > r.top + 1 && q.left < r.right && q.right > r.left) return sel + " is under the sticky " + s.className + " (" + Math.round(q.bottom) + " > " + Math.round(r.top) + ")";
		}
		return "";
	})(` + jsString(sel) + `)`
}

// inView waits until sel is on screen in b (see inViewJS).
func inView(t *testing.T, b *browser, what, sel string) {
	t.Helper()
	ok, err := b.until(inViewJS(sel)+` === ""`, 8*time.Second)
	if err != nil {
		t.Fatalf("%s: waiting for %s on screen: %v", what, sel, err)
	}
	if ok {
		return
	}
	b.shot(t, "not-in-view")
	t.Errorf("%s: %s", what, eval[string](t, b, inViewJS(sel)))
}

// TestBrowserWorkshopRoom runs a room as a real one runs: an
// instructor, the presenter screen on the projector and five phones at
// 360×740, all in one Chromium. Through two rounds, bring-here, a lock
// of the lesson being read, the lab moment, the podium and the end, every phone shows each change in a
// banner below its sticky header and scrolls what changed into view,
// and the presenter screen shows it, nothing under a sticky element.
func TestBrowserWorkshopRoom(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	start := time.Now()
	last := start
	lap := func(what string) {
		t.Logf("%s: %v", what, time.Since(last).Round(100*time.Millisecond))
		last = time.Now()
	}
	env := newTestEnv(t)
	q, right, wrong := singleQuestion(t, env)
	teacher, code := openWorkshop(t, env)
	id := strings.Split(strings.TrimPrefix(teacher.location(t), teacher.base+"/workshops/"), "/")[0]
	teacher.run(t, "the board", chromedp.Navigate(teacher.base+"/workshops/"+id), chromedp.WaitVisible(chromedp.CSS(".ws-roster, .ws-board")))
	present := sameProfileTab(t, teacher) // the instructor's laptop drives the projector
	present.run(t, "the presenter screen", chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(present.base+"/workshops/"+id+"/present"))
	lap("the instructor and the presenter screen")
	// Each phone opens the join link (the QR code's) and picks a nickname;
	// their lessons load while the next one joins.
	var phones []*browser
	for _, nick := range []string{"Ada", "Bob", "Cy", "Dee", "Eve"} {
		p := teacher.tab(t)
		p.run(t, nick+" opens the join link", chromedp.EmulateViewport(360, 740),
			chromedp.Navigate(p.base+"/w/"+code))
		pickNickname(t, p, nick)
		phones = append(phones, p)
	}
	for _, p := range phones {
		waitFor(t, p, "the first lesson in the frame", `document.querySelector("[data-frame]").contentDocument?.querySelector("#lesson-title")`)
	}
	if eval[bool](t, phones[0], `!!document.querySelector(".site-nav, .site-footer")`) {
		t.Error("the attendee screen shows the site's links out of the workshop")
	}
	waitFor(t, present, "five on the join screen", `document.querySelector("[data-count]").textContent.includes("5 people")`)
	lap("five phones join")
	everyone := func(moment, banner, sel string) {
		t.Helper()
		defer lap(moment)
		for i, p := range phones {
			waitFor(t, p, moment+": the banner", `document.querySelector("[data-banner-text]").textContent.includes(`+jsString(banner)+`)`)
			inView(t, p, fmt.Sprintf("%s, phone %d: the banner", moment, i), "[data-banner]")
			inView(t, p, fmt.Sprintf("%s, phone %d", moment, i), sel)
		}
		phones[0].shot(t, "room-phone-"+strings.ReplaceAll(moment, " ", "-"))
	}
	onScreen := func(moment, cond, sel string) {
		t.Helper()
		waitFor(t, present, moment+" on the presenter screen", cond)
		inView(t, present, moment+" on the presenter screen", sel)
		presentFits(t, present, moment)
		present.shot(t, "room-present-"+strings.ReplaceAll(moment, " ", "-"))
	}

	// Round 1, from the course: it opens, everyone answers, it closes, the
	// answer is revealed.
	teacherPost(t, teacher, "/workshops/"+id+"/rounds", "seconds=120&question="+q.ID)
	everyone("round 1", "Round 1", "[data-round]")
	onScreen("round 1", `document.querySelector(".present-question")`, ".present-question")
	for i, p := range phones {
		choice := right
		if i >= 3 {
			choice = wrong
		}
		click(t, p, `.ws-choice[value="`+choice+`"]`)
	}
	everyone("round 1 closed", "Everyone has answered", "[data-round]")
	onScreen("round 1 closed", `document.querySelectorAll(".present-n").length >= 2`, ".present-choices")
	teacherPost(t, teacher, "/workshops/"+id+"/rounds/"+roundID(t, present)+"/reveal", "")
	everyone("round 1 revealed", "revealed", ".ws-rank-line")
	onScreen("round 1 revealed", `document.querySelector(".present-choice.is-correct")`, ".present-choice.is-correct")

	// Round 2, written on the spot, ended early by the instructor.
	teacherPost(t, teacher, "/workshops/"+id+"/rounds", "seconds=120&prompt="+strings.ReplaceAll("Which one dies at once on revoke?", " ", "+")+"&options=*A+session%0AA+JWT")
	everyone("round 2", "Round 2", "[data-round]")
	onScreen("round 2", `document.querySelector(".present-round-seq")?.textContent === "Round 2"`, ".present-question")
	click(t, phones[0], `.ws-choice`)
	teacherPost(t, teacher, "/workshops/"+id+"/rounds/"+roundID(t, present)+"/close", "")
	everyone("round 2 closed", "closed the round", "[data-round]")

	// Bring everyone to the second lesson, which has the twin lab.
	second := env.catalog.Lessons[1].Slug
	teacherPost(t, teacher, "/workshops/"+id+"/focus", "lesson="+second)
	everyone("bring here", "brought everyone", ".ws-stage")
	for _, p := range phones {
		waitFor(t, p, "the lesson in the frame", `document.querySelector("[data-frame]").contentWindow.location.pathname === "/lessons/`+second+`" && document.querySelector("[data-frame]").contentDocument.querySelector("#lesson-title")`)
	}

	// The lesson they are reading gets locked: a note, not a jump.
	teacherPost(t, teacher, "/workshops/"+id+"/lock", "lesson="+second+"&locked=1")
	everyone("lesson locked", "locked", "[data-frame-note]")
	teacherPost(t, teacher, "/workshops/"+id+"/lock", "lesson="+second+"&locked=0")

	// The lab moment: Ada has her lab open; every phone shows it, and
	// Ada's lab its note, inside the frame's visible part.
	ada := phones[0]
	eval[bool](t, ada, `(document.querySelector("[data-frame]").contentDocument.querySelector(".lab-open button[type=submit]").click(), true)`)
	waitFor(t, ada, "Ada's lab in the frame", `document.querySelector("[data-frame]").contentWindow.location.pathname.startsWith("/lab/") && document.querySelector("[data-frame]").contentDocument.querySelector(".lab-page[data-ready]")`)
	teacherPost(t, teacher, "/workshops/"+id+"/labs/revoke", "")
	everyone("lab moment", "revoked every lab session", ".ws-stage")
	waitFor(t, ada, "the lab's note inside the frame's view", `(() => {
		const f = document.querySelector("[data-frame]"), n = f.contentDocument.querySelector(".lab-room-note");
		if (!n || n.hidden) return false;
		const r = n.getBoundingClientRect(), fr = f.getBoundingClientRect();
		return r.top >= 0 && r.top < f.clientHeight - 40 && fr.top + r.top < innerHeight - 40;
	})()`)
	onScreen("lab moment", `document.querySelector(".present-sides")`, ".present-sides")
	// axe over what the frames show: the lesson (Bea's) and Ada's lab, each
	// opened in a tab of the same phone at the frame's width.
	frameAxe(t, phones[1], "the lesson in an attendee's frame", "#lesson-title")
	frameAxe(t, ada, "the lab in an attendee's frame", ".lab-page[data-ready]")

	// The podium, then the end.
	teacherPost(t, teacher, "/workshops/"+id+"/podium", "")
	everyone("podium", "podium", ".ws-podium")
	onScreen("podium", `document.querySelector(".present-step-1")`, ".present-podium")
	inView(t, teacher, "the podium on the instructor's board", ".ws-podium")
	teacher.shot(t, "room-board-podium")
	// Dee and Eve answered wrong, once each: no point, no podium.
	if on := eval[string](t, present, `[...document.querySelectorAll(".present-podium .present-nick")].map(n => n.textContent).join(",")`); on == "" || strings.Contains(on, "Dee") || strings.Contains(on, "Eve") {
		t.Errorf("on the podium: %q", on)
	}
	noAxeViolations(t, phones[1], ".ws-play", "an attendee's screen")
	teacherPost(t, teacher, "/workshops/"+id+"/end", "")
	everyone("the end", "has ended", "[data-banner]")
	onScreen("the end", `document.querySelector(".present-h")?.textContent.includes("Thanks")`, ".present-podium")

	teacher.run(t, "the board", chromedp.Navigate(teacher.base+"/workshops/"+id))
	waitFor(t, teacher, "the board", `document.querySelector(".ws-roster")`)
	noAxeViolations(t, teacher, "main", "the board")
	teacher.shot(t, "room-board-ended")
	for i, p := range append(phones, present) {
		for _, pr := range p.problems() {
			if !strings.Contains(pr, "401 (Unauthorized)") { // the lab asking again after the revoke
				t.Errorf("browser %d console: %v", i, pr)
			}
		}
	}
	t.Logf("a room of five phones, a presenter and an instructor: %v", time.Since(start).Round(time.Second))
}

// frameAxe opens what p's lesson frame shows in a second tab of p's browser
// context (its cookies, so the same lab), at the frame's size, and runs
// axe-core over it: axe cannot be injected into the frame itself under
// the page's CSP.
func frameAxe(t *testing.T, p *browser, what, ready string) {
	t.Helper()
	src := eval[string](t, p, `document.querySelector("[data-frame]").contentWindow.location.href`)
	w := eval[int64](t, p, `Math.round(document.querySelector("[data-frame]").getBoundingClientRect().width)`)
	ctx, cancel := chromedp.NewContext(p.ctx) // a tab in the same browser context
	defer cancel()
	tab := &browser{ctx: ctx, base: p.base, shotsDir: p.shotsDir}
	tab.run(t, "open "+what, chromedp.EmulateViewport(w, 740), chromedp.Navigate(src), chromedp.WaitVisible(chromedp.CSS(ready)))
	noAxeViolations(t, tab, "body", what)
}
