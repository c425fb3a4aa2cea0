//go:build !cgo

package progress

// sqliteAvailable is false: mattn/go-sqlite3 needs cgo, and without it
// every query would fail with a confusing driver message.
const sqliteAvailable = false

// sqliteDriverFor names a driver that is never opened without cgo
// (sqliteAvailable).
func sqliteDriverFor(chan<- struct{}) string { return "sqlite3" }
