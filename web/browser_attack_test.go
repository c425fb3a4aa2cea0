//go:build !nobrowser

package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// openPanel opens a lab panel the way a learner does: from a lesson
// that embeds it.
func openPanel(t *testing.T, b *browser, env *testEnv, panel string) {
	t.Helper()
	lesson := lessonWithLab(t, env, panel)
	b.run(t, "open the "+panel+" lab from its lesson",
		chromedp.Navigate(b.base+"/lessons/"+lesson),
		chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="`+panel+`"]) button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready] .attack-lab")))
}

// lessonWithLab is the slug of the first lesson that embeds panel.
func lessonWithLab(t *testing.T, env *testEnv, panel string) string {
	t.Helper()
	for _, l := range env.catalog.Lessons {
		for _, seg := range l.Body {
			if seg.Lab != nil && seg.Lab.Name == panel {
				return l.Slug
			}
		}
	}
	t.Fatalf("no lesson embeds the %s lab", panel)
	return ""
}

// click clicks the element matching sel.
func click(t *testing.T, b *browser, sel string) {
	t.Helper()
	b.run(t, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// text is the text content of the first element matching sel.
func text(t *testing.T, b *browser, sel string) string {
	t.Helper()
	return eval[string](t, b, `(document.querySelector(`+jsString(sel)+`) || {textContent: ""}).textContent`)
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// setValue sets a form control's value and fires change, as a user would.
func setValue(t *testing.T, b *browser, sel, value string) {
	t.Helper()
	eval[bool](t, b, `(() => { const e = document.querySelector(`+jsString(sel)+`); e.value = `+jsString(value)+`; e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
}

// ticked reports whether a step of the guide is done.
func ticked(t *testing.T, b *browser, milestone string) bool {
	t.Helper()
	return eval[bool](t, b, `!!document.querySelector('.lab-guide li[data-milestone="`+milestone+`"].done')`)
}

// noConsoleProblems fails on script errors and warnings. A refused lab
// request is the lesson, not a fault: Chromium logs every 4xx fetch as
// "Failed to load resource", so those lines (and only those) pass.
func noConsoleProblems(t *testing.T, b *browser) {
	t.Helper()
	var bad []string
	for _, p := range b.problems() {
		if strings.Contains(p, "Failed to load resource: the server responded with a status of 4") {
			continue
		}
		bad = append(bad, p)
	}
	if len(bad) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bad, "\n"))
	}
}

func TestBrowserForgeryLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "jwt-forgery")

	click(t, b, `.forgery-login button[type="submit"]`)
	waitFor(t, b, "a genuine token", `document.querySelector(".genuine-token").value.split(".").length === 3`)
	click(t, b, `input[name="verifier"][value="naive"]`)
	waitFor(t, b, "the naive verifier", `document.querySelector(".forgery-note").textContent.includes("Naive")`)

	// alg none, sub admin.
	click(t, b, `[data-edit="admin"]`)
	setValue(t, b, `.forgery-editor select[name="key"]`, "none")
	click(t, b, `[data-edit="sign"]`)
	waitFor(t, b, "the unsigned token", `document.querySelector(".forgery-editor textarea[name=forged]").value.endsWith(".")`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "Mallory's result", `document.querySelector(".forgery-result").textContent.includes("Mallory got")`)
	if got := text(t, b, ".forgery-result"); !strings.Contains(got, "Mallory got 200") || !strings.Contains(got, "Admin access") {
		t.Errorf("alg none against the naive verifier: %q", got)
	}
	waitFor(t, b, "the alg-none step ticked", `document.querySelector('.lab-guide li[data-milestone="forge-none"].done')`)

	// The goal: the safe verifier refuses that same admin token. Then
	// back to the naive one for the other attacks.
	click(t, b, `input[name="verifier"][value="safe"]`)
	waitFor(t, b, "the safe verifier", `document.querySelector(".forgery-note").textContent.includes("Safe")`)
	eval[bool](t, b, `(document.querySelector(".forgery-result").textContent = "", true)`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "the same token refused", `document.querySelector(".forgery-result").textContent.includes("Mallory got 401")`)
	waitSolved(t, b)
	click(t, b, `input[name="verifier"][value="naive"]`)
	waitFor(t, b, "the naive verifier again", `document.querySelector(".forgery-note").textContent.includes("Naive")`)

	// Algorithm confusion with the fetched public key.
	click(t, b, `[data-edit="public-key"]`)
	waitFor(t, b, "the public key", `document.querySelector(".public-key").textContent.includes("BEGIN PUBLIC KEY")`)
	click(t, b, `[data-edit="sign"]`)
	waitFor(t, b, "an HS256 token", `document.querySelector(".sign-note").textContent.includes("public key")`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "the confusion step ticked", `document.querySelector('.lab-guide li[data-milestone="forge-confusion"].done')`)

	// The weak secret, cracked in this browser with WebCrypto.
	setValue(t, b, `.forgery-settings select[name="signer"]`, "HS256-weak")
	waitFor(t, b, "the weak signer", `document.querySelector(".forgery-note").textContent.includes("dictionary word")`)
	click(t, b, `.forgery-login button[type="submit"]`)
	waitFor(t, b, "an HS256 genuine token", `JSON.parse(atob(document.querySelector(".genuine-token").value.split(".")[0].replace(/-/g,"+").replace(/_/g,"/"))).alg === "HS256"`)
	click(t, b, `[data-action="crack"]`)
	waitFor(t, b, "the cracked secret", `document.querySelector(".crack-result").textContent.includes("Cracked")`)
	click(t, b, `[data-edit="admin"]`)
	click(t, b, `[data-edit="sign"]`)
	waitFor(t, b, "the re-signed token", `document.querySelector(".sign-note").textContent.includes("secret you typed")`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "the weak-secret step ticked", `document.querySelector('.lab-guide li[data-milestone="forge-weak-secret"].done')`)

	// The safe verifier refuses an embedded key and names the defence.
	click(t, b, `input[name="verifier"][value="safe"]`)
	waitFor(t, b, "the safe verifier", `document.querySelector(".forgery-note").textContent.includes("Safe")`)
	setValue(t, b, `.forgery-editor select[name="key"]`, "jwk")
	click(t, b, `[data-edit="sign"]`)
	waitFor(t, b, "the jwk token", `document.querySelector(".sign-note").textContent.includes("embedded")`)
	eval[bool](t, b, `(document.querySelector(".forgery-result").textContent = "", true)`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "Mallory's refusal", `document.querySelector(".forgery-result").textContent.includes("Stopped by")`)
	if got := text(t, b, ".forgery-result"); !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "keyfunc") {
		t.Errorf("jwk against the safe verifier: %q", got)
	}
	b.shot(t, "lab-forgery")
	noConsoleProblems(t, b)
}

func TestBrowserFixationLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "fixation")
	waitFor(t, b, "the settings", `document.querySelector(".fixation-note").textContent !== ""`)

	click(t, b, `.fixation-settings input[name="rotate_on_login"]`)
	waitFor(t, b, "rotation off", `document.querySelector(".fixation-note").textContent.includes("keeps the session ID")`)
	click(t, b, `[data-action="visit"]`)
	waitFor(t, b, "Mallory's ID", `document.querySelector(".mallory-sid").textContent.length > 8`)
	click(t, b, `[data-action="plant"]`)
	waitFor(t, b, "the planted ID", `document.querySelector(".plant-result").textContent.includes("Planted")`)
	click(t, b, `.fixation-login button[type="submit"]`)
	waitFor(t, b, "the login", `document.querySelector(".login-result").textContent.includes("Logged in")`)
	click(t, b, `.fixation-attack button[type="submit"]`)
	waitFor(t, b, "Mallory's result", `document.querySelector(".fixation-result").textContent.includes("Mallory got")`)
	if got := text(t, b, ".fixation-result strong"); got != "Mallory got 200" {
		t.Errorf("a planted ID with rotation off: %q", got)
	}
	waitFor(t, b, "the fixation step ticked", `document.querySelector('.lab-guide li[data-milestone="fix-works"].done')`)
	if c := eval[string](t, b, "document.cookie"); strings.Contains(c, "lab_sid") {
		t.Errorf("the HttpOnly lab cookie is visible to JavaScript: %q", c)
	}

	// Rotation on: the same trap fails.
	click(t, b, `.fixation-settings input[name="rotate_on_login"]`)
	waitFor(t, b, "rotation on", `document.querySelector(".fixation-note").textContent.includes("issues a new session ID")`)
	eval[bool](t, b, `(document.querySelector(".mallory-sid").textContent = "", document.querySelector(".plant-result").textContent = "", true)`)
	click(t, b, `[data-action="visit"]`)
	waitFor(t, b, "Mallory's new ID", `document.querySelector(".mallory-sid").textContent.length > 8`)
	click(t, b, `[data-action="plant"]`)
	waitFor(t, b, "the planted ID", `document.querySelector(".plant-result").textContent.includes("Planted")`)
	eval[bool](t, b, `(document.querySelector(".login-result").textContent = "", true)`)
	click(t, b, `.fixation-login button[type="submit"]`)
	waitFor(t, b, "the login", `document.querySelector(".login-result").textContent.includes("new session ID")`)
	eval[bool](t, b, `(document.querySelector(".fixation-result").textContent = "", true)`)
	click(t, b, `.fixation-attack button[type="submit"]`)
	waitFor(t, b, "Mallory's result", `document.querySelector(".fixation-result").textContent.includes("Mallory got")`)
	if got := text(t, b, ".fixation-result strong"); got != "Mallory got 401" {
		t.Errorf("a planted ID with rotation on: %q", got)
	}
	waitSolved(t, b)
	b.shot(t, "lab-fixation")
	noConsoleProblems(t, b)
}

func TestBrowserKeyRotationLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "key-rotation")
	waitFor(t, b, "the keys", `document.querySelectorAll(".key-table tbody tr").length >= 2`)
	setValue(t, b, ".rotation-alg", "EdDSA")
	waitFor(t, b, "EdDSA signing", `document.querySelector(".alg-note").textContent.includes("ed-")`)
	click(t, b, `[data-login="alice"]`)
	waitFor(t, b, "alice's token", `document.querySelectorAll(".token-table button[data-me]").length === 1`)
	click(t, b, `[data-action="jwks"]`)
	waitFor(t, b, "the JWKS", `document.querySelector(".keys-result").textContent.includes("is in the set")`)
	click(t, b, `[data-action="rotate"]`)
	waitFor(t, b, "a previous key", `document.querySelector(".key-table button[data-retire]")`)
	click(t, b, `[data-login="bob"]`)
	waitFor(t, b, "bob's token", `document.querySelectorAll(".token-table button[data-me]").length === 2`)
	if a, bo := text(t, b, ".token-table tbody tr:nth-child(1) td:nth-child(2)"), text(t, b, ".token-table tbody tr:nth-child(2) td:nth-child(2)"); a == bo {
		t.Errorf("alice and bob have the same kid %q after a rotation", a)
	}
	click(t, b, `.token-table button[data-me="0"]`)
	waitFor(t, b, "alice's call", `document.querySelector(".token-table tbody tr:nth-child(1) td:nth-child(3)").textContent.startsWith("200")`)
	old := eval[string](t, b, `document.querySelector(".key-table button[data-retire]").dataset.retire`)
	click(t, b, `.key-table button[data-compromised="`+old+`"]`)
	waitFor(t, b, "the key dropped", `document.querySelector(".keys-result").textContent.includes("compromised")`)
	click(t, b, `.token-table button[data-me="0"]`)
	waitFor(t, b, "alice refused", `document.querySelector(".token-table tbody tr:nth-child(1) td:nth-child(3)").textContent.startsWith("401")`)
	click(t, b, `.token-table button[data-me="1"]`)
	waitFor(t, b, "bob still in", `document.querySelector(".token-table tbody tr:nth-child(2) td:nth-child(3)").textContent.startsWith("200")`)
	for _, m := range []string{"rot-jwks", "rot-rotate", "rot-old-verifies", "rot-retired"} {
		waitFor(t, b, "step "+m, `document.querySelector('.lab-guide li[data-milestone="`+m+`"].done')`)
	}
	waitSolved(t, b)
	b.shot(t, "lab-key-rotation")
	noConsoleProblems(t, b)
}

func TestBrowserOpaqueLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "opaque-vs-jwt")
	click(t, b, `.opaque-login button[type="submit"]`)
	waitFor(t, b, "three tokens", `document.querySelector('.token-card[data-kind="paseto"] [data-token]').textContent.startsWith("v4.public.")`)
	for _, kind := range []string{"opaque", "jwt", "paseto"} {
		card := `.token-card[data-kind="` + kind + `"] `
		click(t, b, card+`[data-decode]`)
		click(t, b, card+`[data-me]`)
		waitFor(t, b, kind+" verdict", `document.querySelector('`+card+`[data-verdict]').textContent.includes("The server:") && document.querySelector('`+card+`[data-result]').textContent !== ""`)
		if got := text(t, b, card+"[data-result]"); !strings.HasPrefix(got, "200") {
			t.Errorf("%s: %q", kind, got)
		}
	}
	if got := text(t, b, `.token-card[data-kind="opaque"] [data-decoded]`); !strings.Contains(got, "32 random bytes") {
		t.Errorf("decoding the opaque token: %q", got)
	}
	click(t, b, `.token-card[data-kind="opaque"] [data-revoke]`)
	waitFor(t, b, "revoked", `document.querySelector('.token-card[data-kind="opaque"] [data-result]').textContent.includes("Revoked")`)
	click(t, b, `.token-card[data-kind="opaque"] [data-me]`)
	waitFor(t, b, "the opaque refusal", `document.querySelector('.token-card[data-kind="opaque"] [data-result]').textContent.startsWith("401")`)
	click(t, b, `.token-card[data-kind="jwt"] [data-me]`)
	for _, m := range []string{"opq-login", "opq-introspect", "opq-jwt", "opq-revoked", "opq-jwt-lives", "opq-paseto"} {
		waitFor(t, b, "step "+m, `document.querySelector('.lab-guide li[data-milestone="`+m+`"].done')`)
	}
	waitSolved(t, b)
	b.shot(t, "lab-opaque")
	noConsoleProblems(t, b)
}

func TestBrowserCostLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "cost")
	click(t, b, `[data-action="login"]`)
	waitFor(t, b, "the logins", `document.querySelector(".cost-status").textContent.includes("Logged in")`)
	// A double click measures once: a second run would share the CPU
	// with the first (the server refuses it: "a measurement is running").
	eval[bool](t, b, `(b => (b.click(), b.click(), true))(document.querySelector('[data-action="run"]'))`)
	waitFor(t, b, "the figures", `document.querySelectorAll(".cost-chart rect").length >= 6 && document.querySelector(".cost-status").textContent.startsWith("Done")`)
	if n := eval[int](t, b, `[...document.querySelectorAll(".panel-trace .exchange summary")].filter(s => s.textContent.includes("/cost/run")).length`); n != 1 {
		t.Errorf("a double click on Run sent %d measurements, want 1", n)
	}
	if th := text(t, b, ".cost-table thead"); !strings.Contains(th, "Time per check") {
		t.Errorf("the table's heads %q do not match the chart's heading, Time per check", th)
	}
	rows := text(t, b, ".cost-table tbody")
	for _, want := range []string{"JWT verify RS256", "JWT verify ES256", "Session lookup, SQLite", "deny-list"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the cost table lacks %q: %s", want, rows)
		}
	}
	if got := text(t, b, ".bytes-table tbody"); !strings.Contains(got, "your access token") || !strings.Contains(got, "your lab cookie") {
		t.Errorf("bytes: %s", got)
	}
	click(t, b, ".cost-denylist")
	waitFor(t, b, "the deny-list", `document.querySelector(".cost-status").textContent.includes("Deny-list on")`)
	click(t, b, `[data-action="run"]`)
	waitFor(t, b, "the deny-list step", `document.querySelector('.lab-guide li[data-milestone="cost-denylist"].done')`)
	waitSolved(t, b)
	b.shot(t, "lab-cost")
	noConsoleProblems(t, b)
}

// The token-storage lab in real Chromium: web storage is read by any
// script, memory only by one that waits, an HttpOnly cookie by none —
// and the cookie still rides along with the script's own requests.
func TestBrowserTokenStorageLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "token-storage")
	gridCell := func(row string, col int) string {
		return text(t, b, `.storage-grid tr[data-row="`+row+`"] td:nth-of-type(`+string(rune('0'+col))+`)`)
	}
	run := func(mode string) {
		t.Helper()
		click(t, b, `.storage-form input[name="mode"][value="`+mode+`"]`)
		eval[bool](t, b, `(document.querySelector(".storage-status").textContent = "", document.querySelector(".xss-status").textContent = "", true)`)
		click(t, b, `[data-action="login"]`)
		waitFor(t, b, mode+" login", `document.querySelector(".storage-status").textContent.includes("Logged in")`)
		click(t, b, `[data-action="xss"]`)
		waitFor(t, b, mode+" payload", `document.querySelector(".xss-status").textContent.includes("Payload run")`)
	}

	for i, mode := range []string{"localStorage", "sessionStorage"} {
		run(mode)
		waitFor(t, b, mode+" replay", `document.querySelector('.storage-grid tr[data-row="replay"] td:nth-of-type(`+string(rune('1'+i))+`)').textContent !== ""`)
		if got := gridCell("read", i+1); !strings.HasPrefix(got, "yes") {
			t.Errorf("%s read: %q", mode, got)
		}
		if got := gridCell("replay", i+1); !strings.Contains(got, "200") {
			t.Errorf("%s replay: %q", mode, got)
		}
	}

	run("memory")
	if got := gridCell("read", 3); !strings.Contains(got, "hook") {
		t.Errorf("memory read: %q", got)
	}
	click(t, b, `[data-action="call"]`)
	waitFor(t, b, "the hook's catch", `document.querySelector('.storage-grid tr[data-row="replay"] td:nth-of-type(3)').textContent.includes("200")`)

	run("cookie")
	waitFor(t, b, "the ride", `document.querySelector('.storage-grid tr[data-row="ride"] td:nth-of-type(4)').textContent !== ""`)
	if got := gridCell("read", 4); !strings.HasPrefix(got, "no") {
		t.Errorf("HttpOnly cookie read: %q", got)
	}

	// Another place without logging in again: the payload must not find
	// the last login's token (web storage, the cookie) and credit the
	// new column with it. The lab says to log in again.
	click(t, b, `.storage-form input[name="mode"][value="localStorage"]`)
	click(t, b, `[data-action="login"]`)
	waitFor(t, b, "a localStorage login", `document.querySelector(".storage-status").textContent.includes("Logged in: the token is in localStorage")`)
	click(t, b, `.storage-form input[name="mode"][value="sessionStorage"]`)
	waitFor(t, b, "the lab asking to log in again", `document.querySelector(".storage-status").textContent.includes("log in again")`)
	eval[bool](t, b, `(document.querySelector(".xss-status").textContent = "", true)`)
	click(t, b, `[data-action="xss"]`)
	waitFor(t, b, "the payload without a login", `document.querySelector(".xss-status").textContent.includes("Payload run")`)
	if got := gridCell("read", 2); !strings.HasPrefix(got, "no") {
		t.Errorf("sessionStorage, chosen after a localStorage login: the payload read %q", got)
	}
	if got := gridCell("ride", 2); strings.HasPrefix(got, "yes") {
		t.Errorf("sessionStorage, chosen after a localStorage login: the ride %q", got)
	}
	if got := gridCell("ride", 4); !strings.HasPrefix(got, "yes") {
		t.Errorf("HttpOnly cookie ride: %q", got)
	}
	if c := eval[string](t, b, "document.cookie"); strings.Contains(c, "lab_at") {
		t.Errorf("the HttpOnly token cookie is visible to JavaScript: %q", c)
	}
	for _, m := range []string{"xss-storage", "xss-replay", "xss-hook", "xss-httponly", "xss-ride"} {
		waitFor(t, b, "step "+m, `document.querySelector('.lab-guide li[data-milestone="`+m+`"].done')`)
	}
	waitSolved(t, b)
	b.shot(t, "lab-token-storage")
	noConsoleProblems(t, b)
}

// The CSRF lab in real Chromium: the learner uses the bank as
// localhost; the evil page is the same server reached as 127.0.0.1,
// another site. What the browser attaches is the browser's decision,
// and this test watches it make each one.
func TestBrowserCSRFLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.base = strings.Replace(b.base, "127.0.0.1", "localhost", 1)
	openPanel(t, b, env, "csrf")
	labURL := b.location(t)
	if !strings.HasPrefix(labURL, "http://localhost:") {
		t.Fatalf("the lab is not on localhost: %s", labURL)
	}
	waitFor(t, b, "the evil link", `document.querySelector(".evil-link").href.includes("127.0.0.1")`)
	evilURL := eval[string](t, b, `document.querySelector(".evil-link").href`)

	set := func(sel, note string) {
		t.Helper()
		click(t, b, sel)
		waitFor(t, b, "the setting "+sel, `document.querySelector(".csrf-note").textContent.includes(`+jsString(note)+`)`)
	}
	login := func() {
		t.Helper()
		eval[bool](t, b, `(document.querySelector(".bank-status").textContent = "", true)`)
		click(t, b, `.bank-login button[type="submit"]`)
		waitFor(t, b, "the bank login", `document.querySelector(".bank-status").textContent.includes("Logged in")`)
	}
	// attack lets the evil page auto-submit and returns the bank's answer.
	evilShot := false
	attack := func(evil string) string {
		t.Helper()
		b.run(t, "open the evil page", chromedp.Navigate(evil))
		// Another site's page carries nothing of authlab's frame. (Its
		// countdown is 3 s: the form has not left yet.)
		if eval[bool](t, b, `!!document.querySelector(".site-header, .site-footer")`) {
			t.Error("the evil page shows authlab's header or footer")
		}
		if !evilShot {
			b.shot(t, "lab-csrf-evil")
			evilShot = true
		}
		// The evil page sends its form by itself: the bank's page replaces it.
		if ok, err := b.until(`document.querySelector("h1").textContent.startsWith("Lab bank")`, 10*time.Second); err != nil {
			t.Fatalf("waiting for the evil page to land on the bank: %v", err)
		} else if !ok {
			b.shot(t, "csrf-timeout")
			t.Fatalf("the evil page did not land on the bank: %s", text(t, b, "body"))
		}
		got := text(t, b, "body")
		b.run(t, "back to the lab", chromedp.Navigate(labURL), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready] .attack-lab")))
		waitFor(t, b, "the settings", `document.querySelector(".csrf-note").textContent !== ""`)
		return got
	}

	// 1. SameSite=None, no defence: the transfer goes through.
	set(`input[name="samesite"][value="None"]`, "SameSite=None")
	login()
	waitFor(t, b, "the balance", `document.querySelector(".bank-balance").textContent === "1000"`)
	if got := attack(evilURL); !strings.Contains(got, "Lab bank: OK") || !strings.Contains(got, "CSRF") {
		t.Errorf("SameSite=None: %s", got)
	}
	waitFor(t, b, "the stolen money", `document.querySelector(".bank-balance").textContent === "900"`)

	// 2. SameSite=Lax: the cookie stays home.
	set(`input[name="samesite"][value="Lax"]`, "SameSite=Lax")
	login()
	if got := attack(evilURL); !strings.Contains(got, "Unauthorized") || !strings.Contains(got, "SameSite=Lax") {
		t.Errorf("SameSite=Lax: %s", got)
	}

	// 3. SameSite=None with the CSRF token.
	set(`input[name="samesite"][value="None"]`, "SameSite=None")
	set(`input[name="csrf_token"]`, "CSRF token:")
	login()
	if got := attack(evilURL); !strings.Contains(got, "Forbidden") || !strings.Contains(got, "CSRF token") {
		t.Errorf("CSRF token: %s", got)
	}
	// …while the bank's own form still works.
	click(t, b, `.bank-transfer button[type="submit"]`)
	waitFor(t, b, "the bank's own transfer", `document.querySelector(".bank-status").textContent.includes("Transferred")`)

	// 4. Token off, Origin / Sec-Fetch-Site check on.
	set(`input[name="csrf_token"]`, "SameSite=None")
	set(`input[name="origin_check"]`, "Origin check:")
	if got := attack(evilURL); !strings.Contains(got, "Forbidden") || !strings.Contains(got, "cross-site") {
		t.Errorf("origin check: %s", got)
	}

	// 5. Bearer mode: no header, no transfer — whatever the cookies.
	set(`input[name="origin_check"]`, "SameSite=None")
	set(`input[name="mode"][value="bearer"]`, "Bearer mode")
	login()
	if got := attack(evilURL); !strings.Contains(got, "Unauthorized") || !strings.Contains(got, "Authorization") {
		t.Errorf("bearer mode: %s", got)
	}
	for _, m := range []string{"csrf-works", "csrf-samesite", "csrf-token", "csrf-origin", "csrf-bearer"} {
		waitFor(t, b, "step "+m, `document.querySelector('.lab-guide li[data-milestone="`+m+`"].done')`)
	}
	waitSolved(t, b)
	b.shot(t, "lab-csrf")

	// 6. Same site, other port: even a Strict cookie goes along.
	set(`input[name="mode"][value="cookie"]`, "SameSite=None")
	set(`input[name="samesite"][value="Strict"]`, "SameSite=Strict")
	login()
	other := httptest.NewServer(env.srv)
	defer other.Close()
	bank := strings.TrimSuffix(strings.SplitN(labURL, "/lab/", 2)[0], "/")
	otherPort := other.URL[strings.LastIndexByte(other.URL, ':'):]
	evilSameSite := "http://localhost" + otherPort + "/lab/" + strings.Split(strings.SplitN(labURL, "/lab/", 2)[1], "/")[0] + "/evil?bank=" + url.QueryEscape(bank)
	if got := attack(evilSameSite); !strings.Contains(got, "Lab bank: OK") || !strings.Contains(got, "same-site") {
		t.Errorf("same site, other port, Strict cookie: %s", got)
	}
	noConsoleProblems(t, b)
}

func TestBrowserClusterLab(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openPanel(t, b, env, "cluster")
	waitFor(t, b, "the nodes", `document.querySelectorAll(".node-card").length === 3`)
	ten := func() string {
		t.Helper()
		eval[bool](t, b, `(document.querySelector(".ten-summary").textContent = "", true)`)
		click(t, b, `[data-action="ten"]`)
		waitFor(t, b, "ten requests", `document.querySelector(".ten-summary").textContent.includes("of 10")`)
		return text(t, b, ".ten-summary")
	}
	login := func(mode string) {
		t.Helper()
		eval[bool](t, b, `(document.querySelector(".cluster-status").textContent = "", true)`)
		click(t, b, `[data-login="`+mode+`"]`)
		waitFor(t, b, "the login", `document.querySelector(".cluster-status").textContent.includes("Logged in")`)
	}
	login("session")
	// One login, one session, in words that agree with the number.
	waitFor(t, b, "the session on its node", `document.querySelector(".node-grid").textContent.includes("· 1 session in memory")`)
	// Each node's buttons name their node: three cards, three "Kill"s.
	if got := eval[string](t, b, `document.querySelector('.node-card button[data-do="kill"][data-node="2"]').getAttribute("aria-label")`); got != "Kill: node-2" {
		t.Errorf("node-2's Kill button is named %q", got)
	}
	if got := ten(); strings.HasPrefix(got, "10 of 10") || strings.HasPrefix(got, "0 of 10") {
		t.Errorf("round robin over per-node memory: %q", got)
	}
	click(t, b, `input[name="balance"][value="sticky"]`)
	waitFor(t, b, "sticky", `document.querySelector(".cluster-note").textContent.includes("Sticky")`)
	login("session")
	if got := ten(); !strings.HasPrefix(got, "10 of 10") {
		t.Errorf("sticky: %q", got)
	}
	node := eval[string](t, b, `document.querySelector(".ten-results li").textContent.split(" ")[1]`)
	click(t, b, `.node-card button[data-do="restart"][data-node="`+strings.TrimPrefix(node, "node-")+`"]`)
	if got := ten(); !strings.HasPrefix(got, "0 of 10") {
		t.Errorf("after a deploy of %s: %q", node, got)
	}
	click(t, b, `input[name="store"][value="shared"]`)
	waitFor(t, b, "shared", `document.querySelector(".cluster-note").textContent.includes("Shared store")`)
	click(t, b, `input[name="balance"][value="round-robin"]`)
	login("session")
	if got := ten(); !strings.HasPrefix(got, "10 of 10") {
		t.Errorf("shared store: %q", got)
	}
	// A deploy of node 1 after the login: the shared store keeps alice
	// logged in on it, which meets the goal.
	click(t, b, `.node-card button[data-do="restart"][data-node="1"]`)
	waitFor(t, b, "node-1 restarted again", `document.querySelectorAll(".node-card")[0].textContent.includes(`+strconv.Quote(node)+` === "node-1" ? "2 restarts" : "1 restart")`)
	if got := text(t, b, ".node-grid"); strings.Contains(got, "(s)") {
		t.Errorf("the node cards count in (s): %q", got)
	}
	if got := ten(); !strings.HasPrefix(got, "10 of 10") {
		t.Errorf("shared store after a deploy: %q", got)
	}
	waitSolved(t, b)
	login("token")
	if got := ten(); !strings.HasPrefix(got, "10 of 10") {
		t.Errorf("token: %q", got)
	}
	click(t, b, `.node-card button[data-do="rotate"][data-node="2"]`)
	waitFor(t, b, "the rotated key", `document.querySelectorAll(".node-card")[1].textContent.includes("node-2-k1")`)
	if got := ten(); strings.HasPrefix(got, "10 of 10") {
		t.Errorf("after rotating one node's key: %q", got)
	}
	for _, m := range []string{"cluster-rr-fails", "cluster-sticky", "cluster-deploy", "cluster-shared", "cluster-token", "cluster-key-skew"} {
		waitFor(t, b, "step "+m, `document.querySelector('.lab-guide li[data-milestone="`+m+`"].done')`)
	}
	b.shot(t, "lab-cluster")
	noConsoleProblems(t, b)
}

// Every attack and scale panel renders as itself, for its owner only.
func TestAttackPanelsRender(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	alice, bob := newClient(t, ts), newClient(t, ts)
	newLab(t, bob, "")
	for panel, class := range map[string]string{"jwt-forgery": "forgery-lab", "fixation": "fixation-lab", "key-rotation": "rotation-lab", "opaque-vs-jwt": "opaque-lab",
		"cost": "cost-lab", "token-storage": "storage-lab", "csrf": "csrf-lab", "cluster": "cluster-lab"} {
		_, page := newLab(t, alice, panel)
		r := alice.do("GET", page, nil)
		if r.status != 200 || !strings.Contains(r.body, "attack-lab "+class) || strings.Contains(r.body, "not built yet") || !strings.Contains(r.body, `data-milestone=`) {
			t.Errorf("%s page: %d, panel markup missing", panel, r.status)
		}
		if r := bob.do("GET", page, nil); r.status != http.StatusNotFound {
			t.Errorf("%s page for another learner: %d", panel, r.status)
		}
	}
}

// Nothing a lab issues — a forged admin token, a planted session ID, a
// token cookie — works on the site, and a forgery of one lab fails in
// another lab that did not opt in to a naive verifier.
func TestAttackLabsStayInTheirPlane(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	alice, bob, stranger := newClient(t, ts), newClient(t, ts), newClient(t, ts)
	id, _ := newLab(t, alice, "jwt-forgery")
	lab := "/lab/" + id + "/"
	jsonDo := func(cl *client, method, path, body string) reply {
		t.Helper()
		req, _ := http.NewRequest(method, cl.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := cl.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return reply{resp.StatusCode, resp.Header, b.String()}
	}
	if r := jsonDo(alice, "PUT", lab+"forgery/settings", `{"verifier":"naive","signer":"RS256"}`); r.status != 200 {
		t.Fatalf("naive verifier: %d %s", r.status, r.body)
	}
	r := jsonDo(alice, "POST", lab+"forgery/sign", `{"header":{"alg":"HS256"},"payload":{"sub":"admin","role":"admin"},"key":"public-key"}`)
	var signed struct{ Token string }
	if err := json.Unmarshal([]byte(r.body), &signed); err != nil || signed.Token == "" {
		t.Fatalf("sign: %d %s", r.status, r.body)
	}
	if r := alice.do("GET", lab+"forgery/me", nil, "Authorization", "Bearer "+signed.Token); r.status != 200 || !strings.Contains(r.body, `"admin":true`) {
		t.Fatalf("the forgery in its own naive lab: %d %s", r.status, r.body)
	}
	if r := stranger.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+signed.Token); r.status != http.StatusUnauthorized {
		t.Errorf("the site API accepted a lab forgery: %d", r.status)
	}
	if export := alice.do("GET", "/account/export", nil).body; !strings.Contains(export, `"name": "forge-confusion"`) || !strings.Contains(export, `"lab": "jwt-forgery"`) {
		t.Error("the forgery milestone is not kept for the learner under its panel")
	}
	bobLab, _ := newLab(t, bob, "jwt-forgery")
	if r := bob.do("GET", "/lab/"+bobLab+"/forgery/me", nil, "Authorization", "Bearer "+signed.Token); r.status != http.StatusUnauthorized {
		t.Errorf("another learner's lab accepted the forgery: %d", r.status)
	}

	// The token cookie and a planted session ID are lab credentials only.
	r = jsonDo(alice, "POST", lab+"storage/login", `{"samesite":"Lax"}`)
	tokCookie, _, _ := strings.Cut(r.header.Get("Set-Cookie"), ";")
	if !strings.HasPrefix(tokCookie, "lab_at=") || !strings.Contains(r.header.Get("Set-Cookie"), "Path="+lab) {
		t.Fatalf("token cookie %q", r.header.Get("Set-Cookie"))
	}
	if r := stranger.do("GET", "/account/sessions", nil, "Cookie", tokCookie); r.status != http.StatusSeeOther {
		t.Errorf("the site accepted the lab token cookie: %d", r.status)
	}
	if r := stranger.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+strings.TrimPrefix(tokCookie, "lab_at=")); r.status != http.StatusUnauthorized {
		t.Errorf("the site API accepted a lab token: %d", r.status)
	}
	jsonDo(alice, "PUT", lab+"fixation/settings", `{"rotate_on_login":false}`)
	jsonDo(alice, "POST", lab+"fixation/plant", `{"sid":"planted-by-mallory"}`)
	alice.do("POST", lab+"session/login", url.Values{"username": {"alice"}, "password": {"wonderland"}}, "Cookie", "lab_sid=planted-by-mallory")
	if r := stranger.do("GET", lab+"api/me", nil, "Cookie", "lab_sid=planted-by-mallory"); r.status != 200 {
		t.Errorf("the fixation in its own lab: %d", r.status)
	}
	if r := stranger.do("GET", "/lab/"+bobLab+"/api/me", nil, "Cookie", "lab_sid=planted-by-mallory"); r.status != http.StatusUnauthorized {
		t.Errorf("a planted ID worked in another lab: %d", r.status)
	}
	if r := stranger.do("GET", "/account/sessions", nil, "Cookie", siteCookie+"=planted-by-mallory; lab_sid=planted-by-mallory"); r.status != http.StatusSeeOther {
		t.Errorf("the site accepted a planted lab ID: %d", r.status)
	}
}

// The evil page is served to anyone, posts only to a loopback lab bank,
// and its policy allows exactly that one form target.
func TestEvilPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	stranger := newClient(t, ts)
	id := strings.Repeat("ab", 16)
	port := ts.URL[strings.LastIndexByte(ts.URL, ':'):]
	r := stranger.do("GET", "/lab/"+id+"/evil", nil)
	action := "http://localhost" + port + "/lab/" + id + "/bank/transfer"
	if r.status != 200 || !strings.Contains(r.body, `action="`+action+`"`) || !strings.Contains(r.header.Get("Content-Security-Policy"), "form-action http://localhost"+port) {
		t.Errorf("evil page: %d csp %q", r.status, r.header.Get("Content-Security-Policy"))
	}
	if r := stranger.do("GET", "/lab/"+id+"/evil?bank="+url.QueryEscape("http://127.0.0.1:9999"), nil); !strings.Contains(r.body, `action="http://127.0.0.1:9999/lab/`+id+`/bank/transfer"`) {
		t.Errorf("evil page with a loopback bank: %s", r.body)
	}
	for _, bank := range []string{"https://bank.example", "http://localhost:1/x", "javascript:alert(1)", "http://user@localhost:1"} {
		r := stranger.do("GET", "/lab/"+id+"/evil?bank="+url.QueryEscape(bank), nil)
		if strings.Contains(r.body, "<form") || strings.Contains(r.header.Get("Content-Security-Policy"), "form-action http") {
			t.Errorf("evil page targeted %q", bank)
		}
	}
	if r := stranger.do("GET", "/lab/nope/evil", nil); r.status != http.StatusNotFound {
		t.Errorf("evil page for a bad lab ID: %d", r.status)
	}
}

// BenchmarkCostLabStore is the cost lab's "Session lookup, SQLite" as a
// benchmark: one lab snapshot read from the site's SQLite store, the
// call the lab times (docs/benchmarks.md, "Attack labs").
func BenchmarkCostLabStore(b *testing.B) {
	env := newTestEnv(b)
	lab, err := env.srv.labs.Create(b.Context(), "bench-learner")
	if err != nil {
		b.Fatal(err)
	}
	labs := env.store.Labs()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := labs.LoadLab(b.Context(), lab.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// Every attack panel fits a 360 px screen, in the dark theme too.
func TestBrowserAttackPanelsNarrow(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "narrow screen", chromedp.EmulateViewport(360, 740))
	for _, panel := range []string{"jwt-forgery", "fixation", "key-rotation", "opaque-vs-jwt", "cost", "token-storage", "csrf", "cluster"} {
		openPanel(t, b, env, panel)
		waitFor(t, b, panel+" trace", `document.querySelector(".panel-trace")`)
		eval[bool](t, b, `(document.documentElement.dataset.theme = "dark", true)`)
		if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			wide := eval[string](t, b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ")`)
			t.Errorf("%s scrolls sideways at 360 px: %s", panel, wide)
		}
		if panel == "jwt-forgery" || panel == "cluster" {
			b.shot(t, "lab-"+panel+"-360px-dark")
		}
	}
	noConsoleProblems(t, b)
}
