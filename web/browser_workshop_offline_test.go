//go:build !nobrowser

package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// streamCutter serves h and can cut every event stream it has open, as
// a phone's dropped connection does (Chromium's offline emulation stops
// new requests only, not a stream already open).
type streamCutter struct {
	h       http.Handler
	mu      sync.Mutex
	cancels []context.CancelFunc
}

func (s *streamCutter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/events") {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		s.mu.Lock()
		s.cancels = append(s.cancels, cancel)
		s.mu.Unlock()
		r = r.WithContext(ctx)
	}
	s.h.ServeHTTP(w, r)
}

func (s *streamCutter) cut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cancel := range s.cancels {
		cancel()
	}
	s.cancels = nil
}

// online takes the tab's network away (false) or gives it back (true);
// the page sees navigator.onLine change and gets its online event.
func online(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: !on, DownloadThroughput: -1, UploadThroughput: -1}}}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: !on, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// A phone that drops off the network misses nothing: a round that
// opened while it was away is announced and scrolled to when it is back;
// an answer tapped with no connection is kept (and said to be) and goes
// out when the network returns; a reveal or a podium it missed is
// announced too, and a reload shows the podium again.
func TestBrowserWorkshopOffline(t *testing.T) {
	t.Parallel() // each test has its own server, store and browser
	env := newTestEnv(t)
	q, _, _ := singleQuestion(t, env)
	teacher, code := openWorkshop(t, env)
	teacher.run(t, "open the board", chromedp.Click(chromedp.CSS(`.ws-lobby-actions a`)), chromedp.WaitVisible(chromedp.CSS(".ws-board")))
	cutter := &streamCutter{h: env.srv}
	ts := httptest.NewServer(cutter)
	t.Cleanup(ts.Close)
	bob := teacher.tab(t)
	bob.base = ts.URL // the same site, through a line that can be cut
	bob.run(t, "Bob opens the join link", chromedp.EmulateViewport(360, 740), chromedp.Navigate(bob.base+"/w/"+code))
	pickNickname(t, bob, "Bob")
	waitJS(t, bob, "the first lesson", `document.querySelector("[data-frame]").contentDocument?.querySelector("#lesson-title")`)
	// Bob reads on, scrolled down into the lesson.
	eval[bool](t, bob, `(scrollTo(0, document.querySelector(".ws-stage").offsetTop), true)`)
	status := `document.querySelector("[data-status]").textContent`
	banner := `document.querySelector("[data-banner]:not([hidden]) [data-banner-text]")?.textContent || ""`
	away := func(what string) {
		t.Helper()
		bob.run(t, what, online(false))
		cutter.cut()
		waitJS(t, bob, what+": the screen knows", status+`.startsWith("Connection lost")`)
	}

	away("offline before the round")
	// What the round card says the moment it is drawn (a MutationObserver
	// runs before the countdown's next tick): the time left, not blank.
	eval[bool](t, bob, `(window.firstCountdown = null, new MutationObserver((_, o) => {
		const c = document.querySelector("[data-countdown]");
		if (c) { window.firstCountdown = c.textContent + " / " + document.querySelector("[data-timer]").value; o.disconnect(); }
	}).observe(document.body, {childList: true, subtree: true}), true)`)
	startRound(t, teacher, q.ID, "90")
	waitJS(t, teacher, "the round on the board", `document.querySelector("[data-round-id]")`)
	bob.run(t, "back online", online(true))
	waitJS(t, bob, "the missed round announced", banner+`.startsWith("Round 1: a question for everyone")`)
	inView(t, bob, "the missed round", ".ws-choices")
	if drawn := eval[string](t, bob, `window.firstCountdown || ""`); !regexp.MustCompile(`^([1-9]|[1-8][0-9]|90) s / [1-9]`).MatchString(drawn) {
		t.Errorf("the round card was drawn with countdown and bar %q, want the time left in both", drawn)
	}
	bob.shot(t, "workshop-offline-missed-round")

	away("offline before answering")
	// The last choice: the click scrolls down to it, and what the screen
	// says next must still be in view.
	bob.run(t, "Bob taps an answer", chromedp.Click(chromedp.CSS(`.ws-choices .ws-choice:last-child`)))
	waitJS(t, bob, "the answer said to be kept", status+`.includes("your answer is kept")`)
	waitJS(t, bob, "and said so by the question", `document.querySelector("[data-kept]")?.textContent.includes("your answer is kept")`)
	inView(t, bob, "the kept answer's note", "[data-kept]")
	bob.shot(t, "workshop-offline-answer-kept")
	bob.run(t, "back online", online(true))
	waitJS(t, bob, "the kept answer recorded", status+` === "Answer recorded." && document.querySelector(".ws-hist-row.is-mine")`)
	waitJS(t, teacher, "the board's reveal button (Bob, the only one, answered)", `document.querySelector('form[action$="/reveal"] button')`)

	away("offline before the reveal")
	boardClick(t, teacher, "reveal", `form[action$="/reveal"] button`)
	waitJS(t, teacher, "the reveal on the board", `document.querySelector(".ws-correct")`)
	bob.run(t, "back online", online(true))
	waitJS(t, bob, "the missed reveal announced", banner+` === "The answer is revealed."`)
	waitJS(t, bob, "Bob's verdict", `document.querySelector(".ws-verdict")`)
	inView(t, bob, "the verdict", ".ws-verdict")

	// The podium is a moment too: one shown while the phone was away
	// is announced when it is back, and a reload shows it again.
	away("offline before the podium")
	boardClick(t, teacher, "show the podium", `form[action$="/podium"] button`)
	waitJS(t, teacher, "the podium on the board", `!document.querySelector(".ws-podium").hidden`)
	bob.run(t, "back online", online(true))
	waitJS(t, bob, "the missed podium announced", banner+` === "The podium!" && document.querySelector("[data-round] .ws-podium .ws-podium-list")`)
	inView(t, bob, "the podium", ".ws-podium")
	// Bob's pick was the last choice, right or wrong: the podium is the
	// board's either way (Bob on it, or "Nobody has scored yet").
	podium := eval[string](t, teacher, `document.querySelector(".ws-podium").textContent`)
	bob.run(t, "Bob reloads", chromedp.Reload())
	waitJS(t, bob, "the board's podium after a reload", `document.querySelector("[data-round] .ws-podium")?.textContent === `+jsString(podium))
	for _, p := range bob.problems() {
		if !strings.Contains(p, "ERR_INTERNET_DISCONNECTED") { // the requests tried while offline
			t.Errorf("Bob: console: %s", p)
		}
	}
}
