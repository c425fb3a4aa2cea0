package live

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// hubs are every Hub implementation: Local always, Redis when
// AUTHLAB_TEST_REDIS_URL is set.
func hubs(t *testing.T) map[string]func() Hub {
	t.Helper()
	out := map[string]func() Hub{"local": func() Hub { return NewLocal() }}
	if url := os.Getenv("AUTHLAB_TEST_REDIS_URL"); url != "" {
		prefix := fmt.Sprintf("authlab-test:%d:", time.Now().UnixNano())
		out["redis"] = func() Hub { return openRedis(t, url, prefix) }
	} else {
		t.Log("Redis part skipped: set AUTHLAB_TEST_REDIS_URL to run it")
	}
	return out
}

func recv(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case ev, ok := <-s.C:
		if !ok {
			t.Fatal("subscription closed")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return Event{}
}

func TestFanOut(t *testing.T) {
	t.Parallel()
	for name, mk := range hubs(t) {
		t.Run(name, func(t *testing.T) {
			h := mk()
			defer h.Close()
			ctx := context.Background()
			a1, a2, b := h.Subscribe("w:a"), h.Subscribe("w:a"), h.Subscribe("w:b")
			ev := Event{Topic: "w:a", Name: "round", Data: json.RawMessage(`{"n":1}`)}
			if err := h.Publish(ctx, ev); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*Subscription{a1, a2} {
				if got := recv(t, s); got.Name != "round" || string(got.Data) != `{"n":1}` {
					t.Errorf("got %+v", got)
				}
			}
			// b must not see w:a's event: publish to b and expect that one first.
			h.Publish(ctx, Event{Topic: "w:b", Name: "other", To: "p1"})
			if got := recv(t, b); got.Name != "other" || got.To != "p1" {
				t.Errorf("topic b got %+v", got)
			}
			a1.Close()
			a1.Close() // twice is fine
			if _, ok := <-a1.C; ok {
				t.Error("closed subscription still delivers")
			}
			h.Publish(ctx, Event{Topic: "w:a", Name: "after"})
			if got := recv(t, a2); got.Name != "after" {
				t.Errorf("a2 got %+v", got)
			}
		})
	}
}

func TestOrderKept(t *testing.T) {
	t.Parallel()
	for name, mk := range hubs(t) {
		t.Run(name, func(t *testing.T) {
			h := mk()
			defer h.Close()
			s := h.Subscribe("w:o")
			for i := range 100 {
				h.Publish(context.Background(), Event{Topic: "w:o", Name: fmt.Sprint(i)})
			}
			for i := range 100 {
				if got := recv(t, s); got.Name != fmt.Sprint(i) {
					t.Fatalf("event %d arrived as %q", i, got.Name)
				}
			}
		})
	}
}

func TestSlowSubscriberLagsWithoutBlocking(t *testing.T) {
	t.Parallel()
	h := NewLocal()
	slow := h.Subscribe("w:x")
	for range subBuffer + 10 {
		if err := h.Publish(context.Background(), Event{Topic: "w:x", Name: "e"}); err != nil {
			t.Fatal(err)
		}
	}
	if !slow.Lagged() {
		t.Error("a subscriber that missed events is not marked lagged")
	}
	if slow.Lagged() {
		t.Error("Lagged does not clear")
	}
	if len(slow.C) != subBuffer {
		t.Errorf("buffered %d, want %d", len(slow.C), subBuffer)
	}
	if n := h.Subscribers("w:x"); n != 1 {
		t.Errorf("%d subscribers", n)
	}
	h.Close()
	if err := h.Publish(context.Background(), Event{Topic: "w:x"}); err != ErrClosed {
		t.Errorf("publish after close: %v", err)
	}
	for range slow.C {
	}
	if s := h.Subscribe("w:y"); s != nil {
		if _, ok := <-s.C; ok {
			t.Error("subscription on a closed hub is open")
		}
	}
}

func TestManualClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewManualClock(start)
	var fired []string
	c.AfterFunc(20*time.Second, func() { fired = append(fired, "b") })
	c.AfterFunc(10*time.Second, func() { fired = append(fired, "a") })
	stopped := c.AfterFunc(15*time.Second, func() { fired = append(fired, "x") })
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop reports wrongly")
	}
	c.Advance(9 * time.Second)
	if len(fired) != 0 {
		t.Fatalf("fired early: %v", fired)
	}
	c.Advance(11 * time.Second)
	if fmt.Sprint(fired) != "[a b]" {
		t.Errorf("fired %v, want [a b]", fired)
	}
	if !c.Now().Equal(start.Add(20*time.Second)) || c.Pending() != 0 {
		t.Errorf("now %v, pending %d", c.Now(), c.Pending())
	}
	var real Clock = RealClock{}
	done := make(chan struct{})
	real.AfterFunc(time.Millisecond, func() { close(done) })
	<-done
}
