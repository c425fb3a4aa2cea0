package progress

import (
	"context"
	"database/sql"
	"time"
)

// SQLite in WAL mode appends every commit to the write-ahead log. By
// default the commit that takes the log past 1,000 pages then copies it
// back into the database file (a checkpoint, with an fsync) before it
// returns; with group commit that is the one answer writer's commit, so
// each checkpoint stalled every answer waiting behind it.
//
// The store's connections have automatic checkpoints off
// (sqliteDriverFor). Instead, a goroutine runs a PASSIVE checkpoint
// beside the writers, checkpointEvery after a commit (so a burst of
// commits costs one pass per period), and again each period until a
// pass has copied the whole log; then it sleeps until the next commit,
// and an idle server does not wake. A PASSIVE checkpoint takes no lock a
// writer or a reader waits for, and copies most of the log. Under
// constant writes it never quite catches up with the last commit, and
// the log can restart from its beginning only after a checkpoint that
// did, so once the log is past walLongFrames the answer writer finishes
// the job between two groups (commitAnswers): what is left to copy by
// then is the little written since the last background pass. When the
// last connection closes, SQLite checkpoints what is left itself.

const (
	checkpointEvery = 50 * time.Millisecond
	walLongFrames   = 1000 // SQLite's own threshold for its automatic checkpoint
)

// checkpointer runs PASSIVE checkpoints after commits (signalled on
// commits) until stop is closed, then closes done.
func (s *Store) checkpointer(sqlDB *sql.DB, commits <-chan struct{}, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTimer(checkpointEvery)
	defer t.Stop()
	behind := false // the last pass left part of the log uncopied
	for {
		if !behind {
			select {
			case <-stop:
				return
			case <-commits:
			}
		}
		t.Reset(checkpointEvery)
		select {
		case <-stop:
			return
		case <-t.C:
		}
		frames, copied, err := checkpoint(sqlDB)
		s.checkpoints.Add(1)
		if err != nil {
			select {
			case <-stop: // closing
				return
			default:
			}
			s.log.Warn("checkpoint the SQLite write-ahead log", "err", err)
			behind = true
			continue
		}
		behind = copied < frames
		if frames > walLongFrames {
			s.walLong.Store(true)
		}
	}
}

// checkpoint runs one PASSIVE checkpoint and returns the log's length in
// frames and how many of them are now in the database file. The pragma answers a row (busy, frames, frames copied), read
// to the end so the statement does not stay open on the connection and
// block that connection's next COMMIT.
func checkpoint(sqlDB *sql.DB) (frames, copied int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var busy int
	err = sqlDB.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	return frames, copied, err
}

// finishCheckpoint is run by the answer writer between two groups: when
// the log has grown long, it checkpoints while no answer is being
// written, so the checkpoint catches up and the next commit starts the
// log again from its beginning.
func (s *Store) finishCheckpoint(sqlDB *sql.DB) {
	if !s.walLong.Swap(false) {
		return
	}
	if _, _, err := checkpoint(sqlDB); err != nil {
		s.log.Warn("checkpoint the SQLite write-ahead log", "err", err)
	}
}
