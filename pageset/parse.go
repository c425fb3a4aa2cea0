package pageset

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"strings"
)

// Shared templates live in files named _*.html; a page parses only the
// ones it uses (through its own or the layout's {{template}} calls,
// followed transitively), not every shared file: the lab panels and the
// quiz are most of the shared text, and each page's set is its own copy.
var (
	defineRe   = regexp.MustCompile(`{{-?\s*(?:define|block)\s+"([^"]+)"`)
	templateRe = regexp.MustCompile(`{{-?\s*(?:template|block)\s+"([^"]+)"`)
)

const layoutFile = "templates/_layout.html"

// Parse parses every page template in fsys (templates/[a-z]*.html) with
// the layout and the shared ones it uses, keyed by the page's name (the
// file name without .html).
func Parse(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	shared, err := fs.Glob(fsys, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	definedIn := map[string]string{} // template name → shared file
	uses := map[string][]string{}    // file → template names it calls
	for _, f := range shared {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		for _, m := range defineRe.FindAllSubmatch(src, -1) {
			definedIn[string(m[1])] = f
		}
		uses[f] = submatches(templateRe, src)
	}
	files, err := fs.Glob(fsys, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("pageset: no page templates (templates/*.html)")
	}
	pages := map[string]*template.Template{}
	for _, p := range files {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		own := map[string]bool{}
		for _, name := range submatches(defineRe, src) {
			own[name] = true
		}
		files := []string{layoutFile}
		need := append(submatches(templateRe, src), uses[layoutFile]...)
		for len(need) > 0 {
			name := need[len(need)-1]
			need = need[:len(need)-1]
			if own[name] {
				continue
			}
			f, ok := definedIn[name]
			if !ok {
				return nil, fmt.Errorf("pageset: %s uses template %q, which no templates/_*.html defines", p, name)
			}
			if !slices.Contains(files, f) {
				files = append(files, f)
				need = append(need, uses[f]...)
			}
		}
		t, err := template.New("").Funcs(funcs).ParseFS(fsys, append(files, p)...)
		if err != nil {
			return nil, fmt.Errorf("pageset: parse %s: %w", p, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		pages[name] = t
	}
	return pages, nil
}

// submatches is every first capture of re in src.
func submatches(re *regexp.Regexp, src []byte) []string {
	var out []string
	for _, m := range re.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}
