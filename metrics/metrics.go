package metrics

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Set is the server's metrics and the registry they are on.
type Set struct {
	Registry *prometheus.Registry
	Requests *prometheus.CounterVec   // by route pattern, method and status
	Latency  *prometheus.HistogramVec // by route pattern, streams excluded
	Streams  prometheus.Gauge         // open server-sent event streams
}

// DBStatser is what the pool gauges read.
type DBStatser interface{ DBStats() sql.DBStats }

// LabCounter counts live labs for the lab gauge.
type LabCounter interface {
	CountLabs(ctx context.Context) (int64, error)
}

// New is the metrics of one server; db and labs may be nil, which leaves
// out their gauges.
func New(db DBStatser, labs LabCounter) *Set {
	m := &Set{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authlab_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "authlab_http_request_duration_seconds", Help: "Time to answer, by route pattern (streams excluded).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		Streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "authlab_sse_streams_active", Help: "Open server-sent event streams.",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.Streams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		pool := func(name, help string, f func(sql.DBStats) float64) {
			m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "authlab_db_" + name, Help: help},
				func() float64 { return f(db.DBStats()) }))
		}
		pool("open_connections", "Open database connections.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) })
		pool("in_use_connections", "Database connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) })
		pool("idle_connections", "Idle database connections.", func(s sql.DBStats) float64 { return float64(s.Idle) })
		pool("wait_count", "Waits for a database connection, in total.", func(s sql.DBStats) float64 { return float64(s.WaitCount) })
		pool("wait_seconds", "Time spent waiting for a connection, in total.", func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() })
	}
	if labs != nil {
		m.Count("authlab_labs", "Live labs (lab states in the store).", labs.CountLabs)
	}
	return m
}

// Attendees adds the gauge of workshop attendees active in the last
// five minutes.
func (m *Set) Attendees(count func(ctx context.Context, window time.Duration) (int64, error)) {
	m.Count("authlab_workshop_attendees", "Workshop attendees active in the last five minutes.",
		func(ctx context.Context) (int64, error) { return count(ctx, 5*time.Minute) })
}

// Count adds a gauge that asks the store at each scrape, for a second at
// most; a failed count reads 0 rather than failing the scrape.
func (m *Set) Count(name, help string, count func(context.Context) (int64, error)) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := count(ctx)
		return float64(n)
	}))
}
