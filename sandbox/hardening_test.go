package sandbox

import (
	"strings"
	"testing"
)

// TestClockIsBounded: many maximal advances once wrapped the lab clock's
// offset into the past (3,600 × 720h overflows a time.Duration); the
// clock now stops at maxOffset with a 400 that says why and what to do.
func TestClockIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	steps := int(maxOffset / maxAdvance)
	for i := 0; i < steps; i++ {
		want(t, e.post("clock", map[string]string{"advance": "720h"}), 200)
	}
	res := e.post("clock", map[string]string{"advance": "720h"})
	want(t, res, 400)
	if body := res.Body.String(); !strings.Contains(body, "reset the lab") {
		t.Errorf("the refusal does not say what to do: %s", body)
	}
	got := decode[struct{ Offset string }](t, e.post("clock", map[string]string{"advance": "1h"}))
	if got.Offset == "" || strings.HasPrefix(got.Offset, "-") {
		t.Errorf("offset %q after the limit", got.Offset)
	}
}

// TestLabCookiesHonourSecureCookies: behind a TLS-terminating proxy the
// request reaching the lab is plain HTTP, yet its cookies must be Secure
// when the server runs with --secure-cookies, as the site's are.
func TestLabCookiesHonourSecureCookies(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		e := newEnv(t, func(o *Options) { o.SecureCookies = secure })
		res := e.post("session/login", map[string]string{"username": "alice", "password": "wonderland"})
		want(t, res, 200)
		set := res.Header().Get("Set-Cookie")
		if set == "" || strings.Contains(set, "; Secure") != secure {
			t.Errorf("SecureCookies %v: Set-Cookie %q", secure, set)
		}
	}
}
