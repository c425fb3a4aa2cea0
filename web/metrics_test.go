package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsAndRequestID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	slug := env.catalog.Lessons[0].Slug
	a := env.do(t, "GET", "/lessons/"+slug, nil)
	b := env.do(t, "GET", "/lessons/"+slug, nil, "X-Request-ID", "spoofed-by-client-123")
	idA, idB := a.Header().Get("X-Request-ID"), b.Header().Get("X-Request-ID")
	if len(idA) != 16 || idA == idB || idB == "spoofed-by-client-123" {
		t.Errorf("request IDs %q %q (a client without a trusted proxy cannot choose it)", idA, idB)
	}
	env.do(t, "GET", "/no/such/page", nil)
	rec := httptest.NewRecorder()
	env.srv.Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	m := rec.Body.String()
	for _, want := range []string{
		`authlab_http_requests_total{method="GET",route="/lessons/:slug",status="200"} 2`,
		`authlab_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`authlab_http_request_duration_seconds_bucket{route="/lessons/:slug"`,
		"authlab_sse_streams_active 0", "authlab_db_open_connections", "authlab_labs 0", "authlab_workshop_attendees 0", "go_goroutines",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(m, "/no/such/page") {
		t.Error("a raw path became a metric label")
	}
	if code := env.do(t, "GET", "/metrics", nil).Code; code != 404 {
		t.Errorf("GET /metrics on the site answered %d, want 404: metrics have a listener of their own", code)
	}
}
