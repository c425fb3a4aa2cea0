package web

// The event streams: one per open board, lobby or attendee screen, fed
// by the hub and ended by the request's context (the server cancels it
// on shutdown) or by a removal.

import (
	"net/http"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// heartbeat keeps idle streams open through proxies.
const heartbeat = 20 * time.Second

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

// stream writes a workshop's events as text/event-stream until the
// client leaves or the server shuts down (the request context ends).
// A subscriber that fell behind gets "resync" and reloads its state.
func (h *workshopHandlers) stream(c *gin.Context, workshopID string, filter func(live.Event) (send, last bool)) {
	sub := h.ws.Subscribe(workshopID)
	defer sub.Close()
	hdr := c.Writer.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	rc := http.NewResponseController(c.Writer)
	if _, err := c.Writer.Write([]byte("retry: 3000\n\nevent: hello\ndata: {}\n\n")); err != nil || rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	ctx := c.Request.Context()
	var buf []byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := c.Writer.Write([]byte(": keep-alive\n\n")); err != nil {
				return
			}
		case ev, open := <-sub.C:
			if !open {
				return
			}
			buf = buf[:0]
			if sub.Lagged() {
				buf = append(buf, "event: resync\ndata: {}\n\n"...)
			}
			send, last := filter(ev)
			if send {
				buf = append(buf, "event: "...)
				buf = append(buf, ev.Name...)
				buf = append(buf, "\ndata: "...)
				buf = append(buf, ev.Data...)
				buf = append(buf, "\n\n"...)
			}
			if len(buf) > 0 {
				if _, err := c.Writer.Write(buf); err != nil {
					return
				}
			}
			if last {
				rc.Flush()
				return
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}
