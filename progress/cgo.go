//go:build cgo

package progress

import (
	"database/sql"
	"strconv"
	"sync/atomic"

	sqlite3 "github.com/mattn/go-sqlite3"
)

const sqliteAvailable = true

// drivers numbers the drivers sqliteDriverFor registers.
var drivers atomic.Int64

// sqliteDriverFor registers, for one store, mattn/go-sqlite3 with
// SQLite's automatic checkpoints turned off on every connection (the
// store's checkpointer copies the WAL into the database file beside the
// writers, checkpoint.go) and every commit signalled on commits, so the
// checkpointer sleeps while nothing is written. It returns the driver's
// name.
func sqliteDriverFor(commits chan<- struct{}) string {
	name := "authlab-sqlite3-" + strconv.FormatInt(drivers.Add(1), 10)
	sql.Register(name, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil); err != nil {
			return err
		}
		c.RegisterCommitHook(func() int {
			select {
			case commits <- struct{}{}:
			default: // a signal is already waiting
			}
			return 0 // let the commit happen
		})
		return nil
	}})
	return name
}
