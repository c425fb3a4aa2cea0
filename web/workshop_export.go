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
func (h *workshopHandlers) endWorkshop(c *gin.Context) {
	w, ok := h.openWorkshop(c)
	if !ok || !h.wsDone(c, h.ws.End(c.Request.Context(), w)) {
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

func (h *workshopHandlers) workshopResults(c *gin.Context) {
	w, cat, b, ok := h.ownBoard(c)
	if !ok {
		return
	}
	rounds, board, err := h.ws.Results(c.Request.Context(), cat, w)
	if !h.wsDone(c, err) {
		return
	}
	h.html(c, http.StatusOK, "workshop_results", resultsPage{Page: h.base(c, "Results: "+w.Title, "workshops"),
		Workshop: w, Board: b, Leaderboard: board, Rounds: rounds})
}

// workshopCSV (GET /workshops/:id/export.csv).
func (h *workshopHandlers) workshopCSV(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	b, err := h.ws.CSV(c.Request.Context(), cat, w)
	if !h.wsDone(c, err) {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+h.ws.CSVName(w)+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
}
