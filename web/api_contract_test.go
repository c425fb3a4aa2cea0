package web

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// apiRaw sends a request with a raw body and content type.
func apiRaw(t testing.TB, env *testEnv, method, path, token, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req)
	return rec
}

// TestOpenAPIDocumentsWhatTheAPIAnswers: each answer a client can meet
// is in the OpenAPI document, for its operation: the status (415 for a
// body that is not JSON, 429 after failed passwords…), the headers it
// promises (WWW-Authenticate on 401, Retry-After on 429), and the
// fields of the request body (logout's optional refresh_token).
func TestOpenAPIDocumentsWhatTheAPIAnswers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var doc map[string]any
	if err := json.Unmarshal(env.do(t, "GET", "/api/v1/openapi.json", nil).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// at walks the document by keys, following a "$ref" when it meets one.
	var at func(v any, keys ...string) any
	at = func(v any, keys ...string) any {
		for _, k := range keys {
			m, _ := v.(map[string]any)
			if ref, ok := m["$ref"].(string); ok {
				v = at(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
				m, _ = v.(map[string]any)
			}
			v = m[k]
		}
		return v
	}

	newAccount(t, env, "contract", "contract password")
	access, refresh := login(t, env, "contract", "contract password")
	other, _ := login(t, env, "contract", "contract password")
	const js = "application/json"
	probes := []struct {
		name, method, path, token, ctype, body string
		status                                 int
	}{
		{"token, not JSON", "POST", "/api/v1/token", "", "text/plain", `{}`, 415},
		{"token, no field", "POST", "/api/v1/token", "", js, `{}`, 400},
		{"token, wrong password", "POST", "/api/v1/token", "", js, `{"username":"contract","password":"wrong"}`, 400},
		{"refresh, not JSON", "POST", "/api/v1/token/refresh", "", "text/plain", `{}`, 415},
		{"refresh, unknown", "POST", "/api/v1/token/refresh", "", js, `{"refresh_token":"nope"}`, 400},
		{"me, no token", "GET", "/api/v1/me", "", "", "", 401},
		{"progress, bad token", "GET", "/api/v1/progress", "a.b.c", "", "", 401},
		{"logout, no token", "POST", "/api/v1/logout", "", "", "", 401},
		{"logout, not JSON", "POST", "/api/v1/logout", access, "text/plain", `x`, 415},
		{"delete, not JSON", "DELETE", "/api/v1/me", other, "text/plain", `x`, 415},
		{"delete, malformed", "DELETE", "/api/v1/me", other, js, `{"password":5}`, 400},
		{"delete, wrong password", "DELETE", "/api/v1/me", other, js, `{"password":"wrong"}`, 403},
		{"logout with the refresh token", "POST", "/api/v1/logout", access, js, `{"refresh_token":"` + refresh + `"}`, 200},
	}
	// Failed passwords until the sign-in limit answers, on both routes
	// that check one.
	for i := 0; i < 5; i++ {
		probes = append(probes, probes[2])
	}
	probes[len(probes)-1].status = 429
	probes = append(probes, struct {
		name, method, path, token, ctype, body string
		status                                 int
	}{"delete, limited", "DELETE", "/api/v1/me", other, js, `{"password":"wrong"}`, 429})

	for _, p := range probes {
		rec := apiRaw(t, env, p.method, p.path, p.token, p.ctype, p.body)
		if rec.Code != p.status && !(p.status == 400 && rec.Code == 429) {
			t.Errorf("%s: %d %s, want %d", p.name, rec.Code, rec.Body, p.status)
			continue
		}
		op := at(doc, "paths", p.path, strings.ToLower(p.method))
		resp := at(op, "responses", strconv.Itoa(rec.Code))
		if resp == nil {
			t.Errorf("%s: %s %s answers %d, which the OpenAPI document does not list", p.name, p.method, p.path, rec.Code)
			continue
		}
		for status, header := range map[int]string{401: "WWW-Authenticate", 429: "Retry-After"} {
			if rec.Code == status && (rec.Header().Get(header) == "" || at(resp, "headers", header) == nil) {
				t.Errorf("%s: %d with %s %q; the document lists it: %v", p.name, status, header, rec.Header().Get(header), at(resp, "headers", header) != nil)
			}
		}
		var sent map[string]any
		if p.ctype == js && json.Unmarshal([]byte(p.body), &sent) == nil {
			for k := range sent {
				if at(op, "requestBody", "content", js, "schema", "properties", k) == nil {
					t.Errorf("%s: the body field %q is not in the document's request body", p.name, k)
				}
			}
		}
	}
}

// TestAPIChallengeWithoutToken: a request with no bearer token at all
// (none, another scheme, "Bearer" alone) gets 401 and a bare
// challenge, no error code (RFC 6750 §3); a bad token gets
// error="invalid_token". Every challenge stays within the characters
// RFC 6750 allows in a quoted value.
func TestAPIChallengeWithoutToken(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, h := range []string{"", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer   "} {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, req)
		var out map[string]string
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		if rec.Code != 401 || rec.Header().Get("WWW-Authenticate") != `Bearer realm="authlab"` || out["error"] != "unauthorized" || out["message"] == "" {
			t.Errorf("Authorization %q: %d %q %v, want 401 with a bare challenge", h, rec.Code, rec.Header().Get("WWW-Authenticate"), out)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("Authorization %q: Cache-Control %q", h, rec.Header().Get("Cache-Control"))
		}
	}
	rec := apiRaw(t, env, "GET", "/api/v1/me", "not.a.token", "", "")
	if h := rec.Header().Get("WWW-Authenticate"); rec.Code != 401 || !strings.Contains(h, `error="invalid_token"`) {
		t.Errorf("a bad token: %d %q", rec.Code, h)
	}
}

func TestAuthParamKeepsToRFC6750Characters(t *testing.T) {
	t.Parallel()
	got := authParam("The header must be “Bearer <token>”, not \"Basic\\x\"; café.\n")
	if want := "The header must be 'Bearer <token>', not 'Basicx'; caf."; got != want {
		t.Errorf("authParam = %q, want %q", got, want)
	}
	for _, r := range got {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			t.Errorf("authParam kept %q", r)
		}
	}
}

