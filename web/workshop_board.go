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
func (s *Server) ownBoard(c *gin.Context) (*progress.Workshop, *lessons.Catalog, *workshop.Board, bool) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return nil, nil, nil, false
	}
	cat, ok := s.course(c)
	if !ok {
		return nil, nil, nil, false
	}
	b, err := s.ws.Board(c.Request.Context(), cat, w, s.joinURL(c, w.Code))
	if !s.wsDone(c, err) {
		return nil, nil, nil, false
	}
	return w, cat, b, true
}

func (s *Server) workshopBoard(c *gin.Context) {
	w, cat, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	s.html(c, http.StatusOK, "workshop_board", boardPage{Page: s.base(c, w.Title, "workshops"), Workshop: w, Board: b,
		Questions: workshop.RoundQuestions(cat, w), When: workshop.When(w)})
}

// workshopBoardJSON (GET /workshops/:id/board.json) is the snapshot.
func (s *Server) workshopBoardJSON(c *gin.Context) {
	_, _, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, b)
}
