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
func (s *Server) practiceSummary(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	r, _, ok := s.readRun(c, true)
	if !ok {
		return
	}
	answers, err := s.practice().RunAnswers(c.Request.Context(), learnerOf(c), *r)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := summaryPage{Page: s.base(c, interview.KindTitle(r.Kind)+": summary", "interview"), Summary: interview.NewSummary(cat, *r, answers)}
	page.Description = "How the run went and what to review."
	s.html(c, http.StatusOK, "interview_summary", page)
}
