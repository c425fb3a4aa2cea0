//go:build !linux || !cgo

package main

// releaseCMemory does nothing: without cgo there is no C heap (SQLite
// needs cgo, so such a build serves Postgres only), and elsewhere than
// Linux the C library gives no portable way to return free pages.
func releaseCMemory() {}
