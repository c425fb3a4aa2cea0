package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"
)

// The lab plane: each learner's labs are served by the sandbox handler,
// with the learner's site identity as the owner. Nothing a lab issues
// is accepted by the site, and the reverse: lab cookies are lab_sid
// with Path=/lab/{id}/, lab tokens are signed with lab keys.

const valLab = "lab" // the learner's current lab ID, in the site session

// labHandlers open labs and serve the lab plane: a learner's lab pages,
// the CSRF lab's evil page, and everything else under /lab/ through the
// sandbox's own handler.
type labHandlers struct {
	*kernel
	labs     labManager
	progress *learnerProgress // the steps and goal a lab page ticks
	// New labs per learner, and per client address: a whole room behind
	// one NAT.
	byLearner, byAddr *siteauth.Limiter
	baseURL           string // --base-url without its trailing slash; "" when unset
	secure            bool   // --secure-cookies: the site is served over HTTPS
}

// labManager is what the lab handlers ask of the sandbox.
type labManager interface {
	Create(ctx context.Context, owner string) (*sandbox.Lab, error)
	CreateFor(ctx context.Context, owner, panel string) (*sandbox.Lab, error)
	ForPanel(ctx context.Context, owner, panel string) (*sandbox.Lab, error)
	Get(ctx context.Context, owner, id string) (*sandbox.Lab, error)
	Handler() http.Handler
}

var _ labManager = (*sandbox.Manager)(nil)

// twinPanels are the views of the twin lab that exist today.
var twinPanels = []string{"twin-login", "revoke-vs-replay", "refresh-rotation"}

// labSides are the sides of the twin lab a lab card can open it folded
// to (the block's mode): a lesson that teaches one side opens the lab
// with the other folded away, one click from showing.
var labSides = []string{"session", "token"}

// sideOf is the side panel's page shows alone: side when panel is a
// view of the twin lab and side names one of its sides, else "" (both).
// The other panels have no sides.
func sideOf(panel, side string) string {
	if slices.Contains(twinPanels, panel) && slices.Contains(labSides, side) {
		return side
	}
	return ""
}

// labSide is the side a lesson's lab card opens the twin lab to: the
// block's mode when it names one side of a twin panel. On the other
// panels the mode is the lesson's wording.
func labSide(b *lessons.LabBlock) string { return sideOf(b.Name, b.Mode) }

// labPageURL is the address of a lab's page for panel, folded to side.
func labPageURL(lab *sandbox.Lab, panel, side string) string {
	u := lab.Path() + panel
	if side = sideOf(panel, side); side != "" {
		u += "?side=" + side
	}
	return u
}

// attackScripts are the modules of the attack and scale labs' panels;
// the twin lab's views have none of their own.
var attackScripts = map[string]string{
	"jwt-forgery": "lab_forgery.js", "fixation": "lab_fixation.js", "key-rotation": "lab_rotation.js",
	"opaque-vs-jwt": "lab_opaque.js", "cost": "lab_cost.js", "token-storage": "lab_storage.js",
	"csrf": "lab_csrf.js", "cluster": "lab_cluster.js", "step-up": "lab_stepup.js",
}

// labPage is the lab UI.
type labPage struct {
	Page
	LabID, Panel, PanelTitle string
	Heading, Intro           string
	Steps                    []labStep        // the goal's hints, in the lessons' order
	Goal                     *lessons.LabGoal // the panel's goal, from the lesson that sets it; nil if none does
	GoalID                   string           // its milestone, which the page waits for
	Available                bool             // the panel's own lab exists yet
	Script                   string           // an attack lab's module; "" for the twin lab
	Lessons                  []*lessons.Lesson
	Progress                 sandbox.Progress // the learner's stored steps of this panel
	Elsewhere                bool             // this lab serves another panel: offer the panel's own
	Origin                   string           // $BASE in the page's export line
	Side                     string           // the twin lab's side shown alone ("session", "token"), "" for both
}

