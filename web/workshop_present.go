package web

// The presenter screen: what the projector shows the room, chrome-free
// and driven by a clicker's → and space, one view at a time (join, round,
// histogram, leaderboard, podium, lab tally) from the board's snapshot
// and stream (static/present.js); the instructor's board stays private.

import (
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// presentPage is the presenter screen's first paint.
type presentPage struct {
	Page
	Workshop *progress.Workshop
	Board    *workshop.Board
}

// workshopPresent (GET /workshops/:id/present).
func (h *workshopHandlers) workshopPresent(c *gin.Context) {
	w, _, b, ok := h.ownBoard(c)
	if !ok {
		return
	}
	p := presentPage{Page: h.base(c, "Presenting: "+w.Title, "workshops"), Workshop: w, Board: b}
	p.Chrome, p.Flash = "none", ""
	h.html(c, http.StatusOK, "workshop_present", p)
}
