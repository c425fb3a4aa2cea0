package live

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
)

// Event is one notification on a topic. Name becomes the SSE event
// name; To narrows the audience (empty: everyone on the topic) and is
// interpreted by the subscriber, not the hub.
type Event struct {
	Topic string          `json:"t"`
	Name  string          `json:"n"`
	To    string          `json:"to,omitempty"`
	Data  json.RawMessage `json:"d,omitempty"`
}

// Hub publishes events and hands out subscriptions. Implementations
// are safe for concurrent use.
type Hub interface {
	// Publish sends ev to every current subscriber of ev.Topic (on
	// every replica, for a shared hub). It never blocks on a slow
	// subscriber.
	Publish(ctx context.Context, ev Event) error
	// Subscribe starts receiving the topic's events; Close ends it.
	Subscribe(topic string) *Subscription
	// Close ends every subscription.
	Close() error
}

// ErrClosed is returned by Publish on a closed hub.
var ErrClosed = errors.New("live: hub closed")

// subBuffer is how many events a subscriber may fall behind before it
// is marked lagged. A stream drains in microseconds; 256 covers a burst
// of 300 answers arriving at the instructor's board.
const subBuffer = 256

// Subscription is one subscriber. C is closed when the subscription or
// the hub is closed.
type Subscription struct {
	C      <-chan Event
	c      chan Event
	topic  string
	lagged atomic.Bool
	once   sync.Once
	hub    *Local
}

// Lagged reports, and clears, whether events were dropped because the
// subscriber fell behind; it should then reload the state.
func (s *Subscription) Lagged() bool { return s.lagged.Swap(false) }

// Close stops the subscription. It is safe to call more than once.
func (s *Subscription) Close() { s.hub.remove(s) }

// Local is the in-process hub.
type Local struct {
	mu     sync.RWMutex
	topics map[string]map[*Subscription]struct{}
	closed bool
}

var _ Hub = (*Local)(nil)

// NewLocal returns an in-process hub.
func NewLocal() *Local { return &Local{topics: map[string]map[*Subscription]struct{}{}} }

// Publish implements Hub.
func (h *Local) Publish(_ context.Context, ev Event) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return ErrClosed
	}
	for s := range h.topics[ev.Topic] {
		select {
		case s.c <- ev:
		default:
			s.lagged.Store(true)
		}
	}
	return nil
}

// Subscribe implements Hub. On a closed hub the subscription's channel
// is closed at once.
func (h *Local) Subscribe(topic string) *Subscription {
	c := make(chan Event, subBuffer)
	s := &Subscription{C: c, c: c, topic: topic, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.once.Do(func() { close(c) })
		return s
	}
	subs := h.topics[topic]
	if subs == nil {
		subs = map[*Subscription]struct{}{}
		h.topics[topic] = subs
	}
	subs[s] = struct{}{}
	return s
}

func (h *Local) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if subs := h.topics[s.topic]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.topics, s.topic)
		}
	}
	s.once.Do(func() { close(s.c) })
}

// Subscribers counts the open subscriptions of a topic.
func (h *Local) Subscribers(topic string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.topics[topic])
}

// Close implements Hub.
func (h *Local) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	for _, subs := range h.topics {
		for s := range subs {
			s.once.Do(func() { close(s.c) })
		}
	}
	h.topics = nil
	return nil
}
