package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Memory handed back once a burst of work is over. The Go runtime keeps
// the heap it grew under load for the next burst (up to its next goal and
// a tenth more), and a course server often sees a burst (a workshop, a
// class) and then nothing for hours: holding tens of MB through the quiet
// hours helps no one. So the server watches how much it allocates, and
// when a period that allocated much is followed by a quiet one, it
// collects and returns what is free, as start-up does after loading.
const (
	idleCheckEvery = 5 * time.Second
	// busyAllocs is what a period must allocate to count as busy work
	// done since the last return; quietAllocs is the most a quiet period
	// allocates (an idle server's own timers allocate a few KB).
	busyAllocs  = 16 << 20
	quietAllocs = 1 << 20
)

// idleReturner decides, period by period, when to return memory.
type idleReturner struct {
	allocs func() uint64 // bytes allocated so far, ever growing
	free   func()        // collect and return free memory to the OS
	last   uint64        // allocs at the end of the previous period
	since  uint64        // bytes allocated since the last return
}

// tick ends a period. It returns whether memory was returned.
func (r *idleReturner) tick() bool {
	now := r.allocs()
	period := now - r.last
	r.last = now
	r.since += period
	if period > quietAllocs || r.since < busyAllocs {
		return false
	}
	r.free()
	r.since = 0
	return true
}

// returnMemoryWhenIdle runs an idleReturner on the runtime's allocation
// counter until ctx ends.
func returnMemoryWhenIdle(ctx context.Context) {
	r := &idleReturner{allocs: heapAllocs, free: debug.FreeOSMemory}
	r.last = r.allocs()
	t := time.NewTicker(idleCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.tick()
		}
	}
}

// heapAllocs is the runtime's count of bytes allocated on the heap.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
