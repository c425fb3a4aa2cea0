package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// practice is one run, as its URL holds it (see the package comment in
// interview.go).
type practice struct {
	Kind  string
	ID    string
	Qs    []*quiz.Question
	Timer int  // seconds; 0 for none
	Whole bool // Timer is for the whole run, else for each question
	Start time.Time
}

var runIDRe = regexp.MustCompile(`^[A-Za-z0-9]{8,32}$`)

// query is the run's part of its URLs.
func (p practice) query() string {
	q := "kind=" + p.Kind + "&id=" + p.ID + "&at=" + strconv.FormatInt(p.Start.Unix(), 10)
	if p.Timer > 0 {
		q += "&timer=" + strconv.Itoa(p.Timer)
		if p.Whole {
			q += "&whole=1"
		}
	}
	return q + "&q=" + joinIDs(p.Qs)
}

// url is the page of question i.
func (p practice) url(i int) string {
	return "/interview/practice?" + p.query() + "&i=" + strconv.Itoa(i)
}

func (p practice) summaryURL() string { return "/interview/summary?" + p.query() }

func (p practice) answerURL(i int) string {
	return "/interview/practice/answer?" + p.query() + "&i=" + strconv.Itoa(i)
}

// deadline is when a whole-run timer runs out (zero without one).
func (p practice) deadline() time.Time {
	if p.Timer == 0 || !p.Whole {
		return time.Time{}
	}
	return p.Start.Add(time.Duration(p.Timer) * time.Second)
}

// parsePractice reads a run from a URL query. A run naming a question
// the course no longer has is 404; anything malformed is 400.
func parsePractice(v url.Values, bank *quiz.Bank, now time.Time) (practice, int, string) {
	var p practice
	for _, name := range []string{"kind", "id", "at", "q", "timer", "whole", "i"} {
		if len(v[name]) > 1 {
			return p, http.StatusBadRequest, fmt.Sprintf("The link gives %q twice.", name)
		}
	}
	switch p.Kind = v.Get("kind"); p.Kind {
	case kindDrill, kindMock, kindDue:
	default:
		return p, http.StatusBadRequest, "This practice link is broken: kind is drill, mock or due. Start a new run from /interview."
	}
	if p.ID = v.Get("id"); !runIDRe.MatchString(p.ID) {
		return p, http.StatusBadRequest, "This practice link is broken: its id is 8 to 32 letters and digits. Start a new run from /interview."
	}
	at, err := strconv.ParseInt(v.Get("at"), 10, 64)
	if err != nil || at <= 0 || at > now.Add(time.Hour).Unix() {
		return p, http.StatusBadRequest, "This practice link is broken: at is when the run started, in Unix seconds, not in the future."
	}
	p.Start = time.Unix(at, 0).UTC()
	if t := v.Get("timer"); t != "" {
		p.Timer, err = strconv.Atoi(t)
		if err != nil || p.Timer < 0 || p.Timer > maxTimer {
			return p, http.StatusBadRequest, fmt.Sprintf("The timer is a number of seconds from 0 to %d.", maxTimer)
		}
	}
	switch v.Get("whole") {
	case "":
	case "1":
		p.Whole = true
	default:
		return p, http.StatusBadRequest, "whole is 1 (one timer for the whole run) or left out."
	}
	ids := strings.Split(v.Get("q"), ",")
	if v.Get("q") == "" || len(ids) > practiceMax {
		return p, http.StatusBadRequest, fmt.Sprintf("A run lists 1 to %d question ids.", practiceMax)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		q, ok := bank.Question(id)
		if !ok {
			return p, http.StatusNotFound, fmt.Sprintf("The question %q is not in the course any more. Start a new run from /interview.", truncate(id, 100))
		}
		if seen[id] {
			return p, http.StatusBadRequest, fmt.Sprintf("The question %q is listed twice.", truncate(id, 100))
		}
		seen[id] = true
		p.Qs = append(p.Qs, q)
	}
	return p, 0, ""
}

// readRun reads the run and the question index of a request; i may be
// len(Qs) (the end) only when atEnd.
func (s *Server) readRun(c *gin.Context, atEnd bool) (*practice, int, bool) {
	cat, ok := s.course(c)
	if !ok {
		return nil, 0, false
	}
	v := c.Request.URL.Query()
	p, status, msg := parsePractice(v, cat.Bank, time.Now())
	if msg != "" {
		s.problem(c, status, msg)
		return nil, 0, false
	}
	i := 0
	if raw := v.Get("i"); raw != "" {
		n, err := strconv.Atoi(raw)
		limit := len(p.Qs) - 1
		if atEnd {
			limit++
		}
		if err != nil || n < 0 || n > limit {
			s.problem(c, http.StatusBadRequest, fmt.Sprintf("i is the question's place in the run, from 0 to %d.", limit))
			return nil, 0, false
		}
		i = n
	}
	return &p, i, true
}

