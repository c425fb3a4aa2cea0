//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDeleteAccountAsksPassword: the delete form on the sessions
// page takes the current password, at desktop and phone widths; a wrong
// one deletes nothing, the right one deletes the account.
func TestBrowserDeleteAccountAsksPassword(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "sign up",
		chromedp.Navigate(b.base+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "Leaving_Lou"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a password for lou"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.run(t, "the sessions page", chromedp.Navigate(b.base+"/account/sessions"), chromedp.WaitVisible(chromedp.CSS("#delete-password")))
	b.shot(t, "account-delete-1280")
	b.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740))
	if r := eval[float64](t, b, `document.querySelector(".danger-zone").getBoundingClientRect().right`); r > 360 {
		t.Errorf("the delete form reaches %v px at 360", r)
	}
	b.shot(t, "account-delete-360")
	b.run(t, "a wrong password",
		chromedp.SendKeys(chromedp.CSS("#delete-password"), "not my password"),
		chromedp.Click(chromedp.CSS(`.danger-zone input[name="confirm"]`)))
	markPage(t, b)
	b.run(t, "submit", chromedp.Click(chromedp.CSS(`.danger-zone button[type="submit"]`)), waitNewPage())
	// Refused at the form, on the same page, the field marked and focused.
	if msg := eval[string](t, b, `document.querySelector("#delete-error")?.innerText ?? ""`); !strings.Contains(msg, "not your current password") || !strings.Contains(msg, "Nothing was deleted") {
		t.Errorf("a wrong password, at the form: %q", msg)
	}
	if !eval[bool](t, b, `document.activeElement.id === "delete-password" && document.activeElement.getAttribute("aria-invalid") === "true" && !!document.querySelector(".sessions-table")`) {
		t.Error("after a wrong password the sessions page is not shown again with the password field marked and focused")
	}
	b.shot(t, "account-delete-wrong-360")
	b.run(t, "the right password",
		chromedp.Navigate(b.base+"/account/sessions"),
		chromedp.WaitVisible(chromedp.CSS("#delete-password")),
		chromedp.SendKeys(chromedp.CSS("#delete-password"), "a password for lou"),
		chromedp.Click(chromedp.CSS(`.danger-zone input[name="confirm"]`)))
	markPage(t, b)
	b.run(t, "submit", chromedp.Click(chromedp.CSS(`.danger-zone button[type="submit"]`)), waitNewPage())
	if got := eval[string](t, b, `location.pathname + " | " + (document.querySelector(".flash") || {innerText: ""}).innerText`); got != "/ | "+deletedNote {
		t.Errorf("after the right password: %q, want the home page saying the account is deleted", got)
	}
	for _, p := range b.problems() {
		if !strings.Contains(p, "status of 403") { // the wrong password's page
			t.Errorf("console: %s", p)
		}
	}
}

// markPage tags the page now shown, so waitNewPage can tell the page a
// form submission brings from the one it was sent from (both have a
// main h1: waiting for that alone returns at once, before the answer).
func markPage(t *testing.T, b *browser) {
	t.Helper()
	eval[string](t, b, `document.body.dataset.before = "1"`)
}

// waitNewPage waits for a page that markPage has not tagged.
func waitNewPage() chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) main h1"))
}
