package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestChangePassword: the form takes the current password (a wrong one
// is refused with 403 and the reason beside the field), checks the new
// one by the sign-up rules and its confirmation, and on success ends
// every other browser session and every API sign-in while this browser
// stays signed in under a fresh session ID.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	const oldPW, newPW = "the old passphrase", "a brand new passphrase"
	cl := newClient(t, ts)
	cl.signup("pw_changer", oldPW)
	other := newClient(t, ts)
	if r := other.signin("pw_changer", oldPW); r.status != http.StatusSeeOther {
		t.Fatalf("second browser: %d", r.status)
	}
	access, refresh := login(t, env, "pw_changer", oldPW)

	if r := cl.do("GET", "/account/sessions", nil); !strings.Contains(r.body, `href="/account/password"`) {
		t.Error("the sessions page does not link the change-password page")
	}
	page := cl.do("GET", "/account/password", nil)
	if page.status != http.StatusOK || !strings.Contains(page.body, `name="current_password"`) || !strings.Contains(page.body, `name="confirm_password"`) {
		t.Fatalf("GET /account/password: %d", page.status)
	}
	if r := newClient(t, ts).do("GET", "/account/password", nil); r.status != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", r.status)
	}

	form := func(cur, pw, confirm string) url.Values {
		return url.Values{"current_password": {cur}, "new_password": {pw}, "confirm_password": {confirm}}
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		reason string
	}{
		{"wrong current password", form("not my password", newPW, newPW), http.StatusForbidden, "That is not your current password."},
		{"no current password", form("", newPW, newPW), http.StatusUnprocessableEntity, "Enter your current password."},
		{"short new password", form(oldPW, "short", "short"), http.StatusUnprocessableEntity, "at least 8"},
		{"confirmation differs", form(oldPW, newPW, newPW+"x"), http.StatusUnprocessableEntity, "The two new passwords differ"},
		{"same as before", form(oldPW, oldPW, oldPW), http.StatusUnprocessableEntity, "different from your current one"},
	} {
		r := cl.do("POST", "/account/password", tc.form)
		if r.status != tc.status || !strings.Contains(r.body, tc.reason) || !strings.Contains(r.body, `class="field-error"`) {
			t.Errorf("%s: %d, want %d with %q beside the field", tc.name, r.status, tc.status, tc.reason)
		}
		if strings.Contains(r.body, newPW) || strings.Contains(r.body, oldPW) {
			t.Errorf("%s: a password came back in the page", tc.name)
		}
	}
	if r := cl.do("POST", "/account/password", form(oldPW, newPW, newPW), "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", r.status)
	}
	if other.do("GET", "/account/sessions", nil).status != http.StatusOK {
		t.Fatal("a refused change ended the other session")
	}

	before := cl.cookie(siteCookie)
	r := cl.do("POST", "/account/password", form(oldPW, newPW, newPW))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/sessions" {
		t.Fatalf("change: %d %s", r.status, r.body)
	}
	if after := cl.cookie(siteCookie); after == "" || after == before {
		t.Error("the session ID was not rotated")
	}
	if r := cl.do("GET", "/account/sessions", nil); r.status != http.StatusOK || !strings.Contains(r.body, "Your password is changed") {
		t.Errorf("this browser after the change: %d, flash missing", r.status)
	}
	stale := newClient(t, ts)
	if r := stale.do("GET", "/account/sessions", nil, "Cookie", siteCookie+"="+before); r.status != http.StatusSeeOther {
		t.Errorf("the old session ID still works: %d", r.status)
	}
	if r := other.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", r.status)
	}
	if code, _, _ := apiCall(t, env, "GET", "/api/v1/me", access, nil); code != http.StatusUnauthorized {
		t.Errorf("access token after the change: %d, want 401", code)
	}
	if code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": refresh}); code != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Errorf("refresh token after the change: %d %v, want 400 invalid_grant", code, out)
	}
	if r := newClient(t, ts).signin("pw_changer", oldPW); r.status != http.StatusUnauthorized {
		t.Errorf("old password still signs in: %d", r.status)
	}
	if r := newClient(t, ts).signin("pw_changer", newPW); r.status != http.StatusSeeOther {
		t.Errorf("new password does not sign in: %d", r.status)
	}
}

