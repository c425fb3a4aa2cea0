package web

import (
	"net/http"
	"strconv"

	"github.com/authlab/authlab/sandbox"
	"github.com/gin-gonic/gin"
)

// roomLabs runs one action on the labs of every attendee still in the
// room and answers with what it touched. A moment (the revoke, the
// deny-list) is recorded, so the board tallies the lab checks that come
// back from it; every attendee's screen hears the event and has its lab
// check itself.
func (s *Server) roomLabs(c *gin.Context, event string, moment bool, act func(owner string) (sandbox.RoomResult, error)) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	ps, err := s.store.Participants(c.Request.Context(), w.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var total sandbox.RoomResult
	for _, p := range ps {
		if p.Removed {
			continue
		}
		r, err := act(p.LearnerID)
		if err != nil {
			s.fail(c, err)
			return
		}
		total.Labs += r.Labs
		total.Sessions += r.Sessions
		total.Tokens += r.Tokens
	}
	if moment {
		if err := s.store.SetMoment(c.Request.Context(), w.ID, event, s.ws.clock.Now()); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.publish(c.Request.Context(), w.ID, event, "", total)
	s.boardReply(c, w, http.StatusOK, total)
}

// revokeRoomLabs (POST /workshops/:id/labs/revoke) is the room-wide
// moment: every attendee's lab sessions die at once, on their next
// request; their lab tokens live on until they expire.
func (s *Server) revokeRoomLabs(c *gin.Context) {
	s.roomLabs(c, "labs-revoked", true, func(owner string) (sandbox.RoomResult, error) {
		return s.labs.RevokeOwnerSessions(c.Request.Context(), owner)
	})
}

// denylistRoomLabs (POST /workshops/:id/labs/denylist, on=1 or 0) turns
// the token deny-list on in every attendee's labs and denies every token
// they issued, so the token sides die too; on=0 turns it off again.
func (s *Server) denylistRoomLabs(c *gin.Context) {
	if c.PostForm("on") == "0" {
		s.roomLabs(c, "labs-denylist-off", false, func(owner string) (sandbox.RoomResult, error) {
			return s.labs.SetOwnerDenylist(c.Request.Context(), owner, false)
		})
		return
	}
	s.roomLabs(c, "labs-denylist", true, func(owner string) (sandbox.RoomResult, error) {
		return s.labs.DenyOwnerTokens(c.Request.Context(), owner)
	})
}

// labCheck (POST /w/:code/labcheck, session and token: the HTTP status
// each side of the attendee's lab answered, 0 when not logged in) is the
// attendee's lab reporting how it fared after a room-wide moment. It is
// what the attendee's own browser saw, for the board to tally; it grants
// nothing.
func (s *Server) labCheck(c *gin.Context) {
	w, p, ok := s.attendeeOf(c, true)
	if !ok {
		return
	}
	if w.Ended() {
		s.problem(c, http.StatusConflict, "This workshop has ended; there is nothing left to report.")
		return
	}
	if w.Moment == "" {
		s.problem(c, http.StatusConflict, "There is no room-wide lab moment to report on: the instructor has not revoked the room's labs.")
		return
	}
	session, okS := httpStatus(c.PostForm("session"))
	token, okT := httpStatus(c.PostForm("token"))
	if !okS || !okT {
		s.problem(c, http.StatusUnprocessableEntity, "Report both sides of the lab: session and token must each be an HTTP status (100–599), or 0 for a side that was not logged in.")
		return
	}
	if err := s.store.SetLabCheck(c.Request.Context(), p, session, token, s.ws.clock.Now()); err != nil {
		s.fail(c, err)
		return
	}
	s.publish(c.Request.Context(), w.ID, "labcheck", toInstructor, gin.H{"id": p.ID, "session": session, "token": token})
	c.Status(http.StatusNoContent)
}

// httpStatus parses a reported status: 0 (nothing to check) or 100–599.
// A side left out (or empty) is no report: the lab always sends both.
func httpStatus(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && (n == 0 || (n >= 100 && n <= 599))
}
