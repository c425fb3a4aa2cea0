package web

import (
	"net/http"

	"github.com/authlab/authlab/interview"
	"github.com/gin-gonic/gin"
)

// summaryPage is the end of a run: the score, the time, each question's
// verdict and what to review.
type summaryPage struct {
	Page
	interview.Summary
}

// practiceSummary is GET /interview/summary.
func (h *interviewHandlers) practiceSummary(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	r, _, ok := h.readRun(c, true)
	if !ok {
		return
	}
	answers, err := h.practice.RunAnswers(c.Request.Context(), learnerOf(c), *r)
	if err != nil {
		h.fail(c, err)
		return
	}
	page := summaryPage{Page: h.base(c, interview.KindTitle(r.Kind)+": summary", "interview"), Summary: interview.NewSummary(cat, *r, answers)}
	page.Description = "How the run went and what to review."
	h.html(c, http.StatusOK, "interview_summary", page)
}
