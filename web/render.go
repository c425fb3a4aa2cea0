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
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFS embed.FS

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
}

// base returns the page header fields every page shares.
func (s *Server) base(c *gin.Context, title, nav string) Page {
	cat, err := s.catalog.Catalog()
	p := Page{Title: title, Nav: nav, Viewer: viewerFrom(c)}
	if p.Viewer != nil || s.notePending(c) {
		p.Flash = s.takeFlash(c)
	}
	if cat != nil {
		p.CourseTitle = cat.Title
	}
	if err != nil && s.dev {
		p.ContentError = err.Error()
	}
	return p
}

// renderer holds every page template, parsed once at start.
type renderer struct {
	pages map[string]*template.Template
	bufs  sync.Pool
	gz    *gzipPool
}

// Shared templates live in files named _*.html; a page parses only the
// ones it uses (through its own or the layout's {{template}} calls,
// followed transitively), not every shared file: the lab panels and the
// quiz are most of the shared text, and each page's set is its own copy.
var (
	defineRe   = regexp.MustCompile(`{{-?\s*(?:define|block)\s+"([^"]+)"`)
	templateRe = regexp.MustCompile(`{{-?\s*(?:template|block)\s+"([^"]+)"`)
)

const layoutFile = "templates/_layout.html"

func newRenderer(fsys fs.FS, funcs template.FuncMap) (*renderer, error) {
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
	pages, err := fs.Glob(fsys, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}, gz: newGzipPool()}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	for _, p := range pages {
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
				return nil, fmt.Errorf("web: %s uses template %q, which no templates/_*.html defines", p, name)
			}
			if !slices.Contains(files, f) {
				files = append(files, f)
				need = append(need, uses[f]...)
			}
		}
		t, err := template.New("").Funcs(funcs).ParseFS(fsys, append(files, p)...)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", p, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		r.pages[name] = t
	}
	return r, nil
}

// submatches is every first capture of re in src.
func submatches(re *regexp.Regexp, src []byte) []string {
	var out []string
	for _, m := range re.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// execute renders a page into a buffer; only a complete page is sent.
func (r *renderer) execute(name string, data any) (*bytes.Buffer, error) {
	t, ok := r.pages[name]
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

// html renders a page and writes it. A template error becomes the 500
// page (rendered with the error template, which has no data to fail on).
func (s *Server) html(c *gin.Context, status int, name string, data any) {
	buf, err := s.render.execute(name, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render.gz.writeBody(c, status, "text/html; charset=utf-8", buf.Bytes())
	if buf.Cap() <= 1<<20 {
		s.render.bufs.Put(buf)
	}
}

// errorPage is the data of the 404/4xx/500 page.
type errorPage struct {
	Page
	Status  int
	Heading string
	Message string
}

// problem renders a 4xx page with a reason the reader can act on, or a
// JSON {error, message} for API and fetch clients.
func (s *Server) problem(c *gin.Context, status int, message string) {
	if wantsJSON(c.Request) {
		c.AbortWithStatusJSON(status, gin.H{"error": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), "message": message})
		return
	}
	heading := http.StatusText(status)
	if status == http.StatusNotFound {
		heading = "Page not found"
	}
	p := errorPage{Page: s.base(c, heading, ""), Status: status, Heading: heading, Message: message}
	s.html(c, status, "error", p)
	c.Abort()
}

// fail logs an unexpected error once and answers 500 without details.
func (s *Server) fail(c *gin.Context, err error) {
	if clientGone(c.Request, err) {
		// Nobody is waiting for an answer: not a server error. The request
		// log records it at debug level as 499 (client closed request).
		c.AbortWithStatus(statusClientClosed)
		return
	}
	if s.answerLimited(c, err) { // a rate limit met on the way (identity.go)
		return
	}
	s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", requestIDOf(c.Request.Context()),
		"method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	if wantsJSON(c.Request) {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal", "message": "Something went wrong on our side. It has been logged (request " + requestIDOf(c.Request.Context()) + "); please try again."})
		return
	}
	p := errorPage{Page: Page{Title: "Something went wrong"}, Status: 500, Heading: "Something went wrong",
		Message: "An unexpected error happened on our side. It has been logged as request " + requestIDOf(c.Request.Context()) + ". Please try again in a moment."}
	buf, rerr := s.render.execute("error", p)
	if rerr != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	s.render.gz.writeBody(c, http.StatusInternalServerError, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
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
