package interview

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Meta is the interview part of a stored answer (progress.Attempt.Answer,
// a JSON object): the run it belongs to and how it went. The caller
// stores the answer itself in the same object, beside these fields, so
// the lesson code can grade it again.
type Meta struct {
	Run     string `json:"run"`
	Rating  int    `json:"rating,omitempty"`  // the learner's own rating of an open prompt, 1–4
	Millis  int    `json:"ms,omitempty"`      // time on the question (Run.Took); 0 when unknown
	Seconds int    `json:"seconds,omitempty"` // the same in whole seconds, rounded down, in answers stored before Millis
	Late    bool   `json:"late,omitempty"`    // sent after the run's timer ran out (Run.Late)
}

// Time says for people how long the answer took: "" when unknown, "under
// 1 s", else m:ss rounded up, so a late answer (one that took longer than
// the limit, Run.Late) never shows the limit itself.
func (m Meta) Time() string {
	switch {
	case m.Millis <= 0:
		if m.Seconds > 0 {
			return Clock(m.Seconds)
		}
		return ""
	case m.Millis < 1000:
		return "under 1 s"
	}
	return Clock((m.Millis + 999) / 1000)
}

// ReadMeta reads the interview part of an attempt: false for an attempt
// that is not an interview answer.
func ReadMeta(a *progress.Attempt) (Meta, bool) {
	var m Meta
	if a.Source != SourceDrill && a.Source != SourceMock {
		return m, false
	}
	if err := json.Unmarshal([]byte(a.Answer), &m); err != nil || m.Run == "" {
		return m, false
	}
	return m, true
}

// Answer is one stored answer of a run.
type Answer struct {
	Attempt *progress.Attempt
	Meta    Meta
}

// Rating is the answer's rating of its card: the learner's own for an
// open prompt (self), else derived from the score.
func (a Answer) Rating() (r quiz.Rating, self bool) {
	if a.Meta.Rating > 0 {
		return quiz.Rating(a.Meta.Rating), true
	}
	return quiz.RatingFor(quiz.Result{Correct: a.Attempt.Correct, Score: a.Attempt.Score}), false
}

// Answers are a run's stored answers by question id.
type Answers map[string]Answer

// Correct counts the right ones.
func (as Answers) Correct() int {
	n := 0
	for _, a := range as {
		if a.Attempt.Correct {
			n++
		}
	}
	return n
}

// RunAnswers reads the learner's answers in run r, the first per
// question. A learner who has none yet ("" for a visitor) has none.
func (s *Service) RunAnswers(ctx context.Context, learner string, r Run) (Answers, error) {
	out := Answers{}
	if learner == "" {
		return out, nil
	}
	// A minute of slack for replicas whose clocks differ a little.
	atts, err := s.store.AttemptsSince(ctx, learner, r.Start.Add(-time.Minute), SourceDrill, SourceMock)
	if err != nil {
		return nil, err
	}
	tag := `"run":"` + r.ID + `"` // how encoding/json writes it: skip other runs unparsed
	for i := range atts {
		if !strings.Contains(atts[i].Answer, tag) {
			continue
		}
		m, ok := ReadMeta(&atts[i])
		if !ok || m.Run != r.ID {
			continue
		}
		if _, dup := out[atts[i].QuestionID]; !dup {
			out[atts[i].QuestionID] = Answer{Attempt: &atts[i], Meta: m}
		}
	}
	return out, nil
}

// RecentQuestions are the questions answered in the learner's last
// RecentRuns runs, which a new drill draws only when fresh ones run out.
func (s *Service) RecentQuestions(ctx context.Context, learner string) (map[string]bool, error) {
	if learner == "" {
		return nil, nil
	}
	atts, err := s.store.AttemptsSince(ctx, learner, s.now().Add(-RecentWindow), SourceDrill, SourceMock)
	if err != nil {
		return nil, err
	}
	return RecentFromAttempts(atts, RecentRuns), nil
}

// RecentFromAttempts takes attempts oldest first and returns the
// questions of the last runs runs.
func RecentFromAttempts(atts []progress.Attempt, runs int) map[string]bool {
	out := map[string]bool{}
	var order []string // run ids, newest first
	byRun := map[string][]string{}
	for i := len(atts) - 1; i >= 0; i-- {
		m, ok := ReadMeta(&atts[i])
		if !ok {
			continue
		}
		if _, known := byRun[m.Run]; !known {
			order = append(order, m.Run)
		}
		byRun[m.Run] = append(byRun[m.Run], atts[i].QuestionID)
	}
	for i, run := range order {
		if i >= runs {
			break
		}
		for _, id := range byRun[run] {
			out[id] = true
		}
	}
	return out
}

// RunKey is the idempotency key of a run's answer to a question: the
// run ID (at most 32 characters) and a hash of the question id fit the
// 64 characters of progress.Attempt.Key.
func RunKey(run, questionID string) string {
	h := fnv.New64a()
	h.Write([]byte(questionID))
	return fmt.Sprintf("run.%s.%016x", run, h.Sum64())
}

// Graded is an answer to record: the stored JSON (the answer and its
// Meta in one object), its grade, and the rating for the card.
type Graded struct {
	Answer string
	Meta   Meta
	Result quiz.Result
	Rating quiz.Rating
}

// Record stores the answer to question i of run r once per run and
// question: the attempt's idempotency key is made from the two, so a
// retried request, a second answer (another tab, the back button) and a
// merge of a guest who answered before signing up all find the first
// answer, which the database's unique key guards without a race. Only a
// new answer reviews the question's card; cardErr is a failure to save
// that review (the answer is stored: a missed schedule only delays a
// review), err a failure to store the answer.
func (s *Service) Record(ctx context.Context, learner string, r Run, i int, g Graded) (a Answer, cardErr, err error) {
	q := r.Qs[i]
	att := &progress.Attempt{LearnerID: learner, Key: RunKey(r.ID, q.ID), QuestionID: q.ID, Source: KindSource(r.Kind),
		Score: g.Result.Score, Correct: g.Result.Correct, Answer: g.Answer}
	got, err := s.store.RecordAttempt(ctx, att)
	if err != nil {
		return Answer{}, nil, err
	}
	if got != att {
		first, ok := ReadMeta(got)
		if !ok || got.QuestionID != q.ID {
			return Answer{}, nil, fmt.Errorf("interview: attempt %d under key %s is not this run's answer to %s", got.ID, got.Key, q.ID)
		}
		return Answer{Attempt: got, Meta: first}, nil, nil
	}
	_, cardErr = s.RateCard(ctx, learner, q.ID, g.Rating, s.now().UTC())
	return Answer{Attempt: got, Meta: g.Meta}, cardErr, nil
}
