package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// accountHandlers serve a signed-in account's own pages: its sign-ins
// (browser sessions and API refresh families, api_sessions.go), its
// password (account_password.go), its data to export, its deletion.
type accountHandlers struct {
	*kernel
	store    accountStore
	check    *passwordCheck // the current password, asked again
	hasher   *siteauth.Hasher
	devices  *devices
	progress *learnerProgress // the export's labs
}

// accountStore is what the account pages read and change.
type accountStore interface {
	Learner(ctx context.Context, id string) (*progress.Learner, error)
	SetPasswordHash(ctx context.Context, id, hash string) error
	ExportLearnerData(ctx context.Context, id string) (*progress.Export, error)
	DeleteLearner(ctx context.Context, id string) error
	LearnerRefreshFamilies(ctx context.Context, learnerID string) ([]progress.RefreshFamily, error)
	RevokeLearnerRefreshFamily(ctx context.Context, learnerID, familyID string) (*progress.RefreshFamily, error)
	RevokeLearnerRefreshFamilies(ctx context.Context, learnerID string) (int, error)
}

var _ accountStore = (*progress.Store)(nil)

// sessionsPage is "Your sessions".
type sessionsPage struct {
	Page
	Sessions    []sessionRow
	APISessions []apiSessionRow // API sign-ins (refresh families), api_sessions.go
	// DeleteError is why "Delete my account" was refused, shown at its
	// form; empty on a plain view.
	DeleteError string
}

type sessionRow struct {
	Handle, Device, IP    string
	Created, CreatedISO   string
	LastSeen, LastSeenISO string
	Current               bool
}

func (h *accountHandlers) sessionsList(c *gin.Context) {
	v, ok := h.account(c)
	if !ok {
		return
	}
	h.sessionsPage(c, v, http.StatusOK, "")
}

// sessionsPage renders "Your sessions" with status, and deleteErr at the
// delete form when a deletion was refused.
func (h *accountHandlers) sessionsPage(c *gin.Context, v *Viewer, status int, deleteErr string) {
	recs, err := h.sessions.backend.LearnerSessions(c.Request.Context(), v.LearnerID)
	if err != nil {
		h.fail(c, err)
		return
	}
	current := h.sessionHandle(c)
	p := sessionsPage{Page: h.base(c, "Your sessions", "account"), DeleteError: deleteErr}
	for _, r := range recs {
		p.Sessions = append(p.Sessions, sessionRow{
			Handle: r.ID, Device: siteauth.DeviceName(r.UserAgent), IP: r.Addr,
			Created: humanTime(r.CreatedAt), CreatedISO: r.CreatedAt.UTC().Format(time.RFC3339),
			LastSeen: humanTime(r.LastSeen), LastSeenISO: r.LastSeen.UTC().Format(time.RFC3339),
			Current: r.ID == current,
		})
	}
	if p.APISessions, err = h.apiSessionRows(c.Request.Context(), v.LearnerID); err != nil {
		h.fail(c, err)
		return
	}
	h.html(c, status, "sessions", p)
}

// revokeSession ends one of the account's other sessions.
// ASVS 5.0 V7.5.2 (view and end sessions; no second password asked).
func (h *accountHandlers) revokeSession(c *gin.Context) {
	v, ok := h.account(c)
	if !ok {
		return
	}
	handle := c.Param("handle")
	recs, err := h.sessions.backend.LearnerSessions(c.Request.Context(), v.LearnerID)
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, r := range recs {
		if r.ID == handle {
			if err := h.sessions.backend.DeleteSession(c.Request.Context(), r.ID); err != nil {
				h.fail(c, err)
				return
			}
			h.flash(c, "Revoked: "+siteauth.DeviceName(r.UserAgent)+". That browser is signed out on its next click.")
			c.Redirect(http.StatusSeeOther, "/account/sessions")
			return
		}
	}
	h.problem(c, http.StatusNotFound, "That session is not one of yours, or it has already ended.")
}

