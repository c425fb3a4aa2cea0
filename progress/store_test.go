package progress

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/internal/testsupport"
	"github.com/redis/go-redis/v9"
)

// backends opens the store on SQLite always, and on Postgres when
// AUTHLAB_TEST_POSTGRES_URL is set (each test in its own schema).
func backends(t *testing.T) map[string]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	lite, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { lite.Close() })
	out["sqlite"] = lite
	if pg := openPostgres(t); pg != nil {
		out["postgres"] = pg
	}
	return out
}

func openPostgres(t *testing.T) *Store {
	t.Helper()
	base := os.Getenv("AUTHLAB_TEST_POSTGRES_URL")
	if base == "" {
		t.Log("Postgres part skipped: set AUTHLAB_TEST_POSTGRES_URL to run it")
		return nil
	}
	// A schema of the test's own: migrating the shared public schema
	// from parallel tests would race.
	s, err := Open(context.Background(), Config{DatabaseURL: testsupport.PostgresSchema(t, base)})
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sessionBackends are every Sessions implementation to test.
func sessionBackends(t *testing.T) map[string]Sessions {
	t.Helper()
	out := map[string]Sessions{}
	for name, s := range backends(t) {
		out[name] = s
	}
	if ru := os.Getenv("AUTHLAB_TEST_REDIS_URL"); ru != "" {
		rdb, err := OpenRedis(context.Background(), ru)
		if err != nil {
			t.Fatalf("redis: %v", err)
		}
		prefix := "authlab-test:" + newID() + ":"
		t.Cleanup(func() {
			ctx := context.Background()
			iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
			rdb.Close()
		})
		out["redis"] = NewRedisSessions(rdb, prefix)
	} else {
		t.Log("Redis part skipped: set AUTHLAB_TEST_REDIS_URL to run it")
	}
	return out
}

var _ redis.UniversalClient = (*redis.Client)(nil)

func TestSessions(t *testing.T) {
	t.Parallel()
	for name, ss := range sessionBackends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now().UTC().Truncate(time.Millisecond)
			mk := func(learner string) *SessionRecord {
				rec := &SessionRecord{ID: SessionKey(newID()), LearnerID: learner, Data: []byte(`{"a":"b"}`),
					UserAgent: "Firefox", Addr: "192.0.2.1", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
				if err := ss.CreateSession(ctx, rec); err != nil {
					t.Fatal(err)
				}
				return rec
			}
			a1, a2, a3, b1 := mk("alice"), mk("alice"), mk("alice"), mk("bob")
			got, err := ss.Session(ctx, a1.ID)
			if err != nil || got.ID != a1.ID || got.LearnerID != "alice" || string(got.Data) != `{"a":"b"}` || got.UserAgent != "Firefox" ||
				got.Addr != "192.0.2.1" || !got.CreatedAt.Equal(now) || !got.LastSeen.Equal(now) || !got.ExpiresAt.Equal(now.Add(time.Hour)) {
				t.Fatalf("Session: %v %+v", err, got)
			}
			if err := ss.TouchSession(ctx, a1.ID, now.Add(time.Minute), []byte(`{"x":"y"}`)); err != nil {
				t.Fatal(err)
			}
			got, _ = ss.Session(ctx, a1.ID)
			if !got.LastSeen.Equal(now.Add(time.Minute)) || string(got.Data) != `{"x":"y"}` {
				t.Errorf("touch not kept: %+v", got)
			}
			list, err := ss.LearnerSessions(ctx, "alice")
			if err != nil || len(list) != 3 || list[0].ID != a1.ID {
				t.Fatalf("LearnerSessions: %v %d (most recent first)", err, len(list))
			}
			if err := ss.DeleteSession(ctx, a2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := ss.Session(ctx, a2.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("deleted session still found: %v", err)
			}
			if err := ss.TouchSession(ctx, a2.ID, now, nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("touching a revoked session brought it back: %v", err)
			}
			n, err := ss.DeleteLearnerSessions(ctx, "alice", a1.ID)
			if err != nil || n != 1 {
				t.Errorf("DeleteLearnerSessions: %d %v", n, err)
			}
			if _, err := ss.Session(ctx, a3.ID); !errors.Is(err, ErrNotFound) {
				t.Error("sign out everywhere else left a session")
			}
			if _, err := ss.Session(ctx, a1.ID); err != nil {
				t.Error("sign out everywhere else ended the current session")
			}
			if _, err := ss.Session(ctx, b1.ID); err != nil {
				t.Error("another learner's session was ended")
			}
			if _, err := ss.Session(ctx, SessionKey("never issued")); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown: %v", err)
			}
		})
	}
}

