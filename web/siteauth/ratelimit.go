package siteauth

import (
	"math"
	"sync"
	"time"
)

// Limiter is a set of token buckets by key (an account name, a client
// address). It forgets keys idle for long, so it cannot grow without bound.
type Limiter struct {
	mu      sync.Mutex
	every   time.Duration // one attempt comes back per interval
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
	lastGC  time.Time
}

// bucket holds the attempts a key has left as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter allows burst attempts at once, then one per interval per key.
func NewLimiter(burst int, interval time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{every: interval, burst: float64(burst), buckets: map[string]*bucket{}, now: now}
}

// Allow takes one attempt for key. When none is left it returns false and
// how long until the next one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	ok, wait, _ := l.Take(key)
	return ok, wait
}

// Take is Allow for attempts that may turn out not to count: when ok,
// giveBack returns the attempt to key's bucket (once, however often it is
// called), so that, say, only failed sign-ins use up an address's
// allowance.
func (l *Limiter) Take(key string) (ok bool, wait time.Duration, giveBack func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.gc(now)
	b := l.refill(key, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.every)), func() {}
	}
	b.tokens--
	given := false
	return true, 0, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !given {
			given = true
			b := l.refill(key, l.now())
			b.tokens = min(l.burst, b.tokens+1)
		}
	}
}

// refill brings key's bucket up to now, creating it full.
func (l *Limiter) refill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+float64(d)/float64(l.every))
		b.last = now
	}
	return b
}

// RetryAfterSeconds rounds a wait up to whole seconds, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	return int(math.Max(1, math.Ceil(d.Seconds())))
}

// gc drops buckets idle long enough to be full again.
func (l *Limiter) gc(now time.Time) {
	if now.Sub(l.lastGC) < time.Minute {
		return
	}
	l.lastGC = now
	full := time.Duration(l.burst)*l.every + time.Minute
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}
