package web

import (
	"errors"
	"fmt"
	"net/http"
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
	answer  quiz.Answer
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
	if sub.answer, err = quiz.ParseForm(q, form); err == nil && q.Type == quiz.Open && sub.answer.Open == "" {
		err = fmt.Errorf("%w: write your answer first, then compare it with the model answer", quiz.ErrInvalidAnswer)
	}
	if err == nil {
		if q.Type == quiz.Open && form.Get("step") != "grade" {
			sub.compare = true
			return sub, true
		}
		sub.result, err = quiz.Grade(q, sub.answer)
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
func (h *quizHandlers) invalidAnswer(c *gin.Context, q *quiz.Question, given quiz.Answer, msg string) {
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
	given   quiz.Answer
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

// quizAnswer grades and stores an answer (POST /lessons/:slug/quiz/:id).
