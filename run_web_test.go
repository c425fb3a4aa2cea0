package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunDevWebDir: `authlab --dev --web DIR` serves the templates and
// static files of DIR and shows an edit on the next request (the web
// package's TestDevReloadsTemplatesAndStatic covers every kind of edit).
func TestRunDevWebDir(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"templates", "static"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("web", d))); err != nil {
			t.Fatal(err)
		}
	}
	base, _, logs := startRun(t, "--dev", "--web", dir)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, logs)
		}
		return string(b)
	}
	css := regexp.MustCompile(`/static/[0-9a-f]+/app\.css`)
	before := css.FindString(get("/"))
	f, err := os.OpenFile(filepath.Join(dir, "static", "app.css"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n.run-dev-marker { color: red; }\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	after := css.FindString(get("/"))
	if before == "" || after == before || !strings.Contains(get(after), "run-dev-marker") {
		t.Errorf("the edited stylesheet did not show: %q then %q", before, after)
	}
}
