package web

// Server-sent events: a live.Subscription written to a browser's
// EventSource (the workshop board, lobby, presenter and attendee
// screens each hold one).

import (
	"net/http"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/gin-gonic/gin"
)

// heartbeat keeps idle streams open through proxies.
const heartbeat = 20 * time.Second

// streamEvents writes the events of sub that filter lets through as
// text/event-stream until the client leaves, the server shuts down (the
// request context ends) or filter says an event is the last. A
// subscriber that fell behind gets "resync" and reloads its state.
func streamEvents(c *gin.Context, sub *live.Subscription, filter func(live.Event) (send, last bool)) {
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
