//go:build !nobrowser

package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The csrf, fixation and cluster labs followed exactly as lessons 03, 05
// and 06 tell them, in Chromium at 1280 and 360 px.

var labWidths = []int64{1280, 360}

// bankLanding waits for a bank page (the transfer's answer or bank/home)
// after a navigation and returns its text.
func bankLanding(t *testing.T, b *browser) string {
	t.Helper()
	waitFor(t, b, "the lab bank's page", `document.querySelector("h1") && document.querySelector("h1").textContent.startsWith("Lab bank")`)
	return text(t, b, "body")
}

// Lesson 03, steps 3 and 4. With SameSite=Strict the evil page's plain
// link opens the bank's page logged out — the page is built from what
// the navigation carried, not from a fetch the page makes afterwards —
// and the bank's own link opens it logged in. The evil page on another
// port of the same host (the second listener) is the same site, so its
// forged form carries even the Strict cookie, until the Origin check.
func TestBrowserCSRFStrictAndSameSitePort(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	second := httptest.NewServer(env.srv.SameSiteHandler())
	defer second.Close()
	env.srv.labs.SetSameSiteListener(strings.TrimPrefix(second.URL, "http://"))
	b := newBrowser(t, env.srv)
	b.base = strings.Replace(b.base, "127.0.0.1", "localhost", 1)

	for _, width := range labWidths {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "csrf")
		labURL := b.location(t)
		back := func() {
			t.Helper()
			b.run(t, "back to the lab", chromedp.Navigate(labURL), chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready] .attack-lab")))
			waitFor(t, b, "the settings", `document.querySelector(".csrf-note").textContent !== ""`)
		}
		set := func(sel, note string) {
			t.Helper()
			if !eval[bool](t, b, `document.querySelector(`+jsString(sel)+`).checked`) {
				click(t, b, sel)
			}
			waitFor(t, b, "the setting "+sel, `document.querySelector(".csrf-note").textContent.includes(`+jsString(note)+`)`)
		}
		unset := func(sel, note string) {
			t.Helper()
			if eval[bool](t, b, `document.querySelector(`+jsString(sel)+`).checked`) {
				click(t, b, sel)
			}
			waitFor(t, b, "the setting "+sel+" off", `!document.querySelector(".csrf-note").textContent.includes(`+jsString(note)+`)`)
		}
		login := func() {
			t.Helper()
			eval[bool](t, b, `(document.querySelector(".bank-status").textContent = "", true)`)
			click(t, b, `.bank-login button[type="submit"]`)
			waitFor(t, b, "the bank login", `document.querySelector(".bank-status").textContent.includes("Logged in")`)
		}
		waitFor(t, b, "the evil link", `document.querySelector(".evil-link").href.includes("127.0.0.1")`)
		evilURL := eval[string](t, b, `document.querySelector(".evil-link").href`)
		unset(`input[name="origin_check"]`, "Origin check:")

		// Step 3: Strict, log in again, the evil page's plain link.
		set(`input[name="samesite"][value="Strict"]`, "SameSite=Strict")
		login()
		b.run(t, "open the evil page", chromedp.Navigate(evilURL), chromedp.WaitVisible(chromedp.CSS(".evil-bank-link")))
		click(t, b, `[data-action="stop"]`)
		click(t, b, `.evil-bank-link`)
		if got := bankLanding(t, b); !strings.Contains(got, "Not logged in") || !strings.Contains(got, "Sec-Fetch-Site: cross-site") || !strings.Contains(got, "SameSite=Strict") {
			t.Errorf("%s px: the plain link from the evil page with a Strict cookie: %s", w, got)
		}
		b.shot(t, "csrf-bank-strict-link-"+w)
		if width == 360 {
			noSideScroll(t, b, "the bank page at 360 px")
		}
		click(t, b, `.bank-inside`)
		waitFor(t, b, "the bank's own link", `(document.querySelector(".bank-state") || {textContent: ""}).textContent.startsWith("Logged in as alice")`)
		if got := text(t, b, "body"); !strings.Contains(got, "Sec-Fetch-Site: same-origin") || !strings.Contains(got, "SameSite=Strict") {
			t.Errorf("%s px: the bank's own link: %s", w, got)
		}
		b.shot(t, "csrf-bank-inside-"+w)
		back()
		waitFor(t, b, "the Strict step ticked", `document.querySelector('.lab-guide li[data-milestone="csrf-strict"].done')`)

		// Step 4: the evil page on another port of this host.
		waitFor(t, b, "the same-site link", `!document.querySelector(".same-site-box").hidden && document.querySelector(".same-site-link").href.startsWith("http://localhost:")`)
		sameSiteURL := eval[string](t, b, `document.querySelector(".same-site-link").href`)
		if strings.Contains(sameSiteURL, strings.TrimPrefix(b.base, "http://localhost")) {
			t.Fatalf("the same-site evil page is on the bank's own port: %s", sameSiteURL)
		}
		waitFor(t, b, "the lab bank's account", `document.querySelector(".bank-user").textContent === "alice"`)
		waitFor(t, b, "the bank page visits in the trace", `document.querySelectorAll(".trace .exchange").length >= 3`)
		if width == 360 {
			noSideScroll(t, b, "the csrf lab at 360 px")
		}
		b.shot(t, "lab-csrf-same-site-"+w)
		b.run(t, "open the evil page on another port", chromedp.Navigate(sameSiteURL))
		waitFor(t, b, "the same-site evil page", `document.querySelector(".eyebrow") && document.querySelector(".eyebrow").textContent.includes("same site")`)
		// Stop the countdown to look at the page, then claim the prize.
		click(t, b, `[data-action="stop"]`)
		b.shot(t, "csrf-evil-same-site-"+w)
		if width == 360 {
			noSideScroll(t, b, "the evil page at 360 px")
		}
		click(t, b, `.evil-form button[type="submit"]`)
		if got := bankLanding(t, b); !strings.Contains(got, "Lab bank: OK") || !strings.Contains(got, "same-site") || !strings.Contains(got, "SameSite=Strict") {
			t.Errorf("%s px: same site, other port, Strict cookie: %s", w, got)
		}
		back()
		waitFor(t, b, "the same-site step ticked", `document.querySelector('.lab-guide li[data-milestone="csrf-same-site"].done')`)
		set(`input[name="origin_check"]`, "Origin check:")
		b.run(t, "open the evil page on another port again", chromedp.Navigate(sameSiteURL))
		if got := bankLanding(t, b); !strings.Contains(got, "Forbidden") || !strings.Contains(got, "Sec-Fetch-Site: same-site") {
			t.Errorf("%s px: same site, other port, Origin check: %s", w, got)
		}
		back()
		unset(`input[name="origin_check"]`, "Origin check:")
	}
	noConsoleProblems(t, b)
}

