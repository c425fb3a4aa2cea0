package web

// The event streams: one per open board, lobby or attendee screen, fed
// by the hub and ended by the request's context (the server cancels it
// on shutdown) or by a removal.

import (
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// boardEvents (GET /workshops/:id/events) streams the room's events to
// its instructor: everything for everyone plus the board's own.
func (h *workshopHandlers) boardEvents(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	h.stream(c, w.ID, workshop.ForInstructor)
}

// attendeeEvents (GET /w/:code/events) streams the room's events to one
// attendee: those for everyone and those for them alone. A removal ends
// the stream.
func (h *workshopHandlers) attendeeEvents(c *gin.Context) {
	w, p, ok := h.attendeeOf(c, false)
	if !ok {
		return
	}
	h.stream(c, w.ID, workshop.ForAttendee(p.ID))
}

// stream writes a workshop's events (see streamEvents).
func (h *workshopHandlers) stream(c *gin.Context, workshopID string, filter func(live.Event) (send, last bool)) {
	sub := h.ws.Subscribe(workshopID)
	defer sub.Close()
	streamEvents(c, sub, filter)
}
