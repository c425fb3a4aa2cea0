package workshop

// Live quiz rounds. The instructor pushes a question (from the course
// bank, or written on the spot) to the room; a countdown runs on the
// engine's clock; the round closes at its deadline or as soon as every
// attendee has answered, and everyone gets the histogram; the instructor
// then reveals the answer and the leaderboard. Only question types a
// histogram can show are offered: single, multi and true/false.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Round length limits, in seconds, and the most options a question
// written on the spot may have.
const (
	RoundMinSeconds     = 5
	RoundMaxSeconds     = 300
	RoundDefaultSeconds = 30
	CustomMaxOptions    = 6
)

// CanBeRound reports whether a question can be a live round.
func CanBeRound(q *quiz.Question) bool {
	return q.Type == quiz.Single || q.Type == quiz.Multi || q.Type == quiz.TrueFalse
}

// RoundView is a round as the room sees it: the same for everyone, so
// one encoded event serves every stream.
type RoundView struct {
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
	Mine     *MyAnswer      `json:"mine,omitempty"`    // only in one attendee's state
}

// MyAnswer is one attendee's answer: what they chose at once, how it
// scored only after the reveal.
type MyAnswer struct {
	Choices []string `json:"choices"`
	Correct *bool    `json:"correct,omitempty"`
	Points  *int     `json:"points,omitempty"`
}

func mineOf(r *progress.Round, a *progress.RoundAnswer) *MyAnswer {
	m := &MyAnswer{Choices: strings.Fields(a.Answer)}
	if r.RevealedAt != nil {
		m.Correct, m.Points = &a.Correct, &a.Points
	}
	return m
}

// question is the question a round asks.
func (e *Engine) question(cat *lessons.Catalog, r *progress.Round) (*quiz.Question, error) {
	if r.Source == "" {
		q, ok := cat.Bank.Question(r.QuestionID)
		if !ok {
			return nil, fmt.Errorf("workshop: round %s asks %q, which the course no longer has", r.ID, r.QuestionID)
		}
		return q, nil
	}
	if q, ok := e.custom.Load(r.ID); ok {
		return q.(*quiz.Question), nil
	}
	q, err := readCustom(r.Source)
	if err != nil {
		return nil, fmt.Errorf("workshop: round %s: %w", r.ID, err)
	}
	e.custom.Store(r.ID, q)
	return q, nil
}

// customID is the question ID of every question written on the spot.
const customID = "live-question"

// customSource is how a question written on the spot is kept in
// progress.Round.Source, for every replica to read: JSON with the fields
// of a quiz block. (A replica of an older version reads Source with
// quiz.ParseBlock, and YAML reads JSON; rounds stored by those versions
// hold a YAML quiz block, which readCustom still reads.)
type customSource struct {
	ID        string         `json:"id"`
	Type      quiz.Type      `json:"type"`
	Prompt    string         `json:"prompt"`
	Choices   []customChoice `json:"choices"`
	Interview bool           `json:"interview"`
}

type customChoice struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

func readCustom(src string) (*quiz.Question, error) {
	var cs customSource
	if err := json.Unmarshal([]byte(src), &cs); err != nil {
		return quiz.ParseBlock([]byte(src), "workshop", 1) // stored before: a YAML quiz block
	}
	options := make([]string, len(cs.Choices))
	var correct []int
	for i, c := range cs.Choices {
		options[i] = c.Text
		if c.Correct {
			correct = append(correct, i)
		}
	}
	q, err := quiz.NewChoice(cs.ID, cs.Prompt, options, correct)
	if err != nil {
		return nil, err
	}
	q.Interview = cs.Interview
	return q, nil
}

