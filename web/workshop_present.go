package web

// The presenter screen: what the projector shows the room, chrome-free
// and keyboard-driven (a clicker sends → and space). Between rounds the
// join code, URL and QR code and who has joined; during a round the
// question, the countdown and how many have answered; after it the
// histogram, the leaderboard and the podium; during the lab moment the
// tally. The page renders the board's snapshot and follows the board's
// stream (static/present.js); the instructor's board stays private.

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
