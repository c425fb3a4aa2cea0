package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/metrics"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// observe counts every request by its route pattern (never the raw
// path: that would let clients create unbounded label values) into m.
func observe(m *metrics.Set) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		stream := strings.HasSuffix(c.Request.URL.Path, "/events") || strings.Contains(c.GetHeader("Accept"), "text/event-stream")
		if stream {
			m.Streams.Inc()
			defer m.Streams.Dec()
		}
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.Requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		if !stream {
			m.Latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
	}
}

// Metrics serves the server's Prometheus metrics. It is not a route of
// the site: run serves it on --metrics-addr, a listener of its own, so the
// public never sees request counts, pool gauges or the Go runtime's state.
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{})
}
