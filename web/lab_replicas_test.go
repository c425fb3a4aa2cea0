package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestLabRevocationAcrossReplicas: two servers over one database are two
// replicas behind a load balancer. Each keeps the lab's decoded state
// between requests (sandbox/persist.go, StampedPersister); a lab session
// revoked, or a lab token logged out onto the deny-list, through one is
// refused by the other on its very next request.
func TestLabRevocationAcrossReplicas(t *testing.T) {
	t.Parallel()
	db, keysDir := replicaDB(t), t.TempDir()
	tsA := httptest.NewServer(newTestEnvOver(t, db, keysDir).srv)
	defer tsA.Close()
	tsB := httptest.NewServer(newTestEnvOver(t, db, keysDir).srv)
	defer tsB.Close()
	a := newClient(t, tsA)
	a.signup("replica_lab", "replica lab password")
	b := &client{t: t, base: tsB.URL, hc: a.hc} // the same browser, through the other replica
	id, _ := newLab(t, a, "twin-login")
	base := "/lab/" + id + "/"
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}

	r := a.do("POST", base+"session/login", creds)
	if r.status != http.StatusOK {
		t.Fatalf("lab session login on A: %d %s", r.status, r.body)
	}
	sid := ""
	for _, line := range r.header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(strings.Split(line, ";")[0], "lab_sid="); ok {
			sid = v
		}
	}
	if sid == "" {
		t.Fatalf("no lab_sid in %q", r.header.Values("Set-Cookie"))
	}
	for i := range 3 { // B decodes the lab once, then reuses it
		if r := b.do("GET", base+"api/me", nil); r.status != http.StatusOK {
			t.Fatalf("api/me on B (%d): %d %s", i, r.status, r.body)
		}
	}
	if r := a.do("DELETE", base+"sessions/"+sid, nil); r.status != http.StatusOK {
		t.Fatalf("revoke on A: %d %s", r.status, r.body)
	}
	if r := b.do("GET", base+"api/me", nil); r.status != http.StatusUnauthorized {
		t.Errorf("B after A revoked the lab session: %d, want 401", r.status)
	}

	// The deny-list: switched on through B, a token from B logged out
	// through A, refused by B at once.
	put, _ := http.NewRequest("PUT", tsB.URL+base+"settings", strings.NewReader(`{"denylist":true}`))
	put.Header.Set("Content-Type", "application/json")
	if resp, err := a.hc.Do(put); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("settings on B: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	r = b.do("POST", base+"token/login", creds)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(r.body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token login on B: %d %s", r.status, r.body)
	}
	auth := []string{"Authorization", "Bearer " + tok.AccessToken}
	for range 2 {
		if r := b.do("GET", base+"api/me", nil, auth...); r.status != http.StatusOK {
			t.Fatalf("api/me with the token on B: %d %s", r.status, r.body)
		}
	}
	if r := a.do("POST", base+"token/logout", nil, auth...); r.status != http.StatusOK || !strings.Contains(r.body, `"revoked":true`) {
		t.Fatalf("token logout on A: %d %s", r.status, r.body)
	}
	if r := b.do("GET", base+"api/me", nil, auth...); r.status != http.StatusUnauthorized {
		t.Errorf("B after A denied the token: %d, want 401", r.status)
	}
}
