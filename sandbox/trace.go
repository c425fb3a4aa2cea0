package sandbox

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

const (
	traceCap     = 200
	subscriberQ  = 64
	heartbeat    = 25 * time.Second
	maxListeners = 16 // event streams per lab and process
)

// trace is a lab's recent exchanges in this process, and the event
// streams listening to them. Replicas do not share it: a page whose event
// stream lands on another replica falls back to GET trace.
type trace struct {
	mu   sync.Mutex
	ring []*Exchange // oldest first once full: ring[next:] then ring[:next]
	next int
	subs map[chan sse]struct{}
}

type sse struct {
	event string
	data  []byte
}

// add appends x, dropping the oldest beyond traceCap, and tells the
// listeners, without ever waiting for a slow one.
func (t *trace) add(x *Exchange, milestones []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.ring) < traceCap {
		t.ring = append(t.ring, x)
	} else {
		t.ring[t.next] = x
		t.next = (t.next + 1) % traceCap
	}
	if len(t.subs) == 0 {
		return
	}
	events := make([]sse, 0, 1+len(milestones))
	if b, err := json.Marshal(x); err == nil {
		events = append(events, sse{"exchange", b})
	}
	for _, id := range milestones {
		b, _ := json.Marshal(map[string]string{"milestone": id, "exchange": x.ID})
		events = append(events, sse{"milestone", b})
	}
	for ch := range t.subs {
		for _, ev := range events {
			select {
			case ch <- ev:
			default: // a stalled reader misses events; GET trace has them
			}
		}
	}
}

// list returns the exchanges, oldest first.
func (t *trace) list() []*Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Exchange, 0, len(t.ring))
	out = append(out, t.ring[t.next:]...)
	return append(out, t.ring[:t.next]...)
}

func (t *trace) clear() {
	t.mu.Lock()
	t.ring, t.next = nil, 0
	t.mu.Unlock()
}

func (t *trace) subscribe() (chan sse, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.subs) >= maxListeners {
		return nil, false
	}
	if t.subs == nil {
		t.subs = map[chan sse]struct{}{}
	}
	ch := make(chan sse, subscriberQ)
	t.subs[ch] = struct{}{}
	return ch, true
}

func (t *trace) unsubscribe(ch chan sse) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.subs[ch]; ok {
		delete(t.subs, ch)
		close(ch)
	}
}

// closeAll ends every event stream (the lab is gone or the Manager closes).
func (t *trace) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for ch := range t.subs {
		close(ch)
	}
	t.subs = nil
}

// GET trace
func (m *Manager) getTrace(c *call) {
	c.json(http.StatusOK, map[string]any{"exchanges": c.e.trace.list()})
}

// GET events: a text/event-stream of "exchange" and "milestone" events
// until the client goes away.
func (m *Manager) events(c *call) {
	ch, ok := c.e.trace.subscribe()
	if !ok {
		c.fail(http.StatusTooManyRequests, "too_many_streams", "too many event streams are open on this lab; close a tab or use GET trace")
		return
	}
	defer c.e.trace.unsubscribe(ch)
	h := c.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell nginx-like proxies not to buffer
	c.w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(c.w)
	c.w.Write([]byte("retry: 3000\n\n"))
	rc.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	ctx := c.r.Context()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := c.w.Write([]byte(": keep-alive\n\n")); err != nil {
				return
			}
		case ev, open := <-ch:
			if !open {
				return
			}
			buf := make([]byte, 0, len(ev.data)+32)
			buf = append(buf, "event: "...)
			buf = append(buf, ev.event...)
			buf = append(buf, "\ndata: "...)
			buf = append(buf, ev.data...)
			buf = append(buf, "\n\n"...)
			if _, err := c.w.Write(buf); err != nil {
				return
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}
