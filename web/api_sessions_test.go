package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/siteauth"
	"github.com/golang-jwt/jwt/v5"
)

// apiAt sends a JSON API request to a running server.
func apiAt(t testing.TB, base, method, path, token, ua string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// apiSignIn gets a token pair from a running server.
func apiSignIn(t testing.TB, base, user, pw, ua string) (access, refresh string) {
	t.Helper()
	code, out := apiAt(t, base, "POST", "/api/v1/token", "", ua, map[string]string{"username": user, "password": pw})
	if code != 200 {
		t.Fatalf("token: %d %v", code, out)
	}
	return out["access_token"].(string), out["refresh_token"].(string)
}

// TestRefreshReuseRefusesTheFamilysAccessTokens: replaying a spent
// refresh token revokes "every token of this sign-in" — the access
// tokens issued at sign-in and at each refresh too, not only the
// refresh tokens. Another sign-in of the same account is untouched.
func TestRefreshReuseRefusesTheFamilysAccessTokens(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	newAccount(t, env, "reuse_me", "reuse password 1")
	access1, refresh1 := login(t, env, "reuse_me", "reuse password 1")
	otherAccess, _ := login(t, env, "reuse_me", "reuse password 1")
	code, pair, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh1})
	if code != 200 {
		t.Fatalf("refresh: %d %v", code, pair)
	}
	access2 := pair["access_token"].(string)
	for _, tok := range []string{access1, access2} {
		if code, _, _ := apiCall(t, env, "GET", "/api/v1/me", tok, nil); code != 200 {
			t.Fatalf("before reuse: %d", code)
		}
	}
	tok, _, _ := jwt.NewParser().ParseUnverified(access2, &siteauth.Claims{})
	if sid := tok.Claims.(*siteauth.Claims).SessionID; sid == "" {
		t.Error("the access token carries no sid claim")
	}
	code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh1})
	if code != 400 || out["error"] != "invalid_grant" || !strings.Contains(out["message"].(string), "every token of this sign-in has been revoked") {
		t.Fatalf("reuse: %d %v", code, out)
	}
	for i, tok := range []string{access1, access2} {
		for _, path := range []string{"/api/v1/me", "/api/v1/progress"} {
			code, out, _ := apiCall(t, env, "GET", path, tok, nil)
			if code != 401 || out["error"] != "invalid_token" {
				t.Errorf("access token %d of the revoked sign-in on %s: %d %v", i+1, path, code, out)
			}
		}
	}
	if code, _, _ := apiCall(t, env, "GET", "/api/v1/me", otherAccess, nil); code != 200 {
		t.Errorf("another sign-in of the account died with the reused one: %d", code)
	}
}

var apiRevokeForm = regexp.MustCompile(`action="(/account/sessions/api/[^"/]+/revoke)"`)

// TestAPISignInOnSessionsPage: an API sign-in is a row on
// /account/sessions (client, address, signed in, last used); revoking it
// there refuses its refresh and access tokens at once, and "Sign out
// everywhere else" ends every API sign-in while this browser stays in.
func TestAPISignInOnSessionsPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	browser := newClient(t, ts)
	browser.signup("pat_api", "a password for pat")
	access, refresh := apiSignIn(t, ts.URL, "pat_api", "a password for pat", "authlab-cli/1.4 (linux)")

	page := browser.do("GET", "/account/sessions", nil)
	if page.status != 200 || !strings.Contains(page.body, "authlab-cli") || !strings.Contains(page.body, "127.0.0.1") {
		t.Fatalf("the API sign-in is not on the sessions page: %d\n%s", page.status, page.body)
	}
	m := apiRevokeForm.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no Revoke button for the API sign-in")
	}
	// Another account cannot revoke it.
	intruder := newClient(t, ts)
	intruder.signup("not_pat", "a password for not pat")
	if r := intruder.do("POST", m[1], url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("another account revoking pat's sign-in: %d", r.status)
	}
	if code, _ := apiAt(t, ts.URL, "GET", "/api/v1/me", access, "", nil); code != 200 {
		t.Fatalf("access token after a refused revocation: %d", code)
	}
	if r := browser.do("POST", m[1], url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if code, _ := apiAt(t, ts.URL, "GET", "/api/v1/me", access, "", nil); code != 401 {
		t.Errorf("the access token of a revoked API sign-in: %d", code)
	}
	if code, _ := apiAt(t, ts.URL, "POST", "/api/v1/token/refresh", "", "", map[string]string{"refresh_token": refresh}); code != 400 {
		t.Errorf("the refresh token of a revoked API sign-in: %d, want 400 invalid_grant", code)
	}
	if page := browser.do("GET", "/account/sessions", nil); apiRevokeForm.MatchString(page.body) || !strings.Contains(page.body, "Revoked: authlab-cli") {
		t.Errorf("after revoking, the API sign-in is still listed or the flash is missing:\n%s", page.body)
	}

	// Sign out everywhere else: two API sign-ins and a second browser.
	a1, r1 := apiSignIn(t, ts.URL, "pat_api", "a password for pat", "python-requests/2.32")
	a2, _ := apiSignIn(t, ts.URL, "pat_api", "a password for pat", "curl/8.5.0")
	other := newClient(t, ts)
	other.signin("pat_api", "a password for pat")
	if r := browser.do("POST", "/account/sessions/revoke-others", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke-others: %d", r.status)
	}
	for _, tok := range []string{a1, a2} {
		if code, _ := apiAt(t, ts.URL, "GET", "/api/v1/progress", tok, "", nil); code != 401 {
			t.Errorf("an access token after sign out everywhere else: %d", code)
		}
	}
	if code, _ := apiAt(t, ts.URL, "POST", "/api/v1/token/refresh", "", "", map[string]string{"refresh_token": r1}); code != 400 {
		t.Errorf("a refresh token after sign out everywhere else: %d, want 400 invalid_grant", code)
	}
	if r := other.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
		t.Errorf("the other browser after sign out everywhere else: %d", r.status)
	}
	page = browser.do("GET", "/account/sessions", nil)
	if page.status != 200 || !strings.Contains(page.body, "2 API sign-ins") || !strings.Contains(page.body, "1 browser session") {
		t.Errorf("this browser after sign out everywhere else: %d, flash missing\n%s", page.status, page.body)
	}
}

