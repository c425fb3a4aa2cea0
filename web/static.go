package web

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
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// asset is one static file, held in memory with its gzip form, which is
// made on first request (at start-up it would delay the first lesson).
type asset struct {
	name, hash, ctype string
	body              []byte
	compressible      bool
	gzOnce            sync.Once
	gz                []byte
}

// gzipped returns the gzip form, or nil when it would not be smaller.
func (as *asset) gzipped() []byte {
	as.gzOnce.Do(func() {
		if !as.compressible {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(as.body) // a bytes.Buffer does not fail
		_ = zw.Close()
		if buf.Len() < len(as.body) {
			as.gz = buf.Bytes()
		}
	})
	return as.gz
}

// assets serves the static files under /static/{hash}/{name}. The hash
// changes whenever the file does, so clients may cache forever.
type assets struct {
	byName map[string]*asset
}

// loadAssets reads every file under static/ in fsys once and adds extra
// generated files (such as the highlighting stylesheet).
func loadAssets(fsys fs.FS, extra map[string][]byte) (*assets, error) {
	a := &assets{byName: map[string]*asset{}}
	sub, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		return a.add(p, b)
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	for name, b := range extra {
		if err := a.add(name, b); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *assets) add(name string, b []byte) error {
	sum := sha256.Sum256(b)
	ct := assetType(name)
	as := &asset{name: name, hash: hex.EncodeToString(sum[:6]), ctype: ct, body: b,
		compressible: strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg") || strings.Contains(ct, "json")}
	a.byName[name] = as
	return nil
}

// assetTypes are the types of the files we ship. Asking the mime package
// instead would load the system's whole type table (/etc/mime.types:
// about 2 MB of heap for the life of the process) to learn these few.
var assetTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

func assetType(name string) string {
	ext := path.Ext(name)
	if ct, ok := assetTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// URL returns the cache-busting URL of a static file. Templates call it
// as {{asset "app.css"}}; an unknown name fails the page's rendering.
func (a *assets) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + as.hash + "/" + as.name, nil
}

// serve serves /static/{hash}/{name}. A stale hash gets the current file
// with a short cache lifetime, so a page cached across a deploy still
// finds its stylesheet; in dev mode (files that change under the server)
// none, so the next reload asks again.
func (a *assets) serve(w http.ResponseWriter, r *http.Request, hash, name string, dev bool) {
	as, ok := a.byName[strings.TrimPrefix(name, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.ctype)
	h.Set("Vary", "Accept-Encoding")
	switch {
	case hash == as.hash:
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	case dev:
		h.Set("Cache-Control", "no-cache")
	default:
		h.Set("Cache-Control", "public, max-age=60")
	}
	h.Set("ETag", `"`+as.hash+`"`)
	if match := r.Header.Get("If-None-Match"); match == `"`+as.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := as.body
	if gz := as.gzipped(); gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// modules are the ES modules that scripts import by name through the
// page's import map (import … from "authlab/common"), so that each
// resolves to its current fingerprinted URL: a relative import would
// carry the importing file's hash instead of its own.
var modules = map[string]string{
	"authlab/common":  "common.js",
	"authlab/lab_kit": "lab_kit.js",
}

// importMap is the page's <script type="importmap"> element for modules,
// and the CSP source ('sha256-…') that allows this inline script and no
// other.
func (a *assets) importMap() (template.HTML, string, error) {
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
