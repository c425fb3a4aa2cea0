package interview

import (
	"context"
	"errors"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Cards reads a learner's review cards as the scheduler's type.
func (s *Service) Cards(ctx context.Context, learner string) ([]quiz.Card, error) {
	stored, err := s.store.Cards(ctx, learner)
	if err != nil {
		return nil, err
	}
	out := make([]quiz.Card, len(stored))
	for i := range stored {
		out[i] = quizCard(&stored[i])
	}
	return out, nil
}

func quizCard(sc *progress.Card) quiz.Card {
	return quiz.Card{QuestionID: sc.QuestionID, Ease: sc.Ease, Interval: sc.Interval, Reps: sc.Reps,
		Lapses: sc.Lapses, Due: sc.Due, Last: sc.LastReview}
}

// RateCard reviews the question's card (a new one if the learner has
// none) with a rating at now, and stores it.
func (s *Service) RateCard(ctx context.Context, learner, questionID string, r quiz.Rating, now time.Time) (quiz.Card, error) {
	stored, err := s.store.Card(ctx, learner, questionID)
	switch {
	case errors.Is(err, progress.ErrNotFound):
		stored = nil
	case err != nil:
		return quiz.NewCard(questionID, now), err
	}
	card := ReviewCard(questionID, stored, r, now)
	card.LearnerID = learner
	return quizCard(&card), s.store.SaveCard(ctx, &card)
}

// ReviewCard is the question's card after a review rated r at now:
// prev reviewed again, or a new card when prev is nil. The spaced
// repetition of interview drills and of lesson quizzes is this one rule.
func ReviewCard(questionID string, prev *progress.Card, r quiz.Rating, now time.Time) progress.Card {
	card := quiz.NewCard(questionID, now)
	if prev != nil {
		card = quizCard(prev)
		card.QuestionID = questionID
	}
	card = card.Review(r, now)
	return progress.Card{QuestionID: questionID, Ease: card.Ease, Interval: card.Interval, Reps: card.Reps,
		Lapses: card.Lapses, Due: card.Due, LastReview: card.Last}
}

// NextReview says when the learner's card for a question comes back
// ("today", "tomorrow", "in 6 days"); "" when there is no card.
func (s *Service) NextReview(ctx context.Context, learner, questionID string) (string, error) {
	card, err := s.store.Card(ctx, learner, questionID)
	switch {
	case err == nil:
		return ComesBack(card.Due, s.now()), nil
	case errors.Is(err, progress.ErrNotFound):
		return "", nil
	}
	return "", err
}

// DueQuestions are the learner's cards due by the end of today (today in
// now's zone), most overdue first, as questions of the bank: at most n.
// A card whose question left the course is skipped.
func (s *Service) DueQuestions(ctx context.Context, learner string, bank *quiz.Bank, n int, now time.Time) ([]*quiz.Question, error) {
	if learner == "" {
		return nil, nil
	}
	cards, err := s.Cards(ctx, learner)
	if err != nil {
		return nil, err
	}
	var qs []*quiz.Question
	for _, card := range quiz.DueQueue(cards, EndOfDay(now), 0) {
		if q, ok := bank.Question(card.QuestionID); ok && len(qs) < n {
			qs = append(qs, q)
		}
	}
	return qs, nil
}
