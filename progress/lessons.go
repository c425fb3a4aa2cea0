package progress

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxVisitSeconds caps the time one visit can add, so a tab left open
// overnight does not count as study.
const maxVisitSeconds = 15 * 60

// Visit records that a learner opened a lesson, adding the seconds
// spent since the last beat (capped) and the scroll position if known.
func (s *Store) Visit(ctx context.Context, learnerID, slug, position string, seconds int) error {
	now := s.now()
	seconds = min(max(seconds, 0), maxVisitSeconds)
	lp := LessonProgress{LearnerID: learnerID, Slug: slug, FirstVisited: now, LastVisited: now, Position: position, Seconds: seconds}
	updates := map[string]any{
		"last_visited": now,
		"seconds":      gorm.Expr("lesson_progresses.seconds + ?", seconds),
	}
	if position != "" {
		updates["position"] = position
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "learner_id"}, {Name: "slug"}},
		DoUpdates: clause.Assignments(updates),
	}).Create(&lp).Error
	if err != nil {
		return fmt.Errorf("progress: visit: %w", err)
	}
	return nil
}

// Complete marks a lesson completed (or not).
func (s *Store) Complete(ctx context.Context, learnerID, slug string, done bool) error {
	now := s.now()
	if err := s.Visit(ctx, learnerID, slug, "", 0); err != nil {
		return err
	}
	var at any
	if done {
		at = now
	}
	q := s.db.WithContext(ctx).Model(&LessonProgress{}).Where("learner_id = ? AND slug = ?", learnerID, slug)
	if done {
		q = q.Where("completed_at IS NULL") // keep the first completion time
	}
	if err := q.Update("completed_at", at).Error; err != nil {
		return fmt.Errorf("progress: complete: %w", err)
	}
	return nil
}

// ResetLesson forgets a learner's state in one lesson: visit, completion
// and the attempts of the given questions.
func (s *Store) ResetLesson(ctx context.Context, learnerID, slug string, questionIDs []string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("learner_id = ? AND slug = ?", learnerID, slug).Delete(&LessonProgress{}).Error; err != nil {
			return fmt.Errorf("progress: reset lesson: %w", err)
		}
		if len(questionIDs) > 0 {
			if err := tx.Where("learner_id = ? AND question_id IN ?", learnerID, questionIDs).Delete(&Attempt{}).Error; err != nil {
				return fmt.Errorf("progress: reset lesson: %w", err)
			}
		}
		return nil
	})
}

// Lessons returns the learner's state per lesson slug.
func (s *Store) Lessons(ctx context.Context, learnerID string) (map[string]LessonProgress, error) {
	var rows []LessonProgress
	if err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("progress: lessons: %w", err)
	}
	out := make(map[string]LessonProgress, len(rows))
	for _, r := range rows {
		out[r.Slug] = r
	}
	return out, nil
}

// LastLesson is the lesson the learner visited last, or ErrNotFound.
func (s *Store) LastLesson(ctx context.Context, learnerID string) (*LessonProgress, error) {
	var lp LessonProgress
	err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("last_visited DESC").Take(&lp).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &lp, nil
}

// LessonView is what a lesson page shows of one learner: their state in
// every lesson (for the sidebar and the course map), the lab milestones
// they reached, their best score in each of the page's quizzes and the
// running workshops they attend that lock lessons. Store.LessonView
// reads it in one statement.
type LessonView struct {
	Lessons    map[string]LessonProgress
	Milestones []Milestone // in the order reached
	Bests      map[string]Best
	// Locking are the running workshops the learner attends (not
	// removed) that lock some lesson; only Code and Locked are read.
	Locking []Workshop
	// Version is the learner's progress version these rows are of
	// (versions.go), read in the same statement.
	Version int64
}

// LockingWorkshop is the first of v.Locking that locks slug, or
// ErrNotFound: Store.LockingWorkshop's answer from the same read.
func (v *LessonView) LockingWorkshop(slug string) (*Workshop, error) {
	for i := range v.Locking {
		if slices.Contains(v.Locking[i].LockedSlugs(), slug) {
			return &v.Locking[i], nil
		}
	}
	return nil, ErrNotFound
}

