package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestCreateLabSetsTheSessionCookieOnce: a first POST /lab makes a guest
// and a lab behind one site session; the answer sets that cookie once,
// not once per save.
func TestCreateLabSetsTheSessionCookieOnce(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	r := cl.do("POST", "/lab", url.Values{"panel": {"twin-login"}}, "Accept", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("POST /lab: %d %s", r.status, r.body)
	}
	names := map[string]int{}
	for _, line := range r.header.Values("Set-Cookie") {
		name, _, _ := strings.Cut(line, "=")
		names[name]++
	}
	for name, n := range names {
		if n > 1 {
			t.Errorf("POST /lab sets cookie %s %d times: %q", name, n, r.header.Values("Set-Cookie"))
		}
	}
	if names[env.srv.sessions.name] != 1 {
		t.Errorf("POST /lab set no site session cookie: %q", r.header.Values("Set-Cookie"))
	}
	// The one cookie carries both the guest and the lab.
	again := cl.do("POST", "/lab", url.Values{"reuse": {"1"}, "panel": {"twin-login"}}, "Accept", "application/json")
	if again.status != http.StatusCreated || again.body != r.body {
		t.Errorf("reopening the lab with the one cookie: %d %s, want %s", again.status, again.body, r.body)
	}
}
