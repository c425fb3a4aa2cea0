package web

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/metrics"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/siteauth"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// CatalogSource hands out the current course. In dev mode it reloads on
// change and reports the load error of a broken edit beside the last good
// course.
type CatalogSource interface {
	Catalog() (*lessons.Catalog, error)
}

// Pinger is a dependency /readyz checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the HTTP layer needs, built by main.
type Deps struct {
	Logger         *slog.Logger
	Catalog        CatalogSource
	DB             Pinger
	Dev            bool
	SecureCookies  bool
	BaseURL        string
	TrustedProxies []string
	Version        string

	// Store keeps learners and progress.
	Store *progress.Store
	// Sessions keeps site sessions: the Store itself, or Redis.
	Sessions progress.Sessions
	// Keys signs cookies and API tokens.
	Keys *siteauth.KeyRing
	// Hasher hashes and checks passwords, a bounded number at once; nil
	// builds one for this server.
	Hasher      *siteauth.Hasher
	SessionIdle time.Duration
	SessionMax  time.Duration
	// Labs serves the lab plane (required): run builds it over Store,
	// with what the cost lab times and where the CSRF lab's evil page is.
	Labs *sandbox.Manager
	// Hub carries workshop events to every replica; nil is in process.
	Hub live.Hub
	// Files holds templates/ and static/ to serve instead of the embedded
	// copies (--web); with Dev, an edit to either shows on the next
	// request without a restart.
	Files fs.FS
}

// Server is the site: an http.Handler over a gin engine. It is wiring
// only: the dependencies NewServer builds once and shares between the
// handler types by feature, which routes.go registers. Every handler is
// a method of one of those types, never of Server.
type Server struct {
	*kernel // the page kernel every handler shares
	engine  *gin.Engine
	handler http.Handler // engine behind cross-origin protection
	db      Pinger
	version string
	metrics *metrics.Set
	store   *progress.Store
	labs    *sandbox.Manager
	keys    *siteauth.KeyRing
	hasher  *siteauth.Hasher
	secure  bool
	baseURL string           // --base-url without its trailing slash; "" when unset
	ws      *workshop.Engine // live workshops: their rules, event hub, round clock and timers

	progress     *learnerProgress  // a learner's course map and lab progress, for every page that shows it
	issuer       *siteauth.Issuer  // API access tokens
	check        *passwordCheck    // a password guess, under the sign-in limits (auth.go)
	devices      *devices          // browsers that signed in before: exempt from an account's lockout
	signupByAddr *siteauth.Limiter // sign-ups per client address
	lab          *labHandlers      // the lab plane, with its limits on new labs
	setup        *setupLink        // the first instructor's one-time link
}