// TestAPIRevocationAcrossReplicas: two replicas share Postgres (or one
// SQLite file) and keep sessions in Redis, as deployed. Reuse detected
// on one replica, and a revocation on the sessions page of one, refuse
// the family's access tokens on the other at once, though both have
// verified (and cached) those tokens before.
func TestAPIRevocationAcrossReplicas(t *testing.T) {
	redisURL := os.Getenv("AUTHLAB_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("replica test skipped: set AUTHLAB_TEST_REDIS_URL (CI sets it)")
	}
	t.Parallel()
	site := newReplicaSite(t, redisURL)
	a, store := site.replica(t, false, true)
	b, _ := site.replica(t, false, true)
	hash, _ := siteauth.NewHasher(0).Hash("a replica password")
	if _, err := store.NewAccount(context.Background(), "replica_api", "", hash, false); err != nil {
		t.Fatal(err)
	}
	both := func(tok string, want int, what string) {
		t.Helper()
		for name, base := range map[string]string{"A": a.URL, "B": b.URL} {
			if code, out := apiAt(t, base, "GET", "/api/v1/me", tok, "", nil); code != want {
				t.Errorf("%s on replica %s: %d, want %d (%v)", what, name, code, want, out)
			}
		}
	}

	// Reuse: sign in on A, refresh on A, replay the spent token on B.
	access1, refresh1 := apiSignIn(t, a.URL, "replica_api", "a replica password", "app/1")
	code, pair := apiAt(t, a.URL, "POST", "/api/v1/token/refresh", "", "", map[string]string{"refresh_token": refresh1})
	if code != 200 {
		t.Fatalf("refresh on A: %d %v", code, pair)
	}
	access2 := pair["access_token"].(string)
	both(access1, 200, "first access token before reuse")
	both(access2, 200, "second access token before reuse")
	if code, out := apiAt(t, b.URL, "POST", "/api/v1/token/refresh", "", "", map[string]string{"refresh_token": refresh1}); code != 400 || out["error"] != "invalid_grant" {
		t.Fatalf("reuse on B: %d %v, want 400 invalid_grant", code, out)
	}
	both(access1, 401, "first access token after reuse")
	both(access2, 401, "second access token after reuse")

	// The sessions page on B revokes a sign-in made on A.
	access3, _ := apiSignIn(t, a.URL, "replica_api", "a replica password", "app/2")
	both(access3, 200, "a new sign-in")
	browser := newClient(t, b)
	if r := browser.signin("replica_api", "a replica password"); r.status != http.StatusSeeOther {
		t.Fatalf("browser sign-in on B: %d", r.status)
	}
	page := browser.do("GET", "/account/sessions", nil)
	m := apiRevokeForm.FindStringSubmatch(page.body)
	if m == nil || !strings.Contains(page.body, "app") {
		t.Fatalf("the sign-in made on A is not listed on B:\n%s", page.body)
	}
	if r := browser.do("POST", m[1], url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke on B: %d", r.status)
	}
	both(access3, 401, "access token of a sign-in revoked on B")
}
