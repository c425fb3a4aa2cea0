package main

import (
	"runtime/debug"
	"testing"
)

// TestPauseGCRestores: overlapping pauses (tests start servers in
// parallel) restore the settings from before the first, once the last
// resumes.
func TestPauseGCRestores(t *testing.T) {
	before := debug.SetGCPercent(-1)
	debug.SetGCPercent(before)
	a := pauseGC(1 << 30)
	b := pauseGC(1 << 30)
	a()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GC percent with one pause left = %d, want -1 (off)", got)
	}
	b()
	b() // a second call does nothing
	if got := debug.SetGCPercent(before); got != before {
		t.Errorf("GC percent after both resumed = %d, want %d", got, before)
	}
}
