//go:build !nobrowser

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
	t.Parallel() // each test has its own server, store and browser
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

// The cost lab as lesson 12 tells it: run, turn the deny-list on, run
// again — and the token checks now include the lookup. At 360 px the
// chart's labels keep a readable size and no Runs figure breaks.
func TestBrowserCostDenylistMeasured(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{1280, 360} {
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "cost")
		if eval[bool](t, b, `document.querySelector(".cost-denylist").checked`) {
			click(t, b, ".cost-denylist")
			waitFor(t, b, "the deny-list off", `document.querySelector(".cost-status").textContent.includes("Deny-list off")`)
		}
		click(t, b, `[data-action="run"]`)
		waitFor(t, b, "the figures", `document.querySelector(".cost-status").textContent.startsWith("Done")`)
		off := text(t, b, ".cost-table tbody")
		click(t, b, ".cost-denylist")
		waitFor(t, b, "the deny-list on", `document.querySelector(".cost-status").textContent.includes("Deny-list on")`)
		click(t, b, `[data-action="run"]`)
		waitFor(t, b, "the figures", `document.querySelector(".cost-status").textContent.startsWith("Done")`)
		on := eval[[]string](t, b, `Array.from(document.querySelectorAll(".cost-table tbody tr td:first-child")).map(td => td.textContent)`)
		tokenRows := 0
		for _, name := range on {
			if strings.HasPrefix(name, "JWT verify") {
				tokenRows++
				if !strings.HasSuffix(name, "+ deny-list lookup") {
					t.Errorf("%d px: deny-list on, but %q leaves the lookup out", width, name)
				}
			}
		}
		if tokenRows != 4 || !strings.Contains(off, "JWT verify RS256") || strings.Contains(off, "RS256 + deny-list") {
			t.Errorf("%d px: the toggle does not change what is measured:\noff: %s\non: %v", width, off, on)
		}
		// The SVG is scaled to the box: its 12 px text must stay ≥ 11 px on screen.
		if h := eval[float64](t, b, `Math.min(...Array.from(document.querySelectorAll(".cost-chart .bar-label")).map(e => e.getBoundingClientRect().height))`); h < 11 {
			t.Errorf("%d px: the chart's labels are %.1f px high", width, h)
		}
		if broken := eval[[]string](t, b, `Array.from(document.querySelectorAll(".cost-table tbody td:nth-child(n+2)")).filter(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length > 1; }).map(td => td.textContent)`); len(broken) > 0 {
			t.Errorf("%d px: figures split over lines: %v", width, broken)
		}
		if width == 360 {
			noSideScroll(t, b, "the cost lab at 360 px")
		}
		b.shot(t, "lab-cost-denylist-"+map[int64]string{1280: "1280", 360: "360"}[width])
		click(t, b, ".cost-denylist") // off again for the next width
		waitFor(t, b, "the deny-list off", `document.querySelector(".cost-status").textContent.includes("Deny-list off")`)
	}
	noConsoleProblems(t, b)
}

// The opaque-vs-jwt lab as lesson 08 tells it: call the API with each
// token and compare the time of each check alone; revoke, and the
// introspection box shows the authorization server's answer now.
func TestBrowserOpaqueCheckTimeAndRevoke(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{1280, 360} {
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "opaque-vs-jwt")
		click(t, b, `.opaque-login button[type="submit"]`)
		waitFor(t, b, "three tokens", `document.querySelector('.token-card[data-kind="paseto"] [data-token]').textContent.startsWith("v4.public.")`)
		for _, kind := range []string{"opaque", "jwt"} {
			card := `.token-card[data-kind="` + kind + `"] `
			click(t, b, card+`[data-me]`)
			waitFor(t, b, kind+" timing", `document.querySelector('`+card+`[data-check]').textContent.includes("The check alone")`)
			got := text(t, b, card+"[data-check]")
			if want := map[string]string{"opaque": "introspection lookup", "jwt": "signature"}[kind]; !strings.Contains(got, want) {
				t.Errorf("%d px, %s: the timing does not say what was measured: %q", width, kind, got)
			}
		}
		card := `.token-card[data-kind="opaque"] `
		click(t, b, card+`[data-introspect]`)
		waitFor(t, b, "introspection", `document.querySelector('`+card+`[data-decoded]').textContent.includes('"active": true')`)
		click(t, b, card+`[data-revoke]`)
		waitFor(t, b, "revoked", `document.querySelector('`+card+`[data-result]').textContent.includes("Revoked")`)
		waitFor(t, b, "the live introspection", `document.querySelector('`+card+`[data-decoded]').textContent.includes('"active": false')`)
		if width == 360 {
			noSideScroll(t, b, "the opaque-vs-jwt lab at 360 px")
		}
		b.shot(t, "lab-opaque-timing-"+map[int64]string{1280: "1280", 360: "360"}[width])
	}
	noConsoleProblems(t, b)
}

// The key-rotation lab as lesson 13 tells it, without touching the
// algorithm: it opens on EdDSA, so the token's kid is in the JWKS; a
// compromised key's row keeps its alg.
func TestBrowserKeyRotationOpensAsymmetric(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range []int64{1280, 360} {
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "key-rotation")
		waitFor(t, b, "the keys", `document.querySelectorAll(".key-table tbody tr").length >= 2`)
		if alg := eval[string](t, b, `document.querySelector(".rotation-alg").value`); alg != "EdDSA" {
			t.Errorf("%d px: the key-rotation lab opens on %s", width, alg)
		}
		click(t, b, `[data-login="alice"]`)
		waitFor(t, b, "alice's token", `document.querySelectorAll(".token-table button[data-me]").length === 1`)
		kid := text(t, b, ".token-table tbody tr:nth-child(1) td:nth-child(2)")
		click(t, b, `[data-action="jwks"]`)
		waitFor(t, b, "the JWKS", `document.querySelector(".keys-result").textContent !== ""`)
		if got := text(t, b, ".keys-result"); !strings.Contains(got, kid) || !strings.Contains(got, "is in the set") {
			t.Errorf("%d px: token kid %s, JWKS says %q", width, kid, got)
		}
		waitFor(t, b, "the JWKS step", `document.querySelector('.lab-guide li[data-milestone="rot-jwks"].done')`)
		click(t, b, `[data-action="rotate"]`)
		waitFor(t, b, "the previous key", `document.querySelector('.key-table button[data-retire="`+kid+`"]')`)
		click(t, b, `.key-table button[data-compromised="`+kid+`"]`)
		waitFor(t, b, "the key dropped", `document.querySelector(".keys-result").textContent.includes("compromised")`)
		waitFor(t, b, "the compromised row", `Array.from(document.querySelectorAll(".key-table tbody tr")).some(tr => tr.textContent.includes("`+kid+`") && tr.textContent.includes("compromised"))`)
		if alg := eval[string](t, b, `Array.from(document.querySelectorAll(".key-table tbody tr")).find(tr => tr.textContent.includes("`+kid+`")).children[1].textContent`); alg != "EdDSA" {
			t.Errorf("%d px: the compromised key's alg reads %q", width, alg)
		}
		if width == 360 {
			noSideScroll(t, b, "the key-rotation lab at 360 px")
		}
		b.shot(t, "lab-key-rotation-"+map[int64]string{1280: "1280", 360: "360"}[width])
	}
	noConsoleProblems(t, b)
}
