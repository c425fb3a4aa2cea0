package interview

import (
	"context"
	"crypto/rand"
	"slices"
	"time"

	"github.com/authlab/authlab/quiz"
)

// EmptyPool is a filter that leaves nothing to draw from, said for the
// learner.
type EmptyPool struct{ Kind string }

func (e EmptyPool) Error() string {
	if e.Kind == KindMock {
		return "No open interview prompt has these topics and levels together. Choose more topics or levels."
	}
	return "No question has these topics and levels together. Choose more topics or levels."
}

// NewRun starts a run of the questions at now, with the filter's timer
// and a fresh random ID.
func NewRun(kind string, qs []*quiz.Question, f Filter, now time.Time) Run {
	return Run{Kind: kind, ID: rand.Text(), Qs: qs, Timer: f.Timer, Whole: f.Whole, Start: now.UTC().Truncate(time.Second)}
}

// Drill draws a quick drill: f.N graded questions of the chosen topics
// and levels, the ones the learner ("" for a visitor) did not meet in
// the last runs first.
func (s *Service) Drill(ctx context.Context, learner string, bank *quiz.Bank, f Filter) ([]*quiz.Question, error) {
	pool := bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: GradedTypes, InterviewOnly: true})
	if len(pool) == 0 {
		return nil, EmptyPool{KindDrill}
	}
	recent, err := s.RecentQuestions(ctx, learner)
	if err != nil {
		return nil, err
	}
	return quiz.Drill(pool, f.N, recent, f.Rand()), nil
}

// Mock draws a mock interview: f.N open prompts, one and then its
// follow-ups (MockChain), fresh prompts first.
func (s *Service) Mock(ctx context.Context, learner string, bank *quiz.Bank, f Filter) ([]*quiz.Question, error) {
	pool := bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: OpenTypes, InterviewOnly: true})
	if len(pool) == 0 {
		return nil, EmptyPool{KindMock}
	}
	recent, err := s.RecentQuestions(ctx, learner)
	if err != nil {
		return nil, err
	}
	return MockChain(bank, quiz.Drill(pool, len(pool), recent, f.Rand()), f.N), nil
}

// MockChain builds a mock interview from candidate prompts in order of
// preference: the first one that has follow-ups opens (when more than
// one prompt is wanted), then its follow-ups chain breadth first; when
// the chain runs dry the next candidate opens a new one. No prompt
// appears twice.
func MockChain(bank *quiz.Bank, candidates []*quiz.Question, n int) []*quiz.Question {
	if n <= 0 || len(candidates) == 0 {
		return nil
	}
	order := slices.Clone(candidates)
	if n > 1 {
		if i := slices.IndexFunc(order, func(q *quiz.Question) bool { return len(q.FollowUps) > 0 }); i > 0 {
			first := order[i]
			order = slices.Insert(slices.Delete(order, i, i+1), 0, first)
		}
	}
	var out []*quiz.Question
	in := map[string]bool{}
	for _, root := range order {
		queue := []*quiz.Question{root}
		for len(queue) > 0 && len(out) < n {
			q := queue[0]
			queue = queue[1:]
			if in[q.ID] {
				continue
			}
			in[q.ID] = true
			out = append(out, q)
			for _, id := range q.FollowUps {
				if f, ok := bank.Question(id); ok && !in[id] {
					queue = append(queue, f)
				}
			}
		}
		if len(out) >= n {
			break
		}
	}
	return out
}
