package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The jwt-forgery, cost, opaque-vs-jwt and key-rotation labs followed
// the way their lessons tell them, at 1280 and 360 px.

// noSideScroll fails when the page is wider than the window, naming the
// elements that stick out.
func noSideScroll(t *testing.T, b *browser, what string) {
	t.Helper()
	if eval[bool](t, b, `document.scrollingElement.scrollWidth > window.innerWidth`) {
		wide := eval[string](t, b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + " in " + ((e.parentElement && e.parentElement.closest("[class]")) || {className: "?"}).className + " " + Math.round(e.getBoundingClientRect().right)).join("; ")`)
		wide += "; overflowing: " + eval[string](t, b, `Array.from(document.querySelectorAll("main *")).filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible" && e.clientWidth > 0).slice(0, 8).map(e => e.tagName + "." + e.className + " " + e.scrollWidth + ">" + e.clientWidth).join("; ")`)
		t.Errorf("%s scrolls sideways (%d px in a %d px window): %s", what,
			eval[int](t, b, `document.scrollingElement.scrollWidth`), eval[int](t, b, `window.innerWidth`), wide)
	}
}

// forgeAndSend signs the editor's content and sends it as Mallory,
// returning her result line.
func forgeAndSend(t *testing.T, b *browser, signed string) string {
	t.Helper()
	eval[bool](t, b, `(document.querySelector(".sign-note").textContent = "", document.querySelector(".forgery-result").textContent = "", true)`)
	click(t, b, `[data-edit="sign"]`)
	waitFor(t, b, "the signed token", `document.querySelector(".sign-note").textContent.includes(`+jsString(signed)+`)`)
	click(t, b, `.forgery-editor button[type="submit"]`)
	waitFor(t, b, "Mallory's result", `document.querySelector(".forgery-result").textContent.includes("Mallory got")`)
	return text(t, b, ".forgery-result p")
}

// Lesson 11, step 4, in its order: embed your own key (jwk, or jku),
// then point kid at a key you chose. The kid preset starts from a clean
// header, so the previous step's jwk or jku cannot decide the check.
func TestBrowserForgeryKidAfterEmbeddedKey(t *testing.T) {
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{1280, 360} {
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "jwt-forgery")
		click(t, b, `.forgery-login button[type="submit"]`)
		waitFor(t, b, "a genuine token", `document.querySelector(".genuine-token").value.split(".").length === 3`)
		click(t, b, `input[name="verifier"][value="naive"]`)
		waitFor(t, b, "the naive verifier", `document.querySelector(".forgery-note").textContent.includes("Naive")`)
		click(t, b, `[data-edit="admin"]`)
		for _, embed := range []string{"jku", "jwk"} {
			setValue(t, b, `.forgery-editor select[name="key"]`, embed)
			if got := forgeAndSend(t, b, "Mallory's"); !strings.HasPrefix(got, "Mallory got 200") {
				t.Errorf("%d px, %s: %q", width, embed, got)
			}
			if width == 360 {
				noSideScroll(t, b, "the forgery lab after a "+embed+" token at 360 px")
			}
			click(t, b, `[data-edit="kid"]`)
			if h := eval[string](t, b, `document.querySelector(".forgery-editor textarea[name=header]").value`); strings.Contains(h, "jwk") || strings.Contains(h, "jku") {
				t.Errorf("%d px: the kid preset after %s keeps the old key header: %s", width, embed, h)
			}
			if got := forgeAndSend(t, b, "secret you typed"); !strings.HasPrefix(got, "Mallory got 200") || !strings.Contains(got, "kid pointing at a key Mallory knows") {
				t.Errorf("%d px: kid → /dev/null after %s: %q", width, embed, got)
			}
			waitFor(t, b, "the kid step ticked", `document.querySelector('.lab-guide li[data-milestone="forge-kid"].done')`)
			if width == 360 {
				noSideScroll(t, b, "the forgery lab after the kid token at 360 px")
			}
		}
		b.shot(t, "lab-forgery-kid-"+map[int64]string{1280: "1280", 360: "360"}[width])
	}
	noConsoleProblems(t, b)
}
