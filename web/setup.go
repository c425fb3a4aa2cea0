package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// setupLink is the one-time link that creates the first instructor on a
// fresh install: printed to the log at start while no instructor exists,
// valid until used (or until the next start), never shown on a page.
type setupLink struct {
	mu    sync.Mutex
	token string // "" once used, or when an instructor already existed
}

// newSetupLink makes a token when the site has no instructor yet.
func newSetupLink(ctx context.Context, count func(context.Context) (int64, error)) *setupLink {
	l := &setupLink{}
	if n, err := count(ctx); err == nil && n == 0 {
		l.token = siteauth.RandomToken(24)
	}
	return l
}

// Path is the link's path, or "" when there is none.
func (l *setupLink) Path() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.token == "" {
		return ""
	}
	return "/setup/" + l.token
}

func (l *setupLink) valid(token string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(l.token)) == 1
}

func (l *setupLink) spend() {
	l.mu.Lock()
	l.token = ""
	l.mu.Unlock()
}

// SetupPath is the first-start instructor link, for main to print.
func (s *Server) SetupPath() string { return s.setup.Path() }

// setupUsed is the answer to a setup link that can no longer be used.
const setupUsed = "This setup link has been used or has expired. Instructors are added with `authlab user add --instructor NAME`, or promoted from the Workshops page."

// setupSpentMeanwhile spends the link when the site has an instructor by
// now (made from the command line, or through another replica's link).
func (h *authHandlers) setupSpentMeanwhile(c *gin.Context) {
	if n, err := h.store.CountInstructors(c.Request.Context()); err == nil && n > 0 {
		h.setup.spend()
	}
}

func (h *authHandlers) setupForm(c *gin.Context) {
	h.setupSpentMeanwhile(c)
	if !h.setup.valid(c.Param("token")) {
		h.problem(c, http.StatusNotFound, setupUsed)
		return
	}
	p := h.authForm(c, true)
	p.Action, p.Instructor = "/setup/"+c.Param("token"), true
	h.html(c, http.StatusOK, "signin", p)
}

// setupCreate makes the first instructor. Replicas each print a link of
// their own, so the last word is the store's: NewFirstInstructor checks
// and inserts in one transaction that replicas take in turn, and the
// loser answers as for a used link.
func (h *authHandlers) setupCreate(c *gin.Context) {
	h.setupSpentMeanwhile(c)
	token := c.Param("token")
	if !h.setup.valid(token) {
		h.problem(c, http.StatusNotFound, setupUsed)
		return
	}
	h.createAccount(c, true, "/setup/"+token)
	if c.Writer.Status() == http.StatusSeeOther {
		h.setup.spend()
	}
}
