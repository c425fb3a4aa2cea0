package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/siteauth"
)

// TestSessionsPageShowsAddressWithoutPort: a session made by signing in
// shows the client's address as every other session does, without the
// port of the connection it came on.
func TestSessionsPageShowsAddressWithoutPort(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	hash, err := siteauth.NewHasher(0).Hash("a long learner password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.NewAccount(context.Background(), "ada", "", hash, false); err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, ts)
	if r := cl.signin("ada", "a long learner password"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.status)
	}
	page := cl.do("GET", "/account/sessions", nil)
	if page.status != http.StatusOK || !strings.Contains(page.body, "127.0.0.1") {
		t.Fatalf("sessions page: %d\n%.2000s", page.status, page.body)
	}
	if m := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(page.body); m != "" {
		t.Errorf("the sessions page shows the connection's port: %s", m)
	}
}
