package main

import (
	"context"
	"runtime"
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
// What is free includes what the burst parked for reuse: idle database
// connections, the compressors and buffers in sync.Pools, and the C heap
// that SQLite allocated through malloc (returnFreeMemory).
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
// counter until ctx ends. Each time, closeIdle first closes what the
// burst left open for reuse (the database pool's idle connections), so
// that what they held is free too.
func returnMemoryWhenIdle(ctx context.Context, closeIdle func()) {
	r := &idleReturner{allocs: heapAllocs, free: func() { closeIdle(); returnFreeMemory() }}
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

// returnFreeMemory collects twice and returns every free page to the OS,
// Go's and C's. One collection is not enough for what a burst left in
// sync.Pools (the gzip middleware keeps ~800 KB per compressor): the
// first moves a pool's objects to its victim cache, the second frees
// them. releaseCMemory then hands back the pages malloc keeps for reuse.
func returnFreeMemory() {
	runtime.GC()
	debug.FreeOSMemory()
	releaseCMemory()
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
