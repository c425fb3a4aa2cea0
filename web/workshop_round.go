package web

// Live quiz rounds (the rules: package workshop): start one, end it
// early, reveal it, show the podium.

import (
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// startRound (POST /workshops/:id/rounds) pushes a question to the room:
// question=<bank id>, or next=1 for the head of the queue, or prompt +
// options for one written on the spot; seconds is the countdown.
func (s *Server) startRound(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	started, err := s.ws.Start(c.Request.Context(), cat, w, workshop.RoundSpec{
		Seconds: c.PostForm("seconds"), Question: c.PostForm("question"), Next: c.PostForm("next") != "",
		Prompt: c.PostForm("prompt"), Options: c.PostForm("options"),
	})
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusCreated, started)
	}
}

// roundOf loads :round of the instructor's workshop.
func (s *Server) roundOf(c *gin.Context, w *progress.Workshop) (*progress.Round, bool) {
	r, err := s.ws.RoundOf(c.Request.Context(), w, c.Param("round"))
	return r, s.wsDone(c, err)
}

// endRound (POST /workshops/:id/rounds/:round/close) ends a round early.
func (s *Server) endRound(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := s.roundOf(c, w)
	if ok && s.wsDone(c, s.ws.CloseRound(c.Request.Context(), w.ID, r.ID)) {
		s.boardReply(c, w, http.StatusOK, gin.H{"closed": true})
	}
}

// revealRound (POST /workshops/:id/rounds/:round/reveal) shows the right
// answer, the explanation and the leaderboard to the room.
func (s *Server) revealRound(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := s.roundOf(c, w)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	data, err := s.ws.RevealRound(c.Request.Context(), cat, w, r)
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, data)
	}
}

// podium (POST /workshops/:id/podium) shows the top three to the room.
func (s *Server) podium(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	data, err := s.ws.ShowPodium(c.Request.Context(), w)
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, data)
	}
}
