package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/pageset"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/authlab/authlab/ttlcache"
	"github.com/gin-gonic/gin"
)

// kernel is what every page handler shares: the current course, the
// templates, the site session of the request (viewer, flash), the error
// pages and the log. Feature handlers (courseHandlers,
// lessonProgressHandlers, quizHandlers, interviewHandlers, authHandlers,
// accountHandlers, apiHandlers, labHandlers) embed one *kernel and hold,
// besides it, only what they use. Its session and flash helpers and the
// identify middleware are in identity.go, the other middleware in
// middleware.go, the page cache in pagecache.go.
type kernel struct {
	log     *slog.Logger
	catalog CatalogSource
	dev     bool
	render  *renderer     // templates and static files
	pages   pageCache     // rendered pages for visitors without a session
	frames  pageset.Cache // the static parts of composed pages (compose.go)
	// personal are signed-in learners' lesson pages, kept under their
	// progress version (lesson_cache.go).
	personal personalPages
	// labOwners are the owners of lab requests, trusted for a bounded
	// time (lab_owner.go).
	labOwners *ttlcache.Cache[Viewer]
	sessions  *sessionStore // site sessions: the viewer, flashes
	guests    guestMaker    // ensureLearner's new guests
	// guestByAddr limits new guest learners per client address.
	guestByAddr *siteauth.Limiter
	fragments   sync.Map // fragmentKey -> template.HTML (fragmentOf)
}

// guestMaker makes the guest learner behind a visitor's first answer.
type guestMaker interface {
	NewGuest(ctx context.Context) (*progress.Learner, error)
}

var _ guestMaker = (*progress.Store)(nil)

// base returns the page header fields every page shares.
func (k *kernel) base(c *gin.Context, title, nav string) Page {
	cat, err := k.catalog.Catalog()
	p := Page{Title: title, Nav: nav, Viewer: viewerFrom(c)}
	if p.Viewer != nil || k.notePending(c) {
		p.Flash = k.takeFlash(c)
	}
	if cat != nil {
		p.CourseTitle = cat.Title
	}
	if err != nil && k.dev {
		p.ContentError = err.Error()
	}
	if err := k.render.set().Err; err != nil {
		p.ContentError = strings.TrimSpace(p.ContentError + "\n" + err.Error())
	}
	return p
}

// html renders a page and writes it. A template error becomes the 500
// page (rendered with the error template, which has no data to fail on).
func (k *kernel) html(c *gin.Context, status int, name string, data any) {
	buf, err := k.render.execute(name, data)
	k.writeHTML(c, status, buf, err)
}

// writeHTML writes a rendered page and returns its buffer to the pool, or
// answers a render error with the 500 page.
func (k *kernel) writeHTML(c *gin.Context, status int, buf *bytes.Buffer, err error) {
	if err != nil {
		k.fail(c, err)
		return
	}
	k.render.gz.writeBody(c, status, "text/html; charset=utf-8", buf.Bytes())
	if buf.Cap() <= 1<<20 {
		k.render.bufs.Put(buf)
	}
}

