package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows only our own scripts and styles: no inline
// script, no eval, no third-party origin; framing only by ourselves. The
// one inline script, the page's import map, is allowed by its hash, which
// each set of static files adds to script-src (renderer.load).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

func (k *kernel) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", k.render.set().CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		c.Next()
	}
}

// recoverer turns a panic into the 500 page and one log line.
func (k *kernel) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				err := fmt.Errorf("panic: %v", v)
				// The stack is what makes a panic fixable; it is logged
				// once, here, and never shown to the visitor.
				k.log.ErrorContext(c.Request.Context(), "panic", "request_id", requestIDOf(c.Request.Context()),
					"path", c.Request.URL.Path, "err", err, "stack", string(debug.Stack()))
				if c.Writer.Written() {
					c.Abort()
					return
				}
				k.fail(c, err)
			}
		}()
		c.Next()
	}
}

// requestLog writes one structured line per request.
func (k *kernel) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slogLevelFor(status)
		if !k.log.Enabled(c.Request.Context(), level) {
			return
		}
		k.log.Log(c.Request.Context(), level, "request", "request_id", requestIDOf(c.Request.Context()),
			"method", c.Request.Method, "path", c.Request.URL.Path, "status", status,
			"bytes", c.Writer.Size(), "duration", time.Since(start), "client", c.ClientIP())
	}
}
