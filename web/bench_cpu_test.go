//go:build unix

package web

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time this process has used so far (user and
// system, every thread, the garbage collector's included).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU runs f and reports the process's CPU time per op as
// cpu-ns/op. On a machine other jobs load, ns/op measures the wait for a
// core as much as the work; CPU time per op measures the work alone.
func reportCPU(b *testing.B, f func()) {
	before := processCPU()
	f()
	if cpu := processCPU() - before; cpu > 0 && b.N > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
