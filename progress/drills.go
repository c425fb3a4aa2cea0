package progress

import (
	"context"
	"fmt"
	"time"
)

// AttemptsSince lists a learner's attempts made at or after since, oldest
// first, from the given sources only (every source when none is given).
// Interview mode keeps no table of its own: a drill is the attempts
// tagged with its ID, so it reads a drill back, and the learner's recent
// drills, with this. Merging a guest moves these rows like any attempt.
func (s *Store) AttemptsSince(ctx context.Context, learnerID string, since time.Time, sources ...string) ([]Attempt, error) {
	var out []Attempt
	q := s.db.WithContext(ctx).Where("learner_id = ? AND created_at >= ?", learnerID, since.UTC())
	if len(sources) > 0 {
		q = q.Where("source IN ?", sources)
	}
	if err := q.Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: attempts since: %w", err)
	}
	return out, nil
}

// Tally counts a learner's answers to one question.
type Tally struct {
	QuestionID string
	Answers    int
	Correct    int
}

// Tallies counts the learner's answers per question, from every source,
// ordered by question id: what accuracy by topic and level is made of.
func (s *Store) Tallies(ctx context.Context, learnerID string) ([]Tally, error) {
	var out []Tally
	err := s.db.WithContext(ctx).Model(&Attempt{}).
		Select("question_id, COUNT(*) AS answers, SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct").
		Where("learner_id = ?", learnerID).Group("question_id").Order("question_id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("progress: tallies: %w", err)
	}
	return out, nil
}

// PracticeDays lists the days on which the learner answered anything,
// oldest first, as YYYY-MM-DD: what a practice streak is made of. Days
// are the learner's own: offset is their time zone's offset from UTC
// (whole minutes; 0 for UTC days).
func (s *Store) PracticeDays(ctx context.Context, learnerID string, offset time.Duration) ([]string, error) {
	mins := int(offset / time.Minute)
	// SQLite reads the stored offset, answers in UTC, then shifts.
	day, arg := "date(created_at, ?)", any(fmt.Sprintf("%+d minutes", mins))
	if s.postgres {
		day, arg = "to_char((created_at AT TIME ZONE 'UTC') + make_interval(mins => ?), 'YYYY-MM-DD')", any(mins)
	}
	var out []string
	err := s.db.WithContext(ctx).Raw("SELECT DISTINCT "+day+" AS day FROM attempts WHERE learner_id = ? ORDER BY day", arg, learnerID).
		Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("progress: practice days: %w", err)
	}
	return out, nil
}
