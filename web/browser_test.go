//go:build !nobrowser

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// browser is one test's window on a headless Chromium for end-to-end
// tests. They are opt-in: without AUTHLAB_E2E the test is skipped (so
// `go test ./...` stays fast even where Chromium is installed); with it,
// a missing Chromium fails.
//
// Every test of the binary shares one Chromium process (sharedChromium),
// started by the first test that needs it and closed after the last
// (TestMain): each test gets a browser context of its own, an incognito
// profile with its own cookies and storage, so no test sees another's.
type browser struct {
	ctx      context.Context
	base     string
	mu       sync.Mutex
	console  []string
	shotsDir string
}

func newBrowser(t *testing.T, handler http.Handler) *browser {
	t.Helper()
	return newBrowserWithin(t, handler, 3*time.Minute) // generous: CI runs every package at once under -race
}

// newBrowserWithin is newBrowser for a test that needs the browser for
// longer than newBrowser's 3 minutes (every step and tab shares the deadline).
func newBrowserWithin(t *testing.T, handler http.Handler, limit time.Duration) *browser {
	t.Helper()
	root := sharedChromium(t)
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	// A browser context of its own (cookies, storage, cache), in a window
	// of its own: the test's viewport emulation stays in its tab.
	ctx, cancelC := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil { // opens the tab with no deadline
		cancelC()
		t.Fatalf("open a browser context in the shared Chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancelC() })
	b := &browser{ctx: tctx, base: ts.URL, shotsDir: os.Getenv("AUTHLAB_SCREENSHOTS")}
	if b.shotsDir == "" {
		b.shotsDir = t.TempDir()
	}
	b.watch(ctx)
	return b
}

// chromium is the Chromium process the browser tests of this binary
// share: started by the first test that asks for it, started again if it
// died (a test that crashes it fails alone), closed by closeChromium.
var chromium struct {
	mu     sync.Mutex
	ctx    context.Context // its first tab, which no test uses
	cancel context.CancelFunc
}

func init() { afterTests = append(afterTests, closeChromium) }

// sharedChromium skips t unless AUTHLAB_E2E is set, fails it if Chromium
// is missing, and returns the shared browser's root context: a test
// opens its tabs as chromedp.NewContext(root, chromedp.WithNewBrowserContext()).
func sharedChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if p := os.Getenv("AUTHLAB_CHROMIUM"); p != "" {
		path = p
	}
	if os.Getenv("AUTHLAB_E2E") == "" {
		t.Skip("end-to-end test skipped: set AUTHLAB_E2E=1 to run it in headless Chromium (Debian's chromium package)")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("AUTHLAB_E2E is set but Chromium is missing at %s: install Debian's chromium package", path)
	}
	chromium.mu.Lock()
	defer chromium.mu.Unlock()
	if chromium.ctx != nil && chromium.ctx.Err() == nil {
		return chromium.ctx
	}
	if chromium.cancel != nil { // it died: reap it
		chromium.cancel()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI containers
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		// No smooth scrolling (app.css scrolls smoothly unless the reader
		// asks for less motion): a click lands where the element is, not
		// where it was while the page was still scrolling to an #anchor.
		chromedp.Flag("force-prefers-reduced-motion", true),
		chromedp.WindowSize(1280, 900), // every new window's size too
		// No user data dir: chromedp makes a temporary one and removes it.
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser with no deadline
		cancelC()
		cancelA()
		t.Fatalf("start Chromium: %v", err)
	}
	chromium.ctx = ctx
	chromium.cancel = func() { cancelC(); cancelA() }
	return ctx
}

// closeChromium closes the shared Chromium, if a test started it, and
// waits for it to exit.
func closeChromium() {
	chromium.mu.Lock()
	defer chromium.mu.Unlock()
	if chromium.cancel == nil {
		return
	}
	if chromium.ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(chromium.ctx, 10*time.Second)
		_ = chromedp.Cancel(ctx) // a graceful close; cancel below stops it regardless
		cancel()
	}
	chromium.cancel()
	chromium.ctx, chromium.cancel = nil, nil
}

