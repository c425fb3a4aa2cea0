package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/authlab/authlab/pageset"
)

// templateFS and staticFS are the templates and static files built into
// the binary; Deps.Files replaces both with a directory on disk.
var (
	//go:embed templates/*.html
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// Page is what every page template gets from the layout: the typed page
// structs embed it.
type Page struct {
	Title       string // the page's own title; the layout appends the course title
	CourseTitle string
	Nav         string // which top navigation item is current
	Description string
	// ContentError is the current content load error in dev mode: the
	// last good course is still served, with this shown on every page.
	ContentError string
	Viewer       *Viewer
	Flash        string // a one-time message from the last action
	// Chrome is how much of the site's frame the page shows: "" all of
	// it; "room" (a workshop attendee's screen) the header without the
	// site's links, which lead out of the workshop; "none" (the presenter
	// screen on a projector) nothing but the page.
	Chrome string
}

// renderer renders pages from the current set of templates and static
// files (pageset.Loader): read once at start or, in dev mode over files
// on disk (Deps.Files), read again on the first request after one of
// them changed, so an edit to a template, a stylesheet or a script shows
// on the next reload without a restart. A set that fails to load in dev
// leaves the last good one serving, with the error on every page.
type renderer struct {
	*pageset.Loader
	bufs sync.Pool
	gz   *gzipPool
}

// newRenderer loads the first set. templates holds templates/*.html and
// static holds static/… (one directory on disk can be both); watch
// re-reads them when they change.
func newRenderer(templates, static fs.FS, extra map[string][]byte, funcs template.FuncMap, watch bool) (*renderer, error) {
	l, err := pageset.NewLoader(pageset.Config{Templates: templates, Static: static, Extra: extra, Funcs: funcs,
		Modules: modules, Composed: composedPages, CSP: contentSecurityPolicy, Watch: watch})
	if err != nil {
		return nil, err
	}
	r := &renderer{Loader: l, gz: newGzipPool()}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	return r, nil
}

// set is the current templates and static files.
func (r *renderer) set() *pageset.Set { return r.Set() }

// page is the current template set of a page (its own templates, the
// layout and the shared ones it uses).
func (r *renderer) page(name string) (*template.Template, bool) {
	t, ok := r.set().Pages[name]
	return t, ok
}

// serveAsset serves /static/{hash}/{name} from the current set.
func (r *renderer) serveAsset(w http.ResponseWriter, req *http.Request, hash, name string) {
	serveStatic(r.set().Assets, w, req, hash, name, r.Watching())
}

// execute renders a page into a buffer; only a complete page is sent.
func (r *renderer) execute(name string, data any) (*bytes.Buffer, error) {
	t, ok := r.page(name)
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		r.bufs.Put(buf)
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf, nil
}

// statusClientClosed is nginx's 499: the client went away before the
// answer was ready. It is never sent (nobody is listening); it only keeps
// cancelled requests out of the 5xx count and the error log.
const statusClientClosed = 499

// clientGone reports whether err comes from the client cancelling the
// request (closing the tab, a load test stopping mid-request) rather than
// from the server.
func clientGone(r *http.Request, err error) bool {
	return r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, r.Context().Err()))
}

// wantsJSON: API routes, and fetch calls that ask for JSON first.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.HasPrefix(accept, "application/json") || (strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html"))
}
