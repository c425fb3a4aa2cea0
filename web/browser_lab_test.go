//go:build !nobrowser

package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitFor waits until a JavaScript condition holds or time runs out.
func waitFor(t *testing.T, b *browser, what, cond string) {
	t.Helper()
	// Generous: CI runs every package at once under -race. A condition
	// that throws (an element replaced while the page updates) is not met
	// yet, nor is one asked while the page navigates (the evaluation fails
	// with "Inspected target navigated or closed"); any other error fails.
	ok, err := b.until(cond, 30*time.Second)
	if err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, cond, err)
	}
	if ok {
		return
	}
	b.shot(t, "timeout")
	t.Fatalf("timed out waiting for %s (%s); page says: %s; console: %v", what, cond,
		eval[string](t, b, `Array.from(document.querySelectorAll(".exchange summary")).map(s => s.textContent).join(" | ")`), b.problems())
}

// until waits up to limit for the JavaScript condition cond to hold in
// b's page. The page itself polls it (every 20 ms, up to a second per
// round trip), so a condition that comes true is seen at once, without
// a round trip to the browser per try. A condition that throws is not
// met yet; an evaluation that fails because the page navigated is tried
// again in the new page; any other error is returned.
func (b *browser) until(cond string, limit time.Duration) (bool, error) {
	expr := `new Promise(done => {
		const met = () => { try { return !!(` + cond + `) } catch (e) { return false } };
		const end = Date.now() + 1000;
		const poll = () => met() ? done(true) : Date.now() > end ? done(false) : setTimeout(poll, 20);
		poll();
	})`
	deadline := time.Now().Add(limit)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return true, nil
		}
		if err != nil && !navigating(err) {
			return false, err
		}
		if !time.Now().Before(deadline) {
			return false, nil
		}
		if err != nil { // the new page has no context yet: a moment for it
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// navigating is an evaluation error that means the page went away under
// it (a navigation or a reload), not that the condition is wrong.
func navigating(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Inspected target navigated or closed") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Cannot find context with specified id")
}

// clickRecorded clicks sel and waits until the token side's trace shows
// one more exchange: the request the click sent has been answered.
func clickRecorded(t *testing.T, b *browser, what, sel string) {
	t.Helper()
	const count = `document.querySelectorAll('.trace[data-side="token"] .exchange').length`
	before := eval[float64](t, b, count)
	b.run(t, what, chromedp.Click(chromedp.CSS(sel)))
	waitFor(t, b, what+" in the trace", fmt.Sprintf("%s > %d", count, int(before)))
}

// attack sends a request from the attacker console with the stolen
// credential pasted by the page's own button, and returns Mallory's status.
func attack(t *testing.T, b *browser, steal string) string {
	t.Helper()
	eval[bool](t, b, `(document.querySelector(".attack-form textarea[name=headers]").value = "", document.querySelector(".attack-result").textContent = "", true)`)
	b.run(t, "paste the stolen credential",
		chromedp.Click(chromedp.CSS(`[data-action="`+steal+`"]`)),
		chromedp.Click(chromedp.CSS(`.attack-form button[type="submit"]`)))
	waitFor(t, b, "Mallory's result", `document.querySelector(".attack-result").textContent.includes("Mallory got")`)
	return eval[string](t, b, `document.querySelector(".attack-result strong").textContent`)
}

func TestBrowserTwinLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	lesson := lessonWithLab(t, env, "revoke-vs-replay")
	b.run(t, "open the lab from its lesson",
		chromedp.Navigate(b.base+"/lessons/"+lesson),
		chromedp.Click(chromedp.CSS(`.lab-open button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))

	// Story 1: log in both ways and compare what travels.
	b.run(t, "log in with a session", chromedp.Click(chromedp.CSS(`.side-session .login-form button[type="submit"]`)))
	waitFor(t, b, "the session login exchange", `document.querySelectorAll('.trace[data-side="session"] .exchange').length >= 1`)
	b.run(t, "call /api/me with the cookie", chromedp.Click(chromedp.CSS(`[data-action="session-me"]`)))
	waitFor(t, b, "the session /api/me exchange", `document.querySelectorAll('.trace[data-side="session"] .exchange').length >= 2`)
	b.run(t, "log in with a token", chromedp.Click(chromedp.CSS(`.side-token .login-form button[type="submit"]`)))
	waitFor(t, b, "the decoded token", `!document.querySelector(".jwt-view").hidden`)
	b.run(t, "call /api/me with the bearer token", chromedp.Click(chromedp.CSS(`[data-action="token-me"]`)))
	waitFor(t, b, "the token /api/me exchange", `document.querySelectorAll('.trace[data-side="token"] .exchange').length >= 2`)
	trace := eval[string](t, b, `document.querySelector(".twin").innerText`)
	for _, want := range []string{"Set-Cookie", "lab_sid=", "Authorization", "Bearer "} {
		if !strings.Contains(eval[string](t, b, `Array.from(document.querySelectorAll(".exchange details")).map(d => d.textContent).join("\n")`), want) {
			t.Errorf("the trace does not show %q", want)
		}
	}
	_ = trace
	if c := eval[string](t, b, `document.cookie`); strings.Contains(c, "lab_sid") || strings.Contains(c, tzCookie) {
		t.Errorf("the lab page's document.cookie shows more than the lab's own readable cookies: %q", c)
	}
	b.shot(t, "lab-logged-in")

	// A learner pastes both credentials, then the cookie again to replay
	// it: the request must carry the cookie alone. With the token still
	// beside it, the lab checks the token, and "replay the cookie" would
	// get the token's 200 after a revocation.
	eval[bool](t, b, `(document.querySelector(".attack-form textarea[name=headers]").value = "", true)`)
	for _, steal := range []string{"steal-cookie", "steal-token", "steal-cookie"} {
		b.run(t, "press "+steal, chromedp.Click(chromedp.CSS(`[data-action="`+steal+`"]`)))
	}
	if box := eval[string](t, b, `document.querySelector(".attack-form textarea[name=headers]").value`); !regexp.MustCompile(`^Cookie: lab_sid=[0-9a-f]+$`).MatchString(box) {
		t.Errorf("after pasting the token and then the cookie, the request's headers are %q, want the cookie alone", box)
	}

	// Story 2: log out both ways, replay as Mallory.
	b.run(t, "log out of the session", chromedp.Click(chromedp.CSS(`[data-action="session-logout"]`)))
	waitFor(t, b, "the session logout", `document.querySelectorAll('.trace[data-side="session"] .exchange').length >= 3`)
	if got := attack(t, b, "steal-cookie"); !strings.Contains(got, "401") {
		t.Errorf("replaying the cookie after logout: %q, want 401", got)
	}
	if got := attack(t, b, "steal-token"); !strings.Contains(got, "200") {
		t.Errorf("replaying the token before logout: %q, want 200", got)
	}
	clickRecorded(t, b, "log out of the token", `[data-action="token-logout"]`)
	if got := attack(t, b, "steal-token"); !strings.Contains(got, "200") {
		t.Errorf("replaying the token after logout: %q, want 200 (the server holds no token state)", got)
	}

	// Story 3: the deny-list makes a revoked token fail.
	// Ticking the box is enough: the lesson says "turn on the deny-list".
	b.run(t, "turn the deny-list on", chromedp.Click(chromedp.CSS(`.settings-form input[name="denylist"]`)))
	waitFor(t, b, "the deny-list applied on its own", `document.querySelector(".settings-note").textContent.includes("Applied")`)
	clickRecorded(t, b, "log in with a token again", `.side-token .login-form button[type="submit"]`)
	clickRecorded(t, b, "log out", `[data-action="token-logout"]`)
	if got := attack(t, b, "steal-token"); !strings.Contains(got, "401") {
		t.Errorf("replaying a token after logout with the deny-list on: %q, want 401", got)
	}
	b.shot(t, "lab-replay")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserRefreshStory is story 4: the access token expires on the lab
// clock, a refresh rotates the pair, and Mallory's replay of the old
// refresh token revokes the whole family.
func TestBrowserRefreshStory(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "open the lab", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".course-map")))
	loc := eval[string](t, b, `fetch("/lab", {method: "POST", headers: {Accept: "application/json"}, body: new URLSearchParams({panel: "refresh-rotation"})}).then(r => r.json()).then(j => j.url)`)
	b.run(t, "open the refresh-rotation panel", chromedp.Navigate(b.base+loc), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
	b.run(t, "log in with a token", chromedp.Click(chromedp.CSS(`.side-token .login-form button[type="submit"]`)))
	waitFor(t, b, "the decoded token", `!document.querySelector(".jwt-view").hidden`)
	b.run(t, "fast-forward an hour", chromedp.Click(chromedp.CSS(`[data-advance="1h"]`)))
	// The page redraws the token's countdown from the clock the server
	// answered with: "expired" means the advance has happened.
	waitFor(t, b, "the lab clock past the token's exp", `document.querySelector(".jwt-countdown").textContent === "expired"`)
	b.run(t, "call /api/me with the expired token", chromedp.Click(chromedp.CSS(`[data-action="token-me"]`)))
	waitFor(t, b, "a 401 token expired", `Array.from(document.querySelectorAll('.trace[data-side="token"] .exchange summary')).some(s => s.textContent.startsWith("401"))`)
	b.run(t, "refresh", chromedp.Click(chromedp.CSS(`[data-action="token-refresh"]`)))
	waitFor(t, b, "a live refresh token in the family tree", `document.querySelector(".family-tree .rt-active") && document.querySelector(".family-tree .rt-used")`)
	b.run(t, "Mallory replays the old refresh token",
		chromedp.Click(chromedp.CSS(`[data-action="steal-refresh"]`)),
		chromedp.Click(chromedp.CSS(`.attack-form button[type="submit"]`)))
	waitFor(t, b, "Mallory's result", `document.querySelector(".attack-result").textContent.includes("Mallory got")`)
	if got := eval[string](t, b, `document.querySelector(".attack-result strong").textContent`); !strings.Contains(got, "401") {
		t.Errorf("replaying a spent refresh token: %q, want 401", got)
	}
	waitFor(t, b, "the family shown revoked", `document.querySelector(".family-tree .family.revoked")`)
	b.run(t, "alice refreshes with her newest token", chromedp.Click(chromedp.CSS(`[data-action="token-refresh"]`)))
	waitFor(t, b, "alice refused too", `Array.from(document.querySelectorAll('.trace[data-side="token"] .exchange summary')).filter(s => s.textContent.startsWith("401")).length >= 2`)
	b.run(t, "the guide ticks", chromedp.WaitReady(chromedp.CSS(`.lab-guide li.done[data-milestone="reuse-detected"]`))) // inside the closed hints
	waitSolved(t, b)
	b.shot(t, "lab-refresh-reuse")
	if p := b.problems(); len(p) > 0 {
		for _, m := range p {
			if !strings.Contains(m, "401") {
				t.Errorf("console error: %s", m)
			}
		}
	}
}

// openTwin opens a view of the twin lab from the lesson that embeds it,
// as a learner does, and waits for lab.js to hand the controls over.
func openTwin(t *testing.T, b *browser, env *testEnv, panel string) {
	t.Helper()
	b.run(t, "open the "+panel+" lab from its lesson",
		chromedp.Navigate(b.base+"/lessons/"+lessonWithLab(t, env, panel)),
		chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="`+panel+`"]) button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready] .twin")))
}

// sendAsMallory submits the attacker console as it stands and returns
// Mallory's result line ("Mallory got 401 — …").
func sendAsMallory(t *testing.T, b *browser) string {
	t.Helper()
	eval[bool](t, b, `(document.querySelector(".attack-result").textContent = "", true)`)
	click(t, b, `.attack-form button[type="submit"]`)
	waitFor(t, b, "Mallory's result", `document.querySelector(".attack-result").textContent.includes("Mallory got")`)
	return text(t, b, ".attack-result p")
}

// exchanges counts the exchanges shown on one side of the twin lab.
func exchanges(side string) string {
	return `document.querySelectorAll('.trace[data-side="` + side + `"] .exchange').length`
}

// applySettings ticks or clears the named checkboxes of the Defences
// form and applies them.
func applySettings(t *testing.T, b *browser, boxes map[string]bool) {
	t.Helper()
	for name, on := range boxes {
		eval[bool](t, b, `(document.querySelector('.settings-form input[name="`+name+`"]').checked = `+map[bool]string{true: "true", false: "false"}[on]+`, true)`)
	}
	eval[bool](t, b, `(document.querySelector(".settings-note").textContent = "", true)`)
	click(t, b, `.settings-form button[type="submit"]`)
	waitFor(t, b, "settings applied", `document.querySelector(".settings-note").textContent.includes("Applied")`)
}

// An exchange without a request body shows no stray "null" between its
// request headers and RESPONSE (Element.append(null) writes "null").
func TestBrowserTwinTraceShowsNoNull(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openTwin(t, b, env, "twin-login")
	click(t, b, `.side-session .login-form button[type="submit"]`)
	waitFor(t, b, "the login", exchanges("session")+` >= 1`)
	click(t, b, `[data-action="session-me"]`)
	waitFor(t, b, "GET /api/me", exchanges("session")+` >= 2`)
	eval[bool](t, b, `(document.querySelectorAll(".exchange details").forEach(d => d.open = true), true)`)
	if n := eval[int](t, b, `Array.from(document.querySelectorAll(".exchange details")).filter(d => Array.from(d.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() === "null")).length`); n > 0 {
		t.Errorf("%d exchanges show a literal null: %q", n, text(t, b, ".exchange details"))
	}
	b.shot(t, "twin-trace-open")
	noConsoleProblems(t, b)
}

// Lesson 09's first steps: log in, log out, paste the stolen cookie and
// replay it. The paste is the cookie that was live before the logout —
// not the logout's deleting Set-Cookie (lab_sid= with no value) — so the
// server looks it up and finds nothing, and the step ticks. Mallory's
// trace entry has one frame (its details), not also the console's box.
func TestBrowserPasteTheLiveCookieAfterLogout(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openTwin(t, b, env, "revoke-vs-replay")
	click(t, b, `.side-session .login-form button[type="submit"]`)
	waitFor(t, b, "the login", exchanges("session")+` >= 1`)
	click(t, b, `[data-action="session-logout"]`)
	waitFor(t, b, "the logout", exchanges("session")+` >= 2`)
	eval[bool](t, b, `(document.querySelector(".attack-form textarea[name=headers]").value = "", true)`)
	click(t, b, `[data-action="steal-cookie"]`)
	pasted := eval[string](t, b, `document.querySelector(".attack-form textarea[name=headers]").value`)
	if !regexp.MustCompile(`^Cookie: lab_sid=[0-9a-f]{16,}$`).MatchString(pasted) {
		t.Fatalf("Paste the stolen cookie after a logout pasted %q, want the session's live ID", pasted)
	}
	got := sendAsMallory(t, b)
	if !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "no session") {
		t.Errorf("replaying the stolen cookie: %q, want 401 with the lookup that found no session", got)
	}
	waitFor(t, b, "the replay step ticked", `document.querySelector('.lab-guide li[data-milestone="replay-session-fails"].done')`)
	waitFor(t, b, "Mallory's exchange in the trace", `document.querySelector('.trace[data-side="session"] .exchange.attacker')`)
	if frame := eval[string](t, b, `(() => { const s = getComputedStyle(document.querySelector(".trace .exchange.attacker")); return s.borderTopWidth + " " + s.boxShadow + " " + s.paddingTop; })()`); frame != "0px none 0px" {
		t.Errorf("Mallory's trace entry is framed twice (li border, shadow, padding: %s)", frame)
	}
	b.shot(t, "revoke-replay-cookie")
	b.run(t, "a phone", chromedp.EmulateViewport(360, 740))
	b.shot(t, "revoke-replay-cookie-360px")
	noSideScroll(t, b, "the revoke-vs-replay lab at 360 px")
	noConsoleProblems(t, b)
}

// Lesson 04's last step, as written: a token logged out while the
// deny-list was off still replays after it is turned on (the verdict says
// why); log in again, log out, replay: refused, and the step ticks.
func TestBrowserDenylistStoryAsLesson04Tells(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openTwin(t, b, env, "revoke-vs-replay")
	click(t, b, `.side-token .login-form button[type="submit"]`)
	waitFor(t, b, "the decoded token", `!document.querySelector(".jwt-view").hidden`)
	click(t, b, `[data-action="token-logout"]`)
	waitFor(t, b, "the token logout", `document.querySelector(".jwt-view").hidden && `+exchanges("token")+` >= 2`)
	click(t, b, `[data-action="steal-token"]`)
	if got := sendAsMallory(t, b); !strings.Contains(got, "Mallory got 200") {
		t.Errorf("replaying a logged-out token: %q, want 200", got)
	}
	applySettings(t, b, map[string]bool{"denylist": true})
	click(t, b, `[data-action="steal-token"]`)
	if got := sendAsMallory(t, b); !strings.Contains(got, "Mallory got 200") || !strings.Contains(got, "logged out while the deny-list was off") {
		t.Errorf("replaying the token logged out before the deny-list: %q, want 200 and why", got)
	}
	click(t, b, `.side-token .login-form button[type="submit"]`)
	waitFor(t, b, "the new token", `!document.querySelector(".jwt-view").hidden`)
	click(t, b, `[data-action="token-logout"]`)
	waitFor(t, b, "the second logout", `document.querySelector(".jwt-view").hidden && `+exchanges("token")+` >= 4`)
	eval[bool](t, b, `(document.querySelector(".attack-form textarea[name=headers]").value = "", true)`)
	click(t, b, `[data-action="steal-token"]`)
	if got := sendAsMallory(t, b); !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "deny-list") {
		t.Errorf("replaying a token logged out with the deny-list on: %q, want 401", got)
	}
	waitFor(t, b, "the deny-list step ticked", `document.querySelector('.lab-guide li[data-milestone="denylist-blocks"].done')`)
	waitSolved(t, b)
	b.shot(t, "revoke-denylist")
	noConsoleProblems(t, b)
}

// stealRefresh presses "Replay an old refresh token" and returns the
// refresh token it put in the body.
func stealRefresh(t *testing.T, b *browser) string {
	t.Helper()
	click(t, b, `[data-action="steal-refresh"]`)
	return eval[string](t, b, `JSON.parse(document.querySelector(".attack-form textarea[name=body]").value).refresh_token`)
}

// "Replay an old refresh token" replays the spent refresh token of the
// victim's current family: after a second login (a new family) and a
// refresh, Mallory's replay is detected as reuse in that family — not a
// replay of the first token the page ever saw, from a family long dead.
func TestBrowserReplayOldRefreshOfCurrentFamily(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openTwin(t, b, env, "refresh-rotation")
	for round := 1; round <= 2; round++ {
		click(t, b, `.side-token .login-form button[type="submit"]`)
		waitFor(t, b, "a new family", `document.querySelectorAll(".family-tree .family").length === `+strconv.Itoa(round))
		click(t, b, `[data-action="token-refresh"]`)
		waitFor(t, b, "a spent refresh token in the newest family", `document.querySelectorAll(".family-tree .family")[`+strconv.Itoa(round-1)+`].querySelector(".rt-used")`)
		stealRefresh(t, b)
		got := sendAsMallory(t, b)
		if !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "reuse detected") {
			t.Errorf("round %d: replaying the old refresh token: %q, want reuse detected", round, got)
		}
		waitFor(t, b, "the family revoked", `document.querySelectorAll(".family-tree .family.revoked").length === `+strconv.Itoa(round))
	}
	b.shot(t, "refresh-two-families")
	b.run(t, "a phone", chromedp.EmulateViewport(360, 740))
	b.shot(t, "refresh-two-families-360px")
	noSideScroll(t, b, "the refresh-rotation lab at 360 px")
	noConsoleProblems(t, b)
}

// Lesson 09's last refresh step, as written: with reuse detection off,
// rotation alone still refuses Mallory's replay ("already used") and
// alice keeps working; with rotation off too, the replay gets 200.
func TestBrowserRefreshReplayNeedsRotationOff(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	var step string
	for _, l := range env.catalog.Lessons {
		for _, seg := range l.Body {
			if seg.Lab != nil && seg.Lab.Name == "refresh-rotation" {
				step = string(seg.Lab.Steps[len(seg.Lab.Steps)-1].Text)
			}
		}
	}
	for _, want := range []string{"reuse_detection", "already used", "refresh_rotation", "200"} {
		if !strings.Contains(step, want) {
			t.Errorf("the refresh-rotation lab's last step does not say %q: %s", want, step)
		}
	}
	b := newBrowser(t, env.srv)
	openTwin(t, b, env, "refresh-rotation")
	applySettings(t, b, map[string]bool{"reuse_detection": false})
	click(t, b, `.side-token .login-form button[type="submit"]`)
	waitFor(t, b, "a family", `document.querySelector(".family-tree .family")`)
	click(t, b, `[data-action="token-refresh"]`)
	waitFor(t, b, "a spent refresh token", `document.querySelector(".family-tree .rt-used")`)
	stealRefresh(t, b)
	if got := sendAsMallory(t, b); !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "already used") {
		t.Errorf("replay with rotation on, reuse detection off: %q, want 401 already used", got)
	}
	n := eval[int](t, b, exchanges("token"))
	click(t, b, `[data-action="token-refresh"]`)
	waitFor(t, b, "alice's refresh", exchanges("token")+` > `+strconv.Itoa(n))
	if s := text(t, b, `.trace[data-side="token"] .exchange:not(.attacker) .status`); s != "200" {
		t.Errorf("alice's refresh after an undetected replay: %s, want 200 (nothing was revoked)", s)
	}
	applySettings(t, b, map[string]bool{"refresh_rotation": false})
	click(t, b, `.side-token .login-form button[type="submit"]`)
	waitFor(t, b, "a second family", `document.querySelectorAll(".family-tree .family").length === 2`)
	n = eval[int](t, b, exchanges("token"))
	click(t, b, `[data-action="token-refresh"]`)
	waitFor(t, b, "the refresh", exchanges("token")+` > `+strconv.Itoa(n))
	stealRefresh(t, b)
	if got := sendAsMallory(t, b); !strings.Contains(got, "Mallory got 200") {
		t.Errorf("replay with rotation and reuse detection off: %q, want 200", got)
	}
	b.shot(t, "refresh-no-rotation")
	noConsoleProblems(t, b)
}

// The fixation lab's ±1 buttons are named by what they show, and the
// token-storage results table, which scrolls sideways on a phone, can be
// reached and scrolled with the keyboard.
func TestBrowserLabControlsNamedAndFocusable(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "fixation")
	for _, sel := range []string{`button[data-step="-1"]`, `button[data-step="1"]`} {
		label := eval[string](t, b, `document.querySelector('`+sel+`').getAttribute("aria-label") || ""`)
		shown := text(t, b, sel)
		if label != "" && !strings.HasPrefix(label, strings.TrimSpace(shown)) {
			t.Errorf("%s shows %q but is named %q", sel, shown, label)
		}
	}
	b.run(t, "a phone", chromedp.EmulateViewport(360, 740))
	openPanel(t, b, env, "token-storage")
	if !eval[bool](t, b, `(() => { const s = document.querySelector(".storage-grid").closest(".table-scroll"); return s.scrollWidth > s.clientWidth; })()`) {
		t.Log("the results table fits 360 px; checking it is focusable anyway")
	}
	if got := eval[string](t, b, `(() => { const s = document.querySelector(".storage-grid").closest(".table-scroll"); return s.tabIndex + " " + s.getAttribute("role") + " " + (s.getAttribute("aria-label") ? "named" : "unnamed"); })()`); got != "0 region named" {
		t.Errorf("the results table's scroll area: tabindex, role, name = %s, want 0 region named", got)
	}
	if !eval[bool](t, b, `(() => { const s = document.querySelector(".storage-grid").closest(".table-scroll"); s.focus(); return document.activeElement === s; })()`) {
		t.Error("the results table's scroll area cannot take focus")
	}
	b.shot(t, "storage-table-360px")
	noConsoleProblems(t, b)
}

// TestBrowserLabOneSide: lesson 02 (sessions, six lessons before tokens)
// opens the twin lab with its token side folded away; the learner logs
// in on the session side, then one click shows the token side, takes the
// focus there, and the address forgets the fold so a reload keeps both.
func TestBrowserLabOneSide(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{1280, 360} {
		b.run(t, fmt.Sprintf("open lesson 02's lab at %d px", width),
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(b.base+"/lessons/sessions"),
			chromedp.Click(chromedp.CSS(`.lab-card .lab-open button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if loc := b.location(t); !strings.HasSuffix(loc, "/twin-login?side=session") {
			t.Fatalf("lesson 02's card opened %s", loc)
		}
		if !eval[bool](t, b, `document.querySelector(".side-token").offsetParent === null && document.querySelector(".side-session").offsetParent !== null`) {
			t.Error("the token side shows, or the session side does not")
		}
		if w := eval[float64](t, b, `document.querySelector(".side-session").getBoundingClientRect().width / document.querySelector(".twin").getBoundingClientRect().width`); w < 0.99 {
			t.Errorf("the session side alone takes %.0f %% of the row", w*100)
		}
		if eval[bool](t, b, `document.documentElement.scrollWidth > innerWidth`) {
			t.Error("the page scrolls sideways")
		}
		b.run(t, "log in on the session side", chromedp.Click(chromedp.CSS(`.side-session .login-form button[type="submit"]`)))
		waitFor(t, b, "the session login exchange", `document.querySelectorAll('.trace[data-side="session"] .exchange').length >= 1`)
		b.shot(t, fmt.Sprintf("lab-one-side-%d", width))

		b.run(t, "show the token side", chromedp.Click(chromedp.CSS(`[data-action="show-both"]`)))
		waitFor(t, b, "the token side shown and focused", `document.querySelector(".side-token").offsetParent !== null && document.activeElement === document.querySelector("#token-title")`)
		if eval[bool](t, b, `!!document.querySelector("[data-side-note]")`) {
			t.Error("the note about the folded side stays")
		}
		if loc := b.location(t); strings.Contains(loc, "side=") {
			t.Errorf("after showing both sides the address is %s", loc)
		}
		b.run(t, "log in on the token side", chromedp.Click(chromedp.CSS(`.side-token .login-form button[type="submit"]`)))
		waitFor(t, b, "the decoded token", `!document.querySelector(".jwt-view").hidden`)
		b.run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if !eval[bool](t, b, `document.querySelector(".side-token").offsetParent !== null && !document.querySelector("[data-side-note]")`) {
			t.Error("after a reload the token side is folded again")
		}
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console: %v", p)
	}
}
