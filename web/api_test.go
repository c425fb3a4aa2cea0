package web

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/siteauth"
	"github.com/golang-jwt/jwt/v5"
)

// apiCall sends a JSON request through the real handler.
func apiCall(t testing.TB, env *testEnv, method, path, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out, rec.Header()
}

func newAccount(t testing.TB, env *testEnv, name, pw string) string {
	t.Helper()
	hash, err := siteauth.NewHasher(0).Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	l, err := env.store.NewAccount(context.Background(), name, "", hash, false)
	if err != nil {
		t.Fatal(err)
	}
	return l.ID
}

func login(t testing.TB, env *testEnv, name, pw string) (access, refresh string) {
	t.Helper()
	code, out, hdr := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": name, "password": pw})
	if code != 200 {
		t.Fatalf("token: %d %v", code, out)
	}
	if out["token_type"] != "Bearer" || out["expires_in"].(float64) != 900 || hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("token response: %v (Cache-Control %q)", out, hdr.Get("Cache-Control"))
	}
	return out["access_token"].(string), out["refresh_token"].(string)
}

func TestAPITokenFlow(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	id := newAccount(t, env, "api_user", "api password 1")
	access, refresh := login(t, env, "api_user", "api password 1")
	// A wrong password is an invalid grant (RFC 6749 §5.2): 400, not 401.
	if code, out, hdr := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": "api_user", "password": "not the password"}); code != 400 || out["error"] != "invalid_grant" || hdr.Get("WWW-Authenticate") != "" {
		t.Errorf("wrong password: %d %v (WWW-Authenticate %q), want 400 invalid_grant", code, out, hdr.Get("WWW-Authenticate"))
	}

	code, me, _ := apiCall(t, env, "GET", "/api/v1/me", access, nil)
	if code != 200 || me["id"] != id || me["username"] != "api_user" {
		t.Fatalf("me: %d %v", code, me)
	}
	tok, _, _ := jwt.NewParser().ParseUnverified(access, jwt.MapClaims{})
	claims := tok.Claims.(jwt.MapClaims)
	for _, k := range []string{"iss", "aud", "sub", "iat", "exp", "jti", "sid"} {
		if _, ok := claims[k]; !ok {
			t.Errorf("access token lacks %s", k)
		}
	}
	if tok.Header["alg"] != "EdDSA" || tok.Header["kid"] == "" {
		t.Errorf("header %v", tok.Header)
	}

	// Rotation: the old refresh token is spent.
	code, pair, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh})
	if code != 200 || pair["refresh_token"] == refresh {
		t.Fatalf("refresh: %d %v", code, pair)
	}
	newRefresh := pair["refresh_token"].(string)
	// Reuse: the old one again revokes the family, including the new one.
	code, out, hdr := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh})
	// RFC 6749 §5.2: a token-endpoint error is 400 invalid_grant, not 401.
	if code != 400 || out["error"] != "invalid_grant" || !strings.Contains(out["message"].(string), "already used") || hdr.Get("WWW-Authenticate") != "" {
		t.Fatalf("reuse: %d %v (WWW-Authenticate %q)", code, out, hdr.Get("WWW-Authenticate"))
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": newRefresh}); code != 400 || out["error"] != "invalid_grant" {
		t.Errorf("the family's newest token after reuse: %d %v, want 400 invalid_grant", code, out)
	}

	// Logout denies the access token's jti.
	access2, refresh2 := login(t, env, "api_user", "api password 1")
	if code, _, _ := apiCall(t, env, "POST", "/api/v1/logout", access2, map[string]string{"refresh_token": refresh2}); code != 200 {
		t.Fatalf("logout: %d", code)
	}
	code, out, _ = apiCall(t, env, "GET", "/api/v1/me", access2, nil)
	if code != 401 || !strings.Contains(out["message"].(string), "revoked") {
		t.Errorf("access token after logout: %d %v", code, out)
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh2}); code != 400 || out["error"] != "invalid_grant" {
		t.Errorf("refresh token after logout: %d %v, want 400 invalid_grant", code, out)
	}
	// The reused sign-in's access token died with it; a new sign-in works.
	if code, _, _ := apiCall(t, env, "GET", "/api/v1/progress", access, nil); code != 401 {
		t.Errorf("progress with an access token of a sign-in revoked by reuse: %d", code)
	}
	access3, _ := login(t, env, "api_user", "api password 1")
	if code, out, _ := apiCall(t, env, "GET", "/api/v1/progress", access3, nil); code != 200 || out["lessons"] == nil {
		t.Errorf("progress: %d %v", code, out)
	}
	if code, out, _ := apiCall(t, env, "GET", "/api/v1/lessons", "", nil); code != 200 || len(out["lessons"].([]any)) != len(env.catalog.Lessons) {
		t.Errorf("lessons: %d", code)
	}
}