// revokeOthers ends every session of the account but this one, and
// every API sign-in (refresh family, with its access tokens).
func (h *accountHandlers) revokeOthers(c *gin.Context) {
	v, ok := h.account(c)
	if !ok {
		return
	}
	n, fams, err := h.endOtherSignIns(c.Request.Context(), v.LearnerID, h.sessionHandle(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.flash(c, "Signed out everywhere else ("+nounCount(n, "browser session")+", "+nounCount(fams, "API sign-in")+").")
	c.Redirect(http.StatusSeeOther, "/account/sessions")
}

// endOtherSignIns ends every browser session of the learner but keep
// (a session handle; "" ends them all) and every API sign-in (refresh
// family, with its access tokens). It returns how many of each it ended.
func (h *accountHandlers) endOtherSignIns(ctx context.Context, learnerID, keep string) (sessions, apiSignIns int, err error) {
	if sessions, err = h.sessions.backend.DeleteLearnerSessions(ctx, learnerID, keep); err != nil {
		return 0, 0, err
	}
	if apiSignIns, err = h.store.RevokeLearnerRefreshFamilies(ctx, learnerID); err != nil {
		return sessions, 0, err
	}
	return sessions, apiSignIns, nil
}

// exportData sends everything stored about the viewer as JSON.
func (h *accountHandlers) exportData(c *gin.Context) {
	v := viewerFrom(c)
	if v == nil {
		h.problem(c, http.StatusNotFound, "Nothing is stored about you: you have not answered, completed or opened anything yet.")
		return
	}
	ex, err := h.store.ExportLearnerData(c.Request.Context(), v.LearnerID)
	if err != nil {
		h.fail(c, err)
		return
	}
	withLabs, err := h.progress.export(c.Request.Context(), v.LearnerID, ex)
	if err != nil {
		h.fail(c, err)
		return
	}
	b, err := json.MarshalIndent(withLabs, "", "  ")
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="authlab-data.json"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json", b)
}

// deleteAccount removes the viewer and everything recorded for them. An
// account must give its current password (ASVS 5.0 V7.5.3), so a session
// left open on someone else's screen cannot delete it; a guest, who has
// none, ticks the box.
func (h *accountHandlers) deleteAccount(c *gin.Context) {
	v := viewerFrom(c)
	if v == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	if !h.readForm(c) {
		return
	}
	// An account is refused on its sessions page, at the form, with the
	// reason; a guest (no such page) on a page of its own.
	refuse := func(status int, msg string) {
		if v.Username != "" && !wantsJSON(c.Request) {
			h.sessionsPage(c, v, status, msg)
			return
		}
		h.problem(c, status, msg)
	}
	if c.PostForm("confirm") != "yes" {
		refuse(http.StatusBadRequest, "Tick “I understand” to delete your account; nothing was deleted.")
		return
	}
	if v.Username != "" && !h.reauthenticate(c, v.LearnerID, c.PostForm("password"), func(msg string) {
		refuse(http.StatusForbidden, msg+" Nothing was deleted.")
	}) {
		return
	}
	if err := h.deleteLearner(c, v.LearnerID); err != nil {
		h.fail(c, err)
		return
	}
	sess := h.session(c)
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request, c.Writer); err != nil {
		// The account and its session records are gone already; the
		// cookie left behind names nothing and is refused on sight.
		h.log.WarnContext(c.Request.Context(), "delete account: clear the session cookie", "err", err)
	}
	h.devices.forget(c)
	// The home page says so, as a password change or a revocation is
	// confirmed: a page of its own at /account/delete looked like an
	// error and asked to send the form again on reload.
	h.setNote(c, "deleted", sess.Options.Secure)
	c.Redirect(http.StatusSeeOther, "/")
}

// apiDeleteAccount: DELETE /api/v1/me {"password"}, the account of the
// access token, after its current password.
func (h *accountHandlers) apiDeleteAccount(c *gin.Context) {
	var in struct {
		Password string `json:"password"`
	}
	if !readJSON(c, &in) {
		return
	}
	id := c.GetString(apiLearner)
	if !h.reauthenticate(c, id, in.Password, func(msg string) {
		apiError(c, http.StatusForbidden, "invalid_password", msg+" Nothing was deleted.")
	}) {
		return
	}
	if err := h.deleteLearner(c, id); err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"deleted": true})
}

// reauthenticate checks the account's current password before a change
// that cannot be undone, under the same limits as a sign-in. On a wrong
// or missing password it calls refuse with the reason and returns false.
func (h *accountHandlers) reauthenticate(c *gin.Context, learnerID, pw string, refuse func(string)) bool {
	l, err := h.store.Learner(c.Request.Context(), learnerID)
	if err != nil {
		h.fail(c, err)
		return false
	}
	if pw == "" {
		refuse("Enter your current password to confirm.")
		return false
	}
	succeeded, ok := h.check.allowSignIn(c, l.Name())
	if !ok {
		return false
	}
	if _, err := h.check.checkPassword(c, l.Name(), pw); errors.Is(err, errBadCredentials) {
		refuse("That is not your current password.")
		return false
	} else if err != nil {
		h.fail(c, err)
		return false
	}
	succeeded()
	return true
}

// deleteLearner ends every session of the learner (wherever sessions
// live) and deletes the learner with all their records and refresh
// tokens. Access tokens already issued die with the account: bearer
// refuses any whose account no longer exists (Store.AccessState). The
// learner's kept lesson pages go too.
// ASVS 5.0 V7.4.2 (a deleted account's sessions all end).
func (h *accountHandlers) deleteLearner(c *gin.Context, id string) error {
	if _, err := h.sessions.backend.DeleteLearnerSessions(c.Request.Context(), id, ""); err != nil {
		return err
	}
	h.personal.forget(id) // no session can ask for them now; nothing of the learner stays
	return h.store.DeleteLearner(c.Request.Context(), id)
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