// customQuestion builds a question written on the spot: a prompt and
// one option per line, the right ones starting with "*". More than one
// right option makes it a "choose all that apply" question. src is what
// the round stores.
func customQuestion(prompt, options string) (src string, q *quiz.Question, err error) {
	prompt = strings.TrimSpace(prompt)
	if prompt == "" || len(prompt) > 500 {
		return "", nil, refuse(Invalid, "Write a question of 1 to 500 characters.")
	}
	var texts []string
	var correct []int
	for line := range strings.SplitSeq(options, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "*"); ok {
			line = strings.TrimSpace(rest)
			correct = append(correct, len(texts))
		}
		if line == "" || len(line) > 200 {
			return "", nil, refuse(Invalid, "Each option needs 1 to 200 characters.")
		}
		texts = append(texts, line)
	}
	if len(texts) < 2 || len(texts) > CustomMaxOptions {
		return "", nil, refusef(Invalid, "Give 2 to %d options, one per line.", CustomMaxOptions)
	}
	if len(correct) == 0 {
		return "", nil, refuse(Invalid, "Mark the right option(s) with a * at the start of the line.")
	}
	q, err = quiz.NewChoice(customID, prompt, texts, correct)
	var ce *quiz.ChoiceError
	if errors.As(err, &ce) {
		return "", nil, refuse(Invalid, "The question does not work: "+ce.Reason+".")
	}
	if err != nil {
		return "", nil, err
	}
	q.Interview = false
	cs := customSource{ID: q.ID, Type: q.Type, Prompt: q.Prompt, Choices: make([]customChoice, len(q.Choices))}
	for i, c := range q.Choices {
		cs.Choices[i] = customChoice{Text: c.Text, Correct: c.Correct}
	}
	b, err := json.Marshal(cs)
	if err != nil {
		return "", nil, err
	}
	return string(b), q, nil
}

