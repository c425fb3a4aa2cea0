package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// authHandlers serve signing up, in and out, and the first instructor's
// setup link (setup.go).
type authHandlers struct {
	*kernel
	store        authStore
	check        *passwordCheck
	hasher       *siteauth.Hasher
	devices      *devices          // browsers that signed in before
	signupByAddr *siteauth.Limiter // sign-ups per client address
	setup        *setupLink        // the first instructor's one-time link
}

// authStore is what signing up and in writes.
type authStore interface {
	NewAccount(ctx context.Context, username, email, passwordHash string, instructor bool) (*progress.Learner, error)
	NewFirstInstructor(ctx context.Context, username, email, passwordHash string) (*progress.Learner, error)
	CountInstructors(ctx context.Context) (int64, error)
	Merge(ctx context.Context, guestID, accountID string) (progress.MergeSummary, error)
}

var _ authStore = (*progress.Store)(nil)

// passwordCheck checks a password guess under the sign-in limits, for
// /signin, /api/v1/token and the account pages that ask for the current
// password again.
type passwordCheck struct {
	*kernel
	store   passwordStore
	hasher  *siteauth.Hasher
	signIn  *siteauth.SignInLimits // failed password guesses (see SignInLimits)
	devices *devices               // browsers that signed in before: exempt from an account's lockout
}

// passwordStore finds the account a guess is for.
type passwordStore interface {
	LearnerByUsername(ctx context.Context, username string) (*progress.Learner, error)
}

var _ passwordStore = (*progress.Store)(nil)

// maxFormBytes bounds every browser form body. It fits a mock interview's
// written answer (see maxQuizBody) and still stops a forged flood.
const maxFormBytes = 64 << 10

// authPage is the sign-in and sign-up form. It keeps what was typed,
// never the password.
type authPage struct {
	Page
	SignUp      bool
	Action      string // where the form posts; "" for /signin or /signup
	Instructor  bool   // the first-start setup form
	Error       string
	Next        string
	Username    string
	Email       string
	FieldErrors map[string]string
}

// Focus names the field the page puts the cursor in: the first one with
// an error; after a refused sign-in, the password (the username is kept);
// else the username. A keyboard user lands where the fix is.
func (p authPage) Focus() string {
	fields := []string{"username", "email", "password"}
	for _, f := range fields {
		if p.FieldErrors[f] != "" {
			return f
		}
	}
	if p.Error != "" && p.Username != "" {
		return "password"
	}
	return "username"
}

// retypeNote is said when a refused form had a password in it: passwords
// are never written back into a page, so the field comes back empty.
const retypeNote = " Type your password again: a password is never sent back to the page."

func (h *authHandlers) authForm(c *gin.Context, signUp bool) authPage {
	title := "Sign in"
	if signUp {
		title = "Create an account"
	}
	return authPage{Page: h.base(c, title, "account"), SignUp: signUp, Next: siteauth.LocalPath(c.Query("next")), FieldErrors: map[string]string{}}
}

func (h *authHandlers) signinForm(c *gin.Context) {
	h.html(c, http.StatusOK, "signin", h.authForm(c, false))
}

func (h *authHandlers) signupForm(c *gin.Context) {
	h.html(c, http.StatusOK, "signin", h.authForm(c, true))
}

func (h *authHandlers) signup(c *gin.Context) { h.createAccount(c, false, "") }

