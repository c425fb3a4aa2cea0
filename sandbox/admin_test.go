package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := decode[settingsView](t, e.get("settings"))
	if def.TokenTTL != "5m0s" || def.Denylist || !def.RefreshRotation || !def.ReuseDetection || def.Allowlist || def.Alg != "HS256" || !def.Now.Equal(e.clock.Now()) {
		t.Fatalf("defaults %+v", def)
	}
	cases := []struct {
		name   string
		body   any
		status int
		check  func(settingsView) bool
	}{
		{"ttl", map[string]any{"token_ttl": "30s"}, 200, func(s settingsView) bool { return s.TokenTTL == "30s" && s.RefreshRotation }},
		{"deny-list keeps ttl", map[string]any{"denylist": true}, 200, func(s settingsView) bool {
			return s.Denylist && s.TokenTTL == "30s" && strings.Contains(s.Note, "a lookup per request — state again")
		}},
		{"alg", map[string]any{"alg": "EdDSA"}, 200, func(s settingsView) bool { return s.Alg == "EdDSA" }},
		{"ttl too short", map[string]any{"token_ttl": "1s"}, 400, nil},
		{"ttl too long", map[string]any{"token_ttl": "25h"}, 400, nil},
		{"ttl not a duration", map[string]any{"token_ttl": "soon"}, 400, nil},
		{"unknown alg", map[string]any{"alg": "none"}, 400, nil},
		{"unknown field", map[string]any{"colour": "red"}, 400, nil},
		{"wrong type", map[string]any{"denylist": "yes"}, 400, nil},
		{"not json", "denylist=true", 400, nil},
	}
	for _, c := range cases {
		rec := e.put("settings", c.body)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, body %s", c.name, rec.Code, rec.Body)
			continue
		}
		if c.status != 200 {
			if decode[errorBody](t, rec).Reason == "" {
				t.Errorf("%s: no reason", c.name)
			}
			continue
		}
		if s := decode[settingsView](t, rec); !c.check(s) {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
	if s := decode[settingsView](t, e.get("settings")); s.TokenTTL != "30s" || s.Alg != "EdDSA" || !s.Denylist {
		t.Errorf("refused PUTs changed settings: %+v", s)
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		body   any
		status int
	}{
		{map[string]string{"advance": "10m"}, 200},
		{map[string]string{"advance": "720h"}, 200},
		{map[string]string{"advance": "721h"}, 400},
		{map[string]string{"advance": "-1m"}, 400},
		{map[string]string{"advance": "0s"}, 400},
		{map[string]string{"advance": "tomorrow"}, 400},
		{"{", 400},
	} {
		want(t, e.post("clock", c.body), c.status)
	}
	got := decode[struct{ Now time.Time }](t, e.post("clock", map[string]string{"advance": "1s"}))
	if wantNow := e.clock.Now().Add(10*time.Minute + 720*time.Hour + time.Second); !got.Now.Equal(wantNow) {
		t.Errorf("now %v, want %v", got.Now, wantNow)
	}
}

func TestAdminRevoke(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	list := decode[struct {
		Sessions []struct {
			ID, User string
		}
		TokensNote string `json:"tokens_note"`
	}](t, e.get("sessions"))
	if len(list.Sessions) != 1 || list.Sessions[0].User != "alice" || !strings.Contains(list.TokensNote, "no list of access tokens") {
		t.Fatalf("sessions %+v", list)
	}
	sid := list.Sessions[0].ID
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + sid}), http.StatusOK)
	if r := reasonOf(t, e.get("api/me", "Cookie", cookie)); r != reasonSessionNotFound {
		t.Errorf("revoked session: %q", r)
	}
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + sid}), http.StatusNotFound)

	// With only the deny-list on, a jti can still be denied by the admin.
	p := e.tokenLogin()
	d, _ := DecodeJWT(p.AccessToken)
	jti := d.Payload["jti"].(string)
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + jti}), http.StatusNotFound)
	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + jti}), http.StatusOK)
	if r := reasonOf(t, e.get("api/me", bearerH(p.AccessToken)...)); r != reasonTokenRevoked {
		t.Errorf("denied jti: %q", r)
	}
}

