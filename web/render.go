package web

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlab/authlab/asset"
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

// renderer holds the page templates and the static files they link to,
// as one set: read once at start or, in dev mode over files on disk
// (Deps.Files), read again on the first request after one of them
// changed, so an edit to a template, a stylesheet or a script shows on
// the next reload without a restart. A set that fails to load in dev
// leaves the last good one serving, with the error on every page.
type renderer struct {
	templates, static fs.FS             // hold templates/*.html and static/…
	extra             map[string][]byte // generated static files (the highlighting stylesheet)
	funcs             template.FuncMap  // besides asset and importMap, which belong to a set
	watch             bool

	mu    sync.Mutex // one look at the files at a time
	stamp string     // the name, size and time of every file of the current set
	cur   atomic.Pointer[uiSet]

	bufs sync.Pool
	gz   *gzipPool
}

// uiSet is one consistent version of the templates and static files.
type uiSet struct {
	pages  map[string]*template.Template
	frames map[string]*template.Template // composedPages' frame sets (compose.go)
	assets *asset.Table
	csp    string // the Content-Security-Policy, which allows this set's import map
	err    error  // dev mode: why the files on disk did not load (this is the last good set)
}

// newRenderer loads the first set. templates holds templates/*.html and
// static holds static/… (one directory on disk can be both); watch
// re-reads them when they change.
func newRenderer(templates, static fs.FS, extra map[string][]byte, funcs template.FuncMap, watch bool) (*renderer, error) {
	r := &renderer{templates: templates, static: static, extra: extra, funcs: funcs, watch: watch, gz: newGzipPool()}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	if watch {
		stamp, err := r.look()
		if err != nil {
			return nil, err
		}
		r.stamp = stamp
	}
	set, err := r.load()
	if err != nil {
		return nil, err
	}
	r.cur.Store(set)
	return r, nil
}

// set is the current templates and static files.
func (r *renderer) set() *uiSet { return r.cur.Load() }

// refresh reloads the set when a file changed since the last look; it
// does nothing unless the renderer watches its files.
func (r *renderer) refresh() {
	if !r.watch {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp, err := r.look()
	if err == nil && stamp == r.stamp {
		return
	}
	r.stamp = stamp
	set, lerr := r.load()
	if lerr == nil && err == nil {
		r.cur.Store(set)
		return
	}
	last := *r.set()
	last.err = cmp.Or(err, lerr)
	r.cur.Store(&last)
}

// look describes every file of the set by name, size and modification
// time, which changes when a file is saved, added or removed.
func (r *renderer) look() (string, error) {
	var b strings.Builder
	for _, d := range []struct {
		fsys fs.FS
		dir  string
	}{{r.templates, "templates"}, {r.static, "static"}} {
		err := fs.WalkDir(d.fsys, d.dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("web: %w", err)
		}
	}
	return b.String(), nil
}

// load reads the static files, then parses every page with template
// functions that link to those files.
func (r *renderer) load() (*uiSet, error) {
	as, err := asset.Load(r.static, r.extra)
	if err != nil {
		return nil, err
	}
	importMap, hash, err := as.ImportMap(modules)
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"asset": as.URL, "importMap": func() template.HTML { return importMap }, "part": pageset.NewPart}
	maps.Copy(funcs, r.funcs)
	pages, err := pageset.Parse(r.templates, funcs)
	if err != nil {
		return nil, err
	}
	frames := map[string]*template.Template{}
	for _, name := range composedPages {
		t, ok := pages[name]
		if !ok {
			continue
		}
		if f, err := pageset.FrameSet(t); err != nil {
			return nil, err
		} else if f != nil {
			frames[name] = f
		}
	}
	csp := strings.Replace(contentSecurityPolicy, "script-src 'self'", "script-src 'self' '"+hash+"'", 1)
	return &uiSet{pages: pages, frames: frames, assets: as, csp: csp}, nil
}

// page is the current template set of a page (its own templates, the
// layout and the shared ones it uses).
func (r *renderer) page(name string) (*template.Template, bool) {
	t, ok := r.set().pages[name]
	return t, ok
}

// serveAsset serves /static/{hash}/{name} from the current set.
func (r *renderer) serveAsset(w http.ResponseWriter, req *http.Request, hash, name string) {
	serveStatic(r.set().assets, w, req, hash, name, r.watch)
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
