//go:build !nobrowser

package web

import (
	"testing"
	"time"

	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserInterviewKeysDialogFocus: closing the keyboard-shortcuts
// dialog — by Esc, by ? again or by its Close button — puts the focus
// back on the element that opened it, never on <body>.
func TestBrowserInterviewKeysDialogFocus(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	openDrill(t, b, "BROWSERKEYS1", firstInterview(t, env.catalog.Bank, quiz.Single))

	const opener = `document.querySelector("[data-keys-open]")`
	const isOpen = `document.querySelector("dialog[data-keys]").open`
	const isClosed = `!document.querySelector("dialog[data-keys]").open`
	focusIs := func(what, expr string) {
		t.Helper()
		// The focus moves back as the dialog closes: wait for it briefly.
		for range 20 {
			// Two frames later, so a focus left in the hidden dialog has
			// fallen back to <body>.
			if eval[bool](t, b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(document.activeElement === `+expr+`))))`) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("focus is on %s, want %s", eval[string](t, b, `document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : "nothing"`), what)
	}

	// The button, pressed from the keyboard, then Esc.
	b.run(t, "open with the button", chromedp.Focus(chromedp.CSS("[data-keys-open]")), key(kb.Enter))
	waitFor(t, b, "the key list", isOpen)
	b.run(t, "Esc", key(kb.Escape))
	waitFor(t, b, "the key list to close", isClosed)
	focusIs("the button after Esc", opener)

	// The button, then the dialog's own Close button.
	b.run(t, "open with the button again", key(kb.Enter))
	waitFor(t, b, "the key list", isOpen)
	b.run(t, "press Close", chromedp.Focus(chromedp.CSS("dialog[data-keys] form button")), key(kb.Enter))
	waitFor(t, b, "the key list to close", isClosed)
	focusIs("the button after Close", opener)

	// The mouse: click the button, click Close.
	b.run(t, "click the button", chromedp.Click(chromedp.CSS("[data-keys-open]")))
	waitFor(t, b, "the key list", isOpen)
	b.run(t, "click Close", chromedp.Click(chromedp.CSS("dialog[data-keys] form button")))
	waitFor(t, b, "the key list to close", isClosed)
	focusIs("the button after clicks", opener)

	// ? from a choice, then ? again.
	const choice = `document.querySelector("[data-run-form] input[data-digit='1']")`
	b.run(t, "focus a choice", chromedp.Focus(chromedp.CSS("[data-run-form] input[data-digit='1']")))
	b.run(t, "? opens", key("?"))
	waitFor(t, b, "the key list", isOpen)
	b.run(t, "? closes", key("?"))
	waitFor(t, b, "the key list to close", isClosed)
	focusIs("the choice after ?", choice)

	// ? with nothing focused (just after the page loads): the focus goes
	// to the shortcuts button, not <body>.
	eval[bool](t, b, `(document.activeElement.blur(), true)`)
	b.run(t, "? opens from the page", key("?"))
	waitFor(t, b, "the key list", isOpen)
	b.run(t, "Esc", key(kb.Escape))
	waitFor(t, b, "the key list to close", isClosed)
	focusIs("the shortcuts button after ? with nothing focused", opener)
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors: %v", p)
	}
}
