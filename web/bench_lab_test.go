package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkLabMe: GET /lab/{id}/api/me through the whole site (gin,
// middleware, the site session naming the owner, the lab state read from
// SQLite, the recorder on), with a lab session cookie and with a lab JWT,
// each beside the browser's site cookie, and a plain net/http handler
// writing the same answer. The *-lookup variants look the site session up
// on every request, as before lab_owner.go. Besides ns/op and req/s each
// reports cpu-ns/op, the process's CPU time per request (bench_cpu_test.go),
// which a loaded machine disturbs less. The *-wire variants take the same
// requests over loopback at 32 connections, as issue 17 measured them
// with wrk (wireLoad).
func BenchmarkLabMe(b *testing.B) {
	env := newTestEnv(b)
	site := signedInCookie(b, env, "bench_lab")
	req := func(method, path, body string, hdr ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Cookie", site)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		env.srv.ServeHTTP(w, r)
		return w
	}
	w := req("POST", "/lab", "", "Accept", "application/json", "Content-Type", "application/x-www-form-urlencoded")
	var lab struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &lab)
	base := "/lab/" + lab.ID
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}.Encode()
	w = req("POST", base+"/session/login", creds, "Content-Type", "application/x-www-form-urlencoded")
	labSID := strings.Split(w.Header().Get("Set-Cookie"), ";")[0]
	w = req("POST", base+"/token/login", creds, "Content-Type", "application/x-www-form-urlencoded")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(w.Body.Bytes(), &tok)
	w = req("GET", base+"/api/me", "", "Authorization", "Bearer "+tok.AccessToken)
	answer, hdr := w.Body.Bytes(), w.Header().Clone()
	baseline := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range hdr {
			w.Header()[k] = v
		}
		w.Write(answer)
	})
	for _, bc := range []struct {
		name   string
		h      http.Handler
		header [2]string
		lookup bool
	}{
		{"baseline", baseline, [2]string{"Authorization", "Bearer " + tok.AccessToken}, false},
		{"session", env.srv, [2]string{"Cookie", site + "; " + labSID}, false},
		{"token", env.srv, [2]string{"Authorization", "Bearer " + tok.AccessToken}, false},
		{"session-lookup", env.srv, [2]string{"Cookie", site + "; " + labSID}, true},
		{"token-lookup", env.srv, [2]string{"Authorization", "Bearer " + tok.AccessToken}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env.srv.labOwners.Off = bc.lookup
			defer func() { env.srv.labOwners.Off = false }()
			b.ReportAllocs()
			reportCPU(b, func() {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						r := httptest.NewRequest("GET", base+"/api/me", nil)
						if bc.header[0] == "Authorization" {
							r.Header.Set("Cookie", site)
						}
						r.Header.Set(bc.header[0], bc.header[1])
						w := httptest.NewRecorder()
						bc.h.ServeHTTP(w, r)
						if w.Code != http.StatusOK {
							b.Fatalf("status %d: %s", w.Code, w.Body)
						}
					}
				})
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
	// The same over loopback, loaded as wrk loads a server (wireLoad):
	// how issue 17 measured.
	for _, bc := range []struct {
		name   string
		h      http.Handler
		header [2]string
	}{
		{"baseline-wire", baseline, [2]string{"Authorization", "Bearer " + tok.AccessToken}},
		{"session-wire", env.srv, [2]string{"Cookie", site + "; " + labSID}},
		{"token-wire", env.srv, [2]string{"Authorization", "Bearer " + tok.AccessToken}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			hdr := []string{bc.header[0], bc.header[1]}
			if bc.header[0] == "Authorization" {
				hdr = append(hdr, "Cookie", site)
			}
			wireLoad(b, bc.h, wireGET(base+"/api/me", hdr...))
		})
	}
}
