package web

// After the room: end a workshop, its results page and its CSV export
// (the rules and the rows: package workshop).

import (
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// endWorkshop (POST /workshops/:id/end) closes and reveals the open
// round, makes the workshop read-only and tells the room.
func (s *Server) endWorkshop(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.wsDone(c, s.ws.End(c.Request.Context(), w)) {
		return
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusOK, gin.H{"ended": true})
		return
	}
	c.Redirect(http.StatusSeeOther, "/workshops/"+w.ID+"/results")
}

// resultsPage is a workshop's results.
type resultsPage struct {
	Page
	Workshop    *progress.Workshop
	Board       *workshop.Board
	Leaderboard []workshop.Standing
	Rounds      []workshop.RoundResult
}

func (s *Server) workshopResults(c *gin.Context) {
	w, cat, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	rounds, board, err := s.ws.Results(c.Request.Context(), cat, w)
	if !s.wsDone(c, err) {
		return
	}
	s.html(c, http.StatusOK, "workshop_results", resultsPage{Page: s.base(c, "Results: "+w.Title, "workshops"),
		Workshop: w, Board: b, Leaderboard: board, Rounds: rounds})
}

// workshopCSV (GET /workshops/:id/export.csv).
func (s *Server) workshopCSV(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	b, err := s.ws.CSV(c.Request.Context(), cat, w)
	if !s.wsDone(c, err) {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+s.ws.CSVName(w)+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
}
