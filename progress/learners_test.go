package progress

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestUsernamesIgnoreCase: "Alice2", "ALICE2", "alice2" and the
// full-width "ａｌｉｃｅ２" are one account, shown as first typed.
func TestUsernamesIgnoreCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			a, err := s.NewAccount(ctx, "Alice2", "", "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			for _, other := range []string{"alice2", "ALICE2", "ａｌｉｃｅ２"} {
				if _, err := s.NewAccount(ctx, other, "", "hash", false); !errors.Is(err, ErrConflict) {
					t.Errorf("sign-up as %q beside Alice2: %v, want ErrConflict", other, err)
				}
				l, err := s.LearnerByUsername(ctx, other)
				if err != nil || l.ID != a.ID || l.Name() != "Alice2" {
					t.Errorf("look up %q: %v %v, want Alice2", other, l, err)
				}
			}
		})
	}
}

// TestUsernameKeysBackfill: accounts from before username keys get
// theirs on start; two that collide are reported, not a crash, and
// both still sign in by their exact names.
func TestUsernameKeysBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			older := "Bob_" + name
			newer := strings.ToLower(older)
			var ids []string
			for i, n := range []string{older, newer, "carol_" + name} {
				l := &Learner{ID: newID(), Username: &n, CreatedAt: time.Now().Add(time.Duration(i) * time.Second)}
				if err := s.db.Create(l).Error; err != nil { // as before keys: none
					t.Fatal(err)
				}
				ids = append(ids, l.ID)
			}
			var logs bytes.Buffer
			s.log = slog.New(slog.NewTextHandler(&logs, nil))
			if err := s.backfillUsernameKeys(ctx); err != nil {
				t.Fatalf("backfill: %v", err)
			}
			if !strings.Contains(logs.String(), "username collision") || !strings.Contains(logs.String(), newer) {
				t.Errorf("no collision report for %s beside %s:\n%s", newer, older, logs.String())
			}
			for want, who := range map[string]string{ids[0]: older, ids[1]: newer, ids[2]: "CAROL_" + name} {
				if l, err := s.LearnerByUsername(ctx, who); err != nil || l.ID != want {
					t.Errorf("sign in as %q after the backfill: %v %v", who, l, err)
				}
			}
			if _, err := s.NewAccount(ctx, strings.ToUpper(older), "", "hash", false); !errors.Is(err, ErrConflict) {
				t.Errorf("a third spelling after the backfill: %v", err)
			}
		})
	}
}

// TestFirstInstructorOnce: setup links used at once make one instructor.
func TestFirstInstructorOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = s.NewFirstInstructor(ctx, "head_"+string(rune('a'+i)), "", "hash")
				})
			}
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, ErrInstructorExists):
					t.Errorf("a losing setup: %v", err)
				}
			}
			if n, _ := s.CountInstructors(ctx); won != 1 || n != 1 {
				t.Errorf("%d setups succeeded, %d instructors; want 1", won, n)
			}
		})
	}
}

// TestPurgeIdleGuests: a guest with nothing to keep and no session goes;
// one with an answer, or a live session, or made just now, stays.
func TestPurgeIdleGuests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			old := time.Now().Add(-2 * time.Hour)
			guest := func() string {
				g := &Learner{ID: newID(), CreatedAt: old}
				if err := s.db.Create(g).Error; err != nil {
					t.Fatal(err)
				}
				return g.ID
			}
			idle, answered, sessioned := guest(), guest(), guest()
			fresh, err := s.NewGuest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.db.Create(&Attempt{LearnerID: answered, Key: "k", QuestionID: "q", CreatedAt: old}).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.CreateSession(ctx, &SessionRecord{ID: newID(), LearnerID: sessioned, CreatedAt: old, LastSeen: old, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			acct, err := s.NewAccount(ctx, "kept_account", "", "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			s.db.Model(&Learner{}).Where("id = ?", acct.ID).Update("created_at", old)
			n, err := s.PurgeIdleGuests(ctx, time.Now().Add(-time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("purged %d (%v), want 1", n, err)
			}
			if _, err := s.Learner(ctx, idle); !errors.Is(err, ErrNotFound) {
				t.Errorf("the idle guest is still there: %v", err)
			}
			for _, id := range []string{answered, sessioned, fresh.ID, acct.ID} {
				if _, err := s.Learner(ctx, id); err != nil {
					t.Errorf("learner %s was purged: %v", id, err)
				}
			}
		})
	}
}

// TestUsernameKeyColumnAdded: a database from before username keys (no
// column, no index) gains both on start, and its accounts their keys.
func TestUsernameKeyColumnAdded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.db.Exec("DROP INDEX idx_learners_username_key").Error; err != nil {
				t.Fatal(err)
			}
			if err := s.db.Exec("ALTER TABLE learners DROP COLUMN username_key").Error; err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{"Dana", "eve"} {
				if err := s.db.Exec("INSERT INTO learners (id, username, email, password_hash, instructor, created_at, updated_at) VALUES (?, ?, '', 'hash', false, ?, ?)",
					newID(), n, time.Now(), time.Now()).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := s.migrate(); err != nil {
				t.Fatalf("migrate an old database: %v", err)
			}
			if err := s.backfillUsernameKeys(ctx); err != nil {
				t.Fatal(err)
			}
			if l, err := s.LearnerByUsername(ctx, "DANA"); err != nil || l.Name() != "Dana" {
				t.Errorf("DANA after the migration: %v %v", l, err)
			}
			if _, err := s.NewAccount(ctx, "EVE", "", "hash", false); !errors.Is(err, ErrConflict) {
				t.Errorf("EVE beside eve after the migration: %v", err)
			}
		})
	}
}
