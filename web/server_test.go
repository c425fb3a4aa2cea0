package web

import (
	"cmp"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlab/authlab/asset"
	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/siteauth"
)

// testEnv is a real server over the shipped course and a SQLite file in
// a temporary directory.
type testEnv struct {
	srv     *Server
	store   *progress.Store
	catalog *lessons.Catalog
	keys    *siteauth.KeyRing
}

// shippedCourse is the embedded course, loaded once per test binary
// (about 200 ms a load; a catalog is read-only once loaded, so every
// server in the binary can share it).
var shippedCourse = sync.OnceValues(func() (*lessons.Catalog, error) { return lessons.Load(content.FS) })

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvOver(t, progress.Config{DataDir: t.TempDir()}, filepath.Join(t.TempDir(), "keys"))
}

// newTestEnvOver is a real server over the given database and key
// directory: two calls with the same ones are two replicas of one site.
// more adjusts the server's dependencies (Redis sessions, a hub…).
func newTestEnvOver(t testing.TB, db progress.Config, keysDir string, more ...func(*Deps)) *testEnv {
	t.Helper()
	cat, err := shippedCourse()
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	db.Logger = log
	store, err := progress.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	keys, err := siteauth.LoadKeyRing(keysDir, time.Now())
	if err != nil {
		t.Fatalf("keys: %v", err)
	}
	d := Deps{Logger: log, Catalog: lessons.Static(cat), Store: store, Keys: keys, Version: "test"}
	for _, f := range more {
		f(&d)
	}
	srv, err := newTestServer(t, d)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	return &testEnv{srv: srv, store: store, catalog: cat, keys: keys}
}

// newTestServer is NewServer with, unless d has one, the lab plane that
// run builds (serve.go, labs.go): labs kept in the store, each milestone
// recorded for the learner under its panel. It is closed when t ends.
func newTestServer(t testing.TB, d Deps) (*Server, error) {
	if d.Labs == nil {
		log := d.Logger
		d.Labs = sandbox.New(sandbox.Options{Persist: d.Store.Labs(), Logger: log, SecureCookies: d.SecureCookies,
			OnMilestone: func(owner, _, milestone string) {
				panel := cmp.Or(sandbox.PanelOf(milestone), "twin-login")
				if _, err := d.Store.ReachMilestone(context.Background(), owner, panel, milestone); err != nil {
					log.Warn("record lab milestone", "err", err)
				}
			}})
		t.Cleanup(d.Labs.Close)
	}
	s, err := NewServer(d)
	if err == nil {
		// Every test that shows a lesson page twice checks that the kept
		// page is the page (lesson_cache.go); benchmarks measure the cache.
		_, bench := t.(*testing.B)
		s.personal.Verify = !bench
	}
	return s, err
}

// do sends one request through the real handler.
func (e *testEnv) do(t testing.TB, method, path string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

func TestPages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first := env.catalog.Lessons[0]
	second := env.catalog.Lessons[1]
	tests := []struct {
		path     string
		status   int
		title    string
		contains []string
	}{
		{"/", 200, env.catalog.Title, []string{`href="/lessons/` + first.Slug + `"`, "Course map", `aria-current="page"`}},
		{"/lessons/" + second.Slug, 200, second.Title + " · " + env.catalog.Title, []string{
			`rel="prev" href="/lessons/` + first.Slug + `"`, `data-key="ArrowLeft"`, `class="toc"`, "<svg", `role="img"`}},
		{"/lessons/" + first.Slug, 200, first.Title, []string{`rel="next"`}},
		{"/lessons/no-such-lesson", 404, "Page not found", []string{"no lesson called"}},
		{"/nope", 404, "Page not found", []string{"course map"}},
		{"/lessons/../../etc/passwd", 404, "", nil},
		// Error pages are headed in words, not in the status line's
		// ("Bad Request"): the code stands above the heading.
		{"/interview/drill?n=abc", 400, "That request could not be used", []string{`<p class="error-status">400</p>`, "<h1>That request could not be used</h1>"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := env.do(t, "GET", tt.path, nil)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			body := rec.Body.String()
			if tt.title != "" {
				m := titleRe.FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tt.title) {
					t.Errorf("title %q does not contain %q", m, tt.title)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body does not contain %q", c)
				}
			}
			assertSecurityHeaders(t, rec.Result())
		})
	}
}