// Lesson 06, step 4: counter IDs, alice logs in in her browser, Mallory
// logs in as herself in hers and tries the numbers next to her own ID;
// then random IDs, both log in again, and the neighbour is nobody.
func TestBrowserFixationGuessFromOwnID(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range labWidths {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "fixation")
		waitFor(t, b, "the settings", `document.querySelector(".fixation-note").textContent !== ""`)
		mallory := func() string {
			t.Helper()
			eval[bool](t, b, `(document.querySelector(".fixation-result").textContent = "", true)`)
			click(t, b, `.fixation-attack button[type="submit"]`)
			waitFor(t, b, "Mallory's result", `document.querySelector(".fixation-result").textContent.includes("Mallory got")`)
			return text(t, b, ".fixation-result")
		}
		bothLogIn := func(ids string) string {
			t.Helper()
			eval[bool](t, b, `(document.querySelector(".login-result").textContent = "", document.querySelector(".mallory-own").textContent = "", true)`)
			click(t, b, `.fixation-login button[type="submit"]`)
			waitFor(t, b, "alice's login", `document.querySelector(".login-result").textContent.includes("Logged in")`)
			click(t, b, `[data-action="mallory-login"]`)
			waitFor(t, b, "Mallory's own login", `document.querySelector(".mallory-own").textContent.includes("gave Mallory")`)
			own := eval[string](t, b, `document.querySelector(".fixation-attack input[name=sid]").value`)
			if ids == "counter" && strings.Trim(own, "0123456789") != "" || ids == "random" && len(own) != 32 {
				t.Fatalf("%s px: Mallory's own %s ID %q", w, ids, own)
			}
			return own
		}

		setValue(t, b, `.fixation-settings select[name="ids"]`, "counter")
		waitFor(t, b, "counter IDs", `document.querySelector(".fixation-note").textContent.includes("from a counter")`)
		own := bothLogIn("counter")
		click(t, b, `.fixation-attack button[data-step="-1"]`)
		if got := eval[string](t, b, `document.querySelector(".fixation-attack input[name=sid]").value`); got == own {
			t.Fatalf("%s px: −1 left %q", w, got)
		}
		if got := mallory(); !strings.Contains(got, "Mallory got 200") || !strings.Contains(got, "alice") || !strings.Contains(got, "given "+own) {
			t.Errorf("%s px: the number next to Mallory's own %s: %s", w, own, got)
		}
		waitFor(t, b, "the guess step ticked", `document.querySelector('.lab-guide li[data-milestone="fix-guess"].done')`)
		if width == 360 {
			noSideScroll(t, b, "the fixation lab with counter IDs at 360 px")
		}
		b.shot(t, "lab-fixation-guess-"+w)

		setValue(t, b, `.fixation-settings select[name="ids"]`, "random")
		waitFor(t, b, "random IDs", `document.querySelector(".fixation-note").textContent.includes("128 random bits")`)
		own = bothLogIn("random")
		click(t, b, `.fixation-attack button[data-step="1"]`)
		if got := eval[string](t, b, `document.querySelector(".fixation-attack input[name=sid]").value`); got == own || len(got) != 32 {
			t.Fatalf("%s px: +1 on a random ID gave %q", w, got)
		}
		if got := mallory(); !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "belongs to nobody") {
			t.Errorf("%s px: the ID next to Mallory's random one: %s", w, got)
		}
		waitFor(t, b, "the random step ticked", `document.querySelector('.lab-guide li[data-milestone="fix-random"].done')`)
		if width == 360 {
			noSideScroll(t, b, "the fixation lab with random IDs at 360 px")
		}
		b.shot(t, "lab-fixation-random-"+w)
	}
	noConsoleProblems(t, b)
}

