package ttlcache

import (
	"testing"
	"time"
)

// TestCache: an entry is trusted until TTL and not at it, a full cache
// starts over, and an Off cache has nothing.
func TestCache(t *testing.T) {
	c := &Cache[int]{TTL: 5 * time.Second, Max: 2}
	now := time.Unix(1000, 0)
	if _, ok := c.Get("a", now); ok {
		t.Fatal("empty cache has a")
	}
	c.Put("a", 1, now)
	if v, ok := c.Get("a", now.Add(5*time.Second-time.Nanosecond)); !ok || v != 1 {
		t.Errorf("within the TTL: %d, %v", v, ok)
	}
	if _, ok := c.Get("a", now.Add(5*time.Second)); ok {
		t.Error("at the TTL the entry is still trusted")
	}
	c.Put("b", 2, now)
	c.Put("c", 3, now) // full: starts over
	if _, ok := c.Get("a", now); ok {
		t.Error("a survived a full cache starting over")
	}
	if v, ok := c.Get("c", now); !ok || v != 3 {
		t.Errorf("c: %d, %v", v, ok)
	}
	c.Off = true
	if _, ok := c.Get("c", now); ok {
		t.Error("an Off cache answered")
	}
}
