//go:build !unix

package web

import "testing"

// reportCPU runs f; CPU time per op is measured on unix only.
func reportCPU(_ *testing.B, f func()) { f() }