// Lesson 05, step 2: log in under round robin, send ten, switch to
// sticky and send ten more without logging in again: all ten succeed.
func TestBrowserClusterStickyAfterLogin(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	for _, width := range labWidths {
		w := strconv.FormatInt(width, 10)
		b.run(t, "window width", chromedp.EmulateViewport(width, 900))
		openPanel(t, b, env, "cluster")
		waitFor(t, b, "the nodes", `document.querySelectorAll(".node-card").length === 3`)
		ten := func() string {
			t.Helper()
			eval[bool](t, b, `(document.querySelector(".ten-summary").textContent = "", true)`)
			click(t, b, `[data-action="ten"]`)
			waitFor(t, b, "ten requests", `document.querySelector(".ten-summary").textContent.includes("of 10")`)
			return text(t, b, ".ten-summary")
		}
		click(t, b, `input[name="balance"][value="round-robin"]`)
		click(t, b, `input[name="store"][value="node"]`)
		waitFor(t, b, "round robin", `document.querySelector(".cluster-note").textContent.includes("Round robin")`)
		eval[bool](t, b, `(document.querySelector(".cluster-status").textContent = "", true)`)
		click(t, b, `[data-login="session"]`)
		waitFor(t, b, "the login", `document.querySelector(".cluster-status").textContent.includes("Logged in")`)
		node := strings.TrimSuffix(strings.Fields(strings.SplitN(text(t, b, ".cluster-status"), " on ", 2)[1])[0], ":")
		if got := ten(); strings.HasPrefix(got, "10 of 10") || strings.HasPrefix(got, "0 of 10") {
			t.Errorf("%s px: round robin over per-node memory: %q", w, got)
		}
		click(t, b, `input[name="balance"][value="sticky"]`)
		waitFor(t, b, "sticky", `document.querySelector(".cluster-note").textContent.includes("Sticky")`)
		if got := ten(); !strings.HasPrefix(got, "10 of 10") {
			t.Errorf("%s px: sticky without a new login: %q", w, got)
		}
		if got := eval[string](t, b, `Array.from(document.querySelectorAll(".ten-results li")).map(li => li.textContent.split(" ")[1]).join(",")`); got != strings.TrimSuffix(strings.Repeat(node+",", 10), ",") {
			t.Errorf("%s px: sticky sent the ten to %s, the login was on %s", w, got, node)
		}
		waitFor(t, b, "the sticky step ticked", `document.querySelector('.lab-guide li[data-milestone="cluster-sticky"].done')`)
		if width == 360 {
			noSideScroll(t, b, "the cluster lab at 360 px")
		}
		b.shot(t, "lab-cluster-sticky-"+w)
	}
	noConsoleProblems(t, b)
}
