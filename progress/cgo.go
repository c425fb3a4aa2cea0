//go:build cgo

package progress

import (
	"database/sql"

	sqlite3 "github.com/mattn/go-sqlite3"
)

const sqliteAvailable = true

// sqliteDriver is mattn/go-sqlite3 with SQLite's automatic checkpoints
// turned off on every connection: the store's checkpointer copies the
// WAL into the database file beside the writers (checkpoint.go).
const sqliteDriver = "authlab-sqlite3"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}
