package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"

	"github.com/gin-gonic/gin"
)

// requestIDHeader carries the request ID both ways: a trusted proxy may
// send one (it is kept when it looks like an ID), and every response
// returns it, so a learner's report and the log line meet.
const requestIDHeader = "X-Request-ID"

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

type requestIDKey struct{}

func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(requestIDHeader)
		if !requestIDRe.MatchString(id) || !fromTrustedProxy(c) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Header(requestIDHeader, id)
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
		c.Next()
	}
}

// fromTrustedProxy: only a configured proxy may name the request ID.
func fromTrustedProxy(c *gin.Context) bool {
	return c.RemoteIP() != c.ClientIP()
}

// requestIDOf returns the request's ID ("" outside a request).
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
