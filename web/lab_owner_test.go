package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestLabOwnerBound: a request the sandbox answers trusts the owner it
// looked up in the site session for labOwnerTTL and no longer. Once the
// site session is revoked, the owner's lab routes (the trace, which only
// the owner may read) stay open until the bound and answer 404, as to a
// stranger, from then on; the site's own pages see the revocation at once.
func TestLabOwnerBound(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	alice := newClient(t, ts)
	if r := alice.signup("owner_bound", "owner bound password"); r.status != http.StatusSeeOther {
		t.Fatalf("sign up: %d", r.status)
	}
	id, _ := newLab(t, alice, "twin-login")
	trace := "/lab/" + id + "/trace"
	var clock atomic.Int64 // the server's clock, which the test moves (read by the server's goroutines)
	clock.Store(time.Now().UnixNano())
	env.srv.sessions.now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	if r := alice.do("GET", trace, nil); r.status != http.StatusOK {
		t.Fatalf("the owner's trace: %d", r.status)
	}
	l, err := env.store.LearnerByUsername(context.Background(), "owner_bound")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.DeleteLearnerSessions(context.Background(), l.ID, ""); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(labOwnerTTL - time.Millisecond))
	if r := alice.do("GET", trace, nil); r.status != http.StatusOK {
		t.Errorf("within the bound the looked-up owner is trusted: %d", r.status)
	}
	clock.Add(int64(time.Millisecond))
	if r := alice.do("GET", trace, nil); r.status != http.StatusNotFound {
		t.Errorf("at the bound the revoked session must no longer open the owner's trace: %d, want 404", r.status)
	}
	// (This clears the dead cookie, so it comes last.)
	if r := alice.do("GET", "/account/sessions", nil); r.status == http.StatusOK {
		t.Errorf("a site page after the revocation: %d, want a redirect to sign in", r.status)
	}
}
