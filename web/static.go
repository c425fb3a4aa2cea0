package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/authlab/authlab/asset"
)

// serveStatic serves /static/{hash}/{name} from the asset table a (the
// files, their hashes and gzip forms are package asset's). A stale hash
// gets the current file with a short cache lifetime, so a page cached
// across a deploy still finds its stylesheet; in dev mode (files that
// change under the server) none, so the next reload asks again.
func serveStatic(a *asset.Table, w http.ResponseWriter, r *http.Request, hash, name string, dev bool) {
	as, ok := a.Lookup(strings.TrimPrefix(name, "/"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.Type)
	h.Set("Vary", "Accept-Encoding")
	switch {
	case hash == as.Hash:
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	case dev:
		h.Set("Cache-Control", "no-cache")
	default:
		h.Set("Cache-Control", "public, max-age=60")
	}
	h.Set("ETag", `"`+as.Hash+`"`)
	if match := r.Header.Get("If-None-Match"); match == `"`+as.Hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := as.Body
	if gz := as.Gzipped(); gz != nil && acceptsGzip(r) {
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
