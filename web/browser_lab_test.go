package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitFor polls a JavaScript condition until it holds or time runs out.
func waitFor(t *testing.T, b *browser, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](t, b, "!!("+cond+")") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot(t, "timeout")
	t.Fatalf("timed out waiting for %s (%s); page says: %s; console: %v", what, cond,
		eval[string](t, b, `Array.from(document.querySelectorAll(".exchange summary")).map(s => s.textContent).join(" | ")`), b.problems())
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

	// Story 2: log out both ways, replay as Mallory.
	b.run(t, "log out of the session", chromedp.Click(chromedp.CSS(`[data-action="session-logout"]`)))
	waitFor(t, b, "the session logout", `document.querySelectorAll('.trace[data-side="session"] .exchange').length >= 3`)
	if got := attack(t, b, "steal-cookie"); !strings.Contains(got, "401") {
		t.Errorf("replaying the cookie after logout: %q, want 401", got)
	}
	if got := attack(t, b, "steal-token"); !strings.Contains(got, "200") {
		t.Errorf("replaying the token before logout: %q, want 200", got)
	}
	b.run(t, "log out of the token", chromedp.Click(chromedp.CSS(`[data-action="token-logout"]`)))
	time.Sleep(300 * time.Millisecond)
	if got := attack(t, b, "steal-token"); !strings.Contains(got, "200") {
		t.Errorf("replaying the token after logout: %q, want 200 (the server holds no token state)", got)
	}

	// Story 3: the deny-list makes a revoked token fail.
	b.run(t, "turn the deny-list on",
		chromedp.Click(chromedp.CSS(`.settings-form input[name="denylist"]`)),
		chromedp.Click(chromedp.CSS(`.settings-form button[type="submit"]`)))
	waitFor(t, b, "settings applied", `document.querySelector(".settings-note").textContent.includes("Applied")`)
	b.run(t, "log in and out with a token again",
		chromedp.Click(chromedp.CSS(`.side-token .login-form button[type="submit"]`)))
	time.Sleep(300 * time.Millisecond)
	b.run(t, "log out", chromedp.Click(chromedp.CSS(`[data-action="token-logout"]`)))
	time.Sleep(300 * time.Millisecond)
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
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "open the lab", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".course-map")))
	loc := eval[string](t, b, `fetch("/lab", {method: "POST", headers: {Accept: "application/json"}, body: new URLSearchParams({panel: "refresh-rotation"})}).then(r => r.json()).then(j => j.url)`)
	b.run(t, "open the refresh-rotation panel", chromedp.Navigate(b.base+loc), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
	b.run(t, "log in with a token", chromedp.Click(chromedp.CSS(`.side-token .login-form button[type="submit"]`)))
	waitFor(t, b, "the decoded token", `!document.querySelector(".jwt-view").hidden`)
	b.run(t, "fast-forward an hour", chromedp.Click(chromedp.CSS(`[data-advance="1h"]`)))
	time.Sleep(300 * time.Millisecond)
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
	b.run(t, "the guide ticks", chromedp.WaitVisible(chromedp.CSS(`.lab-guide li.done[data-milestone="reuse-detected"]`)))
	b.shot(t, "lab-refresh-reuse")
	if p := b.problems(); len(p) > 0 {
		for _, m := range p {
			if !strings.Contains(m, "401") {
				t.Errorf("console error: %s", m)
			}
		}
	}
}
