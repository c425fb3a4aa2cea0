//go:build linux && cgo

package main

/*
#ifdef __GLIBC__
#include <malloc.h>
#endif
static void release_c_memory(void) {
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}
*/
import "C"

// releaseCMemory returns the free pages of the C heap to the OS. SQLite
// (mattn/go-sqlite3) allocates its page caches and statements with
// malloc, and glibc keeps what they free in per-thread arenas for reuse:
// after a burst of database work that is megabytes nobody uses until the
// next one. malloc_trim(0) gives back every whole free page of every
// arena. Other C libraries (musl) have no such call; it does nothing there.
func releaseCMemory() { C.release_c_memory() }
