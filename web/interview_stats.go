package web

import (
	"net/http"

	"github.com/authlab/authlab/interview"
	"github.com/gin-gonic/gin"
)

// statsPage is GET /interview/stats.
type statsPage struct {
	Page
	Stats interview.Stats
	Max   int // the largest forecast day, for the bars
}

// interviewStats is GET /interview/stats. A visitor with nothing
// recorded gets the empty state; nothing is created.
func (h *interviewHandlers) interviewStats(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	p := statsPage{Page: h.base(c, "Interview stats", "interview")}
	p.Description = "Accuracy by topic and level, your practice streak and the cards due this week."
	if learner := learnerOf(c); learner != "" {
		ctx, svc := c.Request.Context(), h.practice
		st, err := svc.LearnerStats(ctx, cat, learner, learnerNow(c))
		if err == nil {
			st.Late, err = svc.LateAnswers(ctx, learner)
		}
		if err != nil {
			h.fail(c, err)
			return
		}
		p.Stats, p.Max = st, st.MaxDue()
	}
	h.html(c, http.StatusOK, "interview_stats", p)
}
