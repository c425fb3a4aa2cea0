package main

import (
	"runtime/debug"
	"sync"
)

// startHeapLimit bounds the heap while the collector is paused for
// start-up. Starting allocates about 45 MB, nearly all of it garbage
// (the course's rendering, the templates' parse trees), of which some
// 10 MB stays live; the limit leaves room for a course twice this size
// before the collector runs anyway.
const startHeapLimit = 128 << 20

// gcPause is the collector's settings from before the first pause that
// is still in force. The settings are the process's, and tests start
// several servers in one process at once: the last to resume restores
// them, not whichever resumes first.
var gcPause struct {
	sync.Mutex
	n        int
	percent  int
	memLimit int64
}

// pauseGC turns the garbage collector off until the heap reaches limit
// (or a lower GOMEMLIMIT) and returns the function that restores the
// settings it found; calling it again does nothing. A third of the CPU
// time of a cold start went to collecting a heap that is nearly all
// garbage and is thrown away as soon as the server listens.
func pauseGC(limit int64) (resume func()) {
	gcPause.Lock()
	defer gcPause.Unlock()
	if gcPause.n == 0 {
		gcPause.percent = debug.SetGCPercent(-1)
		gcPause.memLimit = debug.SetMemoryLimit(-1) // a negative limit only reads it
		debug.SetMemoryLimit(min(gcPause.memLimit, limit))
	}
	gcPause.n++
	return sync.OnceFunc(func() {
		gcPause.Lock()
		defer gcPause.Unlock()
		if gcPause.n--; gcPause.n == 0 {
			debug.SetMemoryLimit(gcPause.memLimit)
			debug.SetGCPercent(gcPause.percent)
		}
	})
}
