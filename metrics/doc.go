// Package metrics holds the server's Prometheus metrics on a registry of
// its own (no global state: two servers in one test process do not
// collide): request counts and latency by route pattern, open event
// streams, the Go runtime and the process, the database pool, and gauges
// that ask the store at each scrape (live labs, workshop attendees). It
// knows nothing of HTTP; web counts its requests into it and serves the
// registry on the metrics listener.
package metrics
