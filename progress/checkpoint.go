package progress

import (
	"context"
	"database/sql"
	"time"
)

// SQLite in WAL mode appends every commit to the write-ahead log and, by
// default, the commit that takes the log past 1,000 pages copies it back
// into the database file (a checkpoint, with an fsync) before it
// returns. With group commit that commit is the one answer writer's, so
// every checkpoint stalled every answer waiting behind it. The store's
// connections have automatic checkpoints off (sqliteDriver), and this
// goroutine checkpoints instead, beside the writers: a PASSIVE
// checkpoint takes no lock a writer or reader waits for, and copies what
// no open read still needs. At its interval it keeps the log about as
// short as the default threshold would at the highest write rates
// measured (docs/benchmarks.md). When the last connection closes, SQLite
// checkpoints what is left itself.

// checkpointEvery is how often the checkpointer runs.
const checkpointEvery = 100 * time.Millisecond

// checkpointer runs PASSIVE checkpoints until stop is closed, then
// closes done.
func (s *Store) checkpointer(sqlDB *sql.DB, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		// The pragma answers a row (busy, log frames, frames copied); it
		// is read to the end, so the statement does not stay open on the
		// connection and block its next COMMIT.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var busy, frames, copied int
		err := sqlDB.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		cancel()
		if err != nil {
			select {
			case <-stop: // closing
				return
			default:
			}
			s.log.Warn("checkpoint the SQLite write-ahead log", "err", err)
		}
	}
}
