package web

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// acceptsGzip reports whether the client accepts a gzip body (q > 0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				q, err := strconv.ParseFloat(v, 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}

// gzipWriters recycles compressors: allocating one costs ~800 KB.
type gzipPool struct{ p sync.Pool }

func newGzipPool() *gzipPool {
	return &gzipPool{p: sync.Pool{New: func() any {
		// BestSpeed: lesson pages compress ~5x at a fraction of the
		// default level's CPU, which matters more here than the last bytes.
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}}
}

// minGzipSize: below this a gzip frame costs more than it saves.
const minGzipSize = 1024

// writeBody writes a complete, buffered response body, compressed when the
// client accepts gzip and the body is large enough to gain from it.
func (g *gzipPool) writeBody(c *gin.Context, status int, ctype string, body []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept-Encoding")
	if len(body) < minGzipSize || !acceptsGzip(c.Request) {
		h.Set("Content-Length", strconv.Itoa(len(body)))
		c.Status(status)
		if c.Request.Method != http.MethodHead {
			_, _ = c.Writer.Write(body)
		}
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	c.Status(status)
	if c.Request.Method == http.MethodHead {
		return
	}
	zw := g.p.Get().(*gzip.Writer)
	zw.Reset(c.Writer)
	_, _ = zw.Write(body)
	_ = zw.Close()
	g.p.Put(zw)
}
