package web

// Answering a live round: the first answer counts, a retry gets it back,
// and the answer that completes the room closes the round.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// answerRound (POST /w/:code/answer) records an attendee's answer to the
// open round: round=<id> and choice=<key> (several for multi) or
// choice=true|false. The first answer counts; a retry (a reload, a
// dropped connection) gets the same answer back.
func (s *Server) answerRound(c *gin.Context) {
	w, p, ok := s.attendeeOf(c, true)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	r, err := s.store.Round(ctx, w.ID, c.PostForm("round"))
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "This workshop has no such round.")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if prev, err := s.store.RoundAnswerOf(ctx, r.ID, p.ID); err == nil {
		s.answerReply(c, w, r, prev, http.StatusOK)
		return
	} else if !errors.Is(err, progress.ErrNotFound) {
		s.fail(c, err)
		return
	}
	if r, err = s.settleRound(ctx, r); err != nil {
		s.fail(c, err)
		return
	}
	if w.Ended() || r.ClosedAt != nil {
		s.problem(c, http.StatusConflict, "This round has closed, so the answer was not counted. The next round will appear here.")
		return
	}
	q, err := s.roundQuestion(cat, r)
	if err != nil {
		s.fail(c, err)
		return
	}
	choices := c.PostFormArray("choice")
	var ans quiz.Answer
	if q.Type == quiz.TrueFalse {
		if len(choices) != 1 || (choices[0] != "true" && choices[0] != "false") {
			s.problem(c, http.StatusUnprocessableEntity, "Answer True or False.")
			return
		}
		tf := choices[0] == "true"
		ans.TF = &tf
	} else {
		if len(choices) == 0 {
			s.problem(c, http.StatusUnprocessableEntity, "Pick an answer first.")
			return
		}
		ans.Choices = choices
	}
	res, err := quiz.Grade(q, ans)
	if errors.Is(err, quiz.ErrInvalidAnswer) {
		s.problem(c, http.StatusUnprocessableEntity, "That answer does not fit this question: "+strings.TrimPrefix(err.Error(), "quiz: grade "+q.ID+": "))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.ws.clock.Now()
	elapsed := now.Sub(r.StartedAt)
	a, fresh, err := s.store.AnswerRound(ctx, &progress.RoundAnswer{
		RoundID: r.ID, ParticipantID: p.ID, WorkshopID: w.ID, Answer: strings.Join(slices.Sorted(slices.Values(choices)), " "),
		Score: res.Score, Correct: res.Correct, Points: progress.RoundPoints(res.Score, elapsed, time.Duration(r.Seconds)*time.Second),
		ElapsedMS: int(elapsed.Milliseconds()), At: now,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if fresh {
		if err := s.afterAnswer(ctx, w, r); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.answerReply(c, w, r, a, http.StatusCreated)
}

// afterAnswer tells the board how many have answered and closes the
// round when everyone in the room has.
func (s *Server) afterAnswer(ctx context.Context, w *progress.Workshop, r *progress.Round) error {
	answered, err := s.store.CountRoundAnswers(ctx, r.ID)
	if err != nil {
		return err
	}
	total, err := s.store.CountActive(ctx, w.ID)
	if err != nil {
		return err
	}
	s.publish(ctx, w.ID, "answered", toInstructor, gin.H{"round": r.ID, "answered": answered, "total": total})
	if answered >= total {
		return s.closeRound(ctx, w.ID, r.ID)
	}
	return nil
}

// answerReply sends the attendee their answer (scored only once the
// round is revealed), or a 303 back to the workshop page.
func (s *Server) answerReply(c *gin.Context, w *progress.Workshop, r *progress.Round, a *progress.RoundAnswer, status int) {
	if !wantsJSON(c.Request) {
		c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
		return
	}
	c.JSON(status, gin.H{"round": r.ID, "mine": mineOf(r, a)})
}

func mineOf(r *progress.Round, a *progress.RoundAnswer) *myAnswer {
	m := &myAnswer{Choices: strings.Fields(a.Answer)}
	if r.RevealedAt != nil {
		m.Correct, m.Points = &a.Correct, &a.Points
	}
	return m
}
