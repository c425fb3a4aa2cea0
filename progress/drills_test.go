package progress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestAttemptsSince(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			guest, err := s.NewGuest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			other, _ := s.NewGuest(ctx)
			t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
			add := func(learner, key, source string, at time.Time) {
				t.Helper()
				if _, err := s.RecordAttempt(ctx, &Attempt{LearnerID: learner, Key: key, QuestionID: "q-" + key,
					Source: source, CreatedAt: at}); err != nil {
					t.Fatal(err)
				}
			}
			add(guest.ID, "old", "drill", t0.Add(-time.Hour))
			add(guest.ID, "edge", "drill", t0) // exactly at since: included
			add(guest.ID, "lesson", "lesson", t0.Add(time.Minute))
			add(guest.ID, "mock", "mock", t0.Add(3*time.Minute))
			add(guest.ID, "fraction", "drill", t0.Add(2*time.Minute+500*time.Millisecond))
			add(other.ID, "theirs", "drill", t0.Add(time.Minute))

			keys := func(atts []Attempt) []string {
				var out []string
				for _, a := range atts {
					out = append(out, a.Key)
				}
				return out
			}
			got, err := s.AttemptsSince(ctx, guest.ID, t0, "drill", "mock")
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"edge", "fraction", "mock"}; !slices.Equal(keys(got), want) {
				t.Errorf("drill and mock since t0: %v, want %v (oldest first)", keys(got), want)
			}
			got, _ = s.AttemptsSince(ctx, guest.ID, t0.Add(time.Second))
			if want := []string{"lesson", "fraction", "mock"}; !slices.Equal(keys(got), want) {
				t.Errorf("every source since t0+1s: %v, want %v", keys(got), want)
			}
			got, _ = s.AttemptsSince(ctx, guest.ID, time.Time{}, "workshop")
			if len(got) != 0 {
				t.Errorf("no workshop attempts, got %v", keys(got))
			}

			// A guest's drills become the account's when they sign up.
			acct, err := s.NewAccount(ctx, "since_"+name, "", "x", false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Merge(ctx, guest.ID, acct.ID); err != nil {
				t.Fatal(err)
			}
			got, _ = s.AttemptsSince(ctx, acct.ID, t0, "drill", "mock")
			if want := []string{"edge", "fraction", "mock"}; !slices.Equal(keys(got), want) {
				t.Errorf("after the merge: %v, want %v", keys(got), want)
			}
			if !got[0].CreatedAt.Equal(t0) {
				t.Errorf("merge changed the time: %v", got[0].CreatedAt)
			}
		})
	}
}

func TestTalliesAndPracticeDays(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			me, _ := s.NewGuest(ctx)
			other, _ := s.NewGuest(ctx)
			east := time.FixedZone("UTC+9", 9*60*60)
			n := 0
			add := func(learner, q string, correct bool, at time.Time) {
				t.Helper()
				n++
				if _, err := s.RecordAttempt(ctx, &Attempt{LearnerID: learner, Key: fmt.Sprintf("k%d", n), QuestionID: q,
					Source: "drill", Correct: correct, Score: map[bool]float64{true: 1}[correct], CreatedAt: at}); err != nil {
					t.Fatal(err)
				}
			}
			add(me.ID, "b", false, time.Date(2025, 3, 1, 23, 59, 0, 0, time.UTC))
			add(me.ID, "b", true, time.Date(2025, 3, 2, 0, 1, 0, 0, time.UTC))
			add(me.ID, "a", true, time.Date(2025, 3, 2, 8, 0, 0, 0, east)) // 23:00 UTC on the 1st
			add(me.ID, "a", true, time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC))
			add(other.ID, "a", false, time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC))

			tallies, err := s.Tallies(ctx, me.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []Tally{{"a", 2, 2}, {"b", 2, 1}}
			if !slices.Equal(tallies, want) {
				t.Errorf("tallies %+v, want %+v", tallies, want)
			}
			days, err := s.PracticeDays(ctx, me.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"2025-03-01", "2025-03-02", "2025-03-05"}; !slices.Equal(days, want) {
				t.Errorf("days %v, want %v (UTC days)", days, want)
			}
			// In Tokyo (UTC+9) the three early answers fall on the 2nd; in
			// New York (UTC-5) 00:01 UTC on the 2nd is still the 1st.
			for _, c := range []struct {
				offset time.Duration
				want   []string
			}{
				{9 * time.Hour, []string{"2025-03-02", "2025-03-05"}},
				{-5 * time.Hour, []string{"2025-03-01", "2025-03-05"}},
				{5*time.Hour + 30*time.Minute, []string{"2025-03-02", "2025-03-05"}},
			} {
				if days, err := s.PracticeDays(ctx, me.ID, c.offset); err != nil || !slices.Equal(days, c.want) {
					t.Errorf("days at UTC%+v: %v %v, want %v", c.offset, days, err, c.want)
				}
			}
			if days, _ := s.PracticeDays(ctx, "nobody", 0); len(days) != 0 {
				t.Errorf("days of nobody: %v", days)
			}
		})
	}
}

// TestLastAttempt: the newest attempt at that question by that learner,
// or ErrNotFound.
func TestLastAttempt(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			me, _ := s.NewGuest(ctx)
			other, _ := s.NewGuest(ctx)
			t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
			for i, a := range []Attempt{
				{LearnerID: me.ID, Key: "k-old", QuestionID: "q", Score: 0.5, CreatedAt: t0},
				{LearnerID: me.ID, Key: "k-new", QuestionID: "q", Score: 1, CreatedAt: t0.Add(time.Minute)},
				{LearnerID: me.ID, Key: "k-else", QuestionID: "other", CreatedAt: t0.Add(2 * time.Minute)},
				{LearnerID: other.ID, Key: "k-theirs", QuestionID: "q", CreatedAt: t0.Add(3 * time.Minute)},
			} {
				if _, err := s.RecordAttempt(ctx, &a); err != nil {
					t.Fatalf("attempt %d: %v", i, err)
				}
			}
			got, err := s.LastAttempt(ctx, me.ID, "q")
			if err != nil || got.Key != "k-new" {
				t.Fatalf("LastAttempt = %+v, %v; want k-new", got, err)
			}
			if _, err := s.LastAttempt(ctx, me.ID, "never"); !errors.Is(err, ErrNotFound) {
				t.Errorf("an unanswered question: %v, want ErrNotFound", err)
			}
		})
	}
}
