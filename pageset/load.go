package pageset

import (
	"cmp"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlab/authlab/asset"
)

// Set is one consistent version of the templates and static files.
type Set struct {
	Pages  map[string]*template.Template
	Frames map[string]*template.Template // the composed pages' frame sets (FrameSet)
	Assets *asset.Table
	CSP    string // Config.CSP allowing this set's import map
	Err    error  // when watching: why the files did not load (this is the last good set)
}

// Config is what a Loader reads and how.
type Config struct {
	Templates, Static fs.FS             // hold templates/*.html and static/… (one directory on disk can be both)
	Extra             map[string][]byte // generated static files (the highlighting stylesheet)
	Funcs             template.FuncMap  // besides asset, importMap and part, which belong to a set
	Modules           map[string]string // the import map: specifier → static file
	Composed          []string          // the pages that get a frame set
	// CSP is the Content-Security-Policy; each set's allows its import
	// map by hash in script-src 'self'.
	CSP   string
	Watch bool // read the files again when they change
}

// A Loader holds the page templates and the static files they link to,
// as one set: read once at start or, when watching (dev mode over files
// on disk), read again on the first Refresh after one of them changed,
// so an edit to a template, a stylesheet or a script shows on the next
// reload without a restart. A set that fails to load while watching
// leaves the last good one current, with the error in its Err.
type Loader struct {
	cfg   Config
	mu    sync.Mutex // one look at the files at a time
	stamp string     // the name, size and time of every file of the current set
	cur   atomic.Pointer[Set]
}

// NewLoader loads the first set.
func NewLoader(cfg Config) (*Loader, error) {
	l := &Loader{cfg: cfg}
	if cfg.Watch {
		stamp, err := l.look()
		if err != nil {
			return nil, err
		}
		l.stamp = stamp
	}
	set, err := l.load()
	if err != nil {
		return nil, err
	}
	l.cur.Store(set)
	return l, nil
}

// Set is the current templates and static files.
func (l *Loader) Set() *Set { return l.cur.Load() }

// Watching reports whether the loader reads the files again on change.
func (l *Loader) Watching() bool { return l.cfg.Watch }

// Refresh reloads the set when a file changed since the last look; it
// does nothing unless the loader watches its files.
func (l *Loader) Refresh() {
	if !l.cfg.Watch {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	stamp, err := l.look()
	if err == nil && stamp == l.stamp {
		return
	}
	l.stamp = stamp
	set, lerr := l.load()
	if lerr == nil && err == nil {
		l.cur.Store(set)
		return
	}
	last := *l.Set()
	last.Err = cmp.Or(err, lerr)
	l.cur.Store(&last)
}

// look describes every file of the set by name, size and modification
// time, which changes when a file is saved, added or removed.
func (l *Loader) look() (string, error) {
	var b strings.Builder
	for _, d := range []struct {
		fsys fs.FS
		dir  string
	}{{l.cfg.Templates, "templates"}, {l.cfg.Static, "static"}} {
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
			return "", fmt.Errorf("pageset: %w", err)
		}
	}
	return b.String(), nil
}

// load reads the static files, then parses every page with template
// functions that link to those files.
func (l *Loader) load() (*Set, error) {
	as, err := asset.Load(l.cfg.Static, l.cfg.Extra)
	if err != nil {
		return nil, err
	}
	importMap, hash, err := as.ImportMap(l.cfg.Modules)
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"asset": as.URL, "importMap": func() template.HTML { return importMap }, "part": NewPart}
	maps.Copy(funcs, l.cfg.Funcs)
	pages, err := Parse(l.cfg.Templates, funcs)
	if err != nil {
		return nil, err
	}
	frames := map[string]*template.Template{}
	for _, name := range l.cfg.Composed {
		t, ok := pages[name]
		if !ok {
			continue
		}
		if f, err := FrameSet(t); err != nil {
			return nil, err
		} else if f != nil {
			frames[name] = f
		}
	}
	csp := strings.Replace(l.cfg.CSP, "script-src 'self'", "script-src 'self' '"+hash+"'", 1)
	return &Set{Pages: pages, Frames: frames, Assets: as, CSP: csp}, nil
}