// createAccount handles a sign-up form; instructor is only ever true for
// the one-time setup link.
func (h *authHandlers) createAccount(c *gin.Context, instructor bool, action string) {
	if !h.readForm(c) {
		return
	}
	p := h.authForm(c, true)
	p.Action, p.Instructor = action, instructor
	p.Next = siteauth.LocalPath(c.PostForm("next"))
	p.Username = strings.TrimSpace(c.PostForm("username"))
	p.Email = strings.TrimSpace(c.PostForm("email"))
	pw := c.PostForm("password")
	if p.Username == "" {
		p.FieldErrors["username"] = "Choose a username."
	} else if err := siteauth.CheckUsername(p.Username); err != nil {
		p.FieldErrors["username"] = capitalize(err.Error()) + "."
	}
	if err := siteauth.CheckEmail(p.Email); err != nil {
		p.FieldErrors["email"] = capitalize(err.Error()) + "."
	}
	if err := siteauth.CheckPasswordRules(pw); err != nil {
		p.FieldErrors["password"] = capitalize(err.Error()) + "."
	}
	if len(p.FieldErrors) > 0 {
		p.Error = "Please fix the highlighted fields."
		if p.FieldErrors["password"] == "" {
			p.Error += retypeNote
		}
		h.html(c, http.StatusUnprocessableEntity, "signin", p)
		return
	}
	if ok, wait := h.signupByAddr.Allow(c.ClientIP()); !ok {
		h.check.tooManyAttempts(c, wait)
		return
	}
	hash, err := h.hasher.Hash(pw)
	if err != nil {
		h.fail(c, err)
		return
	}
	var l *progress.Learner
	if instructor {
		l, err = h.store.NewFirstInstructor(c.Request.Context(), p.Username, p.Email, hash)
	} else {
		l, err = h.store.NewAccount(c.Request.Context(), p.Username, p.Email, hash, false)
	}
	if errors.Is(err, progress.ErrInstructorExists) {
		h.setup.spend()
		h.problem(c, http.StatusNotFound, setupUsed)
		return
	}
	if errors.Is(err, progress.ErrConflict) {
		p.FieldErrors["username"] = "That username is taken. Try another, or sign in if it is yours."
		p.Error = "Please fix the highlighted fields." + retypeNote
		h.html(c, http.StatusConflict, "signin", p)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.signedIn(c, l, p.Next, "Welcome, "+l.Name()+"! Your account is ready.")
}

func (h *authHandlers) signin(c *gin.Context) {
	if !h.readForm(c) {
		return
	}
	p := h.authForm(c, false)
	p.Next = siteauth.LocalPath(c.PostForm("next"))
	p.Username = strings.TrimSpace(c.PostForm("username"))
	pw := c.PostForm("password")
	if p.Username == "" {
		p.FieldErrors["username"] = "Enter your username."
	}
	if pw == "" {
		p.FieldErrors["password"] = "Enter your password."
	}
	if len(p.FieldErrors) > 0 {
		p.Error = "Please fill in both fields."
		h.html(c, http.StatusUnprocessableEntity, "signin", p)
		return
	}
	succeeded, ok := h.check.allowSignIn(c, p.Username)
	if !ok {
		return
	}
	l, err := h.check.checkPassword(c, p.Username, pw)
	if errors.Is(err, errBadCredentials) {
		p.Error = "That username and password do not match an account."
		h.html(c, http.StatusUnauthorized, "signin", p)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	succeeded()
	h.signedIn(c, l, p.Next, "Welcome back, "+l.Name()+".")
}

var errBadCredentials = errors.New("web: bad credentials")

// checkPassword verifies a username and password. An unknown user costs
// the same hashing time as a wrong password, so timing does not tell
// which usernames exist.
// ASVS 5.0 V6.3.8 (no user enumeration by response time).
func (p *passwordCheck) checkPassword(c *gin.Context, username, pw string) (*progress.Learner, error) {
	l, err := p.store.LearnerByUsername(c.Request.Context(), username)
	if errors.Is(err, progress.ErrNotFound) || (err == nil && l.PasswordHash == "") {
		p.hasher.DummyVerify(pw)
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if err := p.hasher.Verify(l.PasswordHash, pw); err != nil {
		if errors.Is(err, siteauth.ErrMismatch) {
			return nil, errBadCredentials
		}
		return nil, err
	}
	return l, nil
}

// allowSignIn applies the sign-in limits (siteauth.SignInLimits) to a
// password guess for username, on /signin and /api/v1/token alike. Only
// failures count: call succeeded after a right password. A browser with
// a device cookie for the account is limited on its own, so guesses from
// elsewhere cannot lock its owner out.
// ASVS 5.0 V6.3.1 (brute force and credential stuffing controls).
func (p *passwordCheck) allowSignIn(c *gin.Context, username string) (succeeded func(), ok bool) {
	account := progress.UsernameKey(username)
	ok, wait, succeeded := p.signIn.Take(siteauth.Guess{Account: account, Addr: c.ClientIP(), Device: p.devices.known(c.Request, account)})
	if !ok {
		p.tooManyAttempts(c, wait)
		return nil, false
	}
	return succeeded, true
}

// tooManyAttempts answers 429 with Retry-After.
func (p *passwordCheck) tooManyAttempts(c *gin.Context, wait time.Duration) {
	p.tooMany(c, wait, "Too many attempts.")
}

// signedIn merges the guest's progress into the account, then starts a
// new session with a new ID (the old one dies: fixation defence).
// ASVS 5.0 V7.2.4 (a new session token on authentication).
func (h *authHandlers) signedIn(c *gin.Context, l *progress.Learner, next, greeting string) {
	ctx := c.Request.Context()
	msg := greeting
	if v := viewerFrom(c); v != nil && v.Username == "" && v.LearnerID != l.ID {
		sum, err := h.store.Merge(ctx, v.LearnerID, l.ID)
		if err != nil && !errors.Is(err, progress.ErrConflict) && !errors.Is(err, progress.ErrNotFound) {
			h.fail(c, err)
			return
		}
		if !sum.Empty() {
			msg += " " + mergeMessage(sum)
		}
	}
	if err := h.startSession(c, l); err != nil {
		h.fail(c, err)
		return
	}
	h.devices.remember(c, l)
	h.flash(c, msg)
	c.Redirect(http.StatusSeeOther, next)
}

// mergeMessage tells the learner what was kept from this device.
func mergeMessage(m progress.MergeSummary) string {
	var parts []string
	for _, kept := range []struct {
		n    int
		noun string
	}{{m.Lessons, "lesson"}, {m.Attempts, "quiz answer"}, {m.Cards, "review card"}, {m.Milestones, "lab milestone"}, {m.Labs, "lab"}} {
		if kept.n > 0 {
			parts = append(parts, nounCount(kept.n, kept.noun))
		}
	}
	return "Kept from this device: " + strings.Join(parts, ", ") + "."
}

// startSession replaces the request's session with a new one for l.
func (k *kernel) startSession(c *gin.Context, l *progress.Learner) error {
	sess := k.session(c)
	if sess.ID != "" {
		if err := k.sessions.backend.DeleteSession(c.Request.Context(), progress.SessionKey(sess.ID)); err != nil {
			return err
		}
	}
	sess.ID = ""
	sess.IsNew = true
	clear(sess.Values)
	sess.Values[valLearner] = l.ID
	if l.Username != nil {
		sess.Values[valUsername] = *l.Username
	}
	if l.Instructor {
		sess.Values[valInstructor] = "yes"
	}
	sess.Options = k.sessions.options(c.Request)
	if err := sess.Save(c.Request, c.Writer); err != nil {
		return err
	}
	v := &Viewer{LearnerID: l.ID, Username: l.Name(), Instructor: l.Instructor}
	c.Set(viewerKey, v)
	return nil
}

func (h *authHandlers) signoutForm(c *gin.Context) {
	if viewerFrom(c) == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	h.html(c, http.StatusOK, "signout", h.base(c, "Sign out", "account"))
}

// signout deletes the session record and clears the cookie.
// ASVS 5.0 V7.4.1 (a terminated session cannot be used again).
func (h *authHandlers) signout(c *gin.Context) {
	sess := h.session(c)
	if sess.ID != "" {
		sess.Options.MaxAge = -1
		if err := sess.Save(c.Request, c.Writer); err != nil {
			h.fail(c, err)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
