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
func (s *Server) roomLabs(c *gin.Context, event string, moment bool, act func(ctx context.Context, owner string) (sandbox.RoomResult, error)) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	ctx := c.Request.Context()
	total, err := s.ws.RoomLabs(ctx, w, event, moment, func(owner string) (workshop.LabResult, error) {
		r, err := act(ctx, owner)
		return workshop.LabResult(r), err
	})
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, total)
	}
}

// revokeRoomLabs (POST /workshops/:id/labs/revoke) is the room-wide
// moment: every attendee's lab sessions die at once, on their next
// request; their lab tokens live on until they expire.
func (s *Server) revokeRoomLabs(c *gin.Context) {
	s.roomLabs(c, "labs-revoked", true, s.labs.RevokeOwnerSessions)
}

// denylistRoomLabs (POST /workshops/:id/labs/denylist, on=1 or 0) turns
// the token deny-list on in every attendee's labs and denies every token
// they issued, so the token sides die too; on=0 turns it off again.
func (s *Server) denylistRoomLabs(c *gin.Context) {
	if c.PostForm("on") == "0" {
		s.roomLabs(c, "labs-denylist-off", false, func(ctx context.Context, owner string) (sandbox.RoomResult, error) {
			return s.labs.SetOwnerDenylist(ctx, owner, false)
		})
		return
	}
	s.roomLabs(c, "labs-denylist", true, s.labs.DenyOwnerTokens)
}

// labCheck (POST /w/:code/labcheck, session and token: the HTTP status
// each side of the attendee's lab answered, 0 when not logged in) is the
// attendee's lab reporting how it fared after a room-wide moment.
func (s *Server) labCheck(c *gin.Context) {
	w, p, ok := s.attendeeOf(c, true)
	if ok && s.wsDone(c, s.ws.LabCheck(c.Request.Context(), w, p, c.PostForm("session"), c.PostForm("token"))) {
		c.Status(http.StatusNoContent)
	}
}
