package progress

import (
	"context"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"
)

// TestLessonViewIsTheFourReads: the one statement of LessonView answers
// what Lessons, Milestones, BestScores and LockingWorkshop answer, in
// every backend, and follows each write at once (nothing is cached).
func TestLessonViewIsTheFourReads(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			l, err := s.NewAccount(ctx, "viewer-"+name, "", "x", false)
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{"q1", "q2", "q3"}
			last := int64(-1)
			same := func(step string) *LessonView {
				t.Helper()
				v, err := s.LessonView(ctx, l.ID, ids)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				// Every step changes what the view holds, so its version moves.
				if pv, err := s.ProgressVersion(ctx, l.ID); err != nil || pv != v.Version || v.Version <= last {
					t.Errorf("%s: version %d in the view, %d read alone (%v), %d before", step, v.Version, pv, err, last)
				}
				last = v.Version
				lessons, _ := s.Lessons(ctx, l.ID)
				for k, r := range lessons { // compared by instant: Postgres and SQLite differ in location
					g := v.Lessons[k]
					if !g.LastVisited.Equal(r.LastVisited) || !g.FirstVisited.Equal(r.FirstVisited) || (g.CompletedAt == nil) != (r.CompletedAt == nil) ||
						(g.CompletedAt != nil && !g.CompletedAt.Equal(*r.CompletedAt)) || g.Position != r.Position || g.Seconds != r.Seconds {
						t.Errorf("%s: lesson %s: view %+v, Lessons %+v", step, k, g, r)
					}
				}
				if len(lessons) != len(v.Lessons) {
					t.Errorf("%s: %d lessons in the view, %d read alone", step, len(v.Lessons), len(lessons))
				}
				ms, _ := s.Milestones(ctx, l.ID)
				var want, got [][2]string
				for _, m := range ms {
					want = append(want, [2]string{m.Lab, m.Name})
				}
				for _, m := range v.Milestones {
					got = append(got, [2]string{m.Lab, m.Name})
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: milestones %v, want %v", step, got, want)
				}
				bests, _ := s.BestScores(ctx, l.ID, ids)
				for k, b := range bests {
					g := v.Bests[k]
					if g.Score != b.Score || g.Correct != b.Correct || g.Attempts != b.Attempts || !g.Last.Equal(b.Last) {
						t.Errorf("%s: best %s: view %+v, BestScores %+v", step, k, g, b)
					}
				}
				if len(bests) != len(v.Bests) {
					t.Errorf("%s: %d bests in the view, %d read alone", step, len(v.Bests), len(bests))
				}
				for _, slug := range []string{"a", "b", "c"} {
					w1, err1 := s.LockingWorkshop(ctx, l.ID, slug)
					w2, err2 := v.LockingWorkshop(slug)
					if !errors.Is(err2, ErrNotFound) && err2 != nil || errors.Is(err1, ErrNotFound) != errors.Is(err2, ErrNotFound) ||
						(w1 != nil && w1.Code != w2.Code) {
						t.Errorf("%s: locking %s: view %v %v, alone %v %v", step, slug, w2, err2, w1, err1)
					}
				}
				return v
			}
			same("nothing yet")
			if err := s.Visit(ctx, l.ID, "a", "intro", 30); err != nil {
				t.Fatal(err)
			}
			if err := s.Complete(ctx, l.ID, "b", true); err != nil {
				t.Fatal(err)
			}
			if v := same("visited"); v.Lessons["b"].CompletedAt == nil || v.Lessons["a"].Position != "intro" {
				t.Errorf("visited: %+v", v.Lessons)
			}
			for i, a := range []Attempt{{QuestionID: "q1", Score: 0.5}, {QuestionID: "q1", Score: 1, Correct: true}, {QuestionID: "q2"}, {QuestionID: "other", Score: 1}} {
				a.LearnerID, a.Key, a.Source, a.CreatedAt = l.ID, "k"+string(rune('0'+i)), "lesson", now.Add(time.Duration(i)*time.Minute)
				if _, err := s.RecordAttempt(ctx, &a); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.ReachMilestone(ctx, l.ID, "panel", "first"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ReachMilestone(ctx, l.ID, "panel", "second"); err != nil {
				t.Fatal(err)
			}
			if v := same("answered"); len(v.Bests) != 2 || !v.Bests["q1"].Correct || v.Bests["q1"].Attempts != 2 || len(v.Milestones) != 2 {
				t.Errorf("answered: %+v %+v", v.Bests, v.Milestones)
			}
			inst, _ := s.NewAccount(ctx, "teacher-view-"+name, "", "x", true)
			w := &Workshop{Title: "Auth 101", OwnerID: inst.ID, Lessons: "a b c"}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Join(ctx, w.ID, l.ID, "Sam", now); err != nil {
				t.Fatal(err)
			}
			if err := s.SetLocked(ctx, w.ID, []string{"b", "c"}); err != nil {
				t.Fatal(err)
			}
			if v := same("locked"); len(v.Locking) != 1 {
				t.Errorf("locked: %+v", v.Locking)
			}
			if err := s.EndWorkshop(ctx, w.ID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if v := same("ended"); len(v.Locking) != 0 {
				t.Errorf("ended: %+v", v.Locking)
			}
			if err := s.Complete(ctx, l.ID, "b", false); err != nil {
				t.Fatal(err)
			}
			if v := same("uncompleted"); v.Lessons["b"].CompletedAt != nil {
				t.Errorf("uncompleted: %+v", v.Lessons["b"])
			}
		})
	}
}

