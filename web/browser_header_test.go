//go:build !nobrowser

package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// At 360 px the header is one compact row; every link is behind Menu,
// in full, and the lesson's title comes before its module menu.
func TestBrowserHeaderOnPhone(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	lesson := "/lessons/" + env.catalog.Lessons[0].Slug
	b.run(t, "a phone", chromedp.EmulateViewport(360, 740), chromedp.Navigate(b.base+lesson), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := eval[float64](t, b, `document.querySelector(".site-header").getBoundingClientRect().height`); h > 64 {
		t.Errorf("the header is %.0f px tall at 360 px, want one row (≤ 64)", h)
	}
	if !eval[bool](t, b, `document.querySelector("#lesson-title").getBoundingClientRect().top < document.querySelector(".lesson-sidebar").getBoundingClientRect().top`) {
		t.Error("the module menu comes before the lesson title")
	}
	if eval[bool](t, b, `getComputedStyle(document.querySelector(".site-nav")).display !== "none" && document.querySelector(".site-nav").getBoundingClientRect().height > 0`) {
		t.Error("the navigation shows before Menu is opened")
	}
	click(t, b, ".nav-toggle")
	waitFor(t, b, "the menu open", `document.querySelector(".nav-toggle").getAttribute("aria-expanded") === "true"`)
	// Every link in view, none cut off, nothing scrolls sideways.
	cut := eval[string](t, b, `[...document.querySelectorAll(".site-menu a")].filter(a => { const r = a.getBoundingClientRect(); return r.width === 0 || r.right > innerWidth || a.scrollWidth > a.clientWidth + 1 }).map(a => a.textContent).join(", ")`)
	if cut != "" {
		t.Errorf("menu links cut off or hidden: %s", cut)
	}
	for _, name := range []string{"Course", "Glossary", "Interview", "Join a workshop", "Sign in"} {
		if !eval[bool](t, b, `[...document.querySelectorAll(".site-menu a")].some(a => a.textContent.trim() === `+jsString(name)+` && a.getBoundingClientRect().height > 0)`) {
			t.Errorf("the open menu lacks %q", name)
		}
	}
	b.run(t, "Escape closes it", chromedp.KeyEvent("\x1b"))
	waitFor(t, b, "the menu closed", `document.querySelector(".nav-toggle").getAttribute("aria-expanded") === "false" && document.activeElement === document.querySelector(".nav-toggle")`)

	b.run(t, "a wide screen", chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if eval[bool](t, b, `getComputedStyle(document.querySelector(".nav-toggle")).display !== "none"`) || !eval[bool](t, b, `document.querySelector(".site-nav a").getBoundingClientRect().height > 0`) {
		t.Error("at 1280 px the links are not in the header row")
	}
}
