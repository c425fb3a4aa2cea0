package sandbox

import (
	"net/http"
	"testing"
	"time"
)

// TestVerifiedTokenExpires: a token the lab has verified before is
// remembered with its snapshot, and still refused once its exp passes,
// though nothing in the lab changed meanwhile.
func TestVerifiedTokenExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.put("settings", map[string]any{"token_ttl": "5s"}), http.StatusOK)
	pair := e.tokenLogin()
	for range 3 {
		want(t, e.get("api/me", bearerH(pair.AccessToken)...), http.StatusOK)
	}
	e.clock.Advance(6 * time.Second) // less than the idle slack: the snapshot stays
	rec := e.get("api/me", bearerH(pair.AccessToken)...)
	want(t, rec, http.StatusUnauthorized)
	if r := reasonOf(t, rec); r != reasonTokenExpired {
		t.Errorf("reason %q, want %q", r, reasonTokenExpired)
	}
}