// LessonView reads, in one statement, what Lessons, Milestones,
// BestScores (of questionIDs) and LockingWorkshop would read in four,
// and the progress version they are of (ProgressVersion). It shows what
// the database holds at the moment of the request, whichever replica
// wrote it; a page made from it may be kept under its Version (the rule
// in docs/benchmarks.md, "Signed-in lesson pages at cached speed").
//
// The reads are one UNION ALL whose rows say their kind in the first
// column: v (version), l (lesson), m (milestone), a (best of a
// question's attempts), w (workshop). The columns mean what the kind
// says; times come back as time.Time (Postgres) or text (SQLite), read
// by asTime.
func (s *Store) LessonView(ctx context.Context, learnerID string, questionIDs []string) (*LessonView, error) {
	args := make([]any, 0, 5+2*len(questionIDs))
	args = append(args, learnerID, learnerID, learnerID, learnerID, false)
	for _, id := range questionIDs {
		args = append(args, learnerID, id)
	}
	// Straight to the pool's prepared statement: gorm's statement
	// building cost a fifth of the read.
	rows, err := s.db.ConnPool.QueryContext(s.shortRead(ctx), s.lessonViewStmt(len(questionIDs)), args...)
	if err != nil {
		return nil, fmt.Errorf("progress: lesson view: %w", err)
	}
	defer rows.Close()
	v := &LessonView{Lessons: map[string]LessonProgress{}, Bests: map[string]Best{}}
	for rows.Next() {
		var (
			kind, k1   string
			k2         sql.NullString
			score      float64
			n1, n2     int64
			t1, t2, t3 any
		)
		if err := rows.Scan(&kind, &k1, &k2, &score, &n1, &n2, &t1, &t2, &t3); err != nil {
			return nil, fmt.Errorf("progress: lesson view: %w", err)
		}
		switch kind {
		case "l":
			lp := LessonProgress{LearnerID: learnerID, Slug: k1, Position: k2.String, Seconds: int(n1),
				FirstVisited: asTime(t1), LastVisited: asTime(t2)}
			if t3 != nil {
				at := asTime(t3)
				lp.CompletedAt = &at
			}
			v.Lessons[k1] = lp
		case "m":
			v.Milestones = append(v.Milestones, Milestone{LearnerID: learnerID, Lab: k1, Name: k2.String, At: asTime(t1)})
		case "a":
			v.Bests[k1] = Best{QuestionID: k1, Score: score, Correct: n1 == 1, Attempts: int(n2), Last: asTime(t1)}
		case "w":
			v.Locking = append(v.Locking, Workshop{Code: k1, Locked: k2.String})
		case "v":
			v.Version = n1
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: lesson view: %w", err)
	}
	slices.SortStableFunc(v.Milestones, func(a, b Milestone) int { return a.At.Compare(b.At) })
	return v, nil
}

// lessonViewStmt is lessonViewSQL(n) bound for this database, built once
// per n (a lesson's quiz count) rather than on every page view: the
// statement is a couple of kilobytes, and the pool finds its prepared
// copy by the text.
func (s *Store) lessonViewStmt(n int) string {
	if q, ok := s.lessonViews.Load(n); ok {
		return q.(string)
	}
	q, _ := s.lessonViews.LoadOrStore(n, s.bind(lessonViewSQL(n)))
	return q.(string)
}

// lessonViewSQL is LessonView's statement for n question IDs. Two
// shapes that read the same rows cost SQLite several times more on every
// execution and are avoided (BenchmarkLessonViewShapes): a JOIN (the
// workshops a learner takes part in; SQLite builds a Bloom filter for
// it each time) and a GROUP BY (the bests; a sorter each time). The
// workshops come through an IN subquery and each question's best is an
// aggregate of its own, kept only when it has attempts.
func lessonViewSQL(n int) string {
	var q strings.Builder
	q.WriteString(`SELECT 'v', '', NULL, 0, version, 0, NULL, NULL, NULL FROM progress_versions WHERE learner_id = ?
UNION ALL SELECT 'l', slug, position, 0, seconds, 0, first_visited, last_visited, completed_at FROM lesson_progresses WHERE learner_id = ?
UNION ALL SELECT 'm', lab, name, 0, 0, 0, at, NULL, NULL FROM milestones WHERE learner_id = ?
UNION ALL SELECT 'w', code, locked, 0, 0, 0, NULL, NULL, NULL FROM workshops
  WHERE id IN (SELECT workshop_id FROM participants WHERE learner_id = ? AND removed = ?) AND ended_at IS NULL AND locked <> ''`)
	for range n {
		q.WriteString(`
UNION ALL SELECT 'a', MAX(question_id), '', MAX(score), MAX(CASE WHEN correct THEN 1 ELSE 0 END), COUNT(*), MAX(created_at), NULL, NULL FROM attempts
  WHERE learner_id = ? AND question_id = ? HAVING COUNT(*) > 0`)
	}
	// No ORDER BY: sorting the union costs about a quarter of the
	// statement; LessonView orders the few milestones itself.
	return q.String()
}
