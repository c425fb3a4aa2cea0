package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authlab/authlab/progress"
)

// TestDeleteAccountNeedsPassword: deleting an account takes its current
// password (ASVS V3.7.1), on the form and over the API; afterwards every
// access token and session of it is refused on every route.
func TestDeleteAccountNeedsPassword(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	const pw = "a long password"
	cl := newClient(t, ts)
	cl.signup("leaving_user", pw)
	other := newClient(t, ts) // the same account in another browser
	if r := other.signin("leaving_user", pw); r.status != http.StatusSeeOther {
		t.Fatalf("second browser: %d", r.status)
	}
	access, refresh := login(t, env, "leaving_user", pw)

	page := cl.do("GET", "/account/sessions", nil)
	if !strings.Contains(page.body, `name="password" type="password" autocomplete="current-password" required`) {
		t.Error("the delete form asks for no password")
	}
	for _, form := range []url.Values{
		{"confirm": {"yes"}},
		{"confirm": {"yes"}, "password": {"not my password"}},
	} {
		if r := cl.do("POST", "/account/delete", form); r.status != http.StatusForbidden || !strings.Contains(r.body, "Nothing was deleted") || !strings.Contains(r.body, `id="delete-error"`) {
			t.Errorf("delete with %v: %d, want 403", form, r.status)
		}
	}
	if _, err := env.store.LearnerByUsername(context.Background(), "leaving_user"); err != nil {
		t.Fatalf("the account went without its password: %v", err)
	}
	// Deleted, the browser goes home, where a note says so once (not a
	// page of its own at /account/delete that reloads into the form).
	if r := cl.do("POST", "/account/delete", url.Values{"confirm": {"yes"}, "password": {pw}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("delete with the password: %d to %q, want 303 to /", r.status, r.header.Get("Location"))
	}
	if home := cl.do("GET", "/", nil); !strings.Contains(home.body, "Your account is deleted") {
		t.Errorf("the home page after the deletion does not say it:\n%s", home.body)
	}
	if home := cl.do("GET", "/", nil); strings.Contains(home.body, "Your account is deleted") {
		t.Error("the deletion note is shown again on the next page")
	}
	if _, err := env.store.LearnerByUsername(context.Background(), "leaving_user"); !errors.Is(err, progress.ErrNotFound) {
		t.Errorf("the account is still there: %v", err)
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/progress"} {
		if code, _, _ := apiCall(t, env, "GET", path, access, nil); code != http.StatusUnauthorized {
			t.Errorf("%s with the deleted account's access token: %d, want 401", path, code)
		}
	}
	if code, _, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh}); code != http.StatusBadRequest {
		t.Errorf("refresh with the deleted account's token: %d, want 400 invalid_grant", code)
	}
	if r := other.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
		t.Errorf("the other browser's session outlived the account: %d", r.status)
	}
}

// TestAPIDeleteAccountNeedsPassword: DELETE /api/v1/me with the current
// password; without it nothing happens.
func TestAPIDeleteAccountNeedsPassword(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const pw = "a long password"
	newAccount(t, env, "api_leaver", pw)
	access, _ := login(t, env, "api_leaver", pw)
	second, _ := login(t, env, "api_leaver", pw)
	for _, body := range []map[string]string{{"password": ""}, {"password": "wrong password"}} {
		if code, out, _ := apiCall(t, env, "DELETE", "/api/v1/me", access, body); code != http.StatusForbidden {
			t.Errorf("DELETE /api/v1/me with %v: %d %v, want 403", body, code, out)
		}
	}
	if code, _, _ := apiCall(t, env, "GET", "/api/v1/me", access, nil); code != http.StatusOK {
		t.Fatalf("the account went without its password: %d", code)
	}
	if code, out, _ := apiCall(t, env, "DELETE", "/api/v1/me", access, map[string]string{"password": pw}); code != http.StatusOK || out["deleted"] != true {
		t.Fatalf("DELETE /api/v1/me with the password: %d %v", code, out)
	}
	for _, tok := range []string{access, second} {
		for _, path := range []string{"/api/v1/me", "/api/v1/progress"} {
			if code, _, _ := apiCall(t, env, "GET", path, tok, nil); code != http.StatusUnauthorized {
				t.Errorf("%s after deletion: %d, want 401", path, code)
			}
		}
	}
}
