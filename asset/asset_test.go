package asset

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestTable: a file's URL carries the hash of its bytes, text is gzipped
// when that is smaller, and the import map names each module's URL.
func TestTable(t *testing.T) {
	fsys := fstest.MapFS{
		"static/app.css":     {Data: []byte(strings.Repeat("body { color: red }\n", 50))},
		"static/common.js":   {Data: []byte("export const x = 1;\n")},
		"static/img/dot.png": {Data: []byte("\x89PNG")},
	}
	a, err := Load(fsys, map[string][]byte{"chroma.css": []byte(".c{}")})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.URL("app.css")
	if err != nil || !strings.HasPrefix(u, "/static/") || !strings.HasSuffix(u, "/app.css") || len(u) != len("/static/")+12+len("/app.css") {
		t.Errorf("URL(app.css) = %q, %v", u, err)
	}
	if _, err := a.URL("nope.css"); err == nil {
		t.Error("URL of an unknown file: no error")
	}
	css, _ := a.Lookup("app.css")
	if css.Type != "text/css; charset=utf-8" || css.Gzipped() == nil || len(css.Gzipped()) >= len(css.Body) {
		t.Errorf("app.css: type %q, gzip %d of %d bytes", css.Type, len(css.Gzipped()), len(css.Body))
	}
	if png, ok := a.Lookup("img/dot.png"); !ok || png.Gzipped() != nil || png.Type != "image/png" {
		t.Errorf("img/dot.png: %+v", png)
	}
	if _, ok := a.Lookup("chroma.css"); !ok {
		t.Error("extra file missing")
	}
	html, csp, err := a.ImportMap(map[string]string{"authlab/common": "common.js"})
	js, _ := a.URL("common.js")
	if err != nil || !strings.Contains(string(html), `"authlab/common":"`+js+`"`) || !strings.HasPrefix(csp, "sha256-") {
		t.Errorf("ImportMap: %s %s %v", html, csp, err)
	}
	if _, _, err := a.ImportMap(map[string]string{"x": "missing.js"}); err == nil {
		t.Error("ImportMap of a missing module: no error")
	}
	if !Known("a/b.woff2") || Known("a.exe") {
		t.Error("Known")
	}
}
