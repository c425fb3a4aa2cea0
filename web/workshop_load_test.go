package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/workshop"
)

// TestWorkshopLoad is the 300-attendee load test, run only when asked:
//
//	AUTHLAB_LOAD=300 go test ./web -run TestWorkshopLoad -v -timeout 5m
//
// Everything is on loopback and bounded: N attendees join, each holds an
// SSE stream, the instructor starts a round, every attendee answers
// within 5 seconds of seeing it, and the round closes when the last
// answer is in. It reports answers recorded (must be all), the time from
// the close to each client seeing the histogram (p50/p99/max) and the
// process RSS (server and the N clients together, so an upper bound for
// the server's own).
func TestWorkshopLoad(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("AUTHLAB_LOAD"), &n)
	if n <= 0 {
		t.Skip("set AUTHLAB_LOAD=300 to run the workshop load test")
	}
	n = min(n, 1000)
	r := newRoom(t)
	r.env.srv.ws.SetClock(live.RealClock{})
	q, right, wrong := singleQuestion(t, r.env)

	// One transport for every attendee, as a browser per attendee would
	// hold one stream connection plus one for requests.
	tr := &http.Transport{MaxIdleConnsPerHost: n * 2, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	type attendee struct {
		hc       *http.Client
		round    time.Time // saw the round
		closed   time.Time // saw the histogram
		answered bool
		err      error
	}
	people := make([]*attendee, n)
	joinStart := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range people {
		jar, _ := cookiejar.New(nil)
		a := &attendee{hc: &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		people[i] = a
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			resp, err := a.hc.PostForm(r.ts.URL+"/w/"+r.code+"/join", url.Values{"nickname": {fmt.Sprintf("Attendee %03d", i)}})
			if err != nil {
				a.err = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				a.err = fmt.Errorf("join: %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	joinTook := time.Since(joinStart)
	for _, a := range people {
		if a.err != nil {
			t.Fatal(a.err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	var roundID string
	var mu sync.Mutex
	for _, a := range people {
		go func() {
			defer done.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", r.ts.URL+"/w/"+r.code+"/events", nil)
			resp, err := a.hc.Do(req)
			if err != nil {
				a.err = err
				ready.Done()
				return
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 16<<10), 1<<20)
			var name string
			signalled := false
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "event: ") {
					name = line[7:]
					continue
				}
				if !strings.HasPrefix(line, "data: ") {
					continue
				}
				switch name {
				case "hello":
					if !signalled {
						signalled = true
						ready.Done()
					}
				case "round":
					a.round = time.Now()
					var rv workshop.RoundView
					json.Unmarshal([]byte(line[6:]), &rv)
					mu.Lock()
					roundID = rv.ID
					mu.Unlock()
					go func() { // think, then answer; a quarter get it wrong
						time.Sleep(time.Duration(rand.IntN(5000)) * time.Millisecond)
						choice := right
						if rand.IntN(4) == 0 {
							choice = wrong
						}
						for try := 0; try < 3; try++ {
							req, _ := http.NewRequestWithContext(ctx, "POST", r.ts.URL+"/w/"+r.code+"/answer",
								strings.NewReader(url.Values{"round": {rv.ID}, "choice": {choice}}.Encode()))
							req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
							req.Header.Set("Accept", "application/json")
							resp, err := a.hc.Do(req)
							if err != nil {
								continue
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
								a.answered = true
								return
							}
							a.err = fmt.Errorf("answer: %d", resp.StatusCode)
							return
						}
					}()
				case "closed":
					a.closed = time.Now()
					return
				}
			}
		}()
	}
	ready.Wait()
	pres := followAsPresenter(ctx, t, r)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	r.act(t, "/rounds", url.Values{"question": {q.ID}, "seconds": {"60"}}, http.StatusCreated)
	done.Wait()
	closedAll := time.Since(start)
	rss := vmRSS()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	rd, err := r.env.store.Round(context.Background(), r.id, roundID)
	if err != nil || rd.ClosedAt == nil {
		t.Fatalf("round %v closed at %v", err, rd)
	}
	answers, _ := r.env.store.RoundAnswers(context.Background(), roundID)
	var toRound, toHist []time.Duration
	for i, a := range people {
		if a.err != nil {
			t.Errorf("attendee %d: %v", i, a.err)
		}
		if a.closed.IsZero() {
			t.Errorf("attendee %d never saw the histogram", i)
			continue
		}
		toRound = append(toRound, a.round.Sub(start))
		toHist = append(toHist, max(0, a.closed.Sub(*rd.ClosedAt)))
	}
	if len(answers) != n {
		t.Errorf("%d answers recorded, want %d", len(answers), n)
	}
	// The presenter screen shows the closed round with every answer.
	shown := pres.shownAt(func(b *workshop.Board) bool { return b.Round != nil && b.Round.Closed && b.Round.Answered == n })
	if shown.IsZero() {
		t.Errorf("the presenter screen never showed the closed round with %d answers (%d snapshots)", n, pres.fetches.Load())
	} else {
		t.Logf("presenter screen: %d board snapshots; the closed round with every answer on it %v after the close", pres.fetches.Load(), shown.Sub(*rd.ClosedAt).Round(time.Millisecond))
	}
	slices.Sort(toRound)
	slices.Sort(toHist)
	p := func(d []time.Duration, q float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, int(float64(len(d))*q))]
	}
	t.Logf("attendees %d; joined in %v; answers recorded %d/%d; round start→seen p50 %v p99 %v; close→histogram p50 %v p99 %v max %v; start→all closed %v",
		n, joinTook.Round(time.Millisecond), len(answers), n, p(toRound, .5).Round(time.Millisecond), p(toRound, .99).Round(time.Millisecond),
		p(toHist, .5).Round(time.Millisecond), p(toHist, .99).Round(time.Millisecond), toHist[len(toHist)-1].Round(time.Millisecond), closedAll.Round(time.Millisecond))
	t.Logf("process RSS %d MB (server and %d clients in one process); Go heap in use %d MB; goroutines %d",
		rss>>20, n, after.HeapInuse>>20, runtime.NumGoroutine())
	if p99 := p(toHist, .99); p99 > 250*time.Millisecond {
		t.Errorf("histogram p99 %v > 250 ms", p99)
	}
	switch {
	case raceEnabled:
		t.Log("RSS not checked: the race detector's shadow memory multiplies it (run without -race for the figure)")
	case rss > 150<<20:
		t.Errorf("RSS %d MB > 150 MB", rss>>20)
	}
}

// presenterView is the presenter screen in a load test: it follows the
// board's stream and reloads the board's snapshot on events, as
// present.js does (one fetch at a time, one more if events came in
// meanwhile).
type presenterView struct {
	fetches atomic.Int64
	mu      sync.Mutex
	last    *workshop.Board
	at      time.Time // when last arrived
}

// followAsPresenter connects the instructor's presenter screen to r's
// board stream and returns once it has said hello.
func followAsPresenter(ctx context.Context, t *testing.T, r *room) *presenterView {
	t.Helper()
	pv := &presenterView{}
	req, _ := http.NewRequestWithContext(ctx, "GET", r.ts.URL+"/workshops/"+r.id+"/events", nil)
	resp, err := r.teacher.hc.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the presenter's stream: %v %v", resp, err)
	}
	kick := make(chan struct{}, 1)
	go func() { // the snapshots
		for range kick {
			req, _ := http.NewRequestWithContext(ctx, "GET", r.ts.URL+"/workshops/"+r.id+"/board.json", nil)
			req.Header.Set("Accept", "application/json")
			res, err := r.teacher.hc.Do(req)
			if err != nil {
				return
			}
			var b workshop.Board
			err = json.NewDecoder(res.Body).Decode(&b)
			res.Body.Close()
			if err == nil {
				pv.fetches.Add(1)
				pv.mu.Lock()
				pv.last, pv.at = &b, time.Now()
				pv.mu.Unlock()
			}
		}
	}()
	hello := make(chan struct{})
	go func() { // the stream
		defer resp.Body.Close()
		defer close(kick)
		sc := bufio.NewScanner(resp.Body)
		said, name := false, ""
		for sc.Scan() {
			if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				name = ev
			}
			if strings.HasPrefix(sc.Text(), "data: ") && name != "answered" { // present.js counts those in place
				if !said {
					said = true
					close(hello)
				}
				select {
				case kick <- struct{}{}:
				default:
				}
			}
		}
	}()
	<-hello
	return pv
}

// shownAt is when the presenter screen's snapshot first met cond,
// waiting up to 10 s for it; zero when it never did.
func (pv *presenterView) shownAt(cond func(*workshop.Board) bool) time.Time {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		pv.mu.Lock()
		b, at := pv.last, pv.at
		pv.mu.Unlock()
		if b != nil && cond(b) {
			return at
		}
	}
	return time.Time{}
}

// vmRSS is this process's resident set size, from /proc.
func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}
