package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type opaqueTokens struct {
	Opaque string `json:"opaque_token"`
	JWT    string `json:"access_token"`
	Paseto string `json:"paseto"`
}

func TestOpaqueVsJWT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.post("opaque/login", alice)
	want(t, rec, http.StatusOK)
	tk := decode[opaqueTokens](t, rec)
	if _, err := DecodeJWT(tk.Opaque); err == nil || !strings.HasPrefix(tk.Paseto, "v4.public.") {
		t.Fatalf("tokens %+v", tk)
	}
	via := func(tok string) (int, string, []string) {
		rec := e.get("opaque/me", bearerH(tok)...)
		xs := e.trace()
		var v struct{ Via, Reason string }
		decodeInto(t, rec.Body.Bytes(), &v)
		return rec.Code, v.Via + v.Reason, xs[len(xs)-1].Milestones
	}
	for _, c := range []struct{ tok, via, ms string }{{tk.Opaque, "opaque", msOpqIntrospect}, {tk.JWT, "jwt", msOpqJWT}, {tk.Paseto, "paseto", msOpqPaseto}} {
		if code, v, ms := via(c.tok); code != 200 || v != c.via || !slices.Contains(ms, c.ms) {
			t.Errorf("%s: %d %s %v", c.via, code, v, ms)
		}
	}
	// Introspection (RFC 7662), from anyone holding the lab ID.
	rec = e.do(req{method: http.MethodPost, path: "opaque/introspect", body: "token=" + tk.Opaque, header: []string{"Content-Type", "application/x-www-form-urlencoded"}, owner: ptr("")})
	if want(t, rec, 200); !strings.Contains(rec.Body.String(), `"active":true`) || !strings.Contains(rec.Body.String(), `"sub":"alice"`) {
		t.Errorf("introspection %s", rec.Body)
	}
	// Revoke: the opaque token dies at once, the JWT of the same login lives.
	want(t, e.post("opaque/revoke", map[string]string{"token": tk.Opaque}), http.StatusOK)
	if code, v, ms := via(tk.Opaque); code != 401 || v != reasonTokenRevoked || !slices.Contains(ms, msOpqRevoked) {
		t.Errorf("revoked opaque: %d %s %v", code, v, ms)
	}
	if code, _, ms := via(tk.JWT); code != 200 || !slices.Contains(ms, msOpqJWTLives) {
		t.Errorf("JWT after revoking the opaque token: %d %v", code, ms)
	}
	if rec := e.post("opaque/introspect", map[string]string{"token": tk.Opaque}); !strings.Contains(rec.Body.String(), `"active":false`) {
		t.Errorf("introspecting a revoked token: %s", rec.Body)
	}
	// RFC 7009: revoking an unknown token is still 200.
	want(t, e.post("opaque/revoke", map[string]string{"token": "nope"}), http.StatusOK)
	// A changed PASETO token fails; expiry applies to all three.
	bad := []byte(tk.Paseto)
	bad[15] ^= 2
	if code, _, _ := via(string(bad)); code != 401 {
		t.Errorf("changed PASETO: %d", code)
	}
	want(t, e.post("clock", map[string]string{"advance": "10m"}), http.StatusOK)
	if code, _, _ := via(tk.Paseto); code != 401 {
		t.Errorf("expired PASETO: %d", code)
	}
	for _, body := range []any{map[string]string{}, "{"} {
		if rec := e.post("opaque/introspect", body); rec.Code != 400 {
			t.Errorf("introspect %v: %d", body, rec.Code)
		}
	}
	if rec := e.get("opaque/me"); rec.Code != 401 {
		t.Errorf("no token: %d", rec.Code)
	}
}

// An opaque token or PASETO of one lab means nothing in another.
func TestOpaqueIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other, err := e.m.Create(t.Context(), "learner-2")
	if err != nil {
		t.Fatal(err)
	}
	o := *e
	o.owner, o.id = "learner-2", other.ID
	tk := decode[opaqueTokens](t, e.post("opaque/login", alice))
	decode[opaqueTokens](t, o.post("opaque/login", alice))
	for _, tok := range []string{tk.Opaque, tk.JWT, tk.Paseto} {
		if rec := o.get("opaque/me", bearerH(tok)...); rec.Code != 401 {
			t.Errorf("a token of one lab worked in another: %d %s", rec.Code, rec.Body)
		}
	}
}

func decodeInto(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
}

// opaque/me times the check alone, each way — a signature check for the
// JWT and the PASETO, the introspection lookup for the opaque token —
// instead of leaving the learner to compare whole-request noise.
func TestOpaqueMeTimesTheCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.post("opaque/login", alice)
	want(t, rec, http.StatusOK)
	tk := decode[opaqueTokens](t, rec)
	for _, c := range []struct{ tok, what string }{{tk.Opaque, "introspection lookup"}, {tk.JWT, "JWT check"}, {tk.Paseto, "PASETO check"}} {
		rec := e.get("opaque/me", bearerH(c.tok)...)
		want(t, rec, http.StatusOK)
		var a struct{ Check checkTime }
		decodeInto(t, rec.Body.Bytes(), &a)
		if a.Check.NsPerOp <= 0 || a.Check.Runs < costMinRuns || !strings.Contains(a.Check.What, c.what) {
			t.Errorf("%s: the check's own time is missing: %s", c.what, rec.Body)
		}
		xs := e.trace()
		if v := xs[len(xs)-1].Verdict; !strings.Contains(v, "timed alone") {
			t.Errorf("%s: the verdict does not give the check's time: %q", c.what, v)
		}
	}
}
