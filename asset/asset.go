package asset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"
)

// File is one static file, held in memory with its gzip form, which is
// made on first request (at start-up it would delay the first lesson).
type File struct {
	Name, Hash, Type string
	Body             []byte
	compressible     bool
	gzOnce           sync.Once
	gz               []byte
}

// Gzipped returns the gzip form, or nil when it would not be smaller.
func (f *File) Gzipped() []byte {
	f.gzOnce.Do(func() {
		if !f.compressible {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(f.Body) // a bytes.Buffer does not fail
		_ = zw.Close()
		if buf.Len() < len(f.Body) {
			f.gz = buf.Bytes()
		}
	})
	return f.gz
}

// Table is the static files under /static/{hash}/{name}. The hash
// changes whenever the file does, so clients may cache forever.
type Table struct {
	byName map[string]*File
}

// Load reads every file under static/ in fsys once and adds extra
// generated files (such as the highlighting stylesheet).
func Load(fsys fs.FS, extra map[string][]byte) (*Table, error) {
	a := &Table{byName: map[string]*File{}}
	sub, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("asset: static files: %w", err)
	}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		a.add(p, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("asset: static files: %w", err)
	}
	for name, b := range extra {
		a.add(name, b)
	}
	return a, nil
}

func (a *Table) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	ct := typeOf(name)
	a.byName[name] = &File{Name: name, Hash: hex.EncodeToString(sum[:6]), Type: ct, Body: b,
		compressible: strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg") || strings.Contains(ct, "json")}
}

// types are the types of the files we ship. Asking the mime package
// instead would load the system's whole type table (/etc/mime.types:
// about 2 MB of heap for the life of the process) to learn these few.
var types = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

// Known reports whether name's type is known without the system's mime
// table.
func Known(name string) bool {
	_, ok := types[path.Ext(name)]
	return ok
}

func typeOf(name string) string {
	ext := path.Ext(name)
	if ct, ok := types[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Lookup is the file named name (its path under static/).
func (a *Table) Lookup(name string) (*File, bool) {
	f, ok := a.byName[name]
	return f, ok
}

// URL returns the cache-busting URL of a static file. Templates call it
// as {{asset "app.css"}}; an unknown name fails the page's rendering.
func (a *Table) URL(name string) (string, error) {
	f, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("asset: no static file %q", name)
	}
	return "/static/" + f.Hash + "/" + f.Name, nil
}

// ImportMap is the page's <script type="importmap"> element for modules
// (import specifier → file name), and the CSP source ('sha256-…') that
// allows this inline script and no other.
func (a *Table) ImportMap(modules map[string]string) (template.HTML, string, error) {
	imports := map[string]string{}
	for spec, name := range modules {
		u, err := a.URL(name)
		if err != nil {
			return "", "", err
		}
		imports[spec] = u
	}
	body, err := json.Marshal(map[string]any{"imports": imports}) // sorted keys, < > & escaped
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(body)
	return template.HTML(`<script type="importmap">` + string(body) + `</script>`),
		"sha256-" + base64.StdEncoding.EncodeToString(sum[:]), nil
}
