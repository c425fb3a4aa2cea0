package sandbox

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSessionLogin(t *testing.T) {
	t.Parallel()
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name   string
		body   any
		header []string
		status int
		user   string
		error  string
	}{
		{"json alice", alice, nil, 200, "alice", ""},
		{"form bob", "username=bob&password=builder", []string{"Content-Type", form}, 200, "bob", ""},
		{"form without content type", "username=bob&password=builder", nil, 200, "bob", ""},
		{"mallory needs no password", map[string]string{"username": "mallory"}, nil, 200, "mallory", ""},
		{"wrong password", map[string]string{"username": "alice", "password": "builder"}, nil, 401, "", "invalid_credentials"},
		{"unknown user", "username=eve&password=x", []string{"Content-Type", form}, 401, "", "invalid_credentials"},
		{"no username", map[string]string{}, nil, 400, "", "bad_request"},
		{"broken json", `{"username":`, []string{"Content-Type", "application/json"}, 400, "", "bad_request"},
		{"broken form", "username=%zz", []string{"Content-Type", form}, 400, "", "bad_request"},
	}
	e := newEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(req{method: http.MethodPost, path: "session/login", body: c.body, header: c.header})
			want(t, rec, c.status)
			if c.status != 200 {
				if got := decode[errorBody](t, rec); got.Error != c.error || got.Reason == "" || got.Message == "" {
					t.Errorf("error body %+v", got)
				}
				if rec.Header().Get("Set-Cookie") != "" {
					t.Error("a failed login set a cookie")
				}
				return
			}
			if got := decode[meBody](t, rec); got.User != c.user || got.Via != "session" {
				t.Errorf("body %+v", got)
			}
		})
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.post("session/login", alice)
	want(t, rec, http.StatusOK)
	sc := rec.Header().Get("Set-Cookie")
	for _, part := range []string{"Path=/lab/" + e.id + "/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(sc, part) {
			t.Errorf("Set-Cookie %q lacks %s", sc, part)
		}
	}
	if strings.Contains(sc, "Secure") {
		t.Errorf("Secure on plain HTTP: %q", sc)
	}
	x := e.trace()[0]
	var attrs []CookieAttribute
	for _, h := range x.ResponseHeaders {
		if h.Name == "Set-Cookie" {
			attrs = h.Attributes
		}
	}
	explained := map[string]string{}
	for _, a := range attrs {
		explained[a.Name] = a.Explanation
	}
	if !strings.Contains(explained["HttpOnly"], "JavaScript cannot read it") || !strings.Contains(explained["SameSite"], "top-level GET") || explained["Path"] == "" {
		t.Errorf("attributes %+v", attrs)
	}

	// Over TLS the cookie is Secure.
	hr := httptest.NewRequest(http.MethodPost, "/lab/"+e.id+"/session/login", strings.NewReader("username=bob&password=builder"))
	hr.TLS = &tls.ConnectionState{}
	hr = hr.WithContext(WithOwner(hr.Context(), e.owner))
	rec = httptest.NewRecorder()
	e.m.Handler().ServeHTTP(rec, hr)
	if sc := rec.Header().Get("Set-Cookie"); !strings.Contains(sc, "; Secure") {
		t.Errorf("TLS login: %q", sc)
	}
	if x := e.trace()[1]; !strings.HasPrefix(x.Curl, "curl -i -X POST 'https://") {
		t.Errorf("curl over TLS: %s", x.Curl)
	}
}

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.sessionLogin()
	// A second login from the same browser replaces the session.
	rec := e.post("session/login", alice, "Cookie", first)
	second, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	if second == first {
		t.Fatal("login reused the session ID")
	}
	if r := reasonOf(t, e.get("api/me", "Cookie", first)); r != reasonSessionNotFound {
		t.Errorf("replaced session: %q", r)
	}
	rec = e.get("api/me", "Cookie", second)
	want(t, rec, http.StatusOK)
	me := decode[meBody](t, rec)
	if me.User != "alice" || me.Via != "session" || !me.ExpiresAt.Equal(e.clock.Now().Add(sessionTTL)) {
		t.Errorf("me %+v", me)
	}

	// last_seen moves, at most every seenEvery.
	e.clock.Advance(20 * time.Second)
	want(t, e.get("api/me", "Cookie", second), http.StatusOK)
	list := decode[struct {
		Sessions []struct {
			LastSeen time.Time `json:"last_seen"`
		} `json:"sessions"`
	}](t, e.get("sessions"))
	if len(list.Sessions) != 1 || !list.Sessions[0].LastSeen.Equal(e.clock.Now()) {
		t.Errorf("sessions %+v", list)
	}

	// Logout deletes the record and clears the cookie on the same path.
	rec = e.post("session/logout", nil, "Cookie", second)
	want(t, rec, http.StatusOK)
	sc := rec.Header().Get("Set-Cookie")
	if !strings.Contains(sc, "Max-Age=0") || !strings.Contains(sc, "Path=/lab/"+e.id+"/") {
		t.Errorf("logout Set-Cookie %q", sc)
	}
	rec = e.get("api/me", "Cookie", second)
	want(t, rec, http.StatusUnauthorized)
	if r := reasonOf(t, rec); r != reasonSessionNotFound {
		t.Errorf("after logout: %q", r)
	}
	xs := e.trace()
	if v := xs[len(xs)-1].Verdict; !strings.Contains(v, "deleted at logout") {
		t.Errorf("verdict %q", v)
	}
	// Logging out again is harmless.
	want(t, e.post("session/logout", nil, "Cookie", second), http.StatusOK)
	want(t, e.post("session/logout", nil), http.StatusOK)
}

func TestSessionExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	want(t, e.post("clock", map[string]string{"advance": "31m"}), http.StatusOK)
	rec := e.get("api/me", "Cookie", cookie)
	want(t, rec, http.StatusUnauthorized)
	if r := reasonOf(t, rec); r != reasonSessionExpired {
		t.Errorf("reason %q", r)
	}
	// Once swept, the session is still reported as expired, not unknown.
	if r := reasonOf(t, e.get("api/me", "Cookie", cookie)); r != reasonSessionExpired {
		t.Errorf("second time: %q", r)
	}
}

func TestNoCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		name   string
		header []string
		reason string
	}{
		{"nothing", nil, reasonNoCredentials},
		{"basic auth", []string{"Authorization", "Basic YWxpY2U6d29uZGVybGFuZA=="}, reasonMalformed},
		{"unknown cookie", []string{"Cookie", "lab_sid=" + strings.Repeat("a", 32)}, reasonSessionNotFound},
	} {
		rec := e.get("api/me", c.header...)
		want(t, rec, http.StatusUnauthorized)
		if r := reasonOf(t, rec); r != c.reason {
			t.Errorf("%s: reason %q, want %q", c.name, r, c.reason)
		}
		if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), `Bearer realm="lab"`) {
			t.Errorf("%s: WWW-Authenticate %q", c.name, rec.Header().Get("WWW-Authenticate"))
		}
	}
}
