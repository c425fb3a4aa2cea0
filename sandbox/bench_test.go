package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchMe measures GET api/me through the Handler, recorder on, from
// parallel clients (run with -cpu 2 for the acceptance figure).
func benchMe(b *testing.B, header string, value func(e *labEnv) string, opts ...func(*Options)) {
	e := newEnv(b, append(opts, func(o *Options) { o.Now = time.Now })...)
	v := value(e)
	h := e.m.Handler()
	path := "/lab/" + e.id + "/api/me"
	ctx := WithOwner(context.Background(), e.owner)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
			r.Header.Set(header, v)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkMeToken(b *testing.B) {
	benchMe(b, "Authorization", func(e *labEnv) string { return "Bearer " + e.tokenLogin().AccessToken })
}

func BenchmarkMeSession(b *testing.B) {
	benchMe(b, "Cookie", func(e *labEnv) string { return e.sessionLogin() })
}

func BenchmarkMeTokenEdDSA(b *testing.B) {
	benchMe(b, "Authorization", func(e *labEnv) string {
		e.put("settings", map[string]any{"alg": "EdDSA"})
		return "Bearer " + e.tokenLogin().AccessToken
	})
}

func BenchmarkMeTokenRS256(b *testing.B) {
	benchMe(b, "Authorization", func(e *labEnv) string {
		e.put("settings", map[string]any{"alg": "RS256"})
		return "Bearer " + e.tokenLogin().AccessToken
	})
}

// BenchmarkMeTokenDenylist pays the deny-list lookup (and a larger
// snapshot) on every request.
func BenchmarkMeTokenDenylist(b *testing.B) {
	benchMe(b, "Authorization", func(e *labEnv) string {
		e.put("settings", map[string]any{"denylist": true})
		for range 50 {
			e.post("token/logout", nil, bearerH(e.tokenLogin().AccessToken)...)
		}
		return "Bearer " + e.tokenLogin().AccessToken
	})
}

// BenchmarkSnapshot is the cost of a write's decode and encode, with a
// lab in a busy state (RSA key, sessions, families, deny-list).
func BenchmarkSnapshot(b *testing.B) {
	e := newEnv(b)
	e.put("settings", map[string]any{"alg": "RS256", "denylist": true})
	for range 10 {
		e.sessionLogin()
		p := e.tokenLogin()
		e.post("token/refresh", map[string]string{"refresh_token": p.RefreshToken})
		e.post("token/logout", nil, bearerH(p.AccessToken)...)
	}
	_, blob, _ := e.m.persist.LoadLab(context.Background(), e.id)
	b.ReportAllocs()
	defer b.ReportMetric(float64(len(blob)), "blob-bytes")
	for b.Loop() {
		st, err := decodeState(blob)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(st); err != nil {
			b.Fatal(err)
		}
	}
}
