package web

import (
	"net/http"

	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// passwordPage is "Change your password". It never echoes a password
// back: the form holds nothing else, so an error page is empty fields
// with the reason beside each.
type passwordPage struct {
	Page
	Error       string
	FieldErrors map[string]string
}

// Focus names the field the page puts the cursor in: the first one with
// an error, else the current password.
func (p passwordPage) Focus() string {
	for _, f := range []string{"current_password", "new_password", "confirm_password"} {
		if p.FieldErrors[f] != "" {
			return f
		}
	}
	return "current_password"
}

func (h *accountHandlers) passwordForm(c *gin.Context) {
	if _, ok := h.account(c); !ok {
		return
	}
	h.html(c, http.StatusOK, "account_password", passwordPage{Page: h.base(c, "Change your password", "account"), FieldErrors: map[string]string{}})
}

// changePassword replaces the account's password after its current one
// (ASVS 5.0 V6.2.3), then ends every other browser session and every
// API sign-in (V7.4.3 asks for that option after a password change;
// here it always happens, since one of them may be why the password
// changes), and gives this browser a fresh session ID.
// ASVS 5.0 V6.2.2, V7.2.4 (re-authentication), V7.5.1.
func (h *accountHandlers) changePassword(c *gin.Context) {
	v, ok := h.account(c)
	if !ok {
		return
	}
	if !h.readForm(c) {
		return
	}
	current, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	p := passwordPage{Page: h.base(c, "Change your password", "account"), FieldErrors: map[string]string{}}
	refuse := func(status int) {
		p.Error = "Your password was not changed. Please fix the highlighted fields, and type the passwords again: a password is never sent back to the page."
		h.html(c, status, "account_password", p)
	}
	if current == "" {
		p.FieldErrors["current_password"] = "Enter your current password."
	}
	if err := siteauth.CheckPasswordRules(next); err != nil {
		p.FieldErrors["new_password"] = capitalize(err.Error()) + "."
	} else if next == current {
		p.FieldErrors["new_password"] = "Choose a password different from your current one."
	}
	switch {
	case confirm == "" && next != "":
		p.FieldErrors["confirm_password"] = "Type the new password a second time."
	case confirm != next:
		p.FieldErrors["confirm_password"] = "The two new passwords differ; type the same one twice."
	}
	if len(p.FieldErrors) > 0 {
		refuse(http.StatusUnprocessableEntity)
		return
	}
	if !h.reauthenticate(c, v.LearnerID, current, func(msg string) {
		p.FieldErrors["current_password"] = msg
		refuse(http.StatusForbidden)
	}) {
		return
	}
	hash, err := h.hasher.Hash(next)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := h.store.SetPasswordHash(ctx, v.LearnerID, hash); err != nil {
		h.fail(c, err)
		return
	}
	n, fams, err := h.endOtherSignIns(ctx, v.LearnerID, h.sessionHandle(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	l, err := h.store.Learner(ctx, v.LearnerID)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.startSession(c, l); err != nil { // a fresh ID; the old one dies
		h.fail(c, err)
		return
	}
	h.flash(c, "Your password is changed. Signed out everywhere else ("+nounCount(n, "browser session")+", "+nounCount(fams, "API sign-in")+"); this browser stays signed in.")
	c.Redirect(http.StatusSeeOther, "/account/sessions")
}
