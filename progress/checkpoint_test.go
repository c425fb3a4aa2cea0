package progress

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	dir := t.TempDir()
	s, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
