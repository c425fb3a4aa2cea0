package progress

import (
	"context"
	"testing"
	"time"
)

// TestProgressVersionMovesWithEveryChange: each write a lesson page can
// show moves the learner's version, in every backend, whichever Store
// method makes it (the triggers of versions.go), read alone or with the
// learner's session; what a lesson page does not show leaves it alone
// (an attendee's whereabouts, the room's focus, another visit to a
// lesson seen before, another learner's rows); and the version goes with
// the learner.
func TestProgressVersionMovesWithEveryChange(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			l, err := s.NewAccount(ctx, "pv-"+name, "", "x", false)
			if err != nil {
				t.Fatal(err)
			}
			other, err := s.NewAccount(ctx, "pv-other-"+name, "", "x", false)
			if err != nil {
				t.Fatal(err)
			}
			sess := &SessionRecord{ID: SessionKey("pv-session-" + name), LearnerID: l.ID, CreatedAt: now, LastSeen: now,
				ExpiresAt: time.Now().Add(time.Hour)}
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			// version is the learner's version, read alone and, for l, with
			// the session: the two agree.
			version := func(id string) int64 {
				t.Helper()
				v, err := s.ProgressVersion(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if id == l.ID {
					rec, err := s.Session(ctx, sess.ID)
					if err != nil || rec.Progress != (ProgressStamp{Version: v, Read: true}) {
						t.Errorf("the version read with the session: %+v (%v), read alone: %d", rec.Progress, err, v)
					}
				}
				return v
			}
			if v := version(l.ID); v != 0 {
				t.Fatalf("a new learner's version is %d, want 0", v)
			}
			inst, _ := s.NewAccount(ctx, "pv-teacher-"+name, "", "x", true)
			w := &Workshop{Title: "Auth 101", OwnerID: inst.ID, Lessons: "a b"}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				t.Fatal(err)
			}
			var seat *Participant
			steps := []struct {
				what  string
				moves bool
				do    func() error
			}{
				{"visit", true, func() error { return s.Visit(ctx, l.ID, "a", "", 0) }},
				{"visit again at a position", false, func() error { return s.Visit(ctx, l.ID, "a", "intro", 20) }},
				{"mark complete", true, func() error { return s.Complete(ctx, l.ID, "a", true) }},
				{"answer", true, func() error {
					_, err := s.RecordAnswer(ctx, &Answer{Attempt: Attempt{LearnerID: l.ID, QuestionID: "q1", Source: "lesson", Score: 1, Correct: true},
						Lesson: "a", Quizzes: []string{"q1"}})
					return err
				}},
				{"lab step", true, func() error { _, err := s.ReachMilestone(ctx, l.ID, "panel", "first"); return err }},
				{"reset the lesson", true, func() error { return s.ResetLesson(ctx, l.ID, "a", []string{"q1"}) }},
				{"join a workshop", true, func() error { var err error; seat, _, err = s.Join(ctx, w.ID, l.ID, "Sam", now); return err }},
				{"whereabouts in the room", false, func() error { _, err := s.TouchParticipant(ctx, seat, "a", "intro", now.Add(time.Minute)); return err }},
				{"the room's focus", false, func() error { _, err := s.SetFocus(ctx, w.ID, "a"); return err }},
				{"lock a lesson", true, func() error { return s.SetLocked(ctx, w.ID, []string{"b"}) }},
				{"removed from the room", true, func() error { return s.SetRemoved(ctx, w.ID, seat.ID, true) }},
				{"the workshop ends", true, func() error { return s.EndWorkshop(ctx, w.ID, now.Add(time.Hour)) }},
				{"another learner's visit", false, func() error { return s.Visit(ctx, other.ID, "a", "", 0) }},
			}
			for _, st := range steps {
				before := version(l.ID)
				if err := st.do(); err != nil {
					t.Fatalf("%s: %v", st.what, err)
				}
				if after := version(l.ID); (after > before) != st.moves || after < before {
					t.Errorf("%s: version %d → %d, want it to move: %v", st.what, before, after, st.moves)
				}
			}

			guest, _ := s.NewGuest(ctx)
			if err := s.Visit(ctx, guest.ID, "b", "", 0); err != nil {
				t.Fatal(err)
			}
			before := version(other.ID)
			if _, err := s.Merge(ctx, guest.ID, other.ID); err != nil {
				t.Fatal(err)
			}
			if after := version(other.ID); after <= before {
				t.Errorf("merging a guest's progress into an account: version %d → %d", before, after)
			}

			if err := s.DeleteLearner(ctx, l.ID); err != nil {
				t.Fatal(err)
			}
			var rows int64
			if err := s.db.Table("progress_versions").Where("learner_id IN ?", []string{l.ID, guest.ID}).Count(&rows).Error; err != nil || rows != 0 {
				t.Errorf("%d version rows left of deleted learners (%v)", rows, err)
			}
		})
	}
}