// TestAPIAccountAnswersAreNotStored: what an access token reads (the
// email on /me, the progress) is Cache-Control: no-store, like the
// token responses themselves.
func TestAPIAccountAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	newAccount(t, env, "nostore", "no store password")
	access, _ := login(t, env, "nostore", "no store password")
	for _, path := range []string{"/api/v1/me", "/api/v1/progress"} {
		code, _, hdr := apiCall(t, env, "GET", path, access, nil)
		if code != 200 || hdr.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, Cache-Control %q, want no-store", path, code, hdr.Get("Cache-Control"))
		}
	}
}

// TestAPIBodyErrorsSayWhatToSend: a body of the wrong JSON shape is
// told which field to fix, in JSON terms, not with the server's Go types.
func TestAPIBodyErrorsSayWhatToSend(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for body, want := range map[string]string{
		`[1]`:                               "The body must be a JSON object.",
		`"alice"`:                           "The body must be a JSON object.",
		`{"username":5,"password":"x"}`:     `The field "username" must be a string.`,
		`{"username":"a","password":false}`: `The field "password" must be a string.`,
	} {
		rec := apiRaw(t, env, "POST", "/api/v1/token", "", "application/json", body)
		var out map[string]string
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		if rec.Code != 400 || out["error"] != "invalid_request" || out["message"] != want {
			t.Errorf("%s: %d %v, want 400 %q", body, rec.Code, out, want)
		}
	}
}

// TestAPIRefreshTokenTooLong: a refresh token longer than any the site
// issues is an invalid grant, not a missing one.
func TestAPIRefreshTokenTooLong(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	code, out, _ := apiCall(t, env, "POST", "/api/v1/token/refresh", "", map[string]string{"refresh_token": strings.Repeat("a", 600)})
	if code != 400 || out["error"] != "invalid_grant" {
		t.Errorf("a 600-character refresh token: %d %v, want 400 invalid_grant", code, out)
	}
}
