package web

// The room-wide lab moment over HTTP (the rules: workshop.Engine.RoomLabs
// and LabCheck).

import (
	"context"
	"net/http"

	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// roomLabs runs one lab action on the labs of every attendee still in
// the room and answers with what it touched (see workshop.Engine.RoomLabs).
func (h *workshopHandlers) roomLabs(c *gin.Context, event string, moment bool, act func(ctx context.Context, owner string) (sandbox.RoomResult, error)) {
	w, ok := h.openWorkshop(c)
	if !ok || !h.readForm(c) {
		return
	}
	ctx := c.Request.Context()
	total, err := h.ws.RoomLabs(ctx, w, event, moment, func(owner string) (workshop.LabResult, error) {
		r, err := act(ctx, owner)
		return workshop.LabResult(r), err
	})
	if h.wsDone(c, err) {
		h.boardReply(c, w, http.StatusOK, total)
	}
}

// revokeRoomLabs (POST /workshops/:id/labs/revoke) is the room-wide
// moment: every attendee's lab sessions die at once, on their next
// request; their lab tokens live on until they expire.
func (h *workshopHandlers) revokeRoomLabs(c *gin.Context) {
	h.roomLabs(c, "labs-revoked", true, h.labs.RevokeOwnerSessions)
}

// denylistRoomLabs (POST /workshops/:id/labs/denylist, on=1 or 0) turns
// the token deny-list on in every attendee's labs and denies every token
// they issued, so the token sides die too; on=0 turns it off again.
func (h *workshopHandlers) denylistRoomLabs(c *gin.Context) {
	if c.PostForm("on") == "0" {
		h.roomLabs(c, "labs-denylist-off", false, func(ctx context.Context, owner string) (sandbox.RoomResult, error) {
			return h.labs.SetOwnerDenylist(ctx, owner, false)
		})
		return
	}
	h.roomLabs(c, "labs-denylist", true, h.labs.DenyOwnerTokens)
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

// labSides reads an attendee's labs for the lab moment's tally.
type labSides struct{ labs *sandbox.Manager }

func (l labSides) LabSides(ctx context.Context, owner string) (workshop.LabSides, error) {
	s, err := l.labs.OwnerSides(ctx, owner)
	return workshop.LabSides(s), err
}