func TestRefreshRotationAndReuse(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			if err := s.IssueRefresh(ctx, "alice", "h1", exp); err != nil {
				t.Fatal(err)
			}
			who, err := s.RotateRefresh(ctx, "h1", "h2", exp)
			if err != nil || who != "alice" {
				t.Fatalf("rotate: %q %v", who, err)
			}
			if _, err := s.RotateRefresh(ctx, "h1", "h3", exp); !errors.Is(err, ErrReused) {
				t.Fatalf("reuse: %v", err)
			}
			if _, err := s.RotateRefresh(ctx, "h2", "h4", exp); !errors.Is(err, ErrNotFound) {
				t.Errorf("after reuse the family's live token still rotates: %v", err)
			}
			if revoked, _ := s.RefreshFamilyRevoked(ctx, "h2"); !revoked {
				t.Error("family not revoked")
			}
			if _, err := s.RotateRefresh(ctx, "nope", "h5", exp); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown token: %v", err)
			}
			// Logout revokes the family.
			s.IssueRefresh(ctx, "bob", "b1", exp)
			if err := s.RevokeRefreshFamily(ctx, "b1"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RotateRefresh(ctx, "b1", "b2", exp); !errors.Is(err, ErrNotFound) {
				t.Errorf("revoked family rotates: %v", err)
			}
			if err := s.Deny(ctx, "jti-1", exp); err != nil {
				t.Fatal(err)
			}
			if err := s.Deny(ctx, "jti-1", exp); err != nil {
				t.Errorf("denying twice: %v", err)
			}
			if d, _ := s.Denied(ctx, "jti-1"); !d {
				t.Error("jti not denied")
			}
			if d, _ := s.Denied(ctx, "jti-2"); d {
				t.Error("unrelated jti denied")
			}
		})
	}
}

func TestConcurrentRefreshOnlyOneWins(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			s.IssueRefresh(ctx, "carol", "c0", exp)
			errs := make(chan error, 8)
			for i := range 8 {
				go func() { _, err := s.RotateRefresh(ctx, "c0", fmt.Sprintf("c%d", i+1), exp); errs <- err }()
			}
			wins := 0
			for range 8 {
				if err := <-errs; err == nil {
					wins++
				} else if !errors.Is(err, ErrReused) && !errors.Is(err, ErrNotFound) && !strings.Contains(err.Error(), "locked") {
					t.Errorf("unexpected: %v", err)
				}
			}
			if wins != 1 {
				t.Errorf("%d concurrent uses of one refresh token succeeded, want 1", wins)
			}
		})
	}
}

