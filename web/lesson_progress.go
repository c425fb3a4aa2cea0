package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// lessonProgressHandlers record what a learner does in a lesson: the
// "completed" mark, a reset, and the page's visit beacon.
type lessonProgressHandlers struct {
	*kernel
	store lessonProgressStore
}

// lessonProgressStore is what the lesson progress handlers write.
type lessonProgressStore interface {
	Complete(ctx context.Context, learnerID, slug string, done bool) error
	ResetLesson(ctx context.Context, learnerID, slug string, questionIDs []string) error
	Visit(ctx context.Context, learnerID, slug, position string, seconds int) error
}

var _ lessonProgressStore = (*progress.Store)(nil)

// lessonFor resolves :slug or answers 404.
func (k *kernel) lessonFor(c *gin.Context) (*lessons.Lesson, bool) {
	cat, ok := k.course(c)
	if !ok {
		return nil, false
	}
	l, err := cat.Lesson(c.Param("slug"))
	if errors.Is(err, lessons.ErrNotFound) {
		k.problem(c, http.StatusNotFound, "There is no lesson called “"+c.Param("slug")+"”.")
		return nil, false
	}
	if err != nil {
		k.fail(c, err)
		return nil, false
	}
	return l, true
}

// markComplete marks a lesson completed (done=1, the default) or not
// (done=0). It is worth keeping, so it creates a guest if needed.
func (h *lessonProgressHandlers) markComplete(c *gin.Context) {
	l, ok := h.lessonFor(c)
	if !ok || !h.readForm(c) {
		return
	}
	v, err := h.ensureLearner(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	done := c.PostForm("done") != "0"
	if err := h.store.Complete(c.Request.Context(), v.LearnerID, l.Slug, done); err != nil {
		h.fail(c, err)
		return
	}
	h.backToLesson(c, l, gin.H{"slug": l.Slug, "completed": done})
}

// resetLesson forgets the viewer's state and answers in one lesson.
func (h *lessonProgressHandlers) resetLesson(c *gin.Context) {
	l, ok := h.lessonFor(c)
	if !ok || !h.readForm(c) {
		return
	}
	if v := viewerFrom(c); v != nil {
		if err := h.store.ResetLesson(c.Request.Context(), v.LearnerID, l.Slug, l.QuizIDs()); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.backToLesson(c, l, gin.H{"slug": l.Slug, "reset": true})
}

// backToLesson answers a lesson's form: reply as JSON to fetch, and
// send a plain form back to the lesson.
func (h *lessonProgressHandlers) backToLesson(c *gin.Context, l *lessons.Lesson, reply gin.H) {
	if wantsJSON(c.Request) {
		c.JSON(http.StatusOK, reply)
		return
	}
	c.Redirect(http.StatusSeeOther, "/lessons/"+l.Slug)
}

// recordVisit is the page's beacon: position (a heading anchor) and
// seconds spent. Only learners who already exist are recorded: a plain
// reader creates nothing.
func (h *lessonProgressHandlers) recordVisit(c *gin.Context) {
	l, ok := h.lessonFor(c)
	if !ok || !h.readForm(c) {
		return
	}
	v := viewerFrom(c)
	if v == nil {
		c.Status(http.StatusNoContent)
		return
	}
	pos := c.PostForm("position")
	if pos != "" && !l.Anchors[pos] { // only the lesson's own anchors
		pos = ""
	}
	secs, _ := strconv.Atoi(c.PostForm("seconds"))
	if err := h.store.Visit(c.Request.Context(), v.LearnerID, l.Slug, pos, secs); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
