package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows only our own scripts and styles: no inline
// script, no eval, no third-party origin; framing only by ourselves. The
// one inline script, the page's import map, is allowed by its hash, which
// each set of static files adds to script-src (renderer.load).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// fixedSecurityHeaders are the security headers every answer carries,
// under their canonical names.
var fixedSecurityHeaders = [...][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "SAMEORIGIN"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
}

// securityHeaders sets the security headers on every answer. Each value
// is a one-element slice made once and shared by every answer, capped
// (len = cap) so that an Add appends to a copy; a handler that changes
// one (the lab plane's Referrer-Policy, the evil page's policy) replaces
// the slice with Set, as it would anyway. Setting them this way, rather
// than with Header.Set, spares every request six key canonicalisations
// and six allocations.
func (k *kernel) securityHeaders() gin.HandlerFunc {
	var fixed [len(fixedSecurityHeaders)][]string
	for i, kv := range fixedSecurityHeaders {
		fixed[i] = []string{kv[1]}[:1:1]
	}
	var csp atomic.Pointer[[]string] // the static files' set can change (dev reload)
	return func(c *gin.Context) {
		h := c.Writer.Header()
		v := k.render.set().CSP
		p := csp.Load()
		if p == nil || (*p)[0] != v {
			s := []string{v}[:1:1]
			csp.Store(&s)
			p = &s
		}
		h["Content-Security-Policy"] = *p
		for i, kv := range fixedSecurityHeaders {
			h[kv[0]] = fixed[i]
		}
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
