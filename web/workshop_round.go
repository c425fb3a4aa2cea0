package web

// Live quiz rounds. The instructor pushes a question (from the course
// bank, or written on the spot) to the room; a countdown runs on the
// server's clock; the round closes at its deadline or as soon as every
// attendee has answered, and everyone gets the histogram; the instructor
// then reveals the answer and the leaderboard. Only question types a
// histogram can show are offered: single, multi and true/false.

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// Round length limits, in seconds.
const (
	roundMinSeconds     = 5
	roundMaxSeconds     = 300
	roundDefaultSeconds = 30
	customMaxOptions    = 6
)

// roundQuestionOK reports whether a question can be a live round.
func roundQuestionOK(q *quiz.Question) bool {
	return q.Type == quiz.Single || q.Type == quiz.Multi || q.Type == quiz.TrueFalse
}

// roundView is a round as the room sees it: the same for everyone, so
// one encoded event serves every stream.
type roundView struct {
	ID       string         `json:"id"`
	Seq      int            `json:"seq"`
	Type     quiz.Type      `json:"type"`
	Prompt   template.HTML  `json:"prompt"`
	Options  []quiz.Option  `json:"options"`
	Seconds  int            `json:"seconds"`
	Deadline int64          `json:"deadline"` // Unix ms
	Now      int64          `json:"now"`      // server time when sent, Unix ms, to correct client clocks
	Closed   bool           `json:"closed"`
	Revealed bool           `json:"revealed"`
	Answered int            `json:"answered"`
	Total    int            `json:"total"`
	Counts   map[string]int `json:"counts,omitempty"`  // closed: option key -> answers
	Correct  []string       `json:"correct,omitempty"` // revealed: the right keys
	Explain  template.HTML  `json:"explain,omitempty"` // revealed
	Mine     *myAnswer      `json:"mine,omitempty"`    // only in one attendee's state
}

// myAnswer is one attendee's answer: what they chose at once, how it
// scored only after the reveal.
type myAnswer struct {
	Choices []string `json:"choices"`
	Correct *bool    `json:"correct,omitempty"`
	Points  *int     `json:"points,omitempty"`
}

// standingView is one line of the leaderboard.
type standingView struct {
	Rank     int    `json:"rank"`
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
	Points   int    `json:"points"`
	Right    int    `json:"right"`
	Answered int    `json:"answered"`
}

// roundQuestion is the question a round asks.
func (s *Server) roundQuestion(cat *lessons.Catalog, r *progress.Round) (*quiz.Question, error) {
	if r.Source == "" {
		q, ok := cat.Bank.Question(r.QuestionID)
		if !ok {
			return nil, fmt.Errorf("web: round %s asks %q, which the course no longer has", r.ID, r.QuestionID)
		}
		return q, nil
	}
	if q, ok := s.ws.custom.Load(r.ID); ok {
		return q.(*quiz.Question), nil
	}
	q, err := quiz.ParseBlock([]byte(r.Source), "workshop", 1)
	if err != nil {
		return nil, fmt.Errorf("web: round %s: %w", r.ID, err)
	}
	s.ws.custom.Store(r.ID, q)
	return q, nil
}

// customQuestion builds a question written on the spot: a prompt and
// one option per line, the right ones starting with "*". More than one
// right option makes it a "choose all that apply" question.
func customQuestion(prompt, options string) (src string, q *quiz.Question, msg string) {
	prompt = strings.TrimSpace(prompt)
	if prompt == "" || len(prompt) > 500 {
		return "", nil, "Write a question of 1 to 500 characters."
	}
	type choice struct {
		Text    string `yaml:"text"`
		Correct bool   `yaml:"correct,omitempty"`
	}
	var choices []choice
	right := 0
	for line := range strings.SplitSeq(options, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		c := choice{Text: line}
		if strings.HasPrefix(line, "*") {
			c = choice{Text: strings.TrimSpace(line[1:]), Correct: true}
			right++
		}
		if c.Text == "" || len(c.Text) > 200 {
			return "", nil, "Each option needs 1 to 200 characters."
		}
		choices = append(choices, c)
	}
	if len(choices) < 2 || len(choices) > customMaxOptions {
		return "", nil, fmt.Sprintf("Give 2 to %d options, one per line.", customMaxOptions)
	}
	if right == 0 {
		return "", nil, "Mark the right option(s) with a * at the start of the line."
	}
	typ := quiz.Single
	if right > 1 {
		typ = quiz.Multi
	}
	b, err := yaml.Marshal(map[string]any{"id": "live-question", "type": string(typ), "prompt": prompt, "choices": choices, "interview": false})
	if err != nil {
		return "", nil, "The question could not be built: " + err.Error()
	}
	q, err = quiz.ParseBlock(b, "workshop", 1)
	if err != nil {
		var qe *quiz.Error
		if errors.As(err, &qe) {
			return "", nil, "The question does not work: " + qe.Msg + "."
		}
		return "", nil, "The question does not work: " + err.Error()
	}
	return string(b), q, ""
}