// BenchmarkLessonView: the one statement against the four reads it
// replaced, for a learner with some of everything.
func BenchmarkLessonView(b *testing.B) {
	ctx := context.Background()
	s, l := benchLearner(b, "bench")
	ids := []string{"q1", "q2", "q3"}
	for i, id := range ids {
		_ = s.Visit(ctx, l.ID, "lesson-"+id, "", 10)
		_, _ = s.RecordAttempt(ctx, &Attempt{LearnerID: l.ID, Key: "k" + id, QuestionID: id, Score: float64(i) / 2, Source: "lesson"})
		_, _ = s.ReachMilestone(ctx, l.ID, "panel", "m"+id)
	}
	if os.Getenv("AUTHLAB_EXPLAIN") != "" {
		rows, err := s.db.Raw("EXPLAIN QUERY PLAN "+lessonViewSQL(len(ids)), l.ID, l.ID, l.ID, false, l.ID, "q1", l.ID, "q2", l.ID, "q3").Rows()
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			_ = rows.Scan(&id, &parent, &notused, &detail)
			b.Logf("%d %d %s", id, parent, detail)
		}
		rows.Close()
	}
	b.Run("one-statement", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.LessonView(ctx, l.ID, ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("four-reads", func(b *testing.B) {
		for b.Loop() {
			_, _ = s.Lessons(ctx, l.ID)
			_, _ = s.Milestones(ctx, l.ID)
			_, _ = s.BestScores(ctx, l.ID, ids)
			_, _ = s.LockingWorkshop(ctx, l.ID, "lesson-q1")
		}
	})
}

// BenchmarkLessonViewShapes: the shapes lessonViewSQL avoids against the
// ones it uses, each alone, for a learner with three answered questions.
// A JOIN and a GROUP BY each cost SQLite several microseconds per
// execution (a Bloom filter, a sorter) whatever the rows.
func BenchmarkLessonViewShapes(b *testing.B) {
	ctx := context.Background()
	s, l := benchLearner(b, "bench")
	for i, id := range []string{"q1", "q2", "q3"} {
		_, _ = s.RecordAttempt(ctx, &Attempt{LearnerID: l.ID, Key: "k" + id, QuestionID: id, Score: float64(i) / 2, Source: "lesson"})
	}
	one := `SELECT MAX(question_id), MAX(score), MAX(CASE WHEN correct THEN 1 ELSE 0 END), COUNT(*), MAX(created_at) FROM attempts
  WHERE learner_id = ? AND question_id = ? HAVING COUNT(*) > 0`
	for _, bc := range []struct {
		name, query string
		args        []any
	}{
		{"workshops-join", `SELECT workshops.code, workshops.locked FROM workshops JOIN participants ON participants.workshop_id = workshops.id
  WHERE participants.learner_id = ? AND participants.removed = ? AND workshops.ended_at IS NULL AND workshops.locked <> ''`, []any{l.ID, false}},
		{"workshops-in", `SELECT code, locked FROM workshops
  WHERE id IN (SELECT workshop_id FROM participants WHERE learner_id = ? AND removed = ?) AND ended_at IS NULL AND locked <> ''`, []any{l.ID, false}},
		{"bests-group-by", `SELECT question_id, MAX(score), MAX(CASE WHEN correct THEN 1 ELSE 0 END), COUNT(*), MAX(created_at) FROM attempts
  WHERE learner_id = ? AND question_id IN (?, ?, ?) GROUP BY question_id`, []any{l.ID, "q1", "q2", "q3"}},
		{"bests-each", one + " UNION ALL " + one + " UNION ALL " + one, []any{l.ID, "q1", l.ID, "q2", l.ID, "q3"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rows, err := s.db.ConnPool.QueryContext(ctx, bc.query, bc.args...)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				if err := rows.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchLearner opens a store of its own on SQLite for a benchmark, closed
// at its end, with one account named name.
func benchLearner(b *testing.B, name string) (*Store, *Learner) {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	l, err := s.NewAccount(ctx, name, "", "x", false)
	if err != nil {
		b.Fatal(err)
	}
	return s, l
}
