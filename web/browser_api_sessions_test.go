//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSessionsPageListsAPISignIns: with an API sign-in present,
// /account/sessions shows it in its own table at 1280 and 360 px (the
// page never scrolls sideways), and its Revoke button ends it: the
// access token it holds gets 401 at once.
func TestBrowserSessionsPageListsAPISignIns(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "sign up",
		chromedp.Navigate(b.base+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "quinn_api"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a password for quinn"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	access, _ := apiSignIn(t, b.base, "quinn_api", "a password for quinn", "authlab-cli/1.4 (linux; go1.27)")
	apiSignIn(t, b.base, "quinn_api", "a password for quinn", "python-requests/2.32.3")

	b.run(t, "open your sessions", chromedp.Navigate(b.base+"/account/sessions"), chromedp.WaitVisible(chromedp.CSS(".api-sessions-table")))
	if n := eval[int](t, b, `document.querySelectorAll(".api-sessions-table tbody tr").length`); n != 2 {
		t.Fatalf("%d API sign-ins listed, want 2", n)
	}
	text := eval[string](t, b, `document.querySelector(".api-sessions-table").innerText`)
	for _, want := range []string{"authlab-cli", "python-requests", "127.0.0.1", "just now"} {
		if !strings.Contains(text, want) {
			t.Errorf("the API sign-ins table lacks %q:\n%s", want, text)
		}
	}
	b.shot(t, "sessions-api-1280px")
	b.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740), chromedp.Navigate(b.base+"/account/sessions"),
		chromedp.WaitVisible(chromedp.CSS(".api-sessions-table")))
	if wide := eval[string](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1 ? Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ") : ""`); wide != "" {
		t.Errorf("/account/sessions scrolls sideways at 360 px; too wide: %s", wide)
	}
	b.shot(t, "sessions-api-360px")

	if !eval[bool](t, b, `(() => { const r = [...document.querySelectorAll(".api-sessions-table tbody tr")].find(r => r.innerText.includes("authlab-cli")); if (!r) return false; r.querySelector("button").id = "revoke-cli"; return true })()`) {
		t.Fatal("no row for the authlab-cli sign-in")
	}
	b.run(t, "revoke the CLI sign-in", chromedp.Click(chromedp.CSS(`#revoke-cli`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if flash := eval[string](t, b, `document.querySelector(".flash").innerText`); !strings.Contains(flash, "authlab-cli") {
		t.Errorf("flash after revoking: %q", flash)
	}
	if n := eval[int](t, b, `document.querySelectorAll(".api-sessions-table tbody tr").length`); n != 1 {
		t.Errorf("%d API sign-ins after revoking one, want 1", n)
	}
	if code, _ := apiAt(t, b.base, "GET", "/api/v1/me", access, "", nil); code != 401 {
		t.Errorf("the revoked sign-in's access token: %d, want 401", code)
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
