package progress

import (
	"context"
	"fmt"
	"time"
)

// RoomProgress is what the course tables say about a room's learners,
// for the instructor's board.
type RoomProgress struct {
	Lessons    map[string][]LessonProgress    // learner -> their lessons
	Quiz       map[string]map[string]QuizMark // learner -> question -> best
	Milestones map[string][]Milestone         // learner -> lab milestones
}

// QuizMark is a learner's record on one lesson question.
type QuizMark struct {
	Correct bool
	Last    time.Time
}

// RoomProgress loads the lesson states, quiz results and lab milestones
// of the given learners in three queries.
func (s *Store) RoomProgress(ctx context.Context, learnerIDs []string) (*RoomProgress, error) {
	rp := &RoomProgress{Lessons: map[string][]LessonProgress{}, Quiz: map[string]map[string]QuizMark{}, Milestones: map[string][]Milestone{}}
	if len(learnerIDs) == 0 {
		return rp, nil
	}
	db := s.db.WithContext(ctx)
	var lessons []LessonProgress
	if err := db.Where("learner_id IN ?", learnerIDs).Find(&lessons).Error; err != nil {
		return nil, fmt.Errorf("progress: room lessons: %w", err)
	}
	for _, l := range lessons {
		rp.Lessons[l.LearnerID] = append(rp.Lessons[l.LearnerID], l)
	}
	rows, err := db.Model(&Attempt{}).
		Select("learner_id, question_id, MAX(CASE WHEN correct THEN 1 ELSE 0 END), MAX(created_at)").
		Where("learner_id IN ?", learnerIDs).Group("learner_id, question_id").Rows()
	if err != nil {
		return nil, fmt.Errorf("progress: room quizzes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			learner, q string
			correct    int
			last       any
		)
		if err := rows.Scan(&learner, &q, &correct, &last); err != nil {
			return nil, fmt.Errorf("progress: room quizzes: %w", err)
		}
		if rp.Quiz[learner] == nil {
			rp.Quiz[learner] = map[string]QuizMark{}
		}
		rp.Quiz[learner][q] = QuizMark{Correct: correct == 1, Last: asTime(last)}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var ms []Milestone
	if err := db.Where("learner_id IN ?", learnerIDs).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("progress: room milestones: %w", err)
	}
	for _, m := range ms {
		rp.Milestones[m.LearnerID] = append(rp.Milestones[m.LearnerID], m)
	}
	return rp, nil
}
