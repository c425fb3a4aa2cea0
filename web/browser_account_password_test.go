//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserChangePassword: at phone width, a learner changes their
// password through the form (a wrong current password first), stays
// signed in, and their other browser is told it was signed out.
func TestBrowserChangePassword(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "sign up",
		chromedp.Navigate(b.base+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "Paula_Phone"),
		chromedp.SendKeys(chromedp.CSS("#password"), "the first passphrase"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	other := b.tab(t)
	other.run(t, "sign in on another device",
		chromedp.Navigate(b.base+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#username"), "Paula_Phone"),
		chromedp.SendKeys(chromedp.CSS("#password"), "the first passphrase"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))

	l, single, _, _ := quizLesson(t, env.catalog)
	other.run(t, "the other device reads a lesson", chromedp.Navigate(b.base+"/lessons/"+l.Slug),
		chromedp.WaitVisible(sel(single, `button[type=submit]`)))

	b.run(t, "the sessions page links the form",
		chromedp.Navigate(b.base+"/account/sessions"),
		chromedp.Click(chromedp.CSS(`main a[href="/account/password"]`)),
		chromedp.WaitVisible(chromedp.CSS("#current-password")))
	b.shot(t, "account-password-1280")
	b.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740))
	noSideScroll(t, b, "the change-password page")
	b.shot(t, "account-password-360")
	b.run(t, "a wrong current password",
		chromedp.SendKeys(chromedp.CSS("#current-password"), "not my password"),
		chromedp.SendKeys(chromedp.CSS("#new-password"), "a second passphrase"),
		chromedp.SendKeys(chromedp.CSS("#confirm-password"), "a second passphrase"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#current-password-error")))
	if msg := eval[string](t, b, `document.querySelector("#current-password-error").innerText`); !strings.Contains(msg, "not your current password") {
		t.Errorf("beside the current password: %q", msg)
	}
	noSideScroll(t, b, "the refused form")
	b.shot(t, "account-password-wrong-360")
	b.run(t, "the right current password",
		chromedp.SendKeys(chromedp.CSS("#current-password"), "the first passphrase"),
		chromedp.SendKeys(chromedp.CSS("#new-password"), "a second passphrase"),
		chromedp.SendKeys(chromedp.CSS("#confirm-password"), "a second passphrase"),
		chromedp.Click(chromedp.CSS(`.auth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if flash := eval[string](t, b, `document.querySelector(".flash").innerText`); !strings.Contains(flash, "Your password is changed") {
		t.Errorf("flash: %q", flash)
	}
	if loc := b.location(t); !strings.HasSuffix(loc, "/account/sessions") {
		t.Errorf("after the change: %s", loc)
	}
	noSideScroll(t, b, "the sessions page after the change")
	b.shot(t, "account-password-done-360")

	// Still on the lesson, the other device answers a quiz: the answer is
	// a guest's now, and the page must say it was signed out, not carry
	// on under the account's name.
	other.run(t, "the other device answers, signed out unawares", append(clickChoices(single, correctKeys(single, true)),
		press(sel(single, `button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#server-note")))...)
	if note := eval[string](t, other, `document.querySelector("#server-note").innerText`); !strings.Contains(note, "You were signed out from another device") || !strings.Contains(note, "Sign in") {
		t.Errorf("after answering signed out: %q", note)
	}
	// In view where the learner is, scrolled down at the quiz.
	if !eval[bool](t, other, `(r => r.top >= 0 && r.bottom <= innerHeight && scrollY > 0)(document.querySelector("#server-note").getBoundingClientRect())`) {
		t.Error("the signed-out note is out of view of a learner scrolled down to the quiz")
	}
	other.shot(t, "signed-out-answer-1280")
	other.run(t, "the other device clicks on",
		chromedp.Navigate(b.base+"/account/sessions"),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if flash := eval[string](t, other, `document.querySelector(".flash").innerText`); !strings.Contains(flash, "You were signed out from another device") {
		t.Errorf("the other device is not told why: %q", flash)
	}
	if loc := other.location(t); !strings.Contains(loc, "/signin") {
		t.Errorf("the other device is at %s, want the sign-in page", loc)
	}
	other.shot(t, "signed-out-elsewhere-1280")
	other.run(t, "the honest forgot-password note at phone width",
		chromedp.EmulateViewport(360, 740),
		chromedp.Click(chromedp.CSS(".forgot-password summary")),
		chromedp.WaitVisible(chromedp.CSS(".forgot-password p")))
	if note := eval[string](t, other, `document.querySelector(".forgot-password p").innerText`); !strings.Contains(note, "authlab user passwd") || !strings.Contains(note, "sends no email") {
		t.Errorf("forgot your password: %q", note)
	}
	noSideScroll(t, other, "the sign-in page")
	other.shot(t, "signin-forgot-360")
	for _, p := range b.problems() {
		if !strings.Contains(p, "status of 403") { // the wrong password's page
			t.Errorf("console: %s", p)
		}
	}
}
