package siteauth

import (
	"sync"
	"time"
)

// Touches throttles "last used" writes: one per Every for each ID (an
// API sign-in), so a client calling many times a second costs one write
// a minute. It remembers at most maxTouches IDs; when full it starts
// over, which costs one early write each, never a missed one.
type Touches struct {
	Every time.Duration
	mu    sync.Mutex
	last  map[string]time.Time
}

const maxTouches = 10000

// Due reports whether id's last use should be written now, and if so
// counts it as written.
func (f *Touches) Due(id string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.last[id]; ok && now.Sub(t) < f.Every {
		return false
	}
	if f.last == nil || len(f.last) >= maxTouches {
		f.last = map[string]time.Time{}
	}
	f.last[id] = now
	return true
}
