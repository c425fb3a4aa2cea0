package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkLessonPage is the lesson handler alone, through the engine.
func BenchmarkLessonPage(b *testing.B) {
	env := newTestEnv(b)
	path := "/lessons/" + env.catalog.Lessons[1].Slug
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			env.srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkRoundTrip compares a whole HTTP round trip of a lesson page
// with a plain net/http handler that writes the very same bytes: the
// ratio is what gin, middleware and rendering cost per request.
func BenchmarkRoundTrip(b *testing.B) {
	env := newTestEnv(b)
	path := "/lessons/" + env.catalog.Lessons[1].Slug
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	page, hdr := rec.Body.Bytes(), rec.Header()
	baseline := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range hdr {
			w.Header()[k] = v
		}
		_, _ = w.Write(page)
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"baseline", baseline}, {"authlab", env.srv}} {
		b.Run(bc.name, func(b *testing.B) {
			ts := httptest.NewServer(bc.h)
			defer ts.Close()
			tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(ts.URL + path)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		})
	}
}
