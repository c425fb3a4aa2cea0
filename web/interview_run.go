package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// readRun reads the run and the question index of a request; i may be
// len(Qs) (the end) only when atEnd.
func (h *interviewHandlers) readRun(c *gin.Context, atEnd bool) (*interview.Run, int, bool) {
	cat, ok := h.course(c)
	if !ok {
		return nil, 0, false
	}
	v := c.Request.URL.Query()
	r, err := interview.ParseRun(v, cat.Bank, time.Now())
	i := 0
	if err == nil {
		i, err = r.ParseIndex(v.Get("i"), atEnd)
	}
	if err != nil {
		le, _ := errors.AsType[*interview.LinkError](err)
		switch {
		case le == nil:
			h.fail(c, err)
		case le.Gone:
			h.problem(c, http.StatusNotFound, le.Msg)
		default:
			h.problem(c, http.StatusBadRequest, le.Msg)
		}
		return nil, 0, false
	}
	return &r, i, true
}

// practiceAnswer is an interview answer as stored in
// progress.Attempt.Answer: the answer itself (so regrade works on it)
// and, beside it in the same JSON object, the run's part (interview.Meta).
type practiceAnswer struct {
	quiz.Answer
	interview.Meta
}