// practiceAnswer is an interview answer as stored in
// progress.Attempt.Answer: the answer itself (so regrade works on it)
// plus the run it belongs to.
type practiceAnswer struct {
	storedAnswer
	Run     string `json:"run"`
	Rating  int    `json:"rating,omitempty"`  // the learner's own rating of an open prompt
	Seconds int    `json:"seconds,omitempty"` // time on the question, from the page's clock
}

func readPracticeAnswer(a *progress.Attempt) (practiceAnswer, bool) {
	var pa practiceAnswer
	if a.Source != drillSource && a.Source != mockSource {
		return pa, false
	}
	if err := json.Unmarshal([]byte(a.Answer), &pa); err != nil || pa.Run == "" {
		return pa, false
	}
	return pa, true
}

// runAnswer is one stored answer of a run.
type runAnswer struct {
	att *progress.Attempt
	pa  practiceAnswer
}

// runAnswers reads the learner's answers in run p, the first per question.
func (s *Server) runAnswers(c *gin.Context, learner string, p *practice) (map[string]runAnswer, error) {
	out := map[string]runAnswer{}
	if learner == "" {
		return out, nil
	}
	// A minute of slack for replicas whose clocks differ a little.
	atts, err := s.store.AttemptsSince(c.Request.Context(), learner, p.Start.Add(-time.Minute), drillSource, mockSource)
	if err != nil {
		return nil, err
	}
	tag := `"run":"` + p.ID + `"` // how encoding/json writes it: skip other runs unparsed
	for i := range atts {
		if !strings.Contains(atts[i].Answer, tag) {
			continue
		}
		pa, ok := readPracticeAnswer(&atts[i])
		if !ok || pa.Run != p.ID {
			continue
		}
		if _, dup := out[atts[i].QuestionID]; !dup {
			out[atts[i].QuestionID] = runAnswer{att: &atts[i], pa: pa}
		}
	}
	return out, nil
}

// recentQuestions are the questions answered in the viewer's last few
// runs, which a new drill draws only when fresh ones run out.
func (s *Server) recentQuestions(c *gin.Context) (map[string]bool, error) {
	v := viewerFrom(c)
	if v == nil {
		return nil, nil
	}
	atts, err := s.store.AttemptsSince(c.Request.Context(), v.LearnerID, time.Now().Add(-recentWindow), drillSource, mockSource)
	if err != nil {
		return nil, err
	}
	return recentFromAttempts(atts, recentRuns), nil
}

// recentFromAttempts takes attempts oldest first and returns the
// questions of the last runs runs.
func recentFromAttempts(atts []progress.Attempt, runs int) map[string]bool {
	out := map[string]bool{}
	var order []string // run ids, newest first
	byRun := map[string][]string{}
	for i := len(atts) - 1; i >= 0; i-- {
		pa, ok := readPracticeAnswer(&atts[i])
		if !ok {
			continue
		}
		if _, known := byRun[pa.Run]; !known {
			order = append(order, pa.Run)
		}
		byRun[pa.Run] = append(byRun[pa.Run], atts[i].QuestionID)
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

// quizCards reads a learner's review cards as the scheduler's type.
func (s *Server) quizCards(c *gin.Context, learner string) ([]quiz.Card, error) {
	stored, err := s.store.Cards(c.Request.Context(), learner)
	if err != nil {
		return nil, err
	}
	out := make([]quiz.Card, len(stored))
	for i, sc := range stored {
		out[i] = quizCard(&sc)
	}
	return out, nil
}

func quizCard(sc *progress.Card) quiz.Card {
	return quiz.Card{QuestionID: sc.QuestionID, Ease: sc.Ease, Interval: sc.Interval, Reps: sc.Reps,
		Lapses: sc.Lapses, Due: sc.Due, Last: sc.LastReview}
}

// rateCard reviews the question's card with a rating and stores it.
func (s *Server) rateCard(c *gin.Context, learner, questionID string, r quiz.Rating, now time.Time) (quiz.Card, error) {
	ctx := c.Request.Context()
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

// joinIDs writes question ids for a run URL; ids are slugs, so commas
// need no escaping.
func joinIDs(qs []*quiz.Question) string {
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	return strings.Join(ids, ",")
}