// TestSignedOutElsewhereNote: a browser whose session was revoked from
// another device is told so once, on the page it lands on; a forged or
// absent cookie gets no note.
func TestSignedOutElsewhereNote(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	const pw = "a long password"
	cl := newClient(t, ts)
	cl.signup("two_devices", pw)
	other := newClient(t, ts)
	other.signin("two_devices", pw)
	if r := cl.do("POST", "/account/sessions/revoke-others", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke others: %d", r.status)
	}
	const note = "You were signed out from another device"
	r := other.do("GET", "/account/sessions", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Fatalf("revoked browser: %d %s", r.status, r.header.Get("Location"))
	}
	if other.cookie(siteCookie) != "" {
		t.Error("the dead session cookie was kept")
	}
	if r := other.do("GET", r.header.Get("Location"), nil); !strings.Contains(r.body, note) {
		t.Error("the sign-in page does not say why")
	}
	if r := other.do("GET", "/signin", nil); strings.Contains(r.body, note) {
		t.Error("the note is shown twice")
	}
	// A script's request (a quiz answer, a drill) has no page to say it
	// on: the reply carries the note for the script to show.
	fourth := newClient(t, ts)
	fourth.signin("two_devices", pw)
	cl.do("POST", "/account/sessions/revoke-others", url.Values{})
	if r := fourth.do("GET", "/api/v1/progress", nil, "Accept", "application/json"); !strings.HasPrefix(r.header.Get("X-Authlab-Note"), note) {
		t.Errorf("a JSON request of a revoked session carries no note: %d %q", r.status, r.header.Get("X-Authlab-Note"))
	}
	// Landing straight on a (cacheable) page also says it.
	third := newClient(t, ts)
	third.signin("two_devices", pw)
	cl.do("POST", "/account/sessions/revoke-others", url.Values{})
	if r := third.do("GET", "/", nil); r.status != http.StatusOK || !strings.Contains(r.body, note) {
		t.Errorf("home page after revocation: %d, no note", r.status)
	}
	for _, hdr := range [][]string{nil, {"Cookie", siteCookie + "=forged-value"}} {
		if r := newClient(t, ts).do("GET", "/signin", nil, hdr...); strings.Contains(r.body, note) {
			t.Errorf("note shown with cookie %v", hdr)
		}
	}
	if r := cl.do("GET", "/account/sessions", nil); r.status != http.StatusOK || strings.Contains(r.body, note) {
		t.Errorf("the browser that revoked: %d, or it got the note", r.status)
	}
}

// TestFormsFocusTheFixAndAskToRetype: a refused sign-up, sign-in or
// password change puts the cursor in the field to fix, and says that the
// password fields come back empty (never a length error for an empty
// field).
func TestFormsFocusTheFixAndAskToRetype(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	focused := func(body string) string {
		i := strings.Index(body, " autofocus")
		if i < 0 || strings.Count(body, " autofocus") != 1 {
			return ""
		}
		j := strings.LastIndex(body[:i], ` id="`)
		id, _, _ := strings.Cut(body[j+5:], `"`)
		return id
	}
	const retype = "Type your password again: a password is never sent back to the page."
	cl := newClient(t, ts)
	r := cl.do("POST", "/signup", url.Values{"username": {"focus_user"}, "email": {"bad@"}, "password": {"long enough pass"}})
	if r.status != http.StatusUnprocessableEntity || focused(r.body) != "email" || !strings.Contains(r.body, retype) {
		t.Errorf("sign-up with a bad email: %d, focus on %q, retype note %v", r.status, focused(r.body), strings.Contains(r.body, retype))
	}
	r = cl.do("POST", "/signup", url.Values{"username": {"focus_user"}, "password": {""}})
	if !strings.Contains(r.body, "Enter a password.") || strings.Contains(r.body, "needs at least") || focused(r.body) != "password" {
		t.Errorf("sign-up with no password: focus on %q; want \"Enter a password.\" and no length error", focused(r.body))
	}
	cl.signup("focus_user", "a good password")
	if r := newClient(t, ts).do("POST", "/signin", url.Values{"username": {"focus_user"}, "password": {"not it at all"}}); focused(r.body) != "password" {
		t.Errorf("a refused sign-in puts the cursor in %q, want the password (the username is kept)", focused(r.body))
	}
	if r := cl.do("GET", "/account/password", nil); focused(r.body) != "current-password" {
		t.Errorf("the password page opens with the cursor in %q", focused(r.body))
	}
	r = cl.do("POST", "/account/password", url.Values{"current_password": {"a good password"}, "new_password": {"aaaaaaaaaa1"}, "confirm_password": {"aaaaaaaaaa2"}})
	if focused(r.body) != "confirm-password" || !strings.Contains(r.body, "type the passwords again") {
		t.Errorf("a mismatch puts the cursor in %q (want confirm-password) or does not ask to retype", focused(r.body))
	}
	r = cl.do("POST", "/account/password", url.Values{"current_password": {"a good password"}, "new_password": {"aaaaaaaaaa1"}})
	if !strings.Contains(r.body, "Type the new password a second time.") {
		t.Error("an empty confirmation is called a mismatch")
	}
}
