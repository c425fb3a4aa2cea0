package web

import (
	"crypto/rand"
	"errors"
	"math"
	"net/url"
	"slices"
	"strconv"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// lessonQuizzes is the view of every quiz of l for this request: the
// learner's best scores; after a plain-form answer (?answered=ID), that
// answer regraded with its feedback, and the model answer too with
// ?show=answer; and an open question's pending compare step.
//
// view is what the lesson page read of its viewer (Store.LessonView);
// nil reads it here.
func (h *quizHandlers) lessonQuizzes(c *gin.Context, l *lessons.Lesson, view *progress.LessonView) (map[string]*quizView, error) {
	learner := ""
	if v := viewerFrom(c); v != nil {
		learner = v.LearnerID
	}
	views := make(map[string]*quizView, len(l.Quizzes))
	for _, q := range l.Quizzes {
		views[q.ID] = newQuizView(l, q, learner)
	}
	if v, ok := c.Get(quizCompareKey); ok && views[v.(*quizCompareState).id] != nil {
		st := v.(*quizCompareState)
		views[st.id].Compare = st.view
		views[st.id].Given.Open = st.open
	}
	if v, ok := c.Get(quizInvalidKey); ok && views[v.(*quizInvalidState).id] != nil {
		st := v.(*quizInvalidState)
		views[st.id].Problem = st.msg
		views[st.id].fill(st.given)
	}
	if learner == "" || len(l.Quizzes) == 0 {
		return views, nil
	}
	ctx := c.Request.Context()
	if view == nil {
		var err error
		if view, err = h.store.LessonView(ctx, learner, l.QuizIDs()); err != nil {
			return nil, err
		}
	}
	for id, b := range view.Bests {
		if v := views[id]; v != nil {
			v.Best = newBestView(b)
		}
	}
	id := c.Query("answered")
	best, answered := view.Bests[id]
	qv := views[id]
	if !answered || qv == nil {
		return views, nil
	}
	q := l.Quizzes[slices.IndexFunc(l.Quizzes, func(q *quiz.Question) bool { return q.ID == id })]
	att, err := h.store.LastAttempt(ctx, learner, id)
	if errors.Is(err, progress.ErrNotFound) {
		return views, nil
	}
	if err != nil {
		return nil, err
	}
	a, res, err := regrade(q, att)
	if err != nil {
		// The question changed since (dev mode): show no stale feedback.
		h.log.DebugContext(ctx, "regrade attempt", "err", err)
		return views, nil
	}
	rv := newResultView(l, q, a, res)
	rv.AttemptID = att.ID
	rv.Best = newBestView(best)
	rv.LessonComplete = view.Lessons[l.Slug].CompletedAt != nil
	qv.Result = rv
	qv.fill(a)
	if c.Query("show") == "answer" {
		qv.Solution = newSolutionView(q)
	}
	return views, nil
}

func newQuizView(l *lessons.Lesson, q *quiz.Question, learner string) *quizView {
	base := "/lessons/" + l.Slug + "/quiz/" + url.PathEscape(q.ID)
	return &quizView{questionView: newQuestionView(q, quiz.Seed(learner, q.ID)),
		Action: base + "#quiz-" + q.ID, AnswerURL: base + "/answer", Key: rand.Text()}
}

// fill puts the learner's last answer back into the form.
func (v *quizView) fill(a quiz.Answer) {
	v.Given = givenAnswer{Chosen: map[string]bool{}, Match: a.Match, Text: a.Text, Open: a.Open}
	for _, k := range a.Choices {
		v.Given.Chosen[k] = true
	}
	if a.TF != nil {
		v.Given.TF = strconv.FormatBool(*a.TF)
	}
	if len(a.Order) == len(v.Items) {
		items := make([]orderItem, 0, len(v.Items))
		for i, k := range a.Order {
			if j := slices.IndexFunc(v.Items, func(it orderItem) bool { return it.Key == k }); j >= 0 {
				items = append(items, orderItem{Key: k, HTML: v.Items[j].HTML, Pos: i + 1})
			}
		}
		if len(items) == len(v.Items) {
			v.Items = items
		}
	}
}

func newResultView(l *lessons.Lesson, q *quiz.Question, a quiz.Answer, res quiz.Result) *resultView {
	base := "/lessons/" + l.Slug
	rv := &resultView{QuestionID: q.ID, Correct: res.Correct, Score: res.Score, Missed: res.Missed,
		Reject: res.Reject, Why: res.Why, Model: res.Model, Explanation: res.Explain,
		AnswerURL:      base + "/quiz/" + url.PathEscape(q.ID) + "/answer",
		ShowAnswerHref: base + "?answered=" + url.QueryEscape(q.ID) + "&show=answer#quiz-" + q.ID,
		lesson:         l}
	switch {
	case res.Correct:
		rv.Verdict = "correct"
	case res.Score > 0:
		rv.Verdict = "partial"
	default:
		rv.Verdict = "wrong"
	}
	for _, f := range res.Choices {
		if f.Chosen {
			rv.Feedback = append(rv.Feedback, feedbackItem{Key: f.Key, HTML: f.HTML, Correct: f.Correct, Why: f.Why})
		}
	}
	rv.Summary = res.Summary()
	switch q.Type {
	case quiz.TrueFalse:
		if a.TF != nil {
			rv.Given = "You answered " + strconv.FormatBool(*a.TF) + "."
		}
	case quiz.Order:
		for i, k := range a.Order {
			if j := slices.Index(q.ItemKeys, k); j >= 0 && i < len(res.Positions) {
				rv.Positions = append(rv.Positions, feedbackItem{Key: k, HTML: q.ItemsHTML[j], Correct: res.Positions[i]})
			}
		}
	case quiz.Match:
		for _, p := range q.Pairs {
			f := feedbackItem{Key: p.LeftKey, HTML: p.LeftHTML, Correct: res.Pairs[p.LeftKey]}
			for _, r := range q.Pairs {
				if r.RightKey == a.Match[p.LeftKey] {
					f.Chosen = r.RightHTML
				}
			}
			rv.Pairs = append(rv.Pairs, f)
		}
	case quiz.Text:
		rv.Given = "You answered “" + a.Text + "”."
	}
	return rv
}

func newCompareView(q *quiz.Question) *compareView {
	cv := &compareView{Model: q.ModelHTML}
	for i, h := range q.RubricHTML {
		cv.Points = append(cv.Points, rubricPoint{Index: i, HTML: h})
	}
	return cv
}

func newSolutionView(q *quiz.Question) *solutionView {
	sol := q.Reveal()
	sv := &solutionView{Reason: sol.Reason, Accept: sol.Accept, Model: sol.Model, Rubric: sol.Rubric, Explain: sol.Explain}
	for _, ch := range q.Choices {
		sv.Choices = append(sv.Choices, feedbackItem{Key: ch.Key, HTML: ch.HTML, Correct: ch.Correct, Why: ch.WhyHTML})
	}
	if sol.Answer != nil {
		sv.TF = strconv.FormatBool(*sol.Answer)
	}
	if q.Type == quiz.Order {
		sv.Order = q.ItemsHTML
	}
	for _, p := range q.Pairs {
		sv.Pairs = append(sv.Pairs, feedbackItem{Key: p.LeftKey, HTML: p.LeftHTML, Chosen: p.RightHTML, Correct: true})
	}
	return sv
}

func percent(score float64) int { return int(math.Round(score * 100)) }
