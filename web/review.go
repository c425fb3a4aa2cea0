package web

import (
	"net/http"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/gin-gonic/gin"
)

// reviewPage lists every quiz the viewer has answered, the ones not yet
// right first, each with a link back to it.
type reviewPage struct {
	Page
	Wrong, Right []interview.ReviewItem
	FirstLesson  string // where to start when nothing is answered yet
}

// review is GET /review. A visitor who never answered anything gets the
// empty state and nothing is created.
func (h *quizHandlers) review(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	p := reviewPage{Page: h.base(c, "Review", "review")}
	p.Description = "Every quiz you have answered, the ones to revisit first."
	if len(cat.Lessons) > 0 {
		p.FirstLesson = "/lessons/" + cat.Lessons[0].Slug
	}
	if v := viewerFrom(c); v != nil {
		bests, err := h.store.BestScores(c.Request.Context(), v.LearnerID, nil)
		if err != nil {
			h.fail(c, err)
			return
		}
		p.Wrong, p.Right = interview.Review(cat, bests, time.Now())
	}
	h.html(c, http.StatusOK, "review", p)
}
