package main

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestIdleReturner: memory is returned once, when a quiet period follows
// busy ones; never while work goes on, never for a trickle of work, and
// not again until there has been another burst.
func TestIdleReturner(t *testing.T) {
	t.Parallel()
	var allocs uint64
	frees := 0
	r := &idleReturner{allocs: func() uint64 { return allocs }, free: func() { frees++ }}
	steps := []struct {
		alloc    uint64
		returned bool
		why      string
	}{
		{0, false, "nothing done yet"},
		{10 << 20, false, "busy"},
		{10 << 20, false, "still busy"},
		{100 << 10, true, "quiet after 20 MB of work"},
		{0, false, "quiet, nothing new to return"},
		{500 << 10, false, "a trickle"},
		{500 << 10, false, "a trickle"},
		{0, false, "quiet after a trickle of 1 MB"},
		{40 << 20, false, "a burst"},
		{2 << 20, false, "the burst tails off, not yet quiet"},
		{0, true, "quiet after the burst"},
	}
	for i, s := range steps {
		allocs += s.alloc
		if got := r.tick(); got != s.returned {
			t.Errorf("period %d (%s): returned %v, want %v", i, s.why, got, s.returned)
		}
	}
	if frees != 2 {
		t.Errorf("memory returned %d times, want 2", frees)
	}
}

// TestHeapAllocsGrows: the runtime's counter moves with allocation.
func TestHeapAllocsGrows(t *testing.T) {
	before := heapAllocs()
	buf := make([][]byte, 0, 64)
	for range 64 {
		buf = append(buf, make([]byte, 64<<10))
	}
	runtime.KeepAlive(buf)
	if after := heapAllocs(); after < before+4<<20 {
		t.Errorf("allocated 4 MB, counter moved %d bytes", after-before)
	}
}

// TestReturnFreeMemoryEmptiesPools: what a burst parked in a sync.Pool
// is freed by returnFreeMemory, though one collection only moves a
// pool's objects to its victim cache.
func TestReturnFreeMemoryEmptiesPools(t *testing.T) {
	var pool sync.Pool
	freed := make(chan struct{})
	buf := new([1 << 20]byte)
	runtime.AddCleanup(buf, func(ch chan struct{}) { close(ch) }, freed)
	pool.Put(buf)
	buf = nil
	returnFreeMemory()
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("a pooled 1 MB buffer was still alive after returnFreeMemory")
	}
	runtime.KeepAlive(&pool)
}
