package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// hostileCase is one malformed or malicious request.
type hostileCase struct {
	method, path, ctype, body string
	hdr                       map[string]string
}

// hostileCases builds the table: every state-changing endpoint with
// broken bodies, every page with traversal and garbage in its path, and
// garbage credentials in cookies and headers.
func hostileCases(lessonSlug, quizID string) []hostileCase {
	const form = "application/x-www-form-urlencoded"
	const js = "application/json"
	big := strings.Repeat("A", 1<<20)
	bodies := []struct{ ctype, body string }{
		{form, "%zz%"}, {form, big}, {form, "username=\xff\xfe&password=\xc3\x28"}, {form, strings.Repeat("a=b&", 20000)},
		{js, "{"}, {js, `{"username": ["x"]}`}, {js, big}, {js, "\xff\xfe"}, {"text/plain", "hello"},
		{"multipart/form-data; boundary=x", "--x\r\nbroken"}, {"", ""},
	}
	posts := []string{
		"/signup", "/signin", "/signout", "/account/delete", "/account/sessions/revoke-others",
		"/account/sessions/" + strings.Repeat("f", 64) + "/revoke", "/lab", "/api/v1/token", "/api/v1/token/refresh",
		"/lessons/" + lessonSlug + "/complete", "/lessons/" + lessonSlug + "/visit", "/lessons/" + lessonSlug + "/quiz/" + quizID,
		"/lessons/" + lessonSlug + "/quiz/no-such-quiz", "/lessons/no-such-lesson/quiz/" + quizID,
	}
	var out []hostileCase
	for _, p := range posts {
		for _, b := range bodies {
			out = append(out, hostileCase{method: "POST", path: p, ctype: b.ctype, body: b.body})
		}
	}
	for _, p := range []string{
		"/lessons/../../etc/passwd", "/lessons/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/lessons/" + strings.Repeat("x", 5000),
		"/lessons/%00", "/lessons/%ff%fe", "/static/deadbeef/../../go.mod", "/static/x/%2e%2e/app.css", "/static/" + strings.Repeat("a", 300) + "/app.js",
		"/lab/not-a-lab-id/", "/lab/" + strings.Repeat("0", 32) + "/api/me", "/lab/../account/sessions", "/lab/%00/trace",
		"/lessons/" + lessonSlug + "/quiz/" + quizID + "/answer", "/lessons/" + lessonSlug + "/quiz/%00/answer",
		"/review?x=%zz", "/signin?next=//evil.example", "/signin?next=" + url.QueryEscape("javascript:alert(1)"),
		"/api/v1/me", "/api/v1/progress", "/account/export", "/w/ZZZZZZ", "/workshops/does-not-exist", "/interview/drill?topic=%00",
	} {
		out = append(out, hostileCase{method: "GET", path: p})
	}
	tokens := []string{"", "Bearer", "Bearer ", "Bearer a.b.c", "Bearer " + strings.Repeat("x", 10000), "Basic Zm9vOmJhcg==",
		"Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "Bearer \xff\xfe.\x00.x", "bearer\ttab", "Bearer a.b.c\r\nX-Injected: 1"}
	for _, tok := range tokens {
		for _, p := range []string{"/api/v1/me", "/api/v1/progress", "/api/v1/logout"} {
			m := "GET"
			if p == "/api/v1/logout" {
				m = "POST"
			}
			out = append(out, hostileCase{method: m, path: p, hdr: map[string]string{"Authorization": tok}})
		}
	}
	cookies := []string{"authlab=", "authlab=garbage", "authlab=" + strings.Repeat("A", 4000), "authlab=%zz", "authlab=\xff",
		"authlab=MTcwMDAwMDAwMHxabc|def", "lab_sid=whatever; authlab=x", "authlab=a; authlab=b", `authlab="quoted"`}
	for _, ck := range cookies {
		for _, p := range []string{"/", "/account/sessions", "/review", "/lessons/" + lessonSlug} {
			out = append(out, hostileCase{method: "GET", path: p, hdr: map[string]string{"Cookie": ck}})
		}
	}
	for _, h := range []map[string]string{
		{"Accept": "application/json"}, {"Accept": strings.Repeat("x/y,", 2000)}, {"Accept-Encoding": "gzip;q=banana"},
		{"X-Forwarded-For": "not-an-ip"}, {"X-Request-ID": "evil\r\nSet-Cookie: a=b"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
		{"Content-Length": "5"}, {"Host": "evil.example"}, {"Range": "bytes=9999999-"},
	} {
		out = append(out, hostileCase{method: "POST", path: "/signin", ctype: "application/x-www-form-urlencoded", body: "username=a&password=b", hdr: h})
		out = append(out, hostileCase{method: "GET", path: "/lessons/" + lessonSlug, hdr: h})
	}
	for _, m := range []string{"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
		out = append(out, hostileCase{method: m, path: "/signin"}, hostileCase{method: m, path: "/api/v1/token"})
	}
	return out
}

// TestHostileInput: every malformed request gets an answer below 500
// with a reason; nothing panics.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first := env.catalog.Lessons[0]
	cases := hostileCases(first.Slug, first.Quizzes[0].ID)
	if len(cases) < 200 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	for i, tc := range cases {
		req := httptest.NewRequest(tc.method, "http://example.com/", strings.NewReader(tc.body))
		req.URL.RawPath = ""
		if u, err := url.ParseRequestURI(tc.path); err == nil {
			req.URL = u
		} else {
			req.URL.Path = tc.path
		}
		req.RequestURI = tc.path
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		for k, v := range tc.hdr {
			if k == "Host" {
				req.Host = v
			}
			req.Header[k] = []string{v}
		}
		rec := httptest.NewRecorder()
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("case %d %s %.80s: panic %v", i, tc.method, tc.path, v)
				}
			}()
			env.srv.ServeHTTP(rec, req)
		}()
		desc := fmt.Sprintf("case %d: %s %.80s (%s, %d-byte body, %v)", i, tc.method, tc.path, tc.ctype, len(tc.body), tc.hdr)
		if rec.Code >= 500 {
			t.Errorf("%s: %d\n%.300s", desc, rec.Code, rec.Body.String())
		}
		if rec.Code >= 400 && rec.Code != http.StatusMethodNotAllowed && rec.Body.Len() == 0 && tc.method != "HEAD" {
			t.Errorf("%s: %d without a reason", desc, rec.Code)
		}
		if v := rec.Header().Get("X-Injected"); v != "" || strings.Contains(rec.Header().Get("X-Request-ID"), "\n") {
			t.Errorf("%s: header injection", desc)
		}
	}
	t.Logf("%d hostile requests, none answered 5xx", len(cases))
}