// fragment renders one partial template of a page on its own, for a
// fetch reply (a quiz result, an interview answer). Every page's set
// holds the shared partials.
func (k *kernel) fragment(page, name string, data any) (template.HTML, error) {
	t, ok := k.render.page(page)
	if !ok {
		return "", fmt.Errorf("web: no %s template", page)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// fragmentOf is fragment for a partial whose output is fixed by key (it
// shows nothing else of data): rendered once per key and template set,
// then reused.
func (k *kernel) fragmentOf(page, name, key string, data func() any) (template.HTML, error) {
	t, ok := k.render.page(page)
	if !ok {
		return "", fmt.Errorf("web: no %s template", page)
	}
	ck := fragmentKey{t, name, key}
	if h, ok := k.fragments.Load(ck); ok {
		return h.(template.HTML), nil
	}
	h, err := k.fragment(page, name, data())
	if err != nil {
		return "", err
	}
	stored, _ := k.fragments.LoadOrStore(ck, h)
	return stored.(template.HTML), nil
}

// fragmentKey names one fragmentOf output: templates reloaded in
// development are a new *template.Template, so they never see an old one.
type fragmentKey struct {
	t         *template.Template
	name, key string
}

// replyFragment answers a fetch with reply and, in it as "html", the
// partial name of page rendered with data.
func (k *kernel) replyFragment(c *gin.Context, page, name string, data any, reply gin.H) {
	html, err := k.fragment(page, name, data)
	if err != nil {
		k.fail(c, err)
		return
	}
	reply["html"] = html
	c.JSON(http.StatusOK, reply)
}

// errorPage is the data of the 404/4xx/500 page.
type errorPage struct {
	Page
	Status  int
	Heading string
	Message string
}

// errorHeadings are an error page's headings in words a learner reads;
// the status code stands above them for whoever wants it. Any other
// status is headed with its standard text.
var errorHeadings = map[int]string{
	http.StatusBadRequest:            "That request could not be used",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "This address does not take that kind of request",
	http.StatusConflict:              "That clashes with what is there now",
	http.StatusRequestEntityTooLarge: "That is too large",
	http.StatusUnprocessableEntity:   "Please check what you sent",
	http.StatusTooManyRequests:       "Too many tries for now",
}

// problem renders a 4xx page with a reason the reader can act on, or a
// JSON {error, message} for API and fetch clients.
func (k *kernel) problem(c *gin.Context, status int, message string) {
	if wantsJSON(c.Request) {
		c.AbortWithStatusJSON(status, gin.H{"error": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), "message": message})
		return
	}
	heading := cmp.Or(errorHeadings[status], http.StatusText(status))
	p := errorPage{Page: k.base(c, heading, ""), Status: status, Heading: heading, Message: message}
	k.html(c, status, "error", p)
	c.Abort()
}

// fail logs an unexpected error once and answers 500 without details.
func (k *kernel) fail(c *gin.Context, err error) {
	if clientGone(c.Request, err) {
		// Nobody is waiting for an answer: not a server error. The request
		// log records it at debug level as 499 (client closed request).
		c.AbortWithStatus(statusClientClosed)
		return
	}
	if k.answerLimited(c, err) { // a rate limit met on the way (identity.go)
		return
	}
	k.log.ErrorContext(c.Request.Context(), "request failed", "request_id", requestIDOf(c.Request.Context()),
		"method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	if wantsJSON(c.Request) {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal", "message": "Something went wrong on our side. It has been logged (request " + requestIDOf(c.Request.Context()) + "); please try again."})
		return
	}
	p := errorPage{Page: Page{Title: "Something went wrong"}, Status: 500, Heading: "Something went wrong",
		Message: "An unexpected error happened on our side. It has been logged as request " + requestIDOf(c.Request.Context()) + ". Please try again in a moment."}
	buf, rerr := k.render.execute("error", p)
	if rerr != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	k.render.gz.writeBody(c, http.StatusInternalServerError, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// readForm parses a bounded form body; a broken one gets a 400 reason.
func (k *kernel) readForm(c *gin.Context) bool {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			k.problem(c, http.StatusRequestEntityTooLarge, "The form was larger than "+strconv.Itoa(maxFormBytes/1024)+" KiB.")
		} else {
			k.problem(c, http.StatusBadRequest, "The form could not be read: "+err.Error())
		}
		return false
	}
	return true
}

// tooMany answers 429 with Retry-After and "Try again in N s.".
func (k *kernel) tooMany(c *gin.Context, wait time.Duration, what string) {
	secs := siteauth.RetryAfterSeconds(wait)
	c.Header("Retry-After", strconv.Itoa(secs))
	k.problem(c, http.StatusTooManyRequests, fmt.Sprintf("%s Try again in %d s.", what, secs))
}

// course returns the current catalog, or answers 503 when none has ever
// loaded (only possible in dev mode with broken content from the start).
func (k *kernel) course(c *gin.Context) (*lessons.Catalog, bool) {
	cat, err := k.catalog.Catalog()
	if cat == nil {
		msg := "The course is not loaded."
		if err != nil && k.dev {
			msg += " " + err.Error()
		}
		k.problem(c, http.StatusServiceUnavailable, msg)
		return nil, false
	}
	return cat, true
}

// account returns the signed-in account, or redirects to sign in. A
// revoked session arrives here without a viewer: it is signed out.
func (k *kernel) account(c *gin.Context) (*Viewer, bool) {
	v := viewerFrom(c)
	if v == nil || v.Username == "" {
		if wantsJSON(c.Request) {
			k.problem(c, http.StatusUnauthorized, "Sign in to see this page.")
			return nil, false
		}
		c.Redirect(http.StatusSeeOther, "/signin?next="+c.Request.URL.Path)
		c.Abort()
		return nil, false
	}
	return v, true
}
