package web

// The instructor's live board (built by workshop.Engine.Board): the page
// for a first paint that works without JavaScript, and the JSON snapshot
// the page fetches when its stream says something changed.

import (
	"net/http"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// boardPage is the board, plus what the forms offer.
type boardPage struct {
	Page
	Workshop  *progress.Workshop
	Board     *workshop.Board
	Questions []workshop.QuestionGroup
	When      string // the planned start and end, if set
}

// ownBoard answers for the instructor's own workshop: it, the course and
// the board built now.
func (h *workshopHandlers) ownBoard(c *gin.Context) (*progress.Workshop, *lessons.Catalog, *workshop.Board, bool) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return nil, nil, nil, false
	}
	cat, ok := h.course(c)
	if !ok {
		return nil, nil, nil, false
	}
	b, err := h.ws.Board(c.Request.Context(), cat, w, h.joinURL(c, w.Code))
	if !h.wsDone(c, err) {
		return nil, nil, nil, false
	}
	return w, cat, b, true
}

func (h *workshopHandlers) workshopBoard(c *gin.Context) {
	w, cat, b, ok := h.ownBoard(c)
	if !ok {
		return
	}
	h.html(c, http.StatusOK, "workshop_board", boardPage{Page: h.base(c, w.Title, "workshops"), Workshop: w, Board: b,
		Questions: workshop.RoundQuestions(cat, w), When: workshop.When(w)})
}

// workshopBoardJSON (GET /workshops/:id/board.json) is the snapshot.
func (h *workshopHandlers) workshopBoardJSON(c *gin.Context) {
	_, _, b, ok := h.ownBoard(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, b)
}
