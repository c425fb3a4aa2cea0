package progress

import (
	"context"
	"fmt"

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
