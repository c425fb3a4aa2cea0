package web

import (
	"context"
	"os"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// signedInCookie signs up through the real handler and returns the
// session cookie header.
func signedInCookie(b *testing.B, env *testEnv, name string) string {
	b.Helper()
	req := httptest.NewRequest("POST", "/signup", strings.NewReader(url.Values{"username": {name}, "password": {"benchmark password"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("sign up: %d", rec.Code)
	}
	return strings.Split(rec.Header().Get("Set-Cookie"), ";")[0]
}

// BenchmarkAuthenticatedPage: a lesson page for a visitor without a
// session, rendered (baseline) and from the shared page cache, and for a
// signed-in account whose session lives in SQLite (lookup on every
// request, progress and quiz state read, page rendered for them).
func BenchmarkAuthenticatedPage(b *testing.B) {
	env := newTestEnv(b)
	path := "/lessons/" + env.catalog.Lessons[1].Slug
	cookie := signedInCookie(b, env, "bench_user")
	type variant struct {
		name, cookie string
		cached       bool
		srv          *Server
	}
	variants := []variant{{"anonymous-cached", "", true, env.srv}, {"anonymous", "", false, env.srv}, {"session", cookie, false, env.srv}}
	if ru := os.Getenv("AUTHLAB_TEST_REDIS_URL"); ru != "" {
		// The same site with its sessions in Redis.
		rdb, err := progress.OpenRedis(context.Background(), ru)
		if err != nil {
			b.Fatal(err)
		}
		defer rdb.Close()
		prefix := "authlab-bench:" + siteauth.RandomToken(6) + ":"
		rsrv, err := newTestServer(b, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: env.keys,
			Sessions: progress.NewRedisSessions(rdb, prefix)})
		if err != nil {
			b.Fatal(err)
		}
		renv := &testEnv{srv: rsrv, store: env.store, catalog: env.catalog, keys: env.keys}
		variants = append(variants, variant{"session-redis", signedInCookie(b, renv, "bench_redis"), false, rsrv})
		defer func() {
			ctx := context.Background()
			iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
			for iter.Next(ctx) {
				rdb.Del(ctx, iter.Val())
			}
		}()
	}
	for _, bc := range variants {
		b.Run(bc.name, func(b *testing.B) {
			env.srv.pages.off = !bc.cached
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("GET", path, nil)
					if bc.cookie != "" {
						req.Header.Set("Cookie", bc.cookie)
					}
					rec := httptest.NewRecorder()
					bc.srv.ServeHTTP(rec, req)
					if rec.Code != 200 || (bc.cookie != "" && !strings.Contains(rec.Body.String(), "bench_")) {
						b.Fatalf("status %d", rec.Code)
					}
				}
			})
		})
	}
}

// BenchmarkAPIMe: GET /api/v1/me with a JWT, beside the same handler
// behind no authentication at all, and beside a plain net/http handler
// that writes the very bytes and headers the jwt request gets (the
// floor: what any Go server pays to answer, here on the same
// httptest transport). Each reports cpu-ns/op as well (bench_cpu_test.go).
// plain-wire and jwt-wire take the same request over loopback at 32
// connections, as issue 17 measured it with wrk (wireLoad).
func BenchmarkAPIMe(b *testing.B) {
	env := newTestEnv(b)
	id := newAccount(b, env, "bench_api", "benchmark password")
	access, _ := login(b, env, "bench_api", "benchmark password")
	// The same handler on the same engine (every middleware), minus the
	// bearer check: the difference is what authentication costs.
	api := &apiHandlers{kernel: env.srv.kernel, store: env.srv.store}
	env.srv.engine.GET("/bench/me", func(c *gin.Context) { c.Set(apiLearner, id); api.apiMe(c) })
	first := httptest.NewRequest("GET", "/api/v1/me", nil)
	first.Header.Set("Authorization", "Bearer "+access)
	w := httptest.NewRecorder()
	env.srv.ServeHTTP(w, first)
	if w.Code != http.StatusOK {
		b.Fatalf("status %d: %s", w.Code, w.Body)
	}
	answer, hdr := w.Body.Bytes(), w.Header().Clone()
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range hdr {
			w.Header()[k] = v
		}
		w.Write(answer)
	})
	for _, bc := range []struct {
		name, path, token string
		h                 http.Handler
	}{{"plain", "/api/v1/me", access, plain}, {"no-auth", "/bench/me", "", env.srv}, {"jwt", "/api/v1/me", access, env.srv}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			reportCPU(b, func() {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req := httptest.NewRequest("GET", bc.path, nil)
						if bc.token != "" {
							req.Header.Set("Authorization", "Bearer "+bc.token)
						}
						rec := httptest.NewRecorder()
						bc.h.ServeHTTP(rec, req)
						if rec.Code != 200 {
							b.Fatalf("status %d: %s", rec.Code, rec.Body)
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
		name string
		h    http.Handler
	}{{"plain-wire", plain}, {"jwt-wire", env.srv}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			wireLoad(b, bc.h, wireGET("/api/v1/me", "Authorization", "Bearer "+access))
		})
	}
}
