//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAccount: a guest completes a lesson, signs up and keeps the
// progress; two browsers sign in, one revokes the other, which is signed
// out on its next click.
func TestBrowserAccount(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	first := env.catalog.Lessons[0]

	b.run(t, "open a lesson as a guest", chromedp.Navigate(b.base+"/lessons/"+first.Slug), chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	b.run(t, "mark it complete", chromedp.Click(chromedp.CSS(`.lesson-done button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".lesson-done .state-done")))
	if !strings.Contains(eval[string](t, b, `document.body.innerText`), "Progress saved on this device") {
		t.Error("the guest is not told progress lives on this device")
	}
	if c := eval[string](t, b, `document.cookie`); strings.Contains(c, siteCookie) {
		t.Errorf("the session cookie is readable by JavaScript: %q", c)
	}
	b.run(t, "sign up",
		chromedp.Navigate(b.base+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "grace_7"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a password for grace"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	text := eval[string](t, b, `document.body.innerText`)
	for _, want := range []string{"Welcome, grace_7", "Kept from this device: 1 lesson", "1 / " + itoa(len(env.catalog.Lessons)) + " completed"} {
		if !strings.Contains(text, want) {
			t.Errorf("after sign-up the page lacks %q", want)
		}
	}
	b.shot(t, "home-signed-in")

	other := b.tab(t)
	other.run(t, "sign in on a second device",
		chromedp.Navigate(other.base+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#username"), "grace_7"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a password for grace"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))

	b.run(t, "open your sessions", chromedp.Navigate(b.base+"/account/sessions"), chromedp.WaitVisible(chromedp.CSS(".sessions-table")))
	if n := eval[int](t, b, `document.querySelectorAll(".sessions-table tbody tr").length`); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	b.shot(t, "sessions")
	b.run(t, "revoke the other device", chromedp.Click(chromedp.CSS(`.sessions-table form button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if n := eval[int](t, b, `document.querySelectorAll(".sessions-table tbody tr").length`); n != 1 {
		t.Errorf("%d sessions after revoking, want 1", n)
	}
	other.run(t, "the revoked device clicks", chromedp.Navigate(other.base+"/account/sessions"), chromedp.WaitVisible(chromedp.CSS(".auth-form")))
	if u := other.location(t); !strings.Contains(u, "/signin") {
		t.Errorf("the revoked device is at %s, want the sign-in page", u)
	}
	for _, br := range []*browser{b, other} {
		if p := br.problems(); len(p) > 0 {
			t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
		}
	}
}
