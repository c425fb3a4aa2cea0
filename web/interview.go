package web

// Interview mode (/interview): quick drills, mock interviews, the
// spaced-repetition queue of due cards, stats and a cheat sheet. The
// rules — what a run draws, how its URL holds it, when an answer is late,
// how answers are stored, summaries and stats — are package interview;
// these handlers read the request, call it and render.
//
// Every step is a plain form that works without JavaScript; interview.js
// adds fetch, the visible timer and the keyboard shortcuts.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// interviewHandlers serve /interview: the page kernel and interview mode
// over the learner's stored answers and cards (interview.Store, which
// *progress.Store satisfies).
type interviewHandlers struct {
	*kernel
	practice *interview.Service
}

var _ interview.Store = (*progress.Store)(nil)

func newInterviewHandlers(k *kernel, store interview.Store) *interviewHandlers {
	return &interviewHandlers{kernel: k, practice: interview.New(store)}
}

// startDrill is GET /interview/drill: draw N graded questions from the
// chosen topics and levels, the ones not met in the last runs first.
func (h *interviewHandlers) startDrill(c *gin.Context) {
	h.startRun(c, interview.KindDrill, interview.DrillDefault, interview.DrillMax, "none", h.practice.Drill)
}

// startMock is GET /interview/mock: one open prompt, then its follow-ups.
func (h *interviewHandlers) startMock(c *gin.Context) {
	h.startRun(c, interview.KindMock, interview.MockDefault, interview.MockMax, "q"+strconv.Itoa(interview.MockTimer), h.practice.Mock)
}

// startModuleCheck is GET /modules/:n/check: module n's mastery check,
// its questions in the check's order (lessons/mastery.go).
func (h *interviewHandlers) startModuleCheck(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > len(cat.Modules) || len(cat.Modules[n-1].Check) == 0 {
		h.problem(c, http.StatusNotFound, "The course has no module "+strconv.Quote(truncate(c.Param("n"), 20))+" with a check. The course map lists every module's check.")
		return
	}
	c.Redirect(http.StatusSeeOther, interview.ModuleRun(cat.Modules[n-1], time.Now()).URL(0))
}

// drawFunc draws the questions of a run for a learner.
type drawFunc func(ctx context.Context, learner string, bank *quiz.Bank, f interview.Filter) ([]*quiz.Question, error)

func (h *interviewHandlers) startRun(c *gin.Context, kind string, n, nMax int, timer string, draw drawFunc) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	f, msg := interview.ParseFilter(c.Request.URL.Query(), cat.Bank, n, nMax, timer)
	if msg != "" {
		h.problem(c, http.StatusBadRequest, msg)
		return
	}
	qs, err := draw(c.Request.Context(), learnerOf(c), cat.Bank, f)
	var empty interview.EmptyPool
	switch {
	case errors.As(err, &empty):
		h.problem(c, http.StatusNotFound, empty.Error())
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, interview.NewRun(kind, qs, f, time.Now()).URL(0))
}

// startDue is GET /interview/due: the cards due by the end of today.
func (h *interviewHandlers) startDue(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	f, msg := interview.ParseFilter(c.Request.URL.Query(), cat.Bank, interview.DueMax, interview.DueMax, "none")
	if msg != "" {
		h.problem(c, http.StatusBadRequest, msg)
		return
	}
	qs, err := h.practice.DueQuestions(c.Request.Context(), learnerOf(c), cat.Bank, f.N, learnerNow(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(qs) == 0 {
		c.Redirect(http.StatusSeeOther, "/interview?due=none")
		return
	}
	c.Redirect(http.StatusSeeOther, interview.NewRun(interview.KindDue, qs, f, time.Now()).URL(0))
}

// tzCookie holds the browser's offset from UTC in minutes (theme.js sets
// it, for /interview only), so "today", "due today" and streaks follow
// the learner's days.
const tzCookie = "authlab_tzo"

// learnerNow is the current time in the learner's zone (UTC when the
// browser has not said, or said nonsense).
func learnerNow(c *gin.Context) time.Time {
	v, _ := c.Cookie(tzCookie)
	return interview.In(time.Now(), v)
}