func TestTraceAndDiagram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	p := e.tokenLogin()
	e.get("api/me", "Cookie", cookie)
	e.get("api/me", bearerH(p.AccessToken)...)
	e.get("settings") // not recorded
	xs := e.trace()
	if len(xs) != 4 {
		t.Fatalf("%d exchanges", len(xs))
	}
	me := xs[2]
	if me.Side != "session" || me.Actor != "learner" || me.Status != 200 || me.CookieBytes != len("Cookie: ")+len(cookie) || me.ID == "" {
		t.Errorf("exchange %+v", me)
	}
	if want := "curl -i 'http://example.com/lab/" + e.id + "/api/me' -H 'Cookie: " + cookie + "'"; me.Curl != want {
		t.Errorf("curl\n%s\nwant\n%s", me.Curl, want)
	}
	if tok := xs[3]; tok.Side != "token" || tok.AuthorizationBytes != len("Authorization: Bearer ")+len(p.AccessToken) {
		t.Errorf("token exchange %+v", tok)
	}
	if login := xs[0]; !strings.Contains(login.RequestBody, "wonderland") || !strings.Contains(login.Curl, `-d '{"password":"wonderland","username":"alice"}'`) {
		t.Errorf("login curl %s", login.Curl)
	}

	rec := e.get("diagram")
	want(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "image/svg+xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), new(struct{})); err != nil {
		t.Fatalf("diagram is not XML: %v", err)
	}
	for _, s := range []string{"Browser", "Mallory", "Lab server", "Store", "GET /api/me", "200 OK"} {
		if !strings.Contains(rec.Body.String(), s) {
			t.Errorf("diagram lacks %q", s)
		}
	}

	// The trace keeps the newest traceCap exchanges.
	for range traceCap {
		e.get("api/me")
	}
	xs = e.trace()
	if len(xs) != traceCap || xs[len(xs)-1].Status != 401 || xs[0].Path != "/lab/"+e.id+"/api/me" {
		t.Errorf("trace of %d, last %d", len(xs), xs[len(xs)-1].Status)
	}
}

func TestCurlQuoting(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":         "'plain'",
		"it's":          `'it'\''s'`,
		"a\x00b":        "'ab'",
		"$(rm -rf /) `": "'$(rm -rf /) `'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.m.Handler().ServeHTTP(w, r.WithContext(WithOwner(r.Context(), e.owner)))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/lab/"+e.id+"/events", nil)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // retry:
	e.sessionLogin()
	events := map[string]string{}
	var name string
	for len(events) < 2 && lines.Scan() {
		line := lines.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			name = v
		} else if v, ok := strings.CutPrefix(line, "data: "); ok {
			events[name] = v
		}
	}
	var x Exchange
	if err := json.Unmarshal([]byte(events["exchange"]), &x); err != nil || x.Path != "/lab/"+e.id+"/session/login" {
		t.Errorf("exchange event %q: %v", events["exchange"], err)
	}
	if !strings.Contains(events["milestone"], `"milestone":"session-login"`) {
		t.Errorf("milestone event %q", events["milestone"])
	}
	e.m.Close() // ends the stream
	for lines.Scan() {
	}
}

func TestDecodeEndpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.tokenLogin()
	rec := e.post("decode", map[string]string{"token": p.AccessToken})
	want(t, rec, http.StatusOK)
	got := decode[struct {
		Header  map[string]any
		Payload map[string]any
		Valid   bool
		Verdict string
	}](t, rec)
	if !got.Valid || got.Header["alg"] != "HS256" || got.Payload["sub"] != "alice" || !strings.Contains(got.Verdict, "signature valid") {
		t.Errorf("decode %+v", got)
	}
	want(t, e.post("decode", "Bearer "+p.AccessToken), http.StatusOK)
	rec = e.post("decode", map[string]string{"token": "not.a.jwt"})
	want(t, rec, http.StatusBadRequest)
	if decode[errorBody](t, rec).Error != "malformed_token" {
		t.Errorf("body %s", rec.Body)
	}
}
