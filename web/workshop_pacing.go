package web

// Pacing and the roster (the rules: package workshop): lock or unlock
// lessons for the room, bring everyone to one lesson (or a step in it),
// queue a lesson's questions as a quiz of several rounds, rename, remove
// or readmit an attendee.

import (
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// lockLesson (POST /workshops/:id/lock): lesson, locked=1 or 0.
func (h *workshopHandlers) lockLesson(c *gin.Context) {
	w, cat, ok := h.openForm(c)
	if !ok {
		return
	}
	locked, err := h.ws.Lock(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("locked") != "0")
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, gin.H{"locked": locked})
	}
}

// focusRoom (POST /workshops/:id/focus): lesson and an optional step
// (a heading anchor). Every attendee's screen moves there; a locked
// lesson is unlocked first.
func (h *workshopHandlers) focusRoom(c *gin.Context) {
	w, cat, ok := h.openForm(c)
	if !ok {
		return
	}
	f, err := h.ws.Bring(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("step"))
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, f)
	}
}

// queueLesson (POST /workshops/:id/queue): lesson queues every live-round
// question of that lesson after the ones queued; clear=1 empties it.
func (h *workshopHandlers) queueLesson(c *gin.Context) {
	w, cat, ok := h.openForm(c)
	if !ok {
		return
	}
	queue, err := h.ws.Queue(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("clear") != "")
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, gin.H{"queue": queue})
	}
}

// participantOf loads :pid of the instructor's workshop.
func (h *workshopHandlers) participantOf(c *gin.Context, w *progress.Workshop) (*progress.Participant, bool) {
	p, err := h.ws.ParticipantOf(c.Request.Context(), w, c.Param("pid"))
	return p, h.wsDone(c, err)
}

// renameParticipant (POST /workshops/:id/participants/:pid/rename): nickname.
func (h *workshopHandlers) renameParticipant(c *gin.Context) {
	w, ok := h.openWorkshop(c)
	if !ok || !h.readForm(c) {
		return
	}
	p, ok := h.participantOf(c, w)
	if !ok {
		return
	}
	nick, err := h.ws.Rename(c.Request.Context(), w, p, c.PostForm("nickname"))
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "nickname": nick})
	}
}

// removeParticipant (POST .../remove) takes an attendee out of the room:
// their screen says so and their cookie no longer gets them back in.
func (h *workshopHandlers) removeParticipant(c *gin.Context) { h.setRemoved(c, true) }

// readmitParticipant (POST .../readmit) lets a removed attendee back in.
func (h *workshopHandlers) readmitParticipant(c *gin.Context) { h.setRemoved(c, false) }

func (h *workshopHandlers) setRemoved(c *gin.Context, removed bool) {
	w, ok := h.openWorkshop(c)
	if !ok {
		return
	}
	p, ok := h.participantOf(c, w)
	if ok && h.wsDone(c, h.ws.SetRemoved(c.Request.Context(), w, p, removed)) {
		h.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "removed": removed})
	}
}
