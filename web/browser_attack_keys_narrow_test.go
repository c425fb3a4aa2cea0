//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// At 360 px the key-rotation lab's key list keeps its buttons in view:
// "Retire" and "Compromised!" sat in a fourth column that the table's
// scroll box cut off, so lesson 10's "mark the old key compromised"
// needed a sideways scroll inside the table to find. Each button's name
// carries its key's kid, and each token row's "GET /api/me" its user and
// kid.
func TestBrowserKeyButtonsInViewAt360(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "a phone", chromedp.EmulateViewport(360, 740))
	openPanel(t, b, env, "key-rotation")
	click(t, b, `[data-login="alice"]`)
	waitFor(t, b, "alice's token", `document.querySelectorAll(".token-table button[data-me]").length === 1`)
	click(t, b, `[data-action="rotate"]`)
	waitFor(t, b, "the previous key", `document.querySelector(".key-table button[data-retire]")`)
	if out := eval[string](t, b, `(() => {
		const box = document.querySelector(".key-table").closest(".table-scroll").getBoundingClientRect();
		return Array.from(document.querySelectorAll(".key-table button")).filter(e => { const r = e.getBoundingClientRect(); return r.left < box.left || r.right > box.right; }).map(e => e.textContent).join(", ");
	})()`); out != "" {
		t.Errorf("at 360 px the key table cuts off its buttons: %s", out)
	}
	if got := eval[string](t, b, `(() => { const e = document.querySelector(".key-table button[data-retire]"); return e.getAttribute("aria-label") === "Retire " + e.dataset.retire ? "" : e.getAttribute("aria-label") || "(unnamed beyond its text)"; })()`); got != "" {
		t.Errorf("the Retire button is named %q, not after its key", got)
	}
	if got := eval[string](t, b, `document.querySelector(".token-table button[data-me]").getAttribute("aria-label") || ""`); !strings.HasPrefix(got, "GET /api/me with alice's token (") {
		t.Errorf("the token row's button is named %q, not after its token", got)
	}
	noConsoleProblems(t, b)
}
