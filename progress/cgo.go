//go:build cgo

package progress

const sqliteAvailable = true
