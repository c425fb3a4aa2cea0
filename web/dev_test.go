package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
)

// brokenEdit is a dev-mode course source after a broken save: the last
// good course, and the error of the edit.
type brokenEdit struct{ cat *lessons.Catalog }

func (b brokenEdit) Catalog() (*lessons.Catalog, error) {
	return b.cat, errors.New("lessons/02-sessions.md:7: unknown field \"oops\"")
}

func TestDevModeShowsContentErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	dev, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: brokenEdit{env.catalog}, Store: env.store, Keys: env.keys, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: brokenEdit{env.catalog}, Store: env.store, Keys: env.keys})
	if err != nil {
		t.Fatal(err)
	}
	path := "/lessons/" + env.catalog.Lessons[1].Slug
	page := (&testEnv{srv: dev}).do(t, "GET", path, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "The content has an error") || !strings.Contains(page.Body.String(), "02-sessions.md:7") {
		t.Errorf("dev mode: %d, the broken edit is not shown beside the last good lesson", page.Code)
	}
	if p := (&testEnv{srv: prod}).do(t, "GET", path, nil); strings.Contains(p.Body.String(), "02-sessions.md:7") {
		t.Error("outside dev mode a content error reached the page")
	}
}

var (
	assetURLRe = regexp.MustCompile(`/static/[0-9a-f]+/[a-z_]+\.(?:css|js)`)
	importMap  = regexp.MustCompile(`<script type="importmap">([^<]*)</script>`)
)

// assetURL is the URL the page links for a static file.
func assetURL(t *testing.T, page, name string) string {
	t.Helper()
	for _, u := range assetURLRe.FindAllString(page, -1) {
		if strings.HasSuffix(u, "/"+name) {
			return u
		}
	}
	t.Fatalf("the page links no %s", name)
	return ""
}

// checkImportMap: the page's import map is the one inline script the
// Content-Security-Policy allows (by its hash), and it maps the shared
// module to the URL of its current content.
func checkImportMap(t *testing.T, res *httptest.ResponseRecorder) string {
	t.Helper()
	m := importMap.FindStringSubmatch(res.Body.String())
	if m == nil {
		t.Fatal("the page has no import map")
	}
	sum := sha256.Sum256([]byte(m[1]))
	if csp := res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the policy %q does not allow the import map %s", csp, m[1])
	}
	var im struct{ Imports map[string]string }
	if err := json.Unmarshal([]byte(m[1]), &im); err != nil {
		t.Fatal(err)
	}
	if u := im.Imports["authlab/common"]; u != assetURL(t, u, "common.js") {
		t.Errorf("authlab/common maps to %q", u)
	}
	return im.Imports["authlab/common"]
}

// TestDevReloadsTemplatesAndStatic: in dev mode over files on disk, an
// edit to a stylesheet, a script or a template shows in the next
// response, under a new fingerprinted URL; a broken template shows its
// error beside the last good pages until it is fixed. Outside dev mode
// the files are read once.
func TestDevReloadsTemplatesAndStatic(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	dir := t.TempDir()
	for _, d := range []struct {
		fsys fs.FS
		name string
	}{{templateFS, "templates"}, {staticFS, "static"}} {
		sub, err := fs.Sub(d.fsys, d.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(dir, d.name), sub); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(name, old, new string) {
		t.Helper()
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if old == "" {
			b = append(b, new...)
		} else if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", name, old)
		} else {
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := os.DirFS(dir)
	srv, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: env.keys, Dev: true, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	prodSrv, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: env.keys, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	dev, prod := &testEnv{srv: srv}, &testEnv{srv: prodSrv}
	lesson := "/lessons/" + env.catalog.Lessons[0].Slug // it loads quiz.js, which imports the shared module
	get := func(e *testEnv, path string) *httptest.ResponseRecorder {
		t.Helper()
		res := e.do(t, "GET", path, nil)
		if res.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.Code)
		}
		return res
	}

	page := get(dev, lesson)
	before := map[string]string{}
	for _, name := range []string{"app.css", "quiz.js"} {
		before[name] = assetURL(t, page.Body.String(), name)
	}
	commonBefore := checkImportMap(t, page)
	prodPage := get(prod, lesson).Body.String()

	edit("static/app.css", "", "\n.dev-reload-marker { color: red; }\n")
	edit("static/quiz.js", "", "\n// dev-reload-marker\n")
	edit("static/common.js", "", "\n// dev-reload-marker\n")
	edit("templates/_layout.html", "<footer class=\"site-footer\">", "<footer class=\"site-footer\" data-dev-reload-marker>")

	page = get(dev, lesson)
	body := page.Body.String()
	if !strings.Contains(body, "data-dev-reload-marker") {
		t.Error("dev: the edited layout did not show in the next page")
	}
	for _, name := range []string{"app.css", "quiz.js"} {
		u := assetURL(t, body, name)
		if u == before[name] {
			t.Errorf("dev: %s changed, its URL %s did not", name, u)
		}
		if res := get(dev, u); !strings.Contains(res.Body.String(), "dev-reload-marker") {
			t.Errorf("dev: %s does not serve the edited %s", u, name)
		}
		if res := get(dev, before[name]); res.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("dev: the old URL of %s is cached: %q", name, res.Header().Get("Cache-Control"))
		}
	}
	if common := checkImportMap(t, page); common == commonBefore || !strings.Contains(get(dev, common).Body.String(), "dev-reload-marker") {
		t.Errorf("dev: the import map still maps the edited shared module to %s (was %s)", common, commonBefore)
	}

	// A broken template: the last good pages, and the error on them.
	edit("templates/lesson.html", "", `{{if}}`)
	if body := get(dev, lesson).Body.String(); !strings.Contains(body, "lesson.html") || !strings.Contains(body, "data-dev-reload-marker") {
		t.Error("dev: a broken template did not show its error beside the last good page")
	}
	edit("templates/lesson.html", `{{if}}`, "")
	if body := get(dev, lesson).Body.String(); strings.Contains(body, "dev-error") {
		t.Error("dev: the error stayed after the template was fixed")
	}

	if body := get(prod, lesson).Body.String(); body != prodPage {
		t.Error("outside dev mode, edited files changed the page")
	}
}
