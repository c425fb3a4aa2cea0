package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var pay = map[string]string{"to": "bob", "amount": "100"}

// stepUpCookie logs alice in on the step-up panel's session side.
func (e *labEnv) stepUpCookie() string {
	e.t.Helper()
	rec := e.post("stepup/session/login", alice)
	want(e.t, rec, http.StatusOK)
	pair, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	return pair
}

// stepUpToken logs alice in on the token side and returns the token.
func (e *labEnv) stepUpToken() string {
	e.t.Helper()
	rec := e.post("stepup/token", alice)
	want(e.t, rec, http.StatusOK)
	return decode[tokenPair](e.t, rec).AccessToken
}

func (e *labEnv) later(d string) {
	e.t.Helper()
	want(e.t, e.post("clock", map[string]string{"advance": d}), http.StatusOK)
}

func (e *labEnv) reauth(cookie, password string) *http.Response {
	e.t.Helper()
	return e.post("stepup/session/reauth", map[string]string{"password": password}, "Cookie", cookie).Result()
}

// The bank's rule, for a session: a login older than max_age is refused
// with 403 until the password is entered again; the step-up records a
// new auth_time under a new session ID and the old ID dies.
func TestStepUpSession(t *testing.T) {
	t.Parallel()
	e := panelEnv(t, newEnv(t), "step-up")
	cookie := e.stepUpCookie()
	want(t, e.post("stepup/transfer", pay, "Cookie", cookie), http.StatusOK) // a fresh login is enough

	e.later("5m") // exactly max_age: still fresh
	want(t, e.post("stepup/transfer", pay, "Cookie", cookie), http.StatusOK)
	e.later("1s")
	rec := e.post("stepup/transfer", pay, "Cookie", cookie)
	want(t, rec, http.StatusForbidden)
	if b := decode[map[string]any](t, rec); b["error"] != "reauthentication_required" || b["max_age"] != 300.0 {
		t.Fatalf("the refusal: %s", rec.Body)
	}
	want(t, e.get("api/me", "Cookie", cookie), http.StatusOK) // still logged in: only the transfer wants more

	if res := e.reauth(cookie, "wrong"); res.StatusCode != http.StatusUnauthorized || res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("a wrong password: %d, Set-Cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	res := e.reauth(cookie, "wonderland")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("step-up: %d", res.StatusCode)
	}
	fresh, _, _ := strings.Cut(res.Header.Get("Set-Cookie"), ";")
	if !strings.HasPrefix(fresh, "lab_sid=") || fresh == cookie {
		t.Fatalf("the step-up's Set-Cookie %q: want a new lab_sid (was %q)", fresh, cookie)
	}
	if rec := e.post("stepup/transfer", pay, "Cookie", cookie); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the old session ID after the step-up: %d, want 401", rec.Code)
	}
	want(t, e.post("stepup/transfer", pay, "Cookie", fresh), http.StatusOK)

	e.later("6m") // a step-up is fresh for max_age, not for the rest of the session
	want(t, e.post("stepup/transfer", pay, "Cookie", fresh), http.StatusForbidden)

	for _, id := range []string{msSUSessionStale, msSUSessionStepUp} {
		if !slices.Contains(e.milestones.list(), id) {
			t.Errorf("milestone %s not reached: %v", id, e.milestones.list())
		}
	}
}

// The bank's rule, for a token: RFC 9470 §3's challenge, exactly, for a
// valid token whose login is too old or unknown; a fresh login gives a
// token with a newer auth_time, acr and amr, and the transfer goes through.
func TestStepUpToken(t *testing.T) {
	t.Parallel()
	e := panelEnv(t, newEnv(t), "step-up")
	old := e.stepUpToken()
	want(t, e.post("stepup/transfer", pay, bearerH(old)...), http.StatusOK)

	e.later("10m")
	want(t, e.get("api/me", bearerH(old)...), http.StatusOK) // the token itself is still valid
	rec := e.post("stepup/transfer", pay, bearerH(old)...)
	want(t, rec, http.StatusUnauthorized)
	const challenge = `Bearer error="insufficient_user_authentication", error_description="A login within the last 5 minutes is required", max_age="300"`
	if got := rec.Header().Get("WWW-Authenticate"); got != challenge {
		t.Fatalf("WWW-Authenticate:\n got %s\nwant %s", got, challenge)
	}

	// A token that says nothing of its login (the twin lab's) is refused the same way.
	plain := e.tokenLogin().AccessToken
	if rec := e.post("stepup/transfer", pay, bearerH(plain)...); rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != challenge {
		t.Fatalf("a token with no auth_time: %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}

	fresh := e.stepUpToken()
	var was, now stepUpClaims
	for tok, c := range map[string]*stepUpClaims{old: &was, fresh: &now} {
		if _, _, err := jwt.NewParser().ParseUnverified(tok, c); err != nil {
			t.Fatal(err)
		}
	}
	if now.AuthTime-was.AuthTime != int64((10*time.Minute).Seconds()) || now.ACR != stepUpACR || !slices.Equal(now.AMR, []string{"pwd"}) {
		t.Fatalf("the fresh token's login: auth_time %d (was %d), acr %q, amr %v", now.AuthTime, was.AuthTime, now.ACR, now.AMR)
	}
	want(t, e.post("stepup/transfer", pay, bearerH(fresh)...), http.StatusOK)
	for _, id := range []string{msSUTokenStale, msSUTokenFresh} {
		if !slices.Contains(e.milestones.list(), id) {
			t.Errorf("milestone %s not reached: %v", id, e.milestones.list())
		}
	}
}

func stepUpGoalPaths() []goalPath {
	var cookie, token string
	stale := func(t *testing.T, e *labEnv) {
		t.Helper()
		cookie, token = e.stepUpCookie(), e.stepUpToken()
		e.later("10m")
		want(t, e.post("stepup/transfer", pay, "Cookie", cookie), http.StatusForbidden)
		want(t, e.post("stepup/transfer", pay, bearerH(token)...), http.StatusUnauthorized)
	}
	return []goalPath{
		{name: "guided", before: func(t *testing.T, e *labEnv) {
			stale(t, e)
			res := e.reauth(cookie, "wonderland")
			fresh, _, _ := strings.Cut(res.Header.Get("Set-Cookie"), ";")
			want(t, e.post("stepup/transfer", pay, "Cookie", fresh), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.post("stepup/transfer", pay, bearerH(e.stepUpToken())...), http.StatusOK)
		}, solves: true},
		// A whole new login instead of the step-up form is a fresh login too.
		{name: "log in again", before: func(t *testing.T, e *labEnv) {
			stale(t, e)
			want(t, e.post("stepup/transfer", pay, bearerH(e.stepUpToken())...), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.post("stepup/transfer", pay, "Cookie", e.stepUpCookie()), http.StatusOK)
		}, solves: true},
		// Transfers right after logging in never met the rule at all.
		{name: "never stale", before: func(t *testing.T, e *labEnv) {
			want(t, e.post("stepup/transfer", pay, "Cookie", e.stepUpCookie()), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.post("stepup/transfer", pay, bearerH(e.stepUpToken())...), http.StatusOK)
		}},
	}
}
