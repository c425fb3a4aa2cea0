package web

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

const maxElapsed = 24 * 60 * 60 * 1000 // ms a page may report for one question

// showPractice is GET /interview/practice: question i of a run, or its
// result once answered. Past the last question it sends the summary.
func (s *Server) showPractice(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	p, i, ok := s.readRun(c, true)
	if !ok {
		return
	}
	if i == len(p.Qs) {
		c.Redirect(http.StatusSeeOther, p.summaryURL())
		return
	}
	page, err := s.practiceData(c, cat, p, i)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.html(c, http.StatusOK, "interview_practice", page)
}

// practiceData builds question i of run p for the viewer.
func (s *Server) practiceData(c *gin.Context, cat *lessons.Catalog, p *practice, i int) (*practicePage, error) {
	learner := ""
	if v := viewerFrom(c); v != nil {
		learner = v.LearnerID
	}
	answers, err := s.runAnswers(c, learner, p)
	if err != nil {
		return nil, err
	}
	q := p.Qs[i]
	page := &practicePage{Page: s.base(c, fmt.Sprintf("%s: question %d of %d", kindTitle(p.Kind), i+1, len(p.Qs)), "interview"),
		Kind: p.Kind, KindTitle: kindTitle(p.Kind), Number: i + 1, Total: len(p.Qs), Answered: len(answers),
		Level: q.Level, Topics: q.Topics, Prompt: q.PromptHTML, Statement: q.StatementHTML,
		Action: p.answerURL(i), Key: rand.Text(), Skip: p.url(i + 1), SummaryURL: p.summaryURL()}
	page.Description = "Interview practice: one question at a time, with instant feedback."
	if i+1 == len(p.Qs) {
		page.Skip = p.summaryURL()
	}
	if f := followUpOf(p.Qs, i); f != nil && p.Kind == kindMock {
		page.FollowUpOf = f.PromptHTML
	}
	if ra, done := answers[q.ID]; done {
		if page.Result, err = s.storedResult(c, cat, p, i, ra); err != nil {
			return nil, err
		}
	} else {
		page.Q = newQuestionView(q, quiz.Seed(p.ID, q.ID))
	}
	page.Timer = newTimerView(p, page.Result != nil, time.Now())
	return page, nil
}