// publicRound is the room's view of a round, counts and reveal included
// when they are due.
func (s *Server) publicRound(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, r *progress.Round) (*roundView, error) {
	q, err := s.roundQuestion(cat, r)
	if err != nil {
		return nil, err
	}
	now := s.ws.clock.Now()
	// Past its deadline a round reads as closed even before the close
	// is recorded: a read never has to write.
	rv := &roundView{ID: r.ID, Seq: r.Seq, Type: q.Type, Prompt: q.PromptHTML, Seconds: r.Seconds,
		Deadline: r.Deadline.UnixMilli(), Now: now.UnixMilli(), Closed: !r.Open(now), Revealed: r.RevealedAt != nil}
	if q.Type == quiz.TrueFalse {
		rv.Prompt = q.StatementHTML
		if q.PromptHTML != "" {
			rv.Prompt = q.PromptHTML + q.StatementHTML
		}
		rv.Options = []quiz.Option{{Key: "true", HTML: "True"}, {Key: "false", HTML: "False"}}
	} else {
		rv.Options = q.Public(quiz.Seed("round", r.ID)).Options // one order for the whole room
	}
	if rv.Total, err = s.store.CountActive(ctx, w.ID); err != nil {
		return nil, err
	}
	if !rv.Closed {
		rv.Answered, err = s.store.CountRoundAnswers(ctx, r.ID)
		return rv, err
	}
	answers, err := s.store.RoundAnswers(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	rv.Answered = len(answers)
	rv.Counts = make(map[string]int, len(rv.Options))
	for _, o := range rv.Options {
		rv.Counts[o.Key] = 0
	}
	for _, a := range answers {
		for _, k := range strings.Fields(a.Answer) {
			if _, ok := rv.Counts[k]; ok {
				rv.Counts[k]++
			}
		}
	}
	if rv.Revealed {
		rv.Explain = q.ExplainHTML
		if q.Type == quiz.TrueFalse {
			rv.Correct = []string{strconv.FormatBool(q.Answer)}
		} else {
			rv.Correct = q.Reveal().Choices
		}
	}
	return rv, nil
}

// settleRound records the close of a round whose deadline has passed
// (on any replica: the one that scheduled it may be gone) and returns it
// as it now is. Only state-changing requests call it.
func (s *Server) settleRound(ctx context.Context, r *progress.Round) (*progress.Round, error) {
	if r.ClosedAt != nil || s.ws.clock.Now().Before(r.Deadline) {
		return r, nil
	}
	if err := s.closeRound(ctx, r.WorkshopID, r.ID); err != nil {
		return nil, err
	}
	return s.store.Round(ctx, r.WorkshopID, r.ID)
}

// closeRound closes the round if it is open and, if this call closed
// it, sends the histogram to the room.
func (s *Server) closeRound(ctx context.Context, workshopID, roundID string) error {
	closed, err := s.store.CloseRound(ctx, roundID, s.ws.clock.Now())
	if err != nil || !closed {
		return err
	}
	s.unschedule(roundID)
	cat, err := s.catalog.Catalog()
	if cat == nil {
		return err
	}
	w, err := s.store.Workshop(ctx, workshopID)
	if err != nil {
		return err
	}
	r, err := s.store.Round(ctx, workshopID, roundID)
	if err != nil {
		return err
	}
	rv, err := s.publicRound(ctx, cat, w, r)
	if err != nil {
		return err
	}
	s.publish(ctx, workshopID, "closed", "", rv)
	return nil
}

// startRound (POST /workshops/:id/rounds) pushes a question to the room:
// question=<bank id>, or next=1 for the head of the queue, or prompt +
// options for one written on the spot; seconds is the countdown.
func (s *Server) startRound(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	seconds := roundDefaultSeconds
	if v := c.PostForm("seconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < roundMinSeconds || n > roundMaxSeconds {
			s.problem(c, http.StatusUnprocessableEntity, fmt.Sprintf("The countdown must be %d to %d seconds.", roundMinSeconds, roundMaxSeconds))
			return
		}
		seconds = n
	}
	r := &progress.Round{WorkshopID: w.ID, Seconds: seconds}
	var custom *quiz.Question
	queue := w.QueueIDs()
	switch {
	case c.PostForm("prompt") != "":
		src, q, msg := customQuestion(c.PostForm("prompt"), c.PostForm("options"))
		if msg != "" {
			s.problem(c, http.StatusUnprocessableEntity, msg)
			return
		}
		r.QuestionID, r.Source, custom = q.ID, src, q
	case c.PostForm("next") != "":
		if len(queue) == 0 {
			s.problem(c, http.StatusConflict, "The quiz queue is empty. Queue a lesson's questions first, or pick one question.")
			return
		}
		r.QuestionID = queue[0]
		queue = queue[1:]
	default:
		r.QuestionID = c.PostForm("question")
	}
	if custom == nil {
		q, found := cat.Bank.Question(r.QuestionID)
		if !found {
			s.problem(c, http.StatusUnprocessableEntity, "The course has no question “"+r.QuestionID+"”. Pick one from the list.")
			return
		}
		if !roundQuestionOK(q) {
			s.problem(c, http.StatusUnprocessableEntity, "“"+q.ID+"” is a "+string(q.Type)+" question; live rounds take single, multi and true/false questions, whose answers a histogram can show.")
			return
		}
	}
	ctx := c.Request.Context()
	r.StartedAt = s.ws.clock.Now()
	r.Deadline = r.StartedAt.Add(time.Duration(seconds) * time.Second)
	switch err := s.store.StartRound(ctx, r); {
	case errors.Is(err, progress.ErrConflict):
		s.problem(c, http.StatusConflict, "A round is still running. Wait for it to end, or end it early, before starting the next.")
		return
	case errors.Is(err, progress.ErrEnded):
		s.problem(c, http.StatusConflict, "This workshop has ended.")
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	if custom != nil {
		s.ws.custom.Store(r.ID, custom)
	}
	if c.PostForm("next") != "" {
		if err := s.store.SetQueue(ctx, w.ID, queue); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.schedule(w.ID, r.ID, r.Deadline)
	rv, err := s.publicRound(ctx, cat, w, r)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.publish(ctx, w.ID, "round", "", rv)
	s.boardReply(c, w, http.StatusCreated, gin.H{"round": rv, "queue": queue})
}

// boardReply answers an instructor's action: JSON to fetch, a 303 back
// to the board to a plain form.
func (s *Server) boardReply(c *gin.Context, w *progress.Workshop, status int, v any) {
	if wantsJSON(c.Request) {
		c.JSON(status, v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/workshops/"+w.ID)
}

// roundOf loads :round of the instructor's workshop.
func (s *Server) roundOf(c *gin.Context, w *progress.Workshop) (*progress.Round, bool) {
	r, err := s.store.Round(c.Request.Context(), w.ID, c.Param("round"))
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "This workshop has no round "+c.Param("round")+".")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return r, true
}

// endRound (POST /workshops/:id/rounds/:round/close) ends a round early.
func (s *Server) endRound(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := s.roundOf(c, w)
	if !ok {
		return
	}
	if err := s.closeRound(c.Request.Context(), w.ID, r.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.boardReply(c, w, http.StatusOK, gin.H{"closed": true})
}
