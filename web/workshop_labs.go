package web

// The room-wide lab moment over HTTP (the rules: workshop.Engine.RoomLabs
// and LabCheck).

import (
	"net/http"

	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// runLabs runs a room-wide lab action and answers with what it touched.
func (h *workshopHandlers) runLabs(c *gin.Context, action workshop.LabAction) {
	w, ok := h.openWorkshop(c)
	if !ok || !h.readForm(c) {
		return
	}
	total, err := h.ws.RunLabs(c.Request.Context(), w, action)
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, total)
	}
}

// revokeRoomLabs (POST /workshops/:id/labs/revoke) is the room-wide
// moment: every attendee's lab sessions die at once, on their next
// request; their lab tokens live on until they expire.
func (h *workshopHandlers) revokeRoomLabs(c *gin.Context) { h.runLabs(c, workshop.RevokeSessions) }

// denylistRoomLabs (POST /workshops/:id/labs/denylist, on=1 or 0) turns
// the token deny-list on in every attendee's labs and denies every token
// they issued, so the token sides die too; on=0 turns it off again.
func (h *workshopHandlers) denylistRoomLabs(c *gin.Context) {
	if c.PostForm("on") == "0" {
		h.runLabs(c, workshop.DenylistOff)
		return
	}
	h.runLabs(c, workshop.DenyTokens)
}

// labCheck (POST /w/:code/labcheck, session and token: the HTTP status
// each side of the attendee's lab answered, 0 when not logged in) is the
// attendee's lab reporting how it fared after a room-wide moment.
func (h *workshopHandlers) labCheck(c *gin.Context) {
	w, p, ok := h.attendeeOf(c, true)
	if ok && h.wsDone(c, h.ws.LabCheck(c.Request.Context(), w, p, c.PostForm("session"), c.PostForm("token"))) {
		c.Status(http.StatusNoContent)
	}
}