// NewServer builds the engine with its middleware and every route. It
// sets gin's mode, which is process-wide (see below).
func NewServer(d Deps) (*Server, error) {
	if d.Logger == nil || d.Catalog == nil || d.Store == nil || d.Keys == nil || d.Labs == nil {
		return nil, fmt.Errorf("web: NewServer needs a logger, a catalog, a store, keys and labs")
	}
	// gin's mode is its own package-wide setting: debug (a route dump,
	// warnings) in development, release otherwise. Tests pick test mode
	// in their TestMain, and keep it.
	switch {
	case gin.Mode() == gin.TestMode:
	case d.Dev:
		gin.SetMode(gin.DebugMode)
	default:
		gin.SetMode(gin.ReleaseMode)
	}
	if d.DB == nil {
		d.DB = d.Store
	}
	if d.Sessions == nil {
		d.Sessions = d.Store
	}
	if d.Hasher == nil {
		d.Hasher = siteauth.NewHasher(0)
	}
	if d.Hub == nil {
		d.Hub = live.NewLocal()
	}
	if d.SessionIdle <= 0 {
		d.SessionIdle = 7 * 24 * time.Hour
	}
	if d.SessionMax <= 0 {
		d.SessionMax = 30 * 24 * time.Hour
	}
	templates, static := fs.FS(templateFS), fs.FS(staticFS)
	if d.Files != nil {
		templates, static = d.Files, d.Files
	}
	render, err := newRenderer(templates, static, map[string][]byte{"highlight.css": []byte(lessons.HighlightCSS())}, template.FuncMap{
		"add":      func(a, b int) int { return a + b },
		"dict":     dict,
		"labTitle": sandbox.Title,
		"labCard":  labCardKey,
		"labSide":  labSide,
		"code":     lessons.CodeSpans,
	}, d.Dev && d.Files != nil)
	if err != nil {
		return nil, err
	}
	k := &kernel{log: d.Logger, catalog: d.Catalog, dev: d.Dev, render: render, guests: d.Store, labOwners: newLabOwners(),
		sessions: newSessionStore(d.Sessions, d.Keys.CookieKeys(), d.SessionIdle, d.SessionMax, d.SecureCookies),
		// Every cookie-less first answer makes a guest: a whole room of up
		// to maxWorkshopSize people behind one address at once, then one
		// every 3 s, so a script cannot fill the database.
		guestByAddr: siteauth.NewLimiter(maxWorkshopSize, 3*time.Second, nil)}
	s := &Server{kernel: k, db: d.DB, version: d.Version,
		store: d.Store, keys: d.Keys, hasher: d.Hasher, secure: d.SecureCookies, baseURL: strings.TrimRight(d.BaseURL, "/"), labs: d.Labs, ws: newWorkshops(d),
		issuer:       siteauth.NewIssuer(d.Keys, issuerName(d.BaseURL), apiAudience, 0, nil),
		devices:      newDevices(d.Keys.CookieKeys(), d.SecureCookies),
		signupByAddr: siteauth.NewLimiter(100, 3*time.Second, nil),
		progress:     &learnerProgress{log: d.Logger, store: d.Store}}
	s.lab = &labHandlers{kernel: k, labs: d.Labs, progress: s.progress, baseURL: s.baseURL, secure: s.secure,
		// A learner makes a handful of labs; a classroom of up to
		// maxWorkshopSize people behind one address opens theirs at once.
		byLearner: siteauth.NewLimiter(10, 10*time.Second, nil),
		byAddr:    siteauth.NewLimiter(maxWorkshopSize, time.Second, nil)}
	s.check = &passwordCheck{kernel: k, store: d.Store, hasher: d.Hasher, signIn: siteauth.NewSignInLimits(nil), devices: s.devices}
	e := gin.New()
	e.RedirectTrailingSlash = true
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	// Only configured proxies may set the client address through
	// X-Forwarded-For; otherwise a client could spoof it past rate limits.
	if err := e.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	s.setup = newSetupLink(context.Background(), d.Store.CountInstructors)
	s.metrics = metrics.New(d.Store, d.Store.Labs())
	s.metrics.Attendees(d.Store.CountLiveAttendees)
	if render.Watching() {
		e.Use(func(*gin.Context) { render.Refresh() }) // dev: pick up edited templates and static files
	}
	e.Use(requestID(), observe(s.metrics), k.recoverer(), k.securityHeaders(), k.requestLog(), k.crossOriginDenied(), k.identify())
	s.engine = e
	s.routes()

	// Every state-changing browser request must come from our own
	// origin (Fetch metadata / Origin, Go's CrossOriginProtection). The
	// lab plane is exempt on purpose: the CSRF lab lets an "evil site"
	// post to a learner's own lab, which holds nothing of the site's.
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("/lab/")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Through the engine, so the refusal gets the site's headers and
		// error page; the denied middleware answers before any route.
		e.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), crossOriginDeniedKey{}, true)))
	}))
	s.handler = cop.Handler(e)
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

type crossOriginDeniedKey struct{}

// crossOriginDenied answers a cross-origin state change that
// CrossOriginProtection refused with 403 and a reason, in the site's style.
func (k *kernel) crossOriginDenied() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Context().Value(crossOriginDeniedKey{}) != nil {
			k.problem(c, http.StatusForbidden, "This request came from another site, so it was refused: forms on authlab only work from authlab's own pages (cross-site request forgery protection).")
			return
		}
		c.Next()
	}
}

// issuerName is the iss claim of API tokens: the public base URL when
// configured (replicas behind one URL agree on it), else "authlab".
func issuerName(base string) string {
	if base != "" {
		return strings.TrimRight(base, "/")
	}
	return "authlab"
}

// dict builds a map for passing several values to a template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
