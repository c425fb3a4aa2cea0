package sandbox

import (
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	d, err := DecodeJWT(tok)
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := d.Header["kid"].(string)
	return kid
}

type jwks struct {
	Keys []struct{ Kty, Crv, X, N, E, Kid, Alg string } `json:"keys"`
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.put("settings", map[string]any{"alg": "EdDSA"}), http.StatusOK)
	aliceTok := e.tokenLogin().AccessToken
	oldKid := kidOf(t, aliceTok)

	// The JWKS holds the key that verifies alice's token, and a
	// stranger (a gateway) may fetch it.
	rec := e.do(req{method: http.MethodGet, path: ".well-known/jwks.json", owner: ptr("")})
	want(t, rec, http.StatusOK)
	set := decode[jwks](t, rec)
	i := slices.IndexFunc(set.Keys, func(k struct{ Kty, Crv, X, N, E, Kid, Alg string }) bool { return k.Kid == oldKid })
	if i < 0 {
		t.Fatalf("JWKS lacks kid %s: %+v", oldKid, set)
	}
	x, _ := base64.RawURLEncoding.DecodeString(set.Keys[i].X)
	if _, err := jwt.Parse(aliceTok, func(*jwt.Token) (any, error) { return ed25519.PublicKey(x), nil }, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithoutClaimsValidation()); err != nil {
		t.Errorf("a gateway with only the JWKS cannot verify the token: %v", err)
	}

	// Rotate: bob's new token has a new kid; alice's old one verifies.
	rec = e.post("keys/rotate", nil)
	want(t, rec, http.StatusOK)
	e.wantMilestone(msRotRotate)
	rec = e.post("token/login", map[string]string{"username": "bob", "password": "builder"})
	want(t, rec, http.StatusOK)
	bobTok := decode[tokenPair](t, rec).AccessToken
	if kidOf(t, bobTok) == oldKid {
		t.Fatal("the new token kept the old kid")
	}
	want(t, e.get("api/me", bearerH(aliceTok)...), http.StatusOK)
	e.wantMilestone(msRotOldVerifies)
	if set := decode[jwks](t, e.get(".well-known/jwks.json")); len(set.Keys) != 2 {
		t.Errorf("after a rotation the JWKS has %d keys, want 2 (new and previous)", len(set.Keys))
	}

	// The current key cannot be retired gracefully.
	if rec := e.post("keys/retire", map[string]any{"kid": kidOf(t, bobTok)}); rec.Code != http.StatusConflict {
		t.Errorf("retiring the current key: %d", rec.Code)
	}
	// Compromised: alice's token dies at once, bob's lives.
	want(t, e.post("keys/retire", map[string]any{"kid": oldKid, "compromised": true}), http.StatusOK)
	rec = e.get("api/me", bearerH(aliceTok)...)
	if rec.Code != 401 || reasonOf(t, rec) != reasonKeyRetired {
		t.Errorf("a token of a compromised key: %d %s", rec.Code, rec.Body)
	}
	e.wantMilestone(msRotRetired)
	want(t, e.get("api/me", bearerH(bobTok)...), http.StatusOK)
	if set := decode[jwks](t, e.get(".well-known/jwks.json")); len(set.Keys) != 1 {
		t.Errorf("after retiring, the JWKS has %d keys", len(set.Keys))
	}
	if rec := e.post("keys/retire", map[string]any{"kid": oldKid}); rec.Code != http.StatusNotFound {
		t.Errorf("retiring twice: %d", rec.Code)
	}
}

// A compromised current key is rotated out and dropped in one step.
func TestKeyRotationCompromisedCurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.tokenLogin().AccessToken // HS256
	rec := e.post("keys/retire", map[string]any{"kid": kidOf(t, tok), "compromised": true})
	want(t, rec, http.StatusOK)
	if decode[struct {
		NewKid string `json:"new_kid"`
	}](t, rec).NewKid == "" {
		t.Error("no new kid after retiring the current key")
	}
	if rec := e.get("api/me", bearerH(tok)...); rec.Code != 401 {
		t.Errorf("a token of the compromised key: %d", rec.Code)
	}
	want(t, e.get("api/me", bearerH(e.tokenLogin().AccessToken)...), http.StatusOK)
	keys := decode[struct{ Keys []keyView }](t, e.get("keys")).Keys
	if !slices.ContainsFunc(keys, func(k keyView) bool { return k.Status == "compromised" }) {
		t.Errorf("keys view: %+v", keys)
	}
	for _, body := range []any{map[string]any{}, "{"} {
		if rec := e.post("keys/retire", body); rec.Code != 400 {
			t.Errorf("retire %v: %d", body, rec.Code)
		}
	}
}

