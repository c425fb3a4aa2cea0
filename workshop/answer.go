package workshop

// Answering a live round: the first answer counts, a retry gets it back,
// and the answer that completes the room closes the round.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Answered is an attendee's answer to a round, as they may see it.
type Answered struct {
	RoundID string    `json:"round"`
	Mine    *MyAnswer `json:"mine"`
	// Retry: they had answered before; the first answer stands and
	// nothing changed.
	Retry bool `json:"-"`
}

// Answer records p's answer to round roundID of w: choices are option
// keys (several for multi) or "true" or "false". The first answer
// counts; a retry (a reload, a dropped connection) gets the same answer
// back.
func (e *Engine) Answer(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, p *progress.Participant, roundID string, choices []string) (*Answered, error) {
	r, err := e.store.Round(ctx, w.ID, roundID)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, refuse(NotFound, "This workshop has no such round.")
	}
	if err != nil {
		return nil, err
	}
	if prev, err := e.store.RoundAnswerOf(ctx, r.ID, p.ID); err == nil {
		return &Answered{RoundID: r.ID, Mine: mineOf(r, prev), Retry: true}, nil
	} else if !errors.Is(err, progress.ErrNotFound) {
		return nil, err
	}
	if r, err = e.settle(ctx, r); err != nil {
		return nil, err
	}
	if w.Ended() || r.ClosedAt != nil {
		return nil, refuse(Conflict, "This round has closed, so the answer was not counted. The next round will appear here.")
	}
	q, err := e.question(cat, r)
	if err != nil {
		return nil, err
	}
	ans, err := roundAnswer(q, choices)
	if err != nil {
		return nil, err
	}
	res, err := quiz.Grade(q, ans)
	if errors.Is(err, quiz.ErrInvalidAnswer) {
		// The page only sends the round's own options; this is a hand-made
		// request, and the grader's wording ("invalid answer: unknown
		// choice …") is no sentence for a person.
		return nil, refuse(Invalid, "That answer does not fit this question: pick from the options the round shows.")
	}
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	elapsed := now.Sub(r.StartedAt)
	a, fresh, err := e.store.AnswerRound(ctx, &progress.RoundAnswer{
		RoundID: r.ID, ParticipantID: p.ID, WorkshopID: w.ID, Answer: strings.Join(slices.Sorted(slices.Values(choices)), " "),
		Score: res.Score, Correct: res.Correct, Points: progress.RoundPoints(res.Score, elapsed, time.Duration(r.Seconds)*time.Second),
		ElapsedMS: int(elapsed.Milliseconds()), At: now,
	})
	if err != nil {
		return nil, err
	}
	if fresh {
		if err := e.afterAnswer(ctx, w, r); err != nil {
			return nil, err
		}
	}
	return &Answered{RoundID: r.ID, Mine: mineOf(r, a)}, nil
}

// roundAnswer reads the choices of a form as an answer to q.
func roundAnswer(q *quiz.Question, choices []string) (quiz.Answer, error) {
	var ans quiz.Answer
	if q.Type == quiz.TrueFalse {
		if len(choices) != 1 || (choices[0] != "true" && choices[0] != "false") {
			return ans, refuse(Invalid, "Answer True or False.")
		}
		tf := choices[0] == "true"
		ans.TF = &tf
		return ans, nil
	}
	if len(choices) == 0 {
		return ans, refuse(Invalid, "Pick an answer first.")
	}
	ans.Choices = choices
	return ans, nil
}

// afterAnswer tells the board how many have answered and closes the
// round when everyone in the room has.
func (e *Engine) afterAnswer(ctx context.Context, w *progress.Workshop, r *progress.Round) error {
	answered, err := e.store.CountRoundAnswers(ctx, r.ID)
	if err != nil {
		return err
	}
	total, err := e.store.CountActive(ctx, w.ID)
	if err != nil {
		return err
	}
	e.publish(ctx, w.ID, "answered", ToInstructor, map[string]any{"round": r.ID, "answered": answered, "total": total})
	if answered >= total {
		return e.CloseRound(ctx, w.ID, r.ID)
	}
	return nil
}
