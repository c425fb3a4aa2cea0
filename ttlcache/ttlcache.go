package ttlcache

import (
	"sync"
	"time"
)

// Cache maps a key to a value trusted for TTL after it was put, holding
// at most Max entries. The zero value with TTL and Max set is ready; it
// is safe for concurrent use.
type Cache[V any] struct {
	TTL time.Duration
	Max int
	Off bool // benchmarks turn it off to measure the lookup on every request
	mu  sync.Mutex
	m   map[string]entry[V]
}

type entry[V any] struct {
	v     V
	until time.Time
}

// Get is the value under key if it was put less than TTL before now.
func (c *Cache[V]) Get(key string, now time.Time) (V, bool) {
	var zero V
	if c.Off {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.until) {
		return zero, false
	}
	return e.v, true
}

// Put keeps v under key until now+TTL; a full cache starts over.
func (c *Cache[V]) Put(key string, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.Max {
		c.m = map[string]entry[V]{}
	}
	c.m[key] = entry[V]{v: v, until: now.Add(c.TTL)}
}
