package web

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own
// (no global state: two servers in one test process do not collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	streams  prometheus.Gauge
}

// DBStatser is what the pool gauges read.
type DBStatser interface{ DBStats() sql.DBStats }

// LabCounter counts live labs for the lab gauge.
type LabCounter interface {
	CountLabs(ctx context.Context) (int64, error)
}

func newMetrics(db DBStatser, labs LabCounter) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authlab_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "authlab_http_request_duration_seconds", Help: "Time to answer, by route pattern (streams excluded).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "authlab_sse_streams_active", Help: "Open server-sent event streams.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.streams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		pool := func(name, help string, f func(sql.DBStats) float64) {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "authlab_db_" + name, Help: help},
				func() float64 { return f(db.DBStats()) }))
		}
		pool("open_connections", "Open database connections.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) })
		pool("in_use_connections", "Database connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) })
		pool("idle_connections", "Idle database connections.", func(s sql.DBStats) float64 { return float64(s.Idle) })
		pool("wait_count", "Waits for a database connection, in total.", func(s sql.DBStats) float64 { return float64(s.WaitCount) })
		pool("wait_seconds", "Time spent waiting for a connection, in total.", func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() })
	}
	if labs != nil {
		m.count("authlab_labs", "Live labs (lab states in the store).", labs.CountLabs)
	}
	return m
}

// attendees adds the gauge of workshop attendees active in the last
// five minutes.
func (m *metrics) attendees(count func(ctx context.Context, window time.Duration) (int64, error)) {
	m.count("authlab_workshop_attendees", "Workshop attendees active in the last five minutes.",
		func(ctx context.Context) (int64, error) { return count(ctx, 5*time.Minute) })
}

// count adds a gauge that asks the store at each scrape, for a second at
// most; a failed count reads 0 rather than failing the scrape.
func (m *metrics) count(name, help string, count func(context.Context) (int64, error)) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := count(ctx)
		return float64(n)
	}))
}

// observe counts every request by its route pattern (never the raw
// path: that would let clients create unbounded label values).
func (m *metrics) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		stream := strings.HasSuffix(c.Request.URL.Path, "/events") || strings.Contains(c.GetHeader("Accept"), "text/event-stream")
		if stream {
			m.streams.Inc()
			defer m.streams.Dec()
		}
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		if !stream {
			m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
	}
}

// Metrics serves the server's Prometheus metrics. It is not a route of
// the site: run serves it on --metrics-addr, a listener of its own, so the
// public never sees request counts, pool gauges or the Go runtime's state.
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}
