package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// API sign-ins on /account/sessions. Each POST /api/v1/token starts a
// refresh-token family; the page lists the live ones beside the cookie
// sessions and revokes them, and revoking one refuses its refresh token
// and every access token issued in it (their sid claim) at once.

// apiSessionRow is one API sign-in on the sessions page.
type apiSessionRow struct {
	Handle, Device, IP    string
	Created, CreatedISO   string
	LastUsed, LastUsedISO string
}

// apiSessionRows lists the learner's live API sign-ins.
func (h *accountHandlers) apiSessionRows(ctx context.Context, learnerID string) ([]apiSessionRow, error) {
	fams, err := h.store.LearnerRefreshFamilies(ctx, learnerID)
	if err != nil {
		return nil, err
	}
	rows := make([]apiSessionRow, 0, len(fams))
	for _, f := range fams {
		rows = append(rows, apiSessionRow{
			Handle: f.ID, Device: siteauth.ClientName(f.UserAgent), IP: f.Addr,
			Created: humanTime(f.CreatedAt), CreatedISO: f.CreatedAt.UTC().Format(time.RFC3339),
			LastUsed: humanTime(f.LastUsed), LastUsedISO: f.LastUsed.UTC().Format(time.RFC3339),
		})
	}
	return rows, nil
}

// revokeAPISession: POST /account/sessions/api/:handle/revoke ends one of
// the account's API sign-ins.
// ASVS 5.0 V7.5.2, V10.4.9 (a user revokes a refresh token).
func (h *accountHandlers) revokeAPISession(c *gin.Context) {
	v, ok := h.account(c)
	if !ok {
		return
	}
	fam, err := h.store.RevokeLearnerRefreshFamily(c.Request.Context(), v.LearnerID, c.Param("handle"))
	if errors.Is(err, progress.ErrNotFound) {
		h.problem(c, http.StatusNotFound, "That API sign-in is not one of yours, or it has already ended.")
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.flash(c, "Revoked: "+siteauth.ClientName(fam.UserAgent)+". Its refresh token and access tokens are refused from now on.")
	c.Redirect(http.StatusSeeOther, "/account/sessions")
}

// nounCount is "1 API sign-in", "2 API sign-ins".
func nounCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
