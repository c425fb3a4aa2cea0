package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/authlab/authlab/lessons"
	"github.com/gin-gonic/gin"
)

// lessonFor resolves :slug or answers 404.
func (s *Server) lessonFor(c *gin.Context) (*lessons.Lesson, bool) {
	cat, ok := s.course(c)
	if !ok {
		return nil, false
	}
	l, err := cat.Lesson(c.Param("slug"))
	if errors.Is(err, lessons.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "There is no lesson called “"+c.Param("slug")+"”.")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return l, true
}

// markComplete marks a lesson completed (done=1, the default) or not
// (done=0). It is worth keeping, so it creates a guest if needed.
func (s *Server) markComplete(c *gin.Context) {
	l, ok := s.lessonFor(c)
	if !ok || !s.readForm(c) {
		return
	}
	v, err := s.ensureLearner(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	done := c.PostForm("done") != "0"
	if err := s.store.Complete(c.Request.Context(), v.LearnerID, l.Slug, done); err != nil {
		s.fail(c, err)
		return
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusOK, gin.H{"slug": l.Slug, "completed": done})
		return
	}
	c.Redirect(http.StatusSeeOther, "/lessons/"+l.Slug)
}

// resetLesson forgets the viewer's state and answers in one lesson.
func (s *Server) resetLesson(c *gin.Context) {
	l, ok := s.lessonFor(c)
	if !ok || !s.readForm(c) {
		return
	}
	if v := viewerFrom(c); v != nil {
		ids := make([]string, 0, len(l.Quizzes))
		for _, q := range l.Quizzes {
			ids = append(ids, q.ID)
		}
		if err := s.store.ResetLesson(c.Request.Context(), v.LearnerID, l.Slug, ids); err != nil {
			s.fail(c, err)
			return
		}
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusOK, gin.H{"slug": l.Slug, "reset": true})
		return
	}
	c.Redirect(http.StatusSeeOther, "/lessons/"+l.Slug)
}

// recordVisit is the page's beacon: position (a heading anchor) and
// seconds spent. Only learners who already exist are recorded: a plain
// reader creates nothing.
func (s *Server) recordVisit(c *gin.Context) {
	l, ok := s.lessonFor(c)
	if !ok || !s.readForm(c) {
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
	if err := s.store.Visit(c.Request.Context(), v.LearnerID, l.Slug, pos, secs); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