// answerPractice is POST /interview/practice/answer: grade question i of
// the run and store it, once. An open prompt takes two posts: the first
// (no rating) reveals the model answer and stores nothing; the second
// carries the ticked key points and the learner's rating.
func (s *Server) answerPractice(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	p, i, ok := s.readRun(c, false)
	if !ok {
		return
	}
	q := p.Qs[i]
	if c.ContentType() != "application/x-www-form-urlencoded" {
		s.problem(c, http.StatusUnsupportedMediaType, "Send the answer as a form (application/x-www-form-urlencoded).")
		return
	}
	if !s.readForm(c) {
		return
	}
	form := c.Request.PostForm
	elapsed, msg := readKeyAndElapsed(form)
	if msg != "" {
		s.problem(c, http.StatusBadRequest, msg)
		return
	}
	g, err := gradePractice(q, form)
	var bad formProblem
	switch {
	case errors.As(err, &bad):
		s.problem(c, http.StatusBadRequest, string(bad))
		return
	case errors.Is(err, quiz.ErrInvalidAnswer):
		s.problem(c, http.StatusBadRequest, answerProblem(err))
		return
	case err != nil:
		s.fail(c, err)
		return
	case g.reveal:
		s.practiceReveal(c, cat, p, i, g.ans.Open)
		return
	}
	v, err := s.ensureLearner(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	pa := practiceAnswer{storedAnswer: g.ans, Run: p.ID, Rating: g.self, Seconds: elapsed / 1000}
	ra, err := s.recordPractice(c, p, q, v.LearnerID, pa, g.res, g.rating)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !wantsJSON(c.Request) {
		c.Redirect(http.StatusSeeOther, p.url(i)+"#question")
		return
	}
	r, err := s.storedResult(c, cat, p, i, ra)
	if err == nil {
		r.HTML, err = s.interviewFragment("interview_practice", "interview-result", r)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// practiceGrade is a decoded and graded answer to a run's question.
type practiceGrade struct {
	ans    storedAnswer
	res    quiz.Result
	rating quiz.Rating // for the card: derived from correctness, or the learner's own
	self   int         // the learner's own rating of an open prompt, 1–4
	reveal bool        // an open prompt's first step: show the model answer, store nothing
}

// formProblem is a bad form value, said for the learner.
type formProblem string

func (p formProblem) Error() string { return string(p) }

// gradePractice decodes and grades the form. An open prompt without a
// rating asks for the reveal step; with one, the learner's ticks are
// graded and their rating kept.
func gradePractice(q *quiz.Question, form url.Values) (practiceGrade, error) {
	var g practiceGrade
	var err error
	if q.Type != quiz.Open {
		if g.ans, err = decodeAnswer(q, form); err != nil {
			return g, err
		}
		g.res, err = quiz.Grade(q, g.ans.quiz())
		g.rating = quiz.RatingFor(g.res)
		return g, err
	}
	if g.ans, err = decodeOpen(q, form); err != nil {
		return g, err
	}
	switch r := form.Get("rating"); {
	case r == "" && form.Get("step") == "grade":
		return g, formProblem("Rate how it went first: 1 Again, 2 Hard, 3 Good or 4 Easy.")
	case r == "":
		g.reveal = true
		return g, nil
	default:
		g.self, err = strconv.Atoi(r)
		if err != nil || g.self < int(quiz.Again) || g.self > int(quiz.Easy) || len(form["rating"]) > 1 {
			return g, formProblem("A rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).")
		}
	}
	g.rating = quiz.Rating(g.self)
	g.res, err = quiz.Grade(q, g.ans.quiz())
	return g, err
}

// recordPractice stores the answer once per run and question: the
// attempt's idempotency key is made from the two, so a retried request,
// a second answer (another tab, the back button) and a merge of a guest
// who answered before signing up all find the first answer, which the
// database's unique key guards without a race. Only a new answer
// reviews the question's card.
func (s *Server) recordPractice(c *gin.Context, p *practice, q *quiz.Question, learner string, pa practiceAnswer, res quiz.Result, r quiz.Rating) (runAnswer, error) {
	raw, err := json.Marshal(pa)
	if err != nil {
		return runAnswer{}, fmt.Errorf("web: encode answer: %w", err)
	}
	att := &progress.Attempt{LearnerID: learner, Key: runKey(p.ID, q.ID), QuestionID: q.ID, Source: kindSource(p.Kind),
		Score: res.Score, Correct: res.Correct, Answer: string(raw)}
	got, err := s.store.RecordAttempt(c.Request.Context(), att)
	if err != nil {
		return runAnswer{}, err
	}
	if got != att {
		first, ok := readPracticeAnswer(got)
		if !ok || got.QuestionID != q.ID {
			return runAnswer{}, fmt.Errorf("web: attempt %d under key %s is not this run's answer to %s", got.ID, got.Key, q.ID)
		}
		return runAnswer{att: got, pa: first}, nil
	}
	if _, err := s.rateCard(c, learner, q.ID, r, time.Now().UTC()); err != nil {
		// The attempt is safe; a missed schedule only delays a review.
		s.log.WarnContext(c.Request.Context(), "save review card", "learner", learner, "question", q.ID, "err", err)
	}
	return runAnswer{att: got, pa: pa}, nil
}

// runKey is the idempotency key of a run's answer to a question: the
// run ID (at most 32 characters) and a hash of the question id fit the
// 64 characters of progress.Attempt.Key.
func runKey(run, questionID string) string {
	h := fnv.New64a()
	h.Write([]byte(questionID))
	return fmt.Sprintf("run.%s.%016x", run, h.Sum64())
}

// practiceReveal is the first step of an open prompt: the model answer,
// the key points and the ratings. Nothing is stored.
func (s *Server) practiceReveal(c *gin.Context, cat *lessons.Catalog, p *practice, i int, written string) {
	rv := newRevealView(p.Qs[i])
	if wantsJSON(c.Request) {
		html, err := s.interviewFragment("interview_practice", "interview-reveal", rv)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"reveal": true, "html": html})
		return
	}
	page, err := s.practiceData(c, cat, p, i)
	if err != nil {
		s.fail(c, err)
		return
	}
	if page.Result == nil {
		page.Reveal, page.Written = rv, written
	}
	s.html(c, http.StatusOK, "interview_practice", page)
}

// readKeyAndElapsed checks the submission key (the form carries one, as
// every quiz form does; the stored key is made from the run and the
// question, see recordPractice) and reads the milliseconds the page says
// the learner spent (optional).
func readKeyAndElapsed(form url.Values) (elapsed int, msg string) {
	if keys := form["key"]; len(keys) > 1 || (len(keys) == 1 && !quizKeyRe.MatchString(keys[0])) {
		return 0, "The submission key must be one value of 8 to 64 letters, digits, - or _."
	}
	if e := form["elapsed"]; len(e) > 1 {
		return 0, "elapsed is given twice."
	} else if len(e) == 1 && e[0] != "" {
		n, err := strconv.Atoi(e[0])
		if err != nil || n < 0 || n > maxElapsed {
			return 0, fmt.Sprintf("elapsed is the time spent on the question in milliseconds, from 0 to %d.", maxElapsed)
		}
		elapsed = n
	}
	return elapsed, ""
}

// decodeOpen reads an open prompt's form: an optional written answer (in
// a mock interview the learner may just think) and the ticked key points.
func decodeOpen(q *quiz.Question, form url.Values) (storedAnswer, error) {
	var a storedAnswer
	if len(form["open"]) > 1 {
		return a, fmt.Errorf("%w: \"open\" given %d times", quiz.ErrInvalidAnswer, len(form["open"]))
	}
	if len(form["open"]) == 1 {
		a.Open = strings.TrimSpace(form["open"][0])
	}
	if openTooLong(a.Open) {
		return a, errOpenTooLong
	}
	for _, v := range form["rubric"] {
		k, err := strconv.Atoi(v)
		if err != nil {
			return a, fmt.Errorf("%w: rubric point %q is not a number", quiz.ErrInvalidAnswer, truncate(v, 20))
		}
		a.Rubric = append(a.Rubric, k)
	}
	return a, nil
}
