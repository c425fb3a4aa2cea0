package pageset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLoaderReloads: a watching loader picks up an edited template and
// static file on Refresh, and a broken edit keeps the last good set with
// the error; the import map's hash is in the set's CSP.
func TestLoaderReloads(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, at time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Unix(1_000_000, 0)
	write("templates/_layout.html", `{{define "layout"}}<link href="{{asset "app.css"}}">{{importMap}}{{template "personal:x" .}}{{end}}{{define "personal:x"}}x{{end}}`, t0)
	write("templates/home.html", `{{define "title"}}v1{{end}}`, t0)
	write("static/app.css", "a{}", t0)
	write("static/common.js", "export {}", t0)
	fsys := os.DirFS(dir)
	l, err := NewLoader(Config{Templates: fsys, Static: fsys, Modules: map[string]string{"kit": "common.js"},
		Composed: []string{"home"}, CSP: "default-src 'self'; script-src 'self'", Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	first := l.Set()
	if first.Frames["home"] == nil || !strings.Contains(first.CSP, "script-src 'self' 'sha256-") {
		t.Fatalf("first set: frames %v, CSP %q", first.Frames, first.CSP)
	}
	l.Refresh()
	if l.Set() != first {
		t.Fatal("Refresh without a change made a new set")
	}
	write("static/app.css", "b{}", t0.Add(time.Second))
	l.Refresh()
	u1, _ := first.Assets.URL("app.css")
	u2, _ := l.Set().Assets.URL("app.css")
	if l.Set() == first || u1 == u2 {
		t.Fatalf("an edited stylesheet: URL %s then %s", u1, u2)
	}
	good := l.Set()
	write("templates/home.html", `{{template "nowhere"}}`, t0.Add(2*time.Second))
	l.Refresh()
	if s := l.Set(); s.Err == nil || s.Pages["home"] != good.Pages["home"] {
		t.Fatalf("a broken edit: err %v; want the last good set with the error", s.Err)
	}
}
