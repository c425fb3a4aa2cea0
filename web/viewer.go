package web

import (
	"log/slog"

	"github.com/gin-gonic/gin"
)

// Viewer is who is looking at a page: nobody yet, a guest learner or an
// account.
type Viewer struct {
	LearnerID  string
	Username   string // empty for a guest
	Instructor bool
}

const viewerKey = "authlab.viewer"

func viewerFrom(c *gin.Context) *Viewer {
	v, _ := c.Get(viewerKey)
	vw, _ := v.(*Viewer)
	return vw
}

// slogLevelFor: server errors are errors; a request its client gave up on
// is not one; everything else is debug noise unless asked for.
func slogLevelFor(status int) slog.Level {
	switch {
	case status == statusClientClosed:
		return slog.LevelDebug
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelInfo
	default:
		return slog.LevelDebug
	}
}

// learnerOf is the viewer's learner id; "" for a visitor with nothing
// recorded.
func learnerOf(c *gin.Context) string {
	if v := viewerFrom(c); v != nil {
		return v.LearnerID
	}
	return ""
}
