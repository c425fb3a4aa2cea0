package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestLearnerNow: the browser's offset cookie sets the learner's day; a
// missing or absurd one means UTC (interview.In, tested there, reads it).
func TestLearnerNow(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cookie string
		offset int // seconds east of UTC
	}{{"", 0}, {"-300", -5 * 3600}, {"330", 5*3600 + 30*60}, {"841", 0}} {
		w := httptest.NewRecorder()
		ctx, _ := gin.CreateTestContext(w)
		ctx.Request = httptest.NewRequest("GET", "/interview", nil)
		if c.cookie != "" {
			ctx.Request.AddCookie(&http.Cookie{Name: tzCookie, Value: c.cookie})
		}
		if _, off := learnerNow(ctx).Zone(); off != c.offset {
			t.Errorf("cookie %q: offset %d s, want %d", c.cookie, off, c.offset)
		}
	}
}
