//go:build !nobrowser

package web

import (
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// lopsided measures how a page's content sits in <main>: the empty
// space left of its leftmost box and right of its rightmost one, in
// CSS pixels, and whether the page scrolls sideways.
const lopsided = `(() => {
  const main = document.querySelector("main");
  const cs = getComputedStyle(main);
  const box = main.getBoundingClientRect();
  const inner = { left: box.left + parseFloat(cs.paddingLeft), right: box.right - parseFloat(cs.paddingRight) };
  let left = Infinity, right = -Infinity;
  for (const el of main.querySelectorAll("section > *, section article > *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    left = Math.min(left, r.left);
    right = Math.max(right, r.right);
  }
  return { left: Math.round(left - inner.left), right: Math.round(inner.right - right),
    wide: document.documentElement.scrollWidth > window.innerWidth + 1 };
})()`

type layoutBox struct {
	Left  int  `json:"left"`
	Right int  `json:"right"`
	Wide  bool `json:"wide"`
}

// TestBrowserInterviewWidth (issue 20 item 13): at 1280 px the interview
// pages use the width — no page leaves most of it empty on the right —
// and at 360 px none scrolls sideways. It walks a timed drill (question,
// result), a late answer (issue 20 item 6: it says time was up), the
// summary, the stats, a mock prompt and the cheat sheet, and saves a
// screenshot of each at both widths.
func TestBrowserInterviewWidth(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)

	pages := []struct {
		name string
		open func(t *testing.T)
	}{
		{"home", func(t *testing.T) {
			b.run(t, "open /interview", chromedp.Navigate(b.base+"/interview"))
			waitFor(t, b, "the home page", `document.querySelector(".interview-home")`)
		}},
		{"question", func(t *testing.T) {
			b.follow(t, "start a drill", chromedp.Navigate(b.base+"/interview/drill?n=3&timer=q60&seed=4"), "/interview/practice")
			waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
		}},
		{"result", func(t *testing.T) {
			// Any answer will do: pick the first choice, or fill every field.
			eval[bool](t, b, `(() => {
  const f = document.querySelector("[data-run-form]");
  f.querySelector("[data-digit='1']")?.click();
  for (const s of f.querySelectorAll("select")) s.selectedIndex = s.options.length - 1;
  const text = f.querySelector("input[type=text]"); if (text) text.value = "an answer";
  f.requestSubmit(f.querySelector("[data-submit]"));
  return true;
})()`)
			waitFor(t, b, "the result", `document.querySelector("[data-result-panel]")`)
		}},
		{"late", func(t *testing.T) {
			// A whole-run timer that ran out an hour ago: the answer is
			// graded, and the result says time was up.
			single := firstInterview(t, env.catalog.Bank, quiz.Single)
			run := interview.Run{Kind: interview.KindDrill, ID: "BROWSERLATE1", Qs: []*quiz.Question{single}, Timer: 600, Whole: true,
				Start: time.Now().UTC().Add(-time.Hour).Truncate(time.Second)}
			b.run(t, "open the late run", chromedp.Navigate(b.base+run.URL(0)))
			waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
			b.run(t, "pick and check", key(digitOf(t, b, correctKeys(single, true)[0])), key(kb.Enter))
			waitFor(t, b, "the result", `document.querySelector("[data-result-panel]")`)
			if !eval[bool](t, b, `!!document.querySelector(".quiz-result-correct [data-late]")`) {
				t.Error("a late right answer does not say time was up")
			}
		}},
		{"summary", func(t *testing.T) {
			b.follow(t, "end the run", chromedp.Click(chromedp.CSS(`a[href^="/interview/summary"]`)), "/interview/summary")
			waitFor(t, b, "the summary", `document.readyState === "complete" && document.querySelector(".interview-summary")`)
		}},
		{"stats", func(t *testing.T) {
			b.run(t, "open the stats", chromedp.Navigate(b.base+"/interview/stats"))
			waitFor(t, b, "the stats", `document.querySelector(".stats-table")`)
		}},
		{"mock", func(t *testing.T) {
			b.follow(t, "start a mock interview", chromedp.Navigate(b.base+"/interview/mock?n=2&seed=2"), "/interview/practice")
			waitFor(t, b, "interview.js", `document.querySelector("[data-keys-open]:not([hidden])")`)
		}},
		{"cheatsheet", func(t *testing.T) {
			b.run(t, "open the cheat sheet", chromedp.Navigate(b.base+"/interview/cheatsheet?topic=csrf"))
			waitFor(t, b, "the cheat sheet", `document.querySelector(".cheatsheet-item")`)
		}},
	}
	for _, p := range pages {
		b.run(t, "a desktop screen", chromedp.EmulateViewport(1280, 900))
		p.open(t)
		got := eval[layoutBox](t, b, lopsided)
		b.shot(t, "interview-"+p.name+"-1280px")
		// Centred or filled: never much more room on the right than on
		// the left (a scrollbar's worth of slack).
		if got.Right > got.Left+32 {
			t.Errorf("%s at 1280 px: %d px empty on the right, %d on the left", p.name, got.Right, got.Left)
		}
		if got.Wide {
			t.Errorf("%s scrolls sideways at 1280 px", p.name)
		}
		b.run(t, "a phone screen", chromedp.EmulateViewport(360, 740))
		if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("%s scrolls sideways at 360 px", p.name)
		}
		b.shot(t, "interview-"+p.name+"-360px")
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
