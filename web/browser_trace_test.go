//go:build !nobrowser

package web

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// slowStreams makes every EventSource of the pages b opens connect 1.5 s
// late, as on a slow network: whatever happens before a stream is open
// must still reach the page.
const slowStreams = `(() => {
  const Real = window.EventSource;
  window.EventSource = function (url, opts) {
    const wanted = [];
    let real = null;
    setTimeout(() => { real = new Real(url, opts); for (const [t, f] of wanted) real.addEventListener(t, f); }, 1500);
    return {
      addEventListener(t, f) { wanted.push([t, f]); if (real) real.addEventListener(t, f); },
      close() { if (real) real.close(); },
      get readyState() { return real ? real.readyState : 0; },
    };
  };
})();`

// TestBrowserTraceBeforeStream: the learner logs in before the lab's
// event stream is open; the exchange and its milestone still show. (The
// pages used to read the backlog first and open the stream after, and
// lost whatever happened in between.)
func TestBrowserTraceBeforeStream(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "delay event streams", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: slowStreams})
		return err
	}))
	for _, panel := range []string{"twin-login", "opaque-vs-jwt"} {
		lesson := ""
		for _, l := range env.catalog.Lessons {
			for _, seg := range l.Body {
				if seg.Lab != nil && seg.Lab.Name == panel && lesson == "" {
					lesson = l.Slug
				}
			}
		}
		b.run(t, "open the "+panel+" lab",
			chromedp.Navigate(b.base+"/lessons/"+lesson),
			chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="`+panel+`"]) button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
		if panel == "twin-login" {
			waitFor(t, b, "lab.js", `document.querySelector(".lab-clock").textContent.includes("UTC")`)
			click(t, b, `.side-session .login-form button[type="submit"]`)
			waitFor(t, b, "the login exchange", `document.querySelector('.trace[data-side="session"] .exchange')`)
			waitFor(t, b, "its milestone", `document.querySelector('.lab-guide li[data-milestone="session-login"].done')`)
		} else {
			waitFor(t, b, "the panel", `document.querySelector(".lab-clock").textContent.includes("UTC")`)
			click(t, b, `.opaque-login button[type="submit"]`)
			waitFor(t, b, "its milestone", `document.querySelector('.lab-guide li[data-milestone="opq-login"].done')`)
		}
	}
	noConsoleProblems(t, b)
}
