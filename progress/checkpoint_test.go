package progress

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Commits leave checkpoints to the store's checkpointer: no connection
// checkpoints by itself, and what was committed reaches the database
// file while the store stays open (without the checkpointer it would
// stay in the write-ahead log until the last connection closed).
func TestCheckpointsBesideTheWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := openSQLiteIn(t)
	var auto int
	if err := s.db.Raw("PRAGMA wal_autocheckpoint").Scan(&auto).Error; err != nil || auto != 0 {
		t.Fatalf("wal_autocheckpoint = %d (%v), want 0: commits would checkpoint themselves", auto, err)
	}
	file := filepath.Join(dir, "authlab.db")
	size := func() int64 {
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	for i := range 300 {
		a := lessonAnswer("ann", fmt.Sprintf("k%03d", i), "q1", i%2 == 0, fmt.Sprintf("a fairly long answer to fill pages %0200d", i))
		if _, err := s.RecordAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); size() <= before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes after 300 answers: nothing checkpointed", before)
		}
	}
	if got := s.AnswerStats().Items; got != 300 {
		t.Errorf("%d answers written, want 300", got)
	}
}

// Under a constant stream of answers the write-ahead log stays short:
// the background checkpoints alone never catch up with the writer, and
// the log could then never start again from its beginning (it grew past
// 40 MB here), so the answer writer finishes a checkpoint between two
// groups once the log is long. SQLite's own checkpoints kept it at
// 4.6 MB in this test.
func TestWALStaysShortUnderAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := openSQLiteIn(t)
	var longest atomic.Int64
	stop, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		for {
			if fi, err := os.Stat(filepath.Join(dir, "authlab.db-wal")); err == nil && fi.Size() > longest.Load() {
				longest.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for l := range 256 {
		wg.Go(func() {
			for i := range 60 {
				a := lessonAnswer(fmt.Sprintf("l%03d", l), fmt.Sprintf("k%03d", i), fmt.Sprintf("q%d", 1+i%2), i%3 == 0, "an answer")
				if _, err := s.RecordAnswer(ctx, a); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	<-watched
	const limit = 16 << 20
	if n := longest.Load(); n > limit {
		t.Errorf("the write-ahead log grew to %.1f MB under 15,360 answers, want at most %d MB", float64(n)/1e6, limit>>20)
	} else {
		t.Logf("the write-ahead log peaked at %.1f MB", float64(n)/1e6)
	}
}

// openSQLiteIn opens a store on SQLite in a directory of its own, closed
// at the test's end, and returns it with the directory.
func openSQLiteIn(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// The checkpointer runs after commits and sleeps while nothing is
// written: an idle server does not wake every checkpointEvery.
func TestCheckpointerSleepsWhenIdle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openSQLiteIn(t)
	// quiet waits until no pass has run for four periods, or fails.
	quiet := func(what string) int64 {
		t.Helper()
		n, since := s.checkpoints.Load(), time.Now()
		for deadline := time.Now().Add(10 * time.Second); time.Since(since) < 4*checkpointEvery; time.Sleep(checkpointEvery / 5) {
			if m := s.checkpoints.Load(); m != n {
				n, since = m, time.Now()
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the checkpointer never went quiet (%d passes)", what, n)
			}
		}
		return n
	}
	idle := quiet("after opening")
	if _, err := s.RecordAnswer(ctx, lessonAnswer("ann", "k1", "q1", true, "an answer")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); s.checkpoints.Load() == idle; time.Sleep(checkpointEvery / 5) {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint after a commit")
		}
	}
	quiet("after the commit's checkpoint")
}
