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
	card := quiz.NewCard(questionID, now)
	stored, err := s.store.Card(ctx, learner, questionID)
	switch {
	case err == nil:
		card = quizCard(stored)
	case !errors.Is(err, progress.ErrNotFound):
		return card, err
	}
	card = card.Review(r, now)
	return card, s.store.SaveCard(ctx, &progress.Card{LearnerID: learner, QuestionID: questionID, Ease: card.Ease,
		Interval: card.Interval, Reps: card.Reps, Lapses: card.Lapses, Due: card.Due, LastReview: card.Last})
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