// publicRound is the room's view of a round, counts and reveal included
// when they are due.
func (e *Engine) publicRound(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, r *progress.Round) (*RoundView, error) {
	q, err := e.question(cat, r)
	if err != nil {
		return nil, err
	}
	rv := roundView(q, r, e.clock.Now())
	if rv.Total, err = e.store.CountActive(ctx, w.ID); err != nil {
		return nil, err
	}
	if !rv.Closed {
		rv.Answered, err = e.store.CountRoundAnswers(ctx, r.ID)
		return rv, err
	}
	answers, err := e.store.RoundAnswers(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	rv.Answered = len(answers)
	rv.Counts = histogram(rv.Options, answers)
	return rv, nil
}

// roundView is the room's view of round r asking q at now, without the
// counts of the database: the options in the room's one order, closed
// past the deadline, and the answer once revealed.
func roundView(q *quiz.Question, r *progress.Round, now time.Time) *RoundView {
	// Past its deadline a round reads as closed even before the close
	// is recorded: a read never has to write.
	rv := &RoundView{ID: r.ID, Seq: r.Seq, Type: q.Type, Prompt: q.PromptHTML, Seconds: r.Seconds,
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
	if rv.Closed && rv.Revealed {
		rv.Explain = q.ExplainHTML
		if q.Type == quiz.TrueFalse {
			rv.Correct = []string{strconv.FormatBool(q.Answer)}
		} else {
			rv.Correct = q.Reveal().Choices
		}
	}
	return rv
}

// histogram counts the answers given for each option; a key that is no
// option is not counted.
func histogram(options []quiz.Option, answers []progress.RoundAnswer) map[string]int {
	counts := make(map[string]int, len(options))
	for _, o := range options {
		counts[o.Key] = 0
	}
	for _, a := range answers {
		for _, k := range strings.Fields(a.Answer) {
			if _, ok := counts[k]; ok {
				counts[k]++
			}
		}
	}
	return counts
}

// settle records the close of a round whose deadline has passed (on any
// replica: the one that scheduled it may be gone) and returns it as it
// now is. Only state-changing requests call it.
func (e *Engine) settle(ctx context.Context, r *progress.Round) (*progress.Round, error) {
	if r.ClosedAt != nil || e.clock.Now().Before(r.Deadline) {
		return r, nil
	}
	if err := e.CloseRound(ctx, r.WorkshopID, r.ID); err != nil {
		return nil, err
	}
	return e.store.Round(ctx, r.WorkshopID, r.ID)
}

// CloseRound closes the round if it is open and, if this call closed
// it, sends the histogram to the room. Closing a closed round does
// nothing, so replicas racing to close one announce it once.
func (e *Engine) CloseRound(ctx context.Context, workshopID, roundID string) error {
	closed, err := e.store.CloseRound(ctx, roundID, e.clock.Now())
	if err != nil || !closed {
		return err
	}
	e.Unschedule(roundID)
	cat, err := e.course.Catalog()
	if cat == nil {
		return err
	}
	w, err := e.store.Workshop(ctx, workshopID)
	if err != nil {
		return err
	}
	r, err := e.store.Round(ctx, workshopID, roundID)
	if err != nil {
		return err
	}
	rv, err := e.publicRound(ctx, cat, w, r)
	if err != nil {
		return err
	}
	e.publish(ctx, workshopID, "closed", "", rv)
	return nil
}

// RoundSpec is a round as the instructor's form asks for it, fields as
// typed: Seconds the countdown ("" for the default), and the question:
// Prompt and Options for one written on the spot, else Next for the head
// of the queue, else Question, a bank ID.
type RoundSpec struct {
	Seconds         string
	Question        string
	Next            bool
	Prompt, Options string
}

// Started is a round just started, and the queue after it.
type Started struct {
	Round *RoundView `json:"round"`
	Queue []string   `json:"queue"`
}

// Start pushes a question to the room of w (which must be open) and sets
// the timer that closes it.
func (e *Engine) Start(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, spec RoundSpec) (*Started, error) {
	seconds := RoundDefaultSeconds
	if spec.Seconds != "" {
		n, err := strconv.Atoi(spec.Seconds)
		if err != nil || n < RoundMinSeconds || n > RoundMaxSeconds {
			return nil, refusef(Invalid, "The countdown must be %d to %d seconds.", RoundMinSeconds, RoundMaxSeconds)
		}
		seconds = n
	}
	r := &progress.Round{WorkshopID: w.ID, Seconds: seconds}
	var custom *quiz.Question
	queue := w.QueueIDs()
	switch {
	case spec.Prompt != "" || spec.Options != "": // options with no question is one written on the spot, unfinished
		src, q, err := customQuestion(spec.Prompt, spec.Options)
		if err != nil {
			return nil, err
		}
		r.QuestionID, r.Source, custom = q.ID, src, q
	case spec.Next:
		if len(queue) == 0 {
			return nil, refuse(Conflict, "The quiz queue is empty. Queue a lesson's questions first, or pick one question.")
		}
		r.QuestionID = queue[0]
		queue = queue[1:]
	default:
		r.QuestionID = spec.Question
	}
	if custom == nil {
		q, found := cat.Bank.Question(r.QuestionID)
		if !found {
			return nil, refuse(Invalid, "The course has no question “"+r.QuestionID+"”. Pick one from the list.")
		}
		if !CanBeRound(q) {
			return nil, refuse(Invalid, "“"+q.ID+"” is a "+string(q.Type)+" question; live rounds take single, multi and true/false questions, whose answers a histogram can show.")
		}
	}
	r.StartedAt = e.clock.Now()
	r.Deadline = r.StartedAt.Add(time.Duration(seconds) * time.Second)
	switch err := e.store.StartRound(ctx, r); {
	case errors.Is(err, progress.ErrConflict):
		return nil, refuse(Conflict, "A round is still running. Wait for it to end, or end it early, before starting the next.")
	case errors.Is(err, progress.ErrEnded):
		return nil, refuse(Conflict, "This workshop has ended.")
	case err != nil:
		return nil, err
	}
	if custom != nil {
		e.custom.Store(r.ID, custom)
	}
	if spec.Next {
		if err := e.store.SetQueue(ctx, w.ID, queue); err != nil {
			return nil, err
		}
	}
	e.schedule(w.ID, r.ID, r.Deadline)
	rv, err := e.publicRound(ctx, cat, w, r)
	if err != nil {
		return nil, err
	}
	e.publish(ctx, w.ID, "round", "", rv)
	return &Started{Round: rv, Queue: queue}, nil
}