// A method an address does not take gets the error page, headed in
// words.
func TestMethodNotAllowedPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	rec := env.do(t, "DELETE", "/glossary", nil)
	if rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Body.String(), "<h1>This address does not take that kind of request</h1>") {
		t.Errorf("DELETE /glossary: %d\n%s", rec.Code, rec.Body.String())
	}
}

func assertSecurityHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	if resp.Header.Get("Referrer-Policy") == "" {
		t.Error("no Referrer-Policy")
	}
}

var assetRe = regexp.MustCompile(`(?:href|src)="(/static/[0-9a-f]+/[^"]+)"`)

func TestHashedAssets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	body := env.do(t, "GET", "/", nil).Body.String()
	urls := assetRe.FindAllStringSubmatch(body, -1)
	if len(urls) < 4 {
		t.Fatalf("found %d asset URLs in the home page, want ≥4", len(urls))
	}
	for _, m := range urls {
		rec := env.do(t, "GET", m[1], nil, "Accept-Encoding", "gzip")
		if rec.Code != 200 {
			t.Errorf("%s: status %d", m[1], rec.Code)
			continue
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want a year, immutable", m[1], cc)
		}
		if strings.HasSuffix(m[1], ".css") && rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzip-compressed", m[1])
		}
		want := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}[path.Ext(m[1])]
		if ct := rec.Header().Get("Content-Type"); want != "" && ct != want {
			t.Errorf("%s: Content-Type %q, want %q", m[1], ct, want)
		}
		etag := rec.Header().Get("ETag")
		if nm := env.do(t, "GET", m[1], nil, "If-None-Match", etag); nm.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match gave %d, want 304", m[1], nm.Code)
		}
	}
	stale := env.do(t, "GET", "/static/000000000000/app.css", nil)
	if stale.Code != 200 || strings.Contains(stale.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("stale hash: %d %q, want 200 with a short cache", stale.Code, stale.Header().Get("Cache-Control"))
	}
	if rec := env.do(t, "GET", "/static/abc/nope.css", nil); rec.Code != 404 {
		t.Errorf("unknown asset: %d, want 404", rec.Code)
	}
}

// TestAssetTypesKnown: every file we ship has its type in asset's table, so
// serving them never loads the system's mime table.
func TestAssetTypesKnown(t *testing.T) {
	t.Parallel()
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if !asset.Known(p) {
				t.Errorf("%s: extension %q is not in asset's types", p, path.Ext(p))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGzipPages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	path := "/lessons/" + env.catalog.Lessons[0].Slug
	plain := env.do(t, "GET", path, nil)
	gz := env.do(t, "GET", path, nil, "Accept-Encoding", "gzip, deflate")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzip: encoding %q, %d bytes vs %d plain", gz.Header().Get("Content-Encoding"), gz.Body.Len(), plain.Body.Len())
	}
	if no := env.do(t, "GET", path, nil, "Accept-Encoding", "gzip;q=0"); no.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent although q=0")
	}
}

func TestHealthAndReady(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if rec := env.do(t, "GET", "/healthz", nil); rec.Code != 200 {
		t.Errorf("/healthz %d", rec.Code)
	}
	rec := env.do(t, "GET", "/readyz", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ready":true`) {
		t.Errorf("/readyz %d %s", rec.Code, rec.Body)
	}
	env.store.Close()
	if rec := env.do(t, "GET", "/readyz", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database closed: %d, want 503", rec.Code)
	}
}

func TestMethodNotAllowedAndJSONErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if rec := env.do(t, "DELETE", "/", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE / = %d, want 405", rec.Code)
	}
	rec := env.do(t, "GET", "/lessons/nope", nil, "Accept", "application/json")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"message"`) {
		t.Errorf("JSON 404: %d %s", rec.Code, rec.Body)
	}
}