func TestAPIRefusesBadTokens(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	id := newAccount(t, env, "victim", "victim password")
	good, _ := login(t, env, "victim", "victim password")
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding

	past := func() time.Time { return time.Now().Add(-time.Hour) }
	expired, _, _ := siteauth.NewIssuer(env.keys, "authlab", apiAudience, time.Minute, past).Issue(id)
	wrongAud, _, _ := siteauth.NewIssuer(env.keys, "authlab", "someone-else", 0, nil).Issue(id)
	wrongIss, _, _ := siteauth.NewIssuer(env.keys, "https://evil.example", apiAudience, 0, nil).Issue(id)
	payload, _ := b64.DecodeString(parts[1])
	var pl map[string]any
	json.Unmarshal(payload, &pl)
	pl["sub"] = "admin"
	forged, _ := json.Marshal(pl)
	tampered := parts[0] + "." + b64.EncodeToString(forged) + "." + parts[2]
	none := b64.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	pub := env.keys.Signing().Public()
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(pl))
	hs.Header["kid"] = env.keys.Signing().ID
	confused, _ := hs.SignedString([]byte(pub))
	_, other, _ := ed25519.GenerateKey(nil)
	foreign := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims(pl))
	foreign.Header["kid"] = env.keys.Signing().ID
	foreignSigned, _ := foreign.SignedString(other)

	for name, tok := range map[string]string{
		"expired": expired, "wrong aud": wrongAud, "wrong iss": wrongIss, "tampered": tampered,
		"alg none": none, "HS256 with the public key": confused, "another key": foreignSigned,
		"garbage": "not.a.token", "huge": strings.Repeat("a", 5000),
	} {
		code, out, hdr := apiCall(t, env, "GET", "/api/v1/me", tok, nil)
		if code != 401 || out["error"] != "invalid_token" || !strings.Contains(hdr.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("%s: %d %v %q", name, code, out, hdr.Get("WWW-Authenticate"))
		}
	}
	for _, h := range []string{"", "Basic dXNlcjpwYXNz", "Bearer", "Bearer "} {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != 401 || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d", h, rec.Code)
		}
	}
}

func TestAPIMalformedBodies(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, tc := range []struct{ ctype, body string }{
		{"application/json", "{"}, {"application/json", `{"username": 5}`}, {"text/plain", `{}`},
		{"application/json", `{"username":"a","password":"b","extra":1}`}, {"application/json", `{} {}`},
		{"application/json", `{"username":"` + strings.Repeat("x", 20000) + `"}`}, {"application/json", `{}`},
	} {
		for _, path := range []string{"/api/v1/token", "/api/v1/token/refresh"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			rec := httptest.NewRecorder()
			env.srv.ServeHTTP(rec, req)
			if rec.Code < 400 || rec.Code >= 500 || !strings.Contains(rec.Body.String(), `"message"`) {
				t.Errorf("%s %q: %d %s", path, tc.body, rec.Code, rec.Body.String())
			}
		}
	}
}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	rec := env.do(t, "GET", "/api/v1/openapi.json", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range env.srv.engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && !strings.HasPrefix(r.Path, "/.well-known/") {
			continue
		}
		n++
		if _, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, r.Path)
		}
	}
	if n < 7 {
		t.Errorf("only %d API routes found", n)
	}
}

