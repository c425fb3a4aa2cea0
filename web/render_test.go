package web

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

// Each page parses the shared files it uses, followed through the layout
// and through shared files that call each other, and no others; a call to
// a template defined nowhere fails at start, not on some later request.
func TestRendererParsesWhatEachPageUses(t *testing.T) {
	t.Parallel()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"templates/_layout.html": file(`{{define "layout"}}<main>{{template "content" .}}</main>{{template "footer"}}{{end}}`),
		"templates/_footer.html": file(`{{define "footer"}}<footer>f</footer>{{end}}`),
		"templates/_quiz.html":   file(`{{define "quiz"}}Q{{template "quiz-mark"}}{{end}}{{define "quiz-mark"}}✓{{end}}`),
		"templates/_lab.html":    file(`{{define "lab-panel"}}L{{end}}`),
		"templates/lesson.html":  file(`{{define "content"}}{{template "quiz" .}}{{end}}`),
		"templates/home.html":    file(`{{define "content"}}home{{end}}`),
		"static/common.js":       file(`export {};`), // the import map's modules
		"static/lab_kit.js":      file(`export {};`),
	}
	r, err := newRenderer(fsys, fsys, nil, template.FuncMap{}, false)
	if err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]string{"lesson": "<main>Q✓</main><footer>f</footer>", "home": "<main>home</main><footer>f</footer>"} {
		buf, err := r.execute(page, nil)
		if err != nil || buf.String() != want {
			t.Errorf("%s: %q, %v; want %q", page, buf, err, want)
		}
	}
	if pages := r.set().Pages; pages["home"].Lookup("quiz") != nil || pages["lesson"].Lookup("lab-panel") != nil {
		t.Error("a page parsed shared templates it never uses")
	}

	fsys["templates/broken.html"] = file(`{{define "content"}}{{template "nowhere"}}{{end}}`)
	if _, err := newRenderer(fsys, fsys, nil, template.FuncMap{}, false); err == nil || !strings.Contains(err.Error(), `broken.html uses template "nowhere"`) {
		t.Errorf("an undefined template: %v", err)
	}
}
