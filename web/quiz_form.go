package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// quizOf resolves :slug and :id, or answers 404.
func (h *quizHandlers) quizOf(c *gin.Context) (*lessons.Lesson, *quiz.Question, bool) {
	cat, ok := h.course(c)
	if !ok {
		return nil, nil, false
	}
	l, err := cat.Lesson(c.Param("slug"))
	if errors.Is(err, lessons.ErrNotFound) {
		h.problem(c, http.StatusNotFound, "There is no lesson called “"+c.Param("slug")+"”.")
		return nil, nil, false
	}
	if err != nil {
		h.fail(c, err)
		return nil, nil, false
	}
	for _, q := range l.Quizzes {
		if q.ID == c.Param("id") {
			return l, q, true
		}
	}
	h.problem(c, http.StatusNotFound, "The lesson “"+l.Title+"” has no quiz “"+c.Param("id")+"”.")
	return nil, nil, false
}

// quizSubmission is a decoded and graded answer, not yet stored.
type quizSubmission struct {
	lesson  *lessons.Lesson
	q       *quiz.Question
	key     string
	answer  storedAnswer
	result  quiz.Result
	compare bool // an open answer to compare with the model, not to grade
}

// readQuizSubmission decodes and grades the posted answer, or answers
// 4xx with a reason.
func (h *quizHandlers) readQuizSubmission(c *gin.Context) (*quizSubmission, bool) {
	l, q, ok := h.quizOf(c)
	if !ok {
		return nil, false
	}
	if c.ContentType() != "application/x-www-form-urlencoded" {
		h.problem(c, http.StatusUnsupportedMediaType, "Send the answer as a form (application/x-www-form-urlencoded).")
		return nil, false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxQuizBody)
	if err := c.Request.ParseForm(); err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			h.problem(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("The answer was larger than %d KiB.", maxQuizBody>>10))
		} else {
			h.problem(c, http.StatusBadRequest, "The answer could not be read: "+err.Error())
		}
		return nil, false
	}
	form := c.Request.PostForm
	sub := &quizSubmission{lesson: l, q: q}
	switch keys := form["key"]; {
	case len(keys) > 1 || (len(keys) == 1 && !quizKeyRe.MatchString(keys[0])):
		h.problem(c, http.StatusBadRequest, "The submission key must be one value of 8 to 64 letters, digits, - or _.")
		return nil, false
	case len(keys) == 1:
		sub.key = keys[0]
	}
	var err error
	if sub.answer, err = decodeAnswer(q, form); err == nil {
		if q.Type == quiz.Open && form.Get("step") != "grade" {
			sub.compare = true
			return sub, true
		}
		sub.result, err = quiz.Grade(q, sub.answer.quiz())
	}
	if err != nil {
		if !errors.Is(err, quiz.ErrInvalidAnswer) {
			h.fail(c, err)
			return nil, false
		}
		h.invalidAnswer(c, q, sub.answer, answerProblem(err))
		return nil, false
	}
	return sub, true
}

// invalidAnswer refuses an answer that does not fit its question: 400
// with the reason. quiz.js shows it beside the quiz; a plain form gets
// the lesson page back (still 400) at that quiz, with the reason beside
// it and whatever the learner had entered kept, rather than a bare
// error page that loses their place.
func (h *quizHandlers) invalidAnswer(c *gin.Context, q *quiz.Question, given storedAnswer, msg string) {
	if wantsJSON(c.Request) {
		h.problem(c, http.StatusBadRequest, msg)
		return
	}
	c.Set(quizInvalidKey, &quizInvalidState{id: q.ID, msg: msg, given: given})
	h.showLesson(c)
}

const quizInvalidKey = "authlab.quizinvalid"

type quizInvalidState struct {
	id, msg string
	given   storedAnswer
}

// answerProblem turns an ErrInvalidAnswer into a sentence for the learner.
func answerProblem(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, quiz.ErrInvalidAnswer.Error()+": "); i >= 0 {
		msg = msg[i+len(quiz.ErrInvalidAnswer.Error())+2:]
	}
	if msg == "no answer given" {
		return "No answer was given: choose or type an answer, then check it."
	}
	return "This answer does not fit the question: " + msg + "."
}

// decodeAnswer reads the form fields of q's type. Fields of other types
// are ignored; Grade checks everything about the values themselves.
func decodeAnswer(q *quiz.Question, form url.Values) (storedAnswer, error) {
	var a storedAnswer
	one := func(name string) (string, error) {
		if len(form[name]) > 1 {
			return "", fmt.Errorf("%w: %q given %d times", quiz.ErrInvalidAnswer, name, len(form[name]))
		}
		return strings.TrimSpace(form.Get(name)), nil
	}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		a.Choices = form["choice"]
	case quiz.TrueFalse:
		v, err := one("choice")
		if err != nil || v == "" {
			return a, err
		}
		if v != "true" && v != "false" {
			return a, fmt.Errorf("%w: a true/false answer is true or false, not %q", quiz.ErrInvalidAnswer, v)
		}
		tf := v == "true"
		a.TF = &tf
	case quiz.Order:
		if a.Order = form["order"]; len(a.Order) > 0 {
			return a, nil
		}
		return a, decodePositions(q, form, &a)
	case quiz.Match:
		for k, vs := range form {
			left, ok := strings.CutPrefix(k, "match.")
			if !ok {
				continue
			}
			if len(vs) != 1 {
				return a, fmt.Errorf("%w: %q given %d times", quiz.ErrInvalidAnswer, k, len(vs))
			}
			if vs[0] != "" {
				if a.Match == nil {
					a.Match = map[string]string{}
				}
				a.Match[left] = vs[0]
			}
		}
	case quiz.Text:
		var err error
		a.Text, err = one("text")
		return a, err
	case quiz.Open:
		var err error
		if a.Open, err = one("open"); err != nil {
			return a, err
		}
		if a.Open == "" {
			return a, fmt.Errorf("%w: write your answer first, then compare it with the model answer", quiz.ErrInvalidAnswer)
		}
		if openTooLong(a.Open) {
			return a, errOpenTooLong
		}
		for _, v := range form["rubric"] {
			i, err := strconv.Atoi(v)
			if err != nil {
				return a, fmt.Errorf("%w: rubric point %q is not a number", quiz.ErrInvalidAnswer, v)
			}
			a.Rubric = append(a.Rubric, i)
		}
	}
	return a, nil
}

// decodePositions reads the no-JavaScript form of an order question:
// one pos.<item key> select per item holding its position, 1 first.
func decodePositions(q *quiz.Question, form url.Values, a *storedAnswer) error {
	at := map[int]string{}
	for k, vs := range form {
		key, ok := strings.CutPrefix(k, "pos.")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.Join(vs, ","))
		if err != nil || n < 1 || n > len(q.ItemKeys) {
			return fmt.Errorf("%w: the position of each item is one number from 1 to %d", quiz.ErrInvalidAnswer, len(q.ItemKeys))
		}
		if _, taken := at[n]; taken {
			return fmt.Errorf("%w: two items are both at position %d; give every item its own position", quiz.ErrInvalidAnswer, n)
		}
		at[n] = key
	}
	for n := 1; n <= len(q.ItemKeys); n++ {
		if k, ok := at[n]; ok {
			a.Order = append(a.Order, k)
		}
	}
	return nil
}

// quizAnswer grades and stores an answer (POST /lessons/:slug/quiz/:id).