// TestJWKSVerifiesInNode: another ecosystem (Node's own crypto, no
// library) verifies an access token from the JWKS alone.
func TestJWKSVerifiesInNode(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping the cross-ecosystem JWKS check")
	}
	env := newTestEnv(t)
	newAccount(t, env, "jose_user", "jose password")
	access, _ := login(t, env, "jose_user", "jose password")
	jwks := env.do(t, "GET", "/.well-known/jwks.json", nil).Body.String()
	script := `
const crypto = require("crypto");
const [jwks, token] = [JSON.parse(process.argv[2]), process.argv[3]];
const [h, p, s] = token.split(".");
const header = JSON.parse(Buffer.from(h, "base64url"));
const jwk = jwks.keys.find(k => k.kid === header.kid);
if (!jwk || header.alg !== "EdDSA") { console.log("no key"); process.exit(1); }
const key = crypto.createPublicKey({ key: jwk, format: "jwk" });
const ok = crypto.verify(null, Buffer.from(h + "." + p), key, Buffer.from(s, "base64url"));
console.log(ok ? "valid " + JSON.parse(Buffer.from(p, "base64url")).sub : "invalid");
`
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "verify.js"), []byte(script), 0o644)
	out, err := exec.Command(node, filepath.Join(dir, "verify.js"), jwks, access).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "valid ") {
		t.Fatalf("node could not verify our token from the JWKS: %v %s", err, out)
	}
	bad := access[:len(access)-4] + "AAAA"
	out, _ = exec.Command(node, filepath.Join(dir, "verify.js"), jwks, bad).CombinedOutput()
	if !strings.HasPrefix(string(out), "invalid") {
		t.Errorf("node accepted a tampered signature: %s", out)
	}
}

func FuzzBearer(f *testing.F) {
	env := newTestEnv(f)
	for _, s := range []string{"Bearer x.y.z", "Bearer eyJhbGciOiJub25lIn0.e30.", "bearer  ", "Bearer " + strings.Repeat(".", 10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header["Authorization"] = []string{h}
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Fatalf("Authorization %q: %d", h, rec.Code)
		}
	})
}

func FuzzSiteCookie(f *testing.F) {
	env := newTestEnv(f)
	f.Add("MTcwMDAwMDAwMHxabc|def")
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		req := httptest.NewRequest("GET", "/account/sessions", nil)
		req.Header.Set("Cookie", siteCookie+"="+v)
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("cookie %q: %d", v, rec.Code)
		}
	})
}

// Logging out with the access token alone ends its sign-in: the refresh
// token a client forgot to send can no longer mint pairs, while another
// sign-in of the same account (another device) lives on.
func TestAPILogoutEndsTheTokensSignIn(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	newAccount(t, env, "api_leaver", "api password 1")
	access, refresh := login(t, env, "api_leaver", "api password 1")
	otherAccess, otherRefresh := login(t, env, "api_leaver", "api password 1")
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/logout", access, nil); code != 200 || out["revoked"] != true {
		t.Fatalf("logout without a body: %d %v", code, out)
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh}); code != 400 || out["error"] != "invalid_grant" {
		t.Errorf("the logged-out sign-in's refresh token: %d %v, want 400 invalid_grant", code, out)
	}
	if code, _, _ := apiCall(t, env, "GET", "/api/v1/me", otherAccess, nil); code != 200 {
		t.Errorf("the other device's access token: %d, want 200", code)
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": otherRefresh}); code != 200 {
		t.Errorf("the other device's refresh token: %d %v, want 200", code, out)
	}
}

// The API takes a username as the sign-in form does: spaces copied
// around it are no part of it.
func TestAPITokenTrimsTheUsername(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	newAccount(t, env, "api_spacey", "api password 1")
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": " api_spacey\t", "password": "api password 1"}); code != 200 {
		t.Errorf("a username with spaces around it: %d %v, want 200 as on /signin", code, out)
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": "  ", "password": "api password 1"}); code != 400 || out["error"] != "invalid_request" {
		t.Errorf("a username of spaces: %d %v, want 400 invalid_request", code, out)
	}
}

// An unknown address under /api/ answers as the API does, in JSON,
// pointing to the OpenAPI document, not to the course map.
func TestAPIUnknownEndpointIsJSON(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	code, out, hdr := apiCall(t, env, "GET", "/api/v1/nope", "", nil)
	if code != 404 || out["error"] != "not_found" || !strings.Contains(out["message"].(string), "/api/v1/openapi.json") || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/v1/nope: %d %v (%s)", code, out, hdr.Get("Content-Type"))
	}
}