// tab opens a second, isolated browser context (its own cookies) in the
// same browser, for tests with two users or two devices.
func (b *browser) tab(t *testing.T) *browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a second browser context: %v", err)
	}
	o := &browser{ctx: ctx, base: b.base, shotsDir: b.shotsDir}
	o.watch(ctx)
	return o
}

// watch records console errors, warnings and uncaught exceptions.
func (b *browser) watch(ctx context.Context) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.Type == chromedp.ConsoleException {
				b.record(fmt.Sprintf("console.%s: %s", m.Type, m.Text))
			}
		}
	}()
}

func (b *browser) record(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.console = append(b.console, s)
}

// problems returns console errors and uncaught exceptions so far.
func (b *browser) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// run executes actions and fails the test on error.
func (b *browser) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	steps := make([]chromedp.Action[chromedp.Void], len(actions))
	for i, a := range actions {
		steps[i] = againIfStale(a)
	}
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one action that returns a value.
func get[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, againIfStale(a))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// againIfStale runs a again when it failed on a node id that Chromium
// had discarded. Chromium forgets every node id it handed out when a
// page finishes parsing (DOMContentLoaded, then DOM.documentUpdated), so
// a WaitVisible that found an element of a page still loading can be
// followed by a Click whose element, found a moment earlier, is no
// longer known. Such an action fails on its first protocol call that
// names the node (scrolling it into view, focusing it, resolving it),
// before it clicked, typed or changed anything, so running it again is
// what a person would see: the same page, the same element, found anew.
func againIfStale[T any](a chromedp.Action[T]) chromedp.Action[T] {
	return func(ctx context.Context, tg *chromedp.Target) (T, error) {
		for tries := 1; ; tries++ {
			v, err := a(ctx, tg)
			var e *cdproto.Error
			if err == nil || tries == 5 || ctx.Err() != nil || !errors.As(err, &e) || e.Message != "Could not find node with given id" {
				return v, err
			}
		}
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	return get(t, b, "evaluate "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// location is the page's current URL.
func (b *browser) location(t *testing.T) string {
	t.Helper()
	return get(t, b, "location", chromedp.Location())
}

// shot saves a full-page screenshot as name.png in the screenshots folder.
func (b *browser) shot(t *testing.T, name string) {
	t.Helper()
	png := get(t, b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(b.shotsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shotsDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserCourse(t *testing.T) {
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	first, second := env.catalog.Lessons[0], env.catalog.Lessons[1]

	b.run(t, "open home", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".course-map")))
	if title := get(t, b, "title", chromedp.Title()); !strings.Contains(title, env.catalog.Title) {
		t.Errorf("home title %q", title)
	}
	b.shot(t, "home")

	b.run(t, "open the first lesson",
		chromedp.Click(chromedp.CSS(`a.lesson-link[href="/lessons/`+first.Slug+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	if url := b.location(t); !strings.HasSuffix(url, "/lessons/"+first.Slug) {
		t.Fatalf("at %s after clicking the first lesson", url)
	}
	b.shot(t, "lesson")

	// app.js reveals the theme toggle and binds the shortcuts in one task:
	// a visible toggle means a key pressed now is not lost.
	scripted := chromedp.WaitVisible(chromedp.CSS(".theme-toggle"))
	b.run(t, "press → for the next lesson",
		scripted,
		chromedp.KeyEvent(kb.ArrowRight), // not typed into a field: the page's shortcut
		chromedp.WaitVisible(chromedp.CSS(`a[rel="prev"][href="/lessons/`+first.Slug+`"]`)))
	if url := b.location(t); !strings.HasSuffix(url, "/lessons/"+second.Slug) {
		t.Fatalf("→ went to %s, want %s", url, second.Slug)
	}
	b.run(t, "press ← to go back",
		scripted,
		chromedp.KeyEvent(kb.ArrowLeft),
		chromedp.WaitVisible(chromedp.CSS(`a[rel="next"][href="/lessons/`+second.Slug+`"]`)))
	if url := b.location(t); !strings.HasSuffix(url, "/lessons/"+first.Slug) {
		t.Fatalf("← went to %s, want %s", url, first.Slug)
	}

	theme := func() string {
		return get(t, b, "theme", chromedp.AttributeValue(chromedp.CSS("html"), "data-theme")).Value
	}
	b.run(t, "find the toggle", chromedp.WaitVisible(chromedp.CSS(".theme-toggle")))
	before := theme()
	// A click by the element, not by screen coordinates: the header may
	// still be settling (fonts, the progress note) when the page is new,
	// and a coordinate click can then land beside the button.
	eval[bool](t, b, `(document.querySelector(".theme-toggle").click(), true)`)
	after := theme()
	if after == before || (after != "dark" && after != "light") {
		t.Fatalf("theme %q after toggling from %q", after, before)
	}
	b.shot(t, "lesson-"+after)
	b.run(t, "reload keeps the theme", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	if theme() != after {
		t.Errorf("theme not kept across a reload")
	}

	b.run(t, "narrow screen", chromedp.EmulateViewport(360, 740), chromedp.Navigate(b.base+"/lessons/"+second.Slug),
		chromedp.WaitVisible(chromedp.CSS("#lesson-title")))
	if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
		wide := eval[string](t, b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ")`)
		t.Errorf("the lesson page scrolls sideways at 360 px; too wide: %s", wide)
	}
	b.shot(t, "lesson-360px")

	// An arrow key in a wide code block the learner focused scrolls it;
	// it does not turn the page.
	if !eval[bool](t, b, `(() => { const pre = Array.from(document.querySelectorAll(".prose pre")).find(p => p.scrollWidth > p.clientWidth + 1); if (!pre) return false; pre.tabIndex = 0; pre.focus(); return document.activeElement === pre; })()`) {
		t.Fatal("no wide code block to focus on the narrow lesson page")
	}
	b.run(t, "press → in the code block", scripted, chromedp.KeyEvent(kb.ArrowRight))
	if url := b.location(t); !strings.HasSuffix(url, "/lessons/"+second.Slug) {
		t.Errorf("→ in a code block went to %s", url)
	}

	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// Pages a learner opens on a phone fit a 360 px screen: nothing scrolls
// sideways.
func TestBrowserNarrowPages(t *testing.T) {
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	b.run(t, "a phone-sized screen", chromedp.EmulateViewport(360, 740))
	for _, page := range []string{"/", "/join", "/glossary", "/interview", "/interview/cheatsheet", "/signin", "/signup", "/review", "/lessons/" + env.catalog.Lessons[0].Slug} {
		b.run(t, "open "+page, chromedp.Navigate(b.base+page), chromedp.WaitVisible(chromedp.CSS("main")))
		if wide := eval[string](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1 ? Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ") : ""`); wide != "" {
			t.Errorf("%s scrolls sideways at 360 px; too wide: %s", page, wide)
		}
		if page == "/join" {
			b.shot(t, "join-360px")
		}
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}

// TestAgainIfStale: an action that fails on a discarded node id is run
// again (and only such an action); another error ends it at once.
func TestAgainIfStale(t *testing.T) {
	stale := &cdproto.Error{Code: -32000, Message: "Could not find node with given id"}
	for _, tc := range []struct {
		name  string
		errs  []error
		runs  int
		fails bool
	}{
		{"stale once", []error{stale, nil}, 2, false},
		{"another error", []error{errors.New("no such element"), nil}, 1, true},
		{"stale every time", []error{stale, stale, stale, stale, stale, stale}, 5, true},
	} {
		runs := 0
		a := againIfStale(func(context.Context, *chromedp.Target) (chromedp.Void, error) {
			runs++
			return chromedp.Void{}, tc.errs[runs-1]
		})
		_, err := a(t.Context(), nil)
		if runs != tc.runs || (err != nil) != tc.fails {
			t.Errorf("%s: ran %d times (want %d), error %v", tc.name, runs, tc.runs, err)
		}
	}
}
