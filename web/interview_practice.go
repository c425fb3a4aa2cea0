package web

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

const maxElapsed = 24 * 60 * 60 * 1000 // ms a page may report for one question

// showPractice is GET /interview/practice: question i of a run, or its
// result once answered. Past the last question it sends the summary.
func (h *interviewHandlers) showPractice(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	r, i, ok := h.readRun(c, true)
	if !ok {
		return
	}
	if i == len(r.Qs) {
		c.Redirect(http.StatusSeeOther, r.SummaryURL())
		return
	}
	if h.startClock(c, r, i) {
		return
	}
	page, err := h.practiceData(c, cat, r, i)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.html(c, http.StatusOK, "interview_practice", page)
}

// startClock starts the clock of question i when it has one of its own
// (a timer per question) and shows for the first time: it sends the
// page to the URL that keeps when it was first shown (Run.ShownURL), as
// the run's URL keeps when the run started, so a reload neither resets
// the countdown nor lets a late answer pass as in time. An answered
// question shows no clock and is left alone. It reports whether it
// answered the request (the redirect, or a failure).
func (h *interviewHandlers) startClock(c *gin.Context, r *interview.Run, i int) bool {
	if !r.NeedsClock() {
		return false
	}
	answers, err := h.practice.RunAnswers(c.Request.Context(), learnerOf(c), *r)
	if err != nil {
		h.fail(c, err)
		return true
	}
	if _, done := answers[r.Qs[i].ID]; done {
		return false
	}
	c.Redirect(http.StatusSeeOther, r.ShownURL(i, time.Now()))
	return true
}

// practiceData builds question i of run r for the viewer.
func (h *interviewHandlers) practiceData(c *gin.Context, cat *lessons.Catalog, r *interview.Run, i int) (*practicePage, error) {
	answers, err := h.practice.RunAnswers(c.Request.Context(), learnerOf(c), *r)
	if err != nil {
		return nil, err
	}
	q := r.Qs[i]
	title := interview.KindTitle(r.Kind)
	page := &practicePage{Page: h.base(c, fmt.Sprintf("%s: question %d of %d", title, i+1, len(r.Qs)), "interview"),
		Kind: r.Kind, KindTitle: title, Number: i + 1, Total: len(r.Qs), Answered: len(answers), Correct: answers.Correct(),
		Level: q.Level, Topics: q.Topics, Prompt: q.PromptHTML, Statement: q.StatementHTML,
		Action: r.AnswerURL(i), Key: rand.Text(), Skip: r.NextURL(i), SummaryURL: r.SummaryURL()}
	page.Description = "Interview practice: one question at a time, with instant feedback."
	if f := r.FollowUpOf(i); f != nil && r.Kind == interview.KindMock {
		page.FollowUpOf = f.PromptHTML
	}
	if a, done := answers[q.ID]; done {
		if page.Result, err = h.storedResult(c, cat, r, i, a); err != nil {
			return nil, err
		}
	} else {
		page.Q = newQuestionView(q, quiz.Seed(r.ID, q.ID))
	}
	page.Timer = r.NewTimer(page.Result != nil, time.Now())
	return page, nil
}

// answerPractice is POST /interview/practice/answer: grade question i of
// the run and store it, once. An open prompt takes two posts: the first
// (no rating) reveals the model answer and stores nothing; the second
// carries the ticked key points and the learner's rating. An answer sent
// after the run's timer ran out is graded all the same and kept as late.
func (h *interviewHandlers) answerPractice(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	r, i, ok := h.readRun(c, false)
	if !ok {
		return
	}
	q := r.Qs[i]
	if c.ContentType() != "application/x-www-form-urlencoded" {
		h.problem(c, http.StatusUnsupportedMediaType, "Send the answer as a form (application/x-www-form-urlencoded).")
		return
	}
	if !h.readForm(c) {
		return
	}
	form := c.Request.PostForm
	elapsed, msg := readKeyAndElapsed(form)
	if msg != "" {
		h.problem(c, http.StatusBadRequest, msg)
		return
	}
	g, err := interview.GradeForm(q, form)
	var bad interview.FormError
	switch {
	case errors.As(err, &bad):
		h.problem(c, http.StatusBadRequest, string(bad))
		return
	case errors.Is(err, quiz.ErrInvalidAnswer):
		h.problem(c, http.StatusBadRequest, answerProblem(err))
		return
	case err != nil:
		h.fail(c, err)
		return
	case g.Reveal:
		h.practiceReveal(c, cat, r, i, g.Answer.Open)
		return
	}
	v, err := h.ensureLearner(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	meta := interview.Meta{Run: r.ID, Rating: g.Self}
	meta.Millis, meta.Late = r.Timing(time.Now(), time.Duration(elapsed)*time.Millisecond)
	raw, err := json.Marshal(practiceAnswer{Answer: g.Answer, Meta: meta})
	if err != nil {
		h.fail(c, fmt.Errorf("web: encode answer: %w", err))
		return
	}
	a, cardErr, err := h.practice.Record(c.Request.Context(), v.LearnerID, *r, i,
		interview.Graded{Answer: string(raw), Meta: meta, Result: g.Result, Rating: g.Rating})
	if err != nil {
		h.fail(c, err)
		return
	}
	if cardErr != nil {
		// The attempt is safe; a missed schedule only delays a review.
		h.log.WarnContext(c.Request.Context(), "save review card", "learner", v.LearnerID, "question", q.ID, "err", cardErr)
	}
	if !wantsJSON(c.Request) {
		c.Redirect(http.StatusSeeOther, r.URL(i)+"#question")
		return
	}
	res, err := h.storedResult(c, cat, r, i, a)
	if err == nil {
		res.HTML, err = h.fragment("interview_practice", "interview-result", res)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// practiceReveal is the first step of an open prompt: the model answer,
// the key points and the ratings. Nothing is stored.
func (h *interviewHandlers) practiceReveal(c *gin.Context, cat *lessons.Catalog, r *interview.Run, i int, written string) {
	rv := newRevealView(r.Qs[i])
	if wantsJSON(c.Request) {
		h.replyFragment(c, "interview_practice", "interview-reveal", rv, gin.H{"reveal": true})
		return
	}
	page, err := h.practiceData(c, cat, r, i)
	if err != nil {
		h.fail(c, err)
		return
	}
	if page.Result == nil {
		page.Reveal, page.Written = rv, written
	}
	h.html(c, http.StatusOK, "interview_practice", page)
}

// readKeyAndElapsed checks the submission key (the form carries one, as
// every quiz form does; the stored key is made from the run and the
// question, see interview.RunKey) and reads the milliseconds the page
// says the learner spent (optional).
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
