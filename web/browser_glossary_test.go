//go:build !nobrowser

package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The glossary on a phone: a link to a term it does not have says so
// (instead of opening at the top in silence), and the hundred terms can
// be narrowed by typing, with the count said in words; Enter goes to
// the first term left.
func TestBrowserGlossaryFindAndMissingTerm(t *testing.T) {
	t.Parallel() // its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	total := len(env.catalog.Glossary)

	b.run(t, "a stale link to the glossary", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(b.base+"/glossary#session-cookies"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	waitFor(t, b, "the note about the missing term", `!document.querySelector("[data-glossary-missing]").hidden`)
	if note := eval[string](t, b, `document.querySelector("[data-glossary-missing]").textContent`); !strings.Contains(note, "no term “session-cookies”") {
		t.Errorf("the note says %q", note)
	}
	noSideScroll(t, b, "the glossary at 360 px")

	b.run(t, "find a term", chromedp.WaitVisible(chromedp.CSS("#glossary-find")))
	if label := eval[string](t, b, `Array.from(document.querySelector("#glossary-find").labels, l => l.textContent).join()`); label != "Find a term" {
		t.Errorf("the field is labelled %q", label)
	}
	b.run(t, "type pkce", chromedp.SendKeys(chromedp.CSS("#glossary-find"), "pkce"))
	waitFor(t, b, "the terms narrowed", `document.querySelectorAll("dl.glossary dt:not([hidden])").length < `+itoa(total))
	shown := eval[int](t, b, `document.querySelectorAll("dl.glossary dt:not([hidden])").length`)
	if links := eval[int](t, b, `document.querySelectorAll(".glossary-index a:not([hidden])").length`); links != shown {
		t.Errorf("%d terms shown but %d index links", shown, links)
	}
	if !eval[bool](t, b, `!document.getElementById("pkce").hidden && document.getElementById("redis").hidden`) {
		t.Error(`"pkce" does not keep PKCE and hide Redis`)
	}
	want := itoa(shown) + " of " + itoa(total) + " terms match"
	if shown == 1 {
		want = "1 of " + itoa(total) + " terms matches"
	}
	if said := eval[string](t, b, `document.querySelector("#glossary-found").textContent`); said != want {
		t.Errorf("the count says %q, want %q", said, want)
	}
	noAxeViolations(t, b, "main", "the glossary, narrowed")
	b.run(t, "press Enter", chromedp.KeyEvent(kb.Enter))
	first := eval[string](t, b, `document.querySelector("dl.glossary dt:not([hidden])").id`)
	waitFor(t, b, "the first term's address", `location.hash === "#`+first+`"`)
	if !eval[bool](t, b, `document.querySelector("[data-glossary-missing]").hidden`) {
		t.Error("the missing-term note stays once a term is reached")
	}

	b.run(t, "a word nothing has", chromedp.SendKeys(chromedp.CSS("#glossary-find"), "zzq"))
	waitFor(t, b, "the empty result said", `document.querySelector("#glossary-found").textContent.startsWith("No term matches “pkcezzq”")`)
	if n := eval[int](t, b, `document.querySelectorAll("dl.glossary dt:not([hidden])").length`); n != 0 {
		t.Errorf("%d terms shown for a word none has", n)
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
