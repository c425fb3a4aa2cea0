package web

// Interview mode (/interview): quick drills, mock interviews, the
// spaced-repetition queue of due cards, stats and a cheat sheet.
//
// A practice run — a drill, a mock interview or a round of due reviews —
// has no table of its own. Starting one (a GET that reads the learner's
// recent runs and cards and writes nothing) picks the questions and
// redirects to a URL that holds the whole run: its kind, a random ID,
// the question ids in order, the timer and when it started. Each answer
// is a progress.Attempt with Source "drill" or "mock", stored once per run
// and question (its idempotency key is made from the two), whose stored
// answer carries the run's ID: the run's page and its summary are read
// back from the attempts, and signing up (which merges a guest's attempts
// and cards into the account) keeps everything. Answering also reviews the
// question's SM-2 card: rated from correctness for graded questions and
// by the learner for open prompts.
//
// Every step is a plain form that works without JavaScript; interview.js
// adds fetch, the visible timer and the keyboard shortcuts.

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

const (
	drillSource = "drill" // progress.Attempt.Source of drill and due-review answers
	mockSource  = "mock"  // … and of mock-interview answers

	drillDefault = 10
	drillMax     = 30
	mockDefault  = 3
	mockMax      = 6
	mockTimer    = 120 // seconds per prompt: "explain it in two minutes"
	dueMax       = 20  // cards in one round of due reviews
	practiceMax  = 50  // questions a run URL may list

	// recentRuns: a new drill draws the questions answered in the last
	// three runs only when the fresh ones run out.
	recentRuns   = 3
	recentWindow = 30 * 24 * time.Hour
	maxTimer     = 3600 // seconds
)

// The kinds of practice run.
const (
	kindDrill = "drill"
	kindMock  = "mock"
	kindDue   = "due"
)

func kindTitle(kind string) string {
	switch kind {
	case kindMock:
		return "Mock interview"
	case kindDue:
		return "Due reviews"
	}
	return "Quick drill"
}

func kindSource(kind string) string {
	if kind == kindMock {
		return mockSource
	}
	return drillSource
}

// startDrill is GET /interview/drill: draw N graded questions from the
// chosen topics and levels, the ones not met in the last runs first.
func (s *Server) startDrill(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	f, msg := readFilter(c.Request.URL.Query(), cat.Bank, drillDefault, drillMax, "none")
	if msg != "" {
		s.problem(c, http.StatusBadRequest, msg)
		return
	}
	pool := cat.Bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: gradedTypes, InterviewOnly: true})
	if len(pool) == 0 {
		s.problem(c, http.StatusNotFound, "No question has these topics and levels together. Choose more topics or levels.")
		return
	}
	recent, err := s.recentQuestions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	qs := quiz.Drill(pool, f.N, recent, f.rng())
	s.startRun(c, kindDrill, qs, f)
}

// startMock is GET /interview/mock: one open prompt, then its follow-ups.
func (s *Server) startMock(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	f, msg := readFilter(c.Request.URL.Query(), cat.Bank, mockDefault, mockMax, "q"+strconv.Itoa(mockTimer))
	if msg != "" {
		s.problem(c, http.StatusBadRequest, msg)
		return
	}
	pool := cat.Bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: []quiz.Type{quiz.Open}, InterviewOnly: true})
	if len(pool) == 0 {
		s.problem(c, http.StatusNotFound, "No open interview prompt has these topics and levels together. Choose more topics or levels.")
		return
	}
	recent, err := s.recentQuestions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.startRun(c, kindMock, mockChain(cat.Bank, quiz.Drill(pool, len(pool), recent, f.rng()), f.N), f)
}

// startDue is GET /interview/due: the cards due by the end of today.
func (s *Server) startDue(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	f, msg := readFilter(c.Request.URL.Query(), cat.Bank, dueMax, dueMax, "none")
	if msg != "" {
		s.problem(c, http.StatusBadRequest, msg)
		return
	}
	var qs []*quiz.Question
	if v := viewerFrom(c); v != nil {
		cards, err := s.quizCards(c, v.LearnerID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, card := range quiz.DueQueue(cards, endOfDay(learnerNow(c)), 0) {
			if q, ok := cat.Bank.Question(card.QuestionID); ok && len(qs) < f.N {
				qs = append(qs, q)
			}
		}
	}
	if len(qs) == 0 {
		c.Redirect(http.StatusSeeOther, "/interview?due=none")
		return
	}
	s.startRun(c, kindDue, qs, f)
}

func (s *Server) startRun(c *gin.Context, kind string, qs []*quiz.Question, f practiceFilter) {
	p := practice{Kind: kind, ID: rand.Text(), Qs: qs, Timer: f.Timer, Whole: f.Whole, Start: time.Now().UTC().Truncate(time.Second)}
	c.Redirect(http.StatusSeeOther, p.url(0))
}

// mockChain builds a mock interview from candidate prompts in order of
// preference: the first one that has follow-ups opens (when more than
// one prompt is wanted), then its follow-ups chain breadth first; when
// the chain runs dry the next candidate opens a new one. No prompt
// appears twice.
func mockChain(bank *quiz.Bank, candidates []*quiz.Question, n int) []*quiz.Question {
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

// followUpOf returns the earlier question of the run that lists qs[i]
// as a follow-up, if any.
func followUpOf(qs []*quiz.Question, i int) *quiz.Question {
	for j := i - 1; j >= 0; j-- {
		if slices.Contains(qs[j].FollowUps, qs[i].ID) {
			return qs[j]
		}
	}
	return nil
}

// endOfDay is the last instant of t's day in t's location: "due today"
// means due by then.
func endOfDay(t time.Time) time.Time { return startOfDay(t).AddDate(0, 0, 1).Add(-time.Nanosecond) }

// startOfDay is midnight of t's day in t's location.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// tzCookie holds the browser's offset from UTC in minutes (theme.js sets
// it, for /interview only), so "today", "due today" and streaks follow
// the learner's days.
const tzCookie = "authlab_tzo"

// learnerNow is the current time in the learner's zone (UTC when the
// browser has not said, or said nonsense).
func learnerNow(c *gin.Context) time.Time {
	now := time.Now()
	v, err := c.Cookie(tzCookie)
	if err != nil {
		return now.UTC()
	}
	mins, err := strconv.Atoi(v)
	if err != nil || mins < -14*60 || mins > 14*60 {
		return now.UTC()
	}
	return now.In(time.FixedZone("", mins*60))
}