// OtherSide is the side folded away when the page shows Side alone.
func (p labPage) OtherSide() string {
	if p.Side == "session" {
		return "token"
	}
	return "session"
}

// origin is this site's address as a learner's terminal reaches it: the
// configured base URL, else the address the browser used.
func (h *labHandlers) origin(c *gin.Context) string {
	if h.baseURL != "" {
		return h.baseURL
	}
	scheme := "http"
	if c.Request.TLS != nil || h.secure {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

type labStep struct {
	Milestone string
	Text      template.HTML // the lesson's rendered step text
	Done      bool          // recorded for the learner, whatever the lab's trace holds
}

// createLab: POST /lab. A browser form is sent to the lab page; a JSON
// client gets {"id", "url"}. Each panel gets a lab of its own (see
// sandbox/doc.go); with reuse=1 the learner's lab for that panel is
// opened again instead of making a new one.
func (h *labHandlers) createLab(c *gin.Context) {
	if !h.readForm(c) {
		return
	}
	v, err := h.ensureLearner(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	panel := c.PostForm("panel")
	if panel != "" && !slices.Contains(lessons.LabNames(), panel) {
		h.problem(c, http.StatusBadRequest, "There is no lab called “"+panel+"”.")
		return
	}
	if panel == "" {
		panel = "twin-login"
	}
	side := c.PostForm("side")
	if side != "" && !slices.Contains(labSides, side) {
		h.problem(c, http.StatusBadRequest, "A lab opens to the “session” or the “token” side, or to both (no side); “"+side+"” is neither.")
		return
	}
	ctx := c.Request.Context()
	sess := h.session(c)
	reuse := c.PostForm("reuse") == "1"
	var lab *sandbox.Lab
	if reuse {
		lab, err = h.labs.ForPanel(ctx, v.LearnerID, panel)
		if err != nil && !errors.Is(err, sandbox.ErrNotFound) {
			h.fail(c, err)
			return
		}
	}
	// A learner who already has a lab opens each other panel's once
	// without counting against the limit (one lab per panel, at most).
	if lab == nil && (!reuse || sessString(sess, valLab) == "") {
		// A new lab costs keys and a row: a learner may make a handful, an
		// address (a room behind one NAT) a few hundred, nobody thousands.
		for _, lim := range []struct {
			l   *siteauth.Limiter
			key string
			who string
		}{{h.byLearner, v.LearnerID, "you"}, {h.byAddr, c.ClientIP(), "your address"}} {
			if ok, wait := lim.l.Allow(lim.key); !ok {
				secs := siteauth.RetryAfterSeconds(wait)
				c.Header("Retry-After", strconv.Itoa(secs))
				h.problem(c, http.StatusTooManyRequests, fmt.Sprintf("Too many new labs from %s. Try again in %d s, or reuse the lab you have.", lim.who, secs))
				return
			}
		}
	}
	if lab == nil {
		if slices.Contains(sandbox.Panels(), panel) {
			lab, err = h.labs.CreateFor(ctx, v.LearnerID, panel)
		} else {
			lab, err = h.labs.Create(ctx, v.LearnerID)
		}
		if err != nil {
			h.fail(c, err)
			return
		}
		sess.Values[valLab] = lab.ID
		// ensureLearner may have saved a new guest's session already;
		// this save sets the same cookie again, so the answer keeps one.
		dropSetCookie(c.Writer.Header(), sess.Name())
		if err := sess.Save(c.Request, c.Writer); err != nil {
			h.fail(c, err)
			return
		}
	}
	url := labPageURL(lab, panel, side)
	if wantsJSON(c.Request) {
		c.JSON(http.StatusCreated, gin.H{"id": lab.ID, "url": url})
		return
	}
	c.Redirect(http.StatusSeeOther, url)
}

// dropSetCookie removes the Set-Cookie lines already written for the
// cookie name, before a second save of the same session writes it anew.
func dropSetCookie(h http.Header, name string) {
	lines := h.Values("Set-Cookie")
	h.Del("Set-Cookie")
	for _, l := range lines {
		if n, _, _ := strings.Cut(l, "="); n != name {
			h.Add("Set-Cookie", l)
		}
	}
}

// labRoute serves /lab/{id}/…: the lab page itself for GET /lab/{id}/
// and GET /lab/{id}/{panel}; every other path is the sandbox's.
func (h *labHandlers) labRoute(c *gin.Context) {
	id, sub, sandboxAnswers := labRouteOf(c.Request.Method, strings.TrimPrefix(c.Param("rest"), "/"))
	// Every /lab/ URL carries the lab ID, the key to its demo app: the lab
	// pages, the evil page and the lab's own answers send no Referer
	// beyond this origin, so the ID never leaves the learner's pages.
	c.Writer.Header()["Referrer-Policy"] = labReferrerPolicy
	owner := ""
	if v := viewerFrom(c); v != nil {
		owner = v.LearnerID
	}
	if !sandboxAnswers && sub == "evil" {
		h.labEvil(c, id)
		return
	}
	if !sandboxAnswers {
		h.labPage(c, owner, id, sub, c.Query("side"))
		return
	}
	// The sandbox answers for itself (JSON errors, 404 for another
	// learner's lab); no site page is rendered around it.
	r := c.Request.WithContext(sandbox.WithOwner(c.Request.Context(), owner))
	r.Header = withoutCookies(r.Header, h.sessions.name, tzCookie)
	h.labs.Handler().ServeHTTP(c.Writer, r)
	c.Abort()
}

// labReferrerPolicy is every /lab/ answer's Referrer-Policy, one shared
// value (see securityHeaders).
var labReferrerPolicy = []string{"same-origin"}[:1:1]

// withoutCookies returns the request headers without the site's own
// cookies: h itself when it carries none of them, else a copy (h is the
// site's view of the request, which the request log still reads).
// The site's session cookie must never reach the lab plane: the lab
// records and shows every header it receives, and the lab page's
// JavaScript (which the XSS lab attacks on purpose) can read that trace.
// The others would only clutter the trace a learner is reading.
func withoutCookies(h http.Header, names ...string) http.Header {
	lines := h["Cookie"]
	if !slices.ContainsFunc(lines, func(line string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.Contains(line, n+"=") })
	}) {
		return h
	}
	h = maps.Clone(h) // the other headers' values are shared, never changed
	var kept []string
	for _, line := range lines {
		for _, part := range strings.Split(line, ";") {
			part = strings.TrimSpace(part)
			if n, _, _ := strings.Cut(part, "="); part != "" && !slices.Contains(names, n) {
				kept = append(kept, part)
			}
		}
	}
	delete(h, "Cookie")
	if len(kept) > 0 {
		h["Cookie"] = []string{strings.Join(kept, "; ")}
	}
	return h
}

func (h *labHandlers) labPage(c *gin.Context, owner, id, panel, side string) {
	if owner == "" {
		h.problem(c, http.StatusNotFound, "There is no lab at this address for you. Labs belong to the browser that started them: open one from a lesson.")
		return
	}
	ctx := c.Request.Context()
	lab, err := h.labs.Get(ctx, owner, id)
	if errors.Is(err, sandbox.ErrNotFound) {
		h.problem(c, http.StatusNotFound, "This lab does not exist, has expired after a while unused, or belongs to someone else. Start a new one from a lesson.")
		return
	} else if err != nil {
		h.fail(c, err)
		return
	}
	if panel == "" {
		panel = cmp.Or(lab.Panel, "twin-login")
	}
	elsewhere := lab.Panel != "" && lab.Panel != panel
	if elsewhere {
		// Each panel has its own lab: go to this learner's, if there is one.
		if other, err := h.labs.ForPanel(ctx, owner, panel); err == nil {
			c.Redirect(http.StatusSeeOther, labPageURL(other, panel, side))
			return
		} else if !errors.Is(err, sandbox.ErrNotFound) {
			h.fail(c, err)
			return
		}
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	all, err := h.progress.labs(ctx, owner)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := labPage{Page: h.base(c, sandbox.Title(panel)+" · Live lab", "course"), LabID: id, Panel: panel, PanelTitle: sandbox.Title(panel),
		Available: slices.Contains(twinPanels, panel) || attackScripts[panel] != "", Script: attackScripts[panel],
		Progress: all[panel], Elsewhere: elsewhere, Origin: h.origin(c),
		Side: sideOf(panel, side)} // a side unknown to the page is no error: it shows both
	p.Heading, p.Intro = sandbox.Intro(panel)
	p.Goal, p.GoalID = cat.LabGoal(panel), sandbox.Goal(panel).ID
	// The lesson's steps that name the milestones are their one text, in
	// the lessons' order; the sandbox's own line only stands in (last)
	// for a milestone no step names.
	for _, st := range cat.LabSteps(panel) {
		if slices.ContainsFunc(sandbox.Milestones(panel), func(m sandbox.Milestone) bool { return m.ID == st.Check }) {
			p.Steps = append(p.Steps, labStep{Milestone: st.Check, Text: st.Text, Done: p.Progress.Steps[st.Check]})
		}
	}
	for _, m := range sandbox.Milestones(panel) {
		if !slices.ContainsFunc(p.Steps, func(s labStep) bool { return s.Milestone == m.ID }) {
			p.Steps = append(p.Steps, labStep{Milestone: m.ID, Text: template.HTML(template.HTMLEscapeString(m.Text)), Done: p.Progress.Steps[m.ID]})
		}
	}
	p.Lessons = cat.LabLessons(panel)
	c.Header("Cache-Control", "no-store")
	h.html(c, http.StatusOK, "lab", p)
}

// sessString reads a string value of the site session.
func sessString(sess *sessions.Session, key string) string {
	v, _ := sess.Values[key].(string)
	return v
}

// evilPage is the CSRF lab's "other site".
type evilPage struct {
	Page
	LabID, Bank, Action, BankPage string
	SameSite                      bool // served on another port of the bank's host: same site, another origin
}

// labEvil serves the CSRF lab's evil page: another site (the same server
// under the other loopback name, or a configured base) whose form posts
// a transfer to the learner's lab bank. It belongs to nobody, so it needs
// no identity; it holds nothing but the lab ID from its own URL, and its
// form can only target a lab bank on a loopback host.
func (h *labHandlers) labEvil(c *gin.Context, id string) {
	if !sandbox.ValidLabID(id) {
		h.problem(c, http.StatusNotFound, "There is no lab at this address.")
		return
	}
	bank := sandbox.EvilTarget(c.Query("bank"), c.Request.Host, c.Request.TLS != nil)
	p := evilPage{Page: h.base(c, "You won a prize!", ""), LabID: id, Bank: bank}
	p.Chrome = "none" // another site's page: none of authlab's header, menu or footer
	if bank != "" {
		p.Action = bank + "/lab/" + id + "/bank/transfer"
		// The bank's own page, rendered from what the navigation carried.
		p.BankPage = bank + "/lab/" + id + "/bank/home"
		if u, err := url.Parse(bank); err == nil {
			p.SameSite = strings.EqualFold(u.Hostname(), hostname(c.Request.Host))
		}
		// The site's policy allows forms to post to itself only; this
		// page exists to post to the other site.
		c.Header("Content-Security-Policy", strings.Replace(h.render.set().CSP, "form-action 'self'", "form-action "+bank, 1))
	}
	c.Header("Cache-Control", "no-store")
	h.html(c, http.StatusOK, "lab_evil", p)
}
