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

// SignInLimits decides whether a password guess may be tried, so that
// guessing stays slow without letting anyone lock an owner out of their
// account (ASVS 5.0 V6.3.1, documented here and in docs/security.md as
// V6.1.1 asks; OWASP's "device cookies" scheme). Only failed
// guesses use up an allowance: the caller reports success, and every
// bucket the guess took from gets its attempt back.
//
// A guess from a browser that has signed in to the account before (it
// holds a device cookie for it) counts only against that device, so
// nobody without that cookie can lock the owner out there. Any other
// guess counts against:
//   - its client address, whatever the account: a room behind one NAT
//     signs in together, while spraying from one address is slowed;
//   - the pair (account, address): five guesses, then one every 30 s;
//   - the account from every address: a ceiling of 20, then one a
//     minute, so an attacker with many addresses gets at most 80 guesses
//     an hour at one account (ASVS 4.0's V2.2.1 allowed 100), and the owner still
//     signs in from any known device meanwhile.
type SignInLimits struct {
	byAddr        *Limiter
	byAccountAddr *Limiter
	byAccount     *Limiter
	byDevice      *Limiter
}

// NewSignInLimits makes the site's sign-in limits on the given clock
// (nil: the real one).
func NewSignInLimits(now func() time.Time) *SignInLimits {
	return &SignInLimits{
		byAddr:        NewLimiter(20, 3*time.Second, now),
		byAccountAddr: NewLimiter(5, 30*time.Second, now),
		byAccount:     NewLimiter(20, time.Minute, now),
		byDevice:      NewLimiter(5, 30*time.Second, now),
	}
}

// Guess is one sign-in attempt: the account's key (see
// progress.UsernameKey), the client address, and the device ID from a
// device cookie issued to this account, or "".
type Guess struct {
	Account, Addr, Device string
}

// Take takes one attempt for g from each bucket it counts against. When
// one has none left, the others get theirs back, and Take returns false
// and how long until that one refills. When ok, call succeeded after a
// right password: the guess then costs nothing.
func (l *SignInLimits) Take(g Guess) (ok bool, wait time.Duration, succeeded func()) {
	type take struct {
		lim *Limiter
		key string
	}
	takes := []take{{l.byDevice, g.Account + "\x00" + g.Device}}
	if g.Device == "" {
		takes = []take{{l.byAddr, g.Addr}, {l.byAccountAddr, g.Account + "\x00" + g.Addr}, {l.byAccount, g.Account}}
	}
	var backs []func()
	giveBack := func() {
		for _, b := range backs {
			b()
		}
	}
	for _, t := range takes {
		ok, wait, back := t.lim.Take(t.key)
		if !ok {
			giveBack()
			return false, wait, func() {}
		}
		backs = append(backs, back)
	}
	return true, 0, giveBack
}
