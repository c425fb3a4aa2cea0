package progress

import (
	"context"
	"testing"
	"time"
)

// TestAccessLearner: the one query of an API request refuses a denied
// jti, a revoked or unknown sign-in and a deleted account, and otherwise
// returns the account as Learner would.
func TestAccessLearner(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			l, err := s.NewAccount(ctx, "Erin_api", "erin@example.org", "hash", true)
			if err != nil {
				t.Fatal(err)
			}
			guest, err := s.NewGuest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			fam := &RefreshFamily{LearnerID: l.ID}
			if err := s.NewRefreshFamily(ctx, fam, "e1", exp); err != nil {
				t.Fatal(err)
			}
			st, got, err := s.AccessLearner(ctx, "jti-1", fam.ID, l.ID)
			if err != nil || st != AccessOK || got == nil {
				t.Fatalf("a live token: %v %+v %v", st, got, err)
			}
			if got.ID != l.ID || got.Name() != "Erin_api" || got.Email != "erin@example.org" || !got.Instructor {
				t.Errorf("the account read: %+v (%s)", got, got.Name())
			}
			if st, g, _ := s.AccessLearner(ctx, "jti-1", "", guest.ID); st != AccessOK || g == nil || !g.IsGuest() || g.Instructor {
				t.Errorf("a guest's token without a sign-in: %v %+v", st, g)
			}
			if st, _, _ := s.AccessLearner(ctx, "jti-1", "no-such-family", l.ID); st != AccessRefused {
				t.Errorf("an unknown sign-in: %v", st)
			}
			if err := s.Deny(ctx, "jti-2", exp); err != nil {
				t.Fatal(err)
			}
			if st, g, _ := s.AccessLearner(ctx, "jti-2", fam.ID, l.ID); st != AccessRefused || g != nil {
				t.Errorf("a denied jti: %v %+v", st, g)
			}
			if err := s.RevokeRefreshFamily(ctx, "e1"); err != nil {
				t.Fatal(err)
			}
			if st, _, _ := s.AccessLearner(ctx, "jti-1", fam.ID, l.ID); st != AccessRefused {
				t.Errorf("a revoked sign-in: %v", st)
			}
			if err := s.DeleteLearner(ctx, guest.ID); err != nil {
				t.Fatal(err)
			}
			if st, g, _ := s.AccessLearner(ctx, "jti-1", "", guest.ID); st != AccessNoAccount || g != nil {
				t.Errorf("a deleted account: %v %+v", st, g)
			}
		})
	}
}

// BenchmarkAccessLearner: the API request's one query, beside the two it
// replaces (AccessState, then Learner through gorm).
func BenchmarkAccessLearner(b *testing.B) {
	ctx := context.Background()
	s, l := benchLearner(b, "bench_access")
	fam := &RefreshFamily{LearnerID: l.ID}
	if err := s.NewRefreshFamily(ctx, fam, "b1", time.Now().Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
	b.Run("one-query", func(b *testing.B) {
		for b.Loop() {
			if st, _, err := s.AccessLearner(ctx, "jti", fam.ID, l.ID); err != nil || st != AccessOK {
				b.Fatal(st, err)
			}
		}
	})
	b.Run("state-then-learner", func(b *testing.B) {
		for b.Loop() {
			if st, err := s.AccessState(ctx, "jti", fam.ID, l.ID); err != nil || st != AccessOK {
				b.Fatal(st, err)
			}
			if _, err := s.Learner(ctx, l.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
