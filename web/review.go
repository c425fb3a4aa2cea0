package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
)

// reviewPage lists every quiz the viewer has answered, the ones not yet
// right first, each with a link back to it.
type reviewPage struct {
	Page
	Wrong, Right []reviewItem
	FirstLesson  string // where to start when nothing is answered yet
}

type reviewItem struct {
	ID       string
	Prompt   template.HTML
	Lesson   string // title; empty for an interview-bank question
	Link     string
	Percent  int
	Attempts int
	Last     time.Time
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
		for _, q := range cat.Bank.All() { // course order within each group
			b, answered := bests[q.ID]
			if !answered {
				continue
			}
			it := reviewItem{ID: q.ID, Prompt: cmp.Or(q.PromptHTML, q.StatementHTML), Percent: percent(b.Score),
				Attempts: b.Attempts, Last: b.Last}
			if l, ok := cat.LessonOf(q.ID); ok {
				it.Lesson, it.Link = l.Title, "/lessons/"+l.Slug+"#quiz-"+q.ID
			}
			if b.Correct {
				p.Right = append(p.Right, it)
			} else {
				p.Wrong = append(p.Wrong, it)
			}
		}
		// The most recently missed first: what the learner was just doing.
		slices.SortStableFunc(p.Wrong, func(a, b reviewItem) int { return b.Last.Compare(a.Last) })
	}
	h.html(c, http.StatusOK, "review", p)
}
