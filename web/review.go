package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
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
		p.Wrong, p.Right = interview.Review(cat, bests)
		now := time.Now()
		practiceLinks(cat, p.Wrong, now)
		practiceLinks(cat, p.Right, now)
	}
	h.html(c, http.StatusOK, "review", p)
}

// practiceLinks gives each interview-bank question, which sits in no
// lesson and so has no quiz to go back to, a one-question practice run
// instead: otherwise "To revisit" lists a question the learner has no
// way to answer again.
func practiceLinks(cat *lessons.Catalog, items []interview.ReviewItem, now time.Time) {
	for i := range items {
		q, ok := cat.Bank.Question(items[i].ID)
		if items[i].Link != "" || !ok {
			continue
		}
		kind := interview.KindDrill
		if slices.Contains(interview.OpenTypes, q.Type) {
			kind = interview.KindMock // an open prompt is answered the mock interview's way
		}
		items[i].Link = interview.NewRun(kind, []*quiz.Question{q}, interview.Filter{}, now).URL(0)
	}
}
