package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// sessionsPage is "Your sessions".
type sessionsPage struct {
	Page
	Sessions []sessionRow
}

type sessionRow struct {
	Handle, Device, IP    string
	Created, CreatedISO   string
	LastSeen, LastSeenISO string
	Current               bool
}

// account returns the signed-in account, or redirects to sign in. A
// revoked session arrives here without a viewer: it is signed out.
func (s *Server) account(c *gin.Context) (*Viewer, bool) {
	v := viewerFrom(c)
	if v == nil || v.Username == "" {
		if wantsJSON(c.Request) {
			s.problem(c, http.StatusUnauthorized, "Sign in to see this page.")
			return nil, false
		}
		c.Redirect(http.StatusSeeOther, "/signin?next="+c.Request.URL.Path)
		c.Abort()
		return nil, false
	}
	return v, true
}

func (s *Server) sessionsList(c *gin.Context) {
	v, ok := s.account(c)
	if !ok {
		return
	}
	recs, err := s.sessions.backend.LearnerSessions(c.Request.Context(), v.LearnerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	current := ""
	if rec := recordOf(s.session(c)); rec != nil {
		current = rec.ID
	}
	p := sessionsPage{Page: s.base(c, "Your sessions", "account")}
	for _, r := range recs {
		p.Sessions = append(p.Sessions, sessionRow{
			Handle: r.ID, Device: deviceName(r.UserAgent), IP: r.Addr,
			Created: humanTime(r.CreatedAt), CreatedISO: r.CreatedAt.UTC().Format(time.RFC3339),
			LastSeen: humanTime(r.LastSeen), LastSeenISO: r.LastSeen.UTC().Format(time.RFC3339),
			Current: r.ID == current,
		})
	}
	s.html(c, http.StatusOK, "sessions", p)
}

// revokeSession ends one of the account's other sessions.
func (s *Server) revokeSession(c *gin.Context) {
	v, ok := s.account(c)
	if !ok {
		return
	}
	handle := c.Param("handle")
	recs, err := s.sessions.backend.LearnerSessions(c.Request.Context(), v.LearnerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, r := range recs {
		if r.ID == handle {
			if err := s.sessions.backend.DeleteSession(c.Request.Context(), r.ID); err != nil {
				s.fail(c, err)
				return
			}
			s.flash(c, "Revoked: "+deviceName(r.UserAgent)+". That browser is signed out on its next click.")
			c.Redirect(http.StatusSeeOther, "/account/sessions")
			return
		}
	}
	s.problem(c, http.StatusNotFound, "That session is not one of yours, or it has already ended.")
}

// revokeOthers ends every session of the account but this one.
func (s *Server) revokeOthers(c *gin.Context) {
	v, ok := s.account(c)
	if !ok {
		return
	}
	keep := ""
	if rec := recordOf(s.session(c)); rec != nil {
		keep = rec.ID
	}
	n, err := s.sessions.backend.DeleteLearnerSessions(c.Request.Context(), v.LearnerID, keep)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "Signed out everywhere else ("+strconv.Itoa(n)+" sessions).")
	c.Redirect(http.StatusSeeOther, "/account/sessions")
}

// exportData sends everything stored about the viewer as JSON.
func (s *Server) exportData(c *gin.Context) {
	v := viewerFrom(c)
	if v == nil {
		s.problem(c, http.StatusNotFound, "Nothing is stored about you: you have not answered, completed or opened anything yet.")
		return
	}
	ex, err := s.store.ExportLearnerData(c.Request.Context(), v.LearnerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="authlab-data.json"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json", b)
}

// deleteAccount removes the viewer and everything recorded for them.
func (s *Server) deleteAccount(c *gin.Context) {
	v := viewerFrom(c)
	if v == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	if !s.readForm(c) {
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.problem(c, http.StatusBadRequest, "Tick “I understand” to delete your account; nothing was deleted.")
		return
	}
	if _, err := s.sessions.backend.DeleteLearnerSessions(c.Request.Context(), v.LearnerID, ""); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteLearner(c.Request.Context(), v.LearnerID); err != nil {
		s.fail(c, err)
		return
	}
	sess := s.session(c)
	sess.Options.MaxAge = -1
	_ = sess.Save(c.Request, c.Writer)
	s.html(c, http.StatusOK, "error", errorPage{Page: s.base(c, "Account deleted", ""), Status: http.StatusOK,
		Heading: "Account deleted", Message: "Your account, progress, answers and sessions are gone."})
}

// humanTime is a short local-neutral time for tables.
func humanTime(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}