func TestMergeIsIdempotentAndKeepsTheBest(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			guest, _ := s.NewGuest(ctx)
			acct, err := s.NewAccount(ctx, "dora_"+name, "", "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			// Both visited "cookies"; only the guest completed it and is further on.
			s.Visit(ctx, acct.ID, "cookies", "intro", 60)
			s.SetClock(func() time.Time { return time.Now().Add(time.Minute) })
			s.Visit(ctx, guest.ID, "cookies", "samesite", 120)
			s.Complete(ctx, guest.ID, "cookies", true)
			s.Visit(ctx, guest.ID, "tokens", "", 30)
			// The same retried answer exists on both sides (same key); plus one better score.
			s.RecordAttempt(ctx, &Attempt{LearnerID: acct.ID, Key: "k1", QuestionID: "q1", Score: 0.5})
			s.RecordAttempt(ctx, &Attempt{LearnerID: guest.ID, Key: "k1", QuestionID: "q1", Score: 0.5})
			s.RecordAttempt(ctx, &Attempt{LearnerID: guest.ID, Key: "k2", QuestionID: "q1", Score: 1, Correct: true})
			s.ReachMilestone(ctx, guest.ID, "twin-login", "session-login")
			s.ReachMilestone(ctx, acct.ID, "twin-login", "session-login")
			s.Labs().SaveLab(ctx, "lab1", guest.ID, []byte("{}"), time.Now().Add(time.Hour))

			sum, err := s.Merge(ctx, guest.ID, acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Lessons != 2 || sum.Completed != 1 || sum.Attempts != 1 || sum.Milestones != 0 || sum.Labs != 1 {
				t.Errorf("summary %+v", sum)
			}
			again, err := s.Merge(ctx, guest.ID, acct.ID)
			if err != nil || !again.Repeated || again.Lessons != sum.Lessons || again.Attempts != sum.Attempts {
				t.Errorf("retried merge: %+v %v", again, err)
			}
			lp, _ := s.Lessons(ctx, acct.ID)
			c := lp["cookies"]
			if c.CompletedAt == nil || c.Position != "samesite" || c.Seconds != 180 || len(lp) != 2 {
				t.Errorf("merged lesson %+v (%d lessons)", c, len(lp))
			}
			best, _ := s.BestScores(ctx, acct.ID, nil)
			if b := best["q1"]; b.Score != 1 || !b.Correct || b.Attempts != 2 {
				t.Errorf("best %+v", b)
			}
			ms, _ := s.Milestones(ctx, acct.ID)
			if len(ms) != 1 {
				t.Errorf("milestones %d", len(ms))
			}
			if owner, _, err := s.Labs().LoadLab(ctx, "lab1"); err != nil || owner != acct.ID {
				t.Errorf("lab owner %q %v", owner, err)
			}
			if _, err := s.Learner(ctx, guest.ID); !errors.Is(err, ErrNotFound) {
				t.Error("the guest still exists after the merge")
			}
			other, _ := s.NewAccount(ctx, "eve_"+name, "", "hash", false)
			if _, err := s.Merge(ctx, guest.ID, other.ID); !errors.Is(err, ErrConflict) {
				t.Errorf("merging the same guest into another account: %v", err)
			}
		})
	}
}

func TestAttemptsAreIdempotent(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			first, err := s.RecordAttempt(ctx, &Attempt{LearnerID: "l", Key: "same", QuestionID: "q", Score: 1})
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.RecordAttempt(ctx, &Attempt{LearnerID: "l", Key: "same", QuestionID: "q", Score: 0})
			if err != nil || second.ID != first.ID || second.Score != 1 {
				t.Errorf("retry stored again: %+v %v", second, err)
			}
			all, _ := s.Attempts(ctx, "l", 0)
			if len(all) != 1 {
				t.Errorf("%d attempts", len(all))
			}
		})
	}
}

func TestAccountsAndDelete(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a, err := s.NewAccount(ctx, "frank", "f@example.com", "hash", false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.NewAccount(ctx, "frank", "", "hash", false); !errors.Is(err, ErrConflict) {
				t.Errorf("duplicate username: %v", err)
			}
			s.Visit(ctx, a.ID, "x", "", 1)
			ex, err := s.ExportLearnerData(ctx, a.ID)
			if err != nil || ex.Learner.Username != "frank" || len(ex.Lessons) != 1 {
				t.Errorf("export %+v %v", ex, err)
			}
			if err := s.DeleteLearner(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LearnerByUsername(ctx, "frank"); !errors.Is(err, ErrNotFound) {
				t.Error("deleted account still found")
			}
			if lp, _ := s.Lessons(ctx, a.ID); len(lp) != 0 {
				t.Error("progress survived account deletion")
			}
		})
	}
}

func TestOpenRefusesUnknownURL(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), Config{DatabaseURL: "mysql://user:secret@host/db"})
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("err %v (must refuse and not echo the password)", err)
	}
}