// Rotation holds across replicas: the rotated key is in the snapshot.
func TestKeyRotationReplicas(t *testing.T) {
	t.Parallel()
	p := NewMemoryPersister()
	e2 := newEnv(t, func(o *Options) { o.Persist = p })
	other := New(Options{Persist: p, Now: e2.clock.Now})
	tok := e2.tokenLogin().AccessToken
	want(t, e2.post("keys/rotate", nil), http.StatusOK)
	want(t, e2.on(other).get("api/me", bearerH(tok)...), http.StatusOK)
	want(t, e2.post("keys/retire", map[string]any{"kid": kidOf(t, tok)}), http.StatusOK)
	if rec := e2.on(other).get("api/me", bearerH(tok)...); rec.Code != 401 {
		t.Errorf("the other replica still trusts a retired key: %d", rec.Code)
	}
}

// The key-rotation lab opens on EdDSA, so its first step can be done:
// the key that signs the learner's token is in the JWKS. On HS256 it is
// not (a shared secret is never published), and the step does not tick.
func TestKeyRotationJWKSStep(t *testing.T) {
	t.Parallel()
	base := newEnv(t)
	e := panelEnv(t, base, "key-rotation")
	tok := e.tokenLogin().AccessToken
	if d, err := DecodeJWT(tok); err != nil || d.Header["alg"] != "EdDSA" {
		t.Fatalf("the key-rotation lab does not open on EdDSA: %v %v", d, err)
	}
	rec := e.get(".well-known/jwks.json")
	want(t, rec, http.StatusOK)
	if !slices.ContainsFunc(decode[jwks](t, rec).Keys, func(k struct{ Kty, Crv, X, N, E, Kid, Alg string }) bool { return k.Kid == kidOf(t, tok) }) {
		t.Errorf("the JWKS lacks the token's kid %s", kidOf(t, tok))
	}
	e.wantMilestone(msRotJWKS)
	// A reset keeps the panel's opening algorithm.
	want(t, e.post("reset", nil), http.StatusOK)
	if d, _ := DecodeJWT(e.tokenLogin().AccessToken); d == nil || d.Header["alg"] != "EdDSA" {
		t.Errorf("after a reset the key-rotation lab signs with %v", d)
	}

	// On HS256 the token's kid is never in the set: no tick.
	hs := newEnv(t)
	hsTok := hs.tokenLogin().AccessToken
	rec = hs.get(".well-known/jwks.json")
	want(t, rec, http.StatusOK)
	if slices.ContainsFunc(decode[jwks](t, rec).Keys, func(k struct{ Kty, Crv, X, N, E, Kid, Alg string }) bool { return k.Kid == kidOf(t, hsTok) }) {
		t.Fatal("an HS256 key was published")
	}
	if got := hs.lastMilestones(); slices.Contains(got, msRotJWKS) {
		t.Errorf("the JWKS step ticked on HS256, where the token's kid is not in the set")
	}
	if x := hs.trace(); !strings.Contains(x[len(x)-1].Verdict, "never published") {
		t.Errorf("the verdict does not say why: %q", x[len(x)-1].Verdict)
	}
}

// A key marked compromised keeps its algorithm in the key list.
func TestKeyRotationCompromisedKeepsAlg(t *testing.T) {
	t.Parallel()
	e := panelEnv(t, newEnv(t), "key-rotation")
	kid := kidOf(t, e.tokenLogin().AccessToken)
	want(t, e.post("keys/rotate", nil), http.StatusOK)
	want(t, e.post("keys/retire", map[string]any{"kid": kid, "compromised": true}), http.StatusOK)
	keys := decode[struct{ Keys []keyView }](t, e.get("keys")).Keys
	i := slices.IndexFunc(keys, func(k keyView) bool { return k.Kid == kid })
	if i < 0 || keys[i].Status != "compromised" || keys[i].Alg != "EdDSA" {
		t.Errorf("the compromised key's row: %+v", keys)
	}
}
