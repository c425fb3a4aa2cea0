package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RecordAttempt stores a graded answer once per (learner, key): a
// retried submission with the same key returns the first one and
// stores nothing. An empty key makes one up (no idempotency).
func (s *Store) RecordAttempt(ctx context.Context, a *Attempt) (*Attempt, error) {
	if a.Key == "" {
		a.Key = newID()
	}
	a.ID = 0
	db := s.db.WithContext(ctx)
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(a)
	if res.Error != nil {
		return nil, fmt.Errorf("progress: record attempt: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return a, nil
	}
	var first Attempt
	if err := db.Take(&first, "learner_id = ? AND key = ?", a.LearnerID, a.Key).Error; err != nil {
		return nil, fmt.Errorf("progress: record attempt: %w", err)
	}
	return &first, nil
}

// Best is a learner's best result on one question.
type Best struct {
	QuestionID string
	Score      float64
	Correct    bool
	Attempts   int
	Last       time.Time
}

// BestScores returns the learner's best score per question, for the
// given questions (all when ids is empty).
func (s *Store) BestScores(ctx context.Context, learnerID string, ids []string) (map[string]Best, error) {
	q := s.db.WithContext(ctx).Model(&Attempt{}).
		Select("question_id, MAX(score) AS score, MAX(CASE WHEN correct THEN 1 ELSE 0 END) AS correct, COUNT(*) AS attempts, MAX(created_at) AS last").
		Where("learner_id = ?", learnerID).Group("question_id")
	if len(ids) > 0 {
		q = q.Where("question_id IN ?", ids)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, fmt.Errorf("progress: best scores: %w", err)
	}
	defer rows.Close()
	out := map[string]Best{}
	if err := scanBests(rows, out); err != nil {
		return nil, fmt.Errorf("progress: best scores: %w", err)
	}
	return out, nil
}

// scanBests reads rows of (question_id, best score, correct as 0/1,
// attempts, last attempt) into out.
func scanBests(rows *sql.Rows, out map[string]Best) error {
	for rows.Next() {
		var (
			b       Best
			correct int
			last    any
		)
		if err := rows.Scan(&b.QuestionID, &b.Score, &correct, &b.Attempts, &last); err != nil {
			return err
		}
		b.Correct = correct == 1
		b.Last = asTime(last)
		out[b.QuestionID] = b
	}
	return rows.Err()
}

// asTime reads an aggregate timestamp: SQLite returns MAX() of a time
// column as text, Postgres as a time.
func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
			if p, err := time.Parse(layout, t); err == nil {
				return p
			}
		}
	case []byte:
		return asTime(string(t))
	}
	return time.Time{}
}

// Attempts lists a learner's attempts, newest first, at most limit (0 = all).
func (s *Store) Attempts(ctx context.Context, learnerID string, limit int) ([]Attempt, error) {
	var out []Attempt
	q := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("created_at DESC, id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: attempts: %w", err)
	}
	return out, nil
}

// LastAttempt is the learner's newest attempt at a question, or
// ErrNotFound.
func (s *Store) LastAttempt(ctx context.Context, learnerID, questionID string) (*Attempt, error) {
	var a Attempt
	err := s.db.WithContext(ctx).Where("learner_id = ? AND question_id = ?", learnerID, questionID).
		Order("created_at DESC, id DESC").Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("progress: last attempt: %w", err)
	}
	return &a, nil
}

// Card loads one review card, or ErrNotFound.
func (s *Store) Card(ctx context.Context, learnerID, questionID string) (*Card, error) {
	var c Card
	err := s.db.WithContext(ctx).Take(&c, "learner_id = ? AND question_id = ?", learnerID, questionID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &c, err
}

// SaveCard stores a review card.
func (s *Store) SaveCard(ctx context.Context, c *Card) error {
	if err := s.db.WithContext(ctx).Save(c).Error; err != nil {
		return fmt.Errorf("progress: save card: %w", err)
	}
	return nil
}

// Cards lists a learner's review cards, soonest due first.
func (s *Store) Cards(ctx context.Context, learnerID string) ([]Card, error) {
	var out []Card
	if err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("due").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: cards: %w", err)
	}
	return out, nil
}

// ReachMilestone records a lab milestone once; it reports whether it
// was new.
func (s *Store) ReachMilestone(ctx context.Context, learnerID, lab, name string) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Milestone{LearnerID: learnerID, Lab: lab, Name: name, At: s.now()})
	if res.Error != nil {
		return false, fmt.Errorf("progress: milestone: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Milestones lists a learner's lab milestones.
func (s *Store) Milestones(ctx context.Context, learnerID string) ([]Milestone, error) {
	var out []Milestone
	if err := s.db.WithContext(ctx).Where("learner_id = ?", learnerID).Order("at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: milestones: %w", err)
	}
	return out, nil
}
