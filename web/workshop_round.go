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
func (h *workshopHandlers) startRound(c *gin.Context) {
	w, cat, ok := h.openForm(c)
	if !ok {
		return
	}
	started, err := h.ws.Start(c.Request.Context(), cat, w, workshop.RoundSpec{
		Seconds: c.PostForm("seconds"), Question: c.PostForm("question"), Next: c.PostForm("next") != "",
		Prompt: c.PostForm("prompt"), Options: c.PostForm("options"),
	})
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusCreated, started)
	}
}

// roundOf loads :round of the instructor's workshop.
func (h *workshopHandlers) roundOf(c *gin.Context, w *progress.Workshop) (*progress.Round, bool) {
	r, err := h.ws.RoundOf(c.Request.Context(), w, c.Param("round"))
	return r, h.wsDone(c, err)
}

// endRound (POST /workshops/:id/rounds/:round/close) ends a round early.
func (h *workshopHandlers) endRound(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := h.roundOf(c, w)
	if ok && h.wsDone(c, h.ws.CloseRound(c.Request.Context(), w.ID, r.ID)) {
		h.boardReply(c, w, http.StatusOK, gin.H{"closed": true})
	}
}

// revealRound (POST /workshops/:id/rounds/:round/reveal) shows the right
// answer, the explanation and the leaderboard to the room.
func (h *workshopHandlers) revealRound(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := h.roundOf(c, w)
	if !ok {
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	data, err := h.ws.RevealRound(c.Request.Context(), cat, w, r)
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, data)
	}
}

// podium (POST /workshops/:id/podium) shows the top three to the room.
func (h *workshopHandlers) podium(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	data, err := h.ws.ShowPodium(c.Request.Context(), w)
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, data)
	}
}
