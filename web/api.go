package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
)

// apiHandlers serve the JSON API under /api/v1: tokens for a password,
// refresh and logout, the bearer check, and what a token may read.
type apiHandlers struct {
	*kernel
	store  apiStore
	check  *passwordCheck
	issuer *siteauth.Issuer // access tokens
	keys   *siteauth.KeyRing
}

// apiStore is what the API reads and records: refresh families, the
// deny list, the learner and their lessons.
type apiStore interface {
	Learner(ctx context.Context, id string) (*progress.Learner, error)
	Lessons(ctx context.Context, learnerID string) (map[string]progress.LessonProgress, error)
	NewRefreshFamily(ctx context.Context, fam *progress.RefreshFamily, hash string, expires time.Time) error
	RotateRefreshFamily(ctx context.Context, oldHash, newHash string, expires time.Time) (learnerID, familyID string, err error)
	RevokeRefreshFamily(ctx context.Context, hash string) error
	RevokeLearnerRefreshFamily(ctx context.Context, learnerID, familyID string) (*progress.RefreshFamily, error)
	TouchRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	AccessLearner(ctx context.Context, jti, familyID, subject string) (progress.AccessState, *progress.Learner, error)
	Deny(ctx context.Context, jti string, expires time.Time) error
}

var _ apiStore = (*progress.Store)(nil)

// The API under /api/v1 is for mobile apps and CLIs: short-lived JWT
// access tokens (EdDSA, kid, JWKS) and opaque refresh tokens that
// rotate on every use. Errors are JSON {error, message}.

const (
	maxJSONBytes = 16 << 10
	apiAudience  = "authlab-api"
	apiLearner   = "authlab.api.learner"
	apiClaims    = "authlab.api.claims"
	apiAccount   = "authlab.api.account" // the *progress.Learner the bearer check read
)

// apiError answers with the status, a machine code and a sentence.
func apiError(c *gin.Context, status int, code, message string) {
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="authlab", error="`+code+`", error_description="`+authParam(message)+`"`)
	}
	apiRefuse(c, status, code, message)
}

// apiChallenge answers a request that brought no bearer token (no
// Authorization header, another scheme, or "Bearer" alone) with 401 and
// a bare challenge: RFC 6750 §3 asks for no error code then, since the
// client may simply not know the resource needs a token.
func apiChallenge(c *gin.Context, message string) {
	c.Header("WWW-Authenticate", `Bearer realm="authlab"`)
	apiRefuse(c, http.StatusUnauthorized, "unauthorized", message)
}

// apiRefuse ends the request with the JSON error body, which no cache
// may keep.
func apiRefuse(c *gin.Context, status int, code, message string) {
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, gin.H{"error": code, "message": message})
}

// authParam fits a sentence into a quoted error_description, whose
// characters RFC 6750 §3 limits to printable ASCII without " and \:
// typographic quotes become ', anything else outside the set is dropped.
// A header is bytes, and a client that reads it as Latin-1 would
// otherwise show mojibake.
func authParam(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '“' || r == '”' || r == '‘' || r == '’':
			b.WriteByte('\'')
		case r == '\\' || r < 0x20 || r > 0x7e:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readJSON decodes a bounded JSON body strictly.
func readJSON(c *gin.Context, dst any) bool {
	if ct := c.ContentType(); ct != "application/json" {
		apiError(c, http.StatusUnsupportedMediaType, "invalid_request", "Send the body as JSON with Content-Type: application/json.")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var (
			tooBig    *http.MaxBytesError
			wrongType *json.UnmarshalTypeError
		)
		msg := "The JSON body could not be read: " + err.Error()
		switch {
		case errors.As(err, &tooBig):
			msg = "The JSON body is larger than 16 KiB."
		case errors.As(err, &wrongType) && wrongType.Field == "":
			msg = "The body must be a JSON object."
		case errors.As(err, &wrongType):
			// Not err.Error(): it spells out the Go type of the whole body.
			msg = "The field " + strconv.Quote(wrongType.Field) + " must be a " + jsonKind(wrongType.Type.Kind()) + "."
		}
		apiError(c, http.StatusBadRequest, "invalid_request", msg)
		return false
	}
	if dec.More() || dec.Decode(&struct{}{}) != io.EOF {
		apiError(c, http.StatusBadRequest, "invalid_request", "The body must hold exactly one JSON object.")
		return false
	}
	return true
}

// jsonKind names a Go kind as the JSON type a client should send.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "number"
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// tokenPair signs an access token in the sign-in (refresh family) sid
// and pairs it with refresh, whose hash the caller has stored.
func (h *apiHandlers) tokenPair(learnerID, sid, refresh string) (*tokenResponse, error) {
	access, _, err := h.issuer.IssueSession(learnerID, sid)
	if err != nil {
		return nil, err
	}
	return &tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(h.issuer.TTL() / time.Second), RefreshToken: refresh}, nil
}

// apiToken: POST /api/v1/token {"username","password"}.
func (h *apiHandlers) apiToken(c *gin.Context) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !readJSON(c, &in) {
		return
	}
	// The username as the sign-in form reads it: a space copied around it
	// is no part of it (the password is taken as typed).
	in.Username = strings.TrimSpace(in.Username)
	if in.Username == "" || in.Password == "" {
		apiError(c, http.StatusBadRequest, "invalid_request", "Both username and password are required.")
		return
	}
	succeeded, ok := h.check.allowSignIn(c, in.Username)
	if !ok {
		return
	}
	l, err := h.check.checkPassword(c, in.Username, in.Password)
	if errors.Is(err, errBadCredentials) {
		apiError(c, http.StatusBadRequest, "invalid_grant", "That username and password do not match an account.")
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	succeeded()
	// The sign-in is a refresh family, listed on /account/sessions with
	// the client and address it came from.
	refresh := siteauth.RandomToken(32)
	fam := &progress.RefreshFamily{LearnerID: l.ID, UserAgent: truncate(c.Request.UserAgent(), 300), Addr: truncate(c.ClientIP(), 64)}
	err = h.store.NewRefreshFamily(c.Request.Context(), fam, siteauth.HashToken(refresh), time.Now().Add(siteauth.DefaultRefreshTTL))
	var pair *tokenResponse
	if err == nil {
		pair, err = h.tokenPair(l.ID, fam.ID, refresh)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, pair)
}

// apiRefresh: POST /api/v1/token/refresh {"refresh_token"}. The old
// token is spent; presenting it again revokes the whole family.
// ASVS 5.0 V10.4.5 (refresh token rotation with reuse detection).
func (h *apiHandlers) apiRefresh(c *gin.Context) {
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if !readJSON(c, &in) {
		return
	}
	if in.RefreshToken == "" {
		apiError(c, http.StatusBadRequest, "invalid_request", "refresh_token is required.")
		return
	}
	if len(in.RefreshToken) > 512 { // far longer than any we issue: not worth a hash and a lookup
		apiError(c, http.StatusBadRequest, "invalid_grant", "The refresh token is unknown, expired or revoked. Sign in again.")
		return
	}
	newRefresh := siteauth.RandomToken(32)
	learner, family, err := h.store.RotateRefreshFamily(c.Request.Context(), siteauth.HashToken(in.RefreshToken), siteauth.HashToken(newRefresh),
		time.Now().Add(siteauth.DefaultRefreshTTL))
	switch {
	case errors.Is(err, progress.ErrReused):
		h.log.WarnContext(c.Request.Context(), "refresh token reuse: family revoked", "client", c.ClientIP())
		apiError(c, http.StatusBadRequest, "invalid_grant", "This refresh token was already used, so every token of this sign-in has been revoked. Sign in again.")
		return
	case errors.Is(err, progress.ErrNotFound):
		apiError(c, http.StatusBadRequest, "invalid_grant", "The refresh token is unknown, expired or revoked. Sign in again.")
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	pair, err := h.tokenPair(learner, family, newRefresh)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, pair)
}

// bearer authenticates an API request by its access token. A token is
// refused when its jti is denied (logout) or its sign-in, the refresh
// family named by its sid claim, is revoked (logout, refresh-token
// reuse, a revocation on /account/sessions, sign out everywhere else)
// or deleted, and when its account is deleted: one query to the
// database all replicas share.
// ASVS 5.0 V9.1.1-3, V9.2.1, V9.2.3 (Issuer.Verify), V7.4.1, V7.4.2.
func (h *apiHandlers) bearer() gin.HandlerFunc {
	touched := &siteauth.Touches{Every: touchEvery}
	return func(c *gin.Context) {
		auth := c.GetHeader("Authorization")
		scheme, token, _ := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		if auth == "" {
			apiChallenge(c, "Send an access token: Authorization: Bearer <token>.")
			return
		}
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			apiChallenge(c, "The Authorization header must be “Bearer <token>”.")
			return
		}
		claims, err := h.issuer.Verify(token)
		if err != nil {
			apiError(c, http.StatusUnauthorized, "invalid_token", capitalize(err.Error())+".")
			return
		}
		// One query: the jti, the sign-in and the account (deleted: every
		// route refuses its tokens), which the handler may use.
		state, account, err := h.store.AccessLearner(c.Request.Context(), claims.ID, claims.SessionID, claims.Subject)
		switch {
		case err != nil:
			h.fail(c, err)
			return
		case state == progress.AccessRefused:
			apiError(c, http.StatusUnauthorized, "invalid_token", "The token has been revoked (its sign-in has ended).")
			return
		case state == progress.AccessNoAccount:
			apiError(c, http.StatusUnauthorized, "invalid_token", "The account of this token no longer exists.")
			return
		}
		if now := time.Now(); claims.SessionID != "" && touched.Due(claims.SessionID, now) {
			// "Last used" on the sessions page; a failed write only makes it stale.
			_ = h.store.TouchRefreshFamily(c.Request.Context(), claims.SessionID, now)
		}
		// What a token reads is the account's own (its email, its
		// progress): no browser or proxy cache may keep a copy.
		c.Header("Cache-Control", "no-store")
		c.Set(apiLearner, claims.Subject)
		c.Set(apiClaims, claims)
		c.Set(apiAccount, account)
		c.Next()
	}
}

// apiLogout: POST /api/v1/logout with the access token, and optionally
// {"refresh_token"}: the refresh token's sign-in (refresh family) is
// revoked, which refuses every access token of it, and the access
// token's jti is denied until it expires.
// ASVS 5.0 V7.4.1 (a self-contained token refused after logout).
func (h *apiHandlers) apiLogout(c *gin.Context) {
	claims := c.MustGet(apiClaims).(*siteauth.Claims)
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if c.Request.ContentLength != 0 && !readJSON(c, &in) {
		return
	}
	ctx := c.Request.Context()
	// Logging out ends the sign-in this access token belongs to (its sid):
	// a client that logs out and forgets to send its refresh token must
	// not leave that token minting new pairs for a month. A refresh token
	// sent as well ends its own sign-in, as before (one the client may
	// hold from an older sign-in).
	if claims.SessionID != "" {
		if _, err := h.store.RevokeLearnerRefreshFamily(ctx, claims.Subject, claims.SessionID); err != nil && !errors.Is(err, progress.ErrNotFound) {
			h.fail(c, err)
			return
		}
	}
	if in.RefreshToken != "" {
		if err := h.store.RevokeRefreshFamily(ctx, siteauth.HashToken(in.RefreshToken)); err != nil && !errors.Is(err, progress.ErrNotFound) {
			h.fail(c, err)
			return
		}
	}
	if err := h.store.Deny(ctx, claims.ID, claims.ExpiresAt.Time.Add(siteauth.Leeway)); err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revoked": true}) // no-store: the bearer check set it
}

// meJSON is the answer of GET /api/v1/me (its fields in the order a
// map's keys had, so the bytes did not change).
type meJSON struct {
	Email      string `json:"email"`
	ID         string `json:"id"`
	Instructor bool   `json:"instructor"`
	Username   string `json:"username"`
}

// apiMe: GET /api/v1/me, the account the bearer check read in the same
// query as the token's revocation state.
func (h *apiHandlers) apiMe(c *gin.Context) {
	v, _ := c.Get(apiAccount)
	l, _ := v.(*progress.Learner)
	if l == nil {
		var err error
		l, err = h.store.Learner(c.Request.Context(), c.GetString(apiLearner))
		if errors.Is(err, progress.ErrNotFound) {
			apiError(c, http.StatusUnauthorized, "invalid_token", "The account of this token no longer exists.")
			return
		}
		if err != nil {
			h.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, meJSON{ID: l.ID, Username: l.Name(), Email: l.Email, Instructor: l.Instructor})
}

// apiLessons: GET /api/v1/lessons, the course outline.
func (h *apiHandlers) apiLessons(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	type lessonJSON struct {
		Slug    string `json:"slug"`
		Title   string `json:"title"`
		Module  string `json:"module"`
		Minutes int    `json:"minutes"`
		Level   int    `json:"level"`
		URL     string `json:"url"`
	}
	out := make([]lessonJSON, 0, len(cat.Lessons))
	for _, m := range cat.Modules {
		for _, l := range m.Lessons {
			out = append(out, lessonJSON{l.Slug, l.Title, m.Title, l.Minutes, l.Level, "/lessons/" + l.Slug})
		}
	}
	c.JSON(http.StatusOK, gin.H{"title": cat.Title, "lessons": out})
}

// apiProgress: GET /api/v1/progress, the caller's state per lesson.
func (h *apiHandlers) apiProgress(c *gin.Context) {
	got, err := h.store.Lessons(c.Request.Context(), c.GetString(apiLearner))
	if err != nil {
		h.fail(c, err)
		return
	}
	type row struct {
		Slug      string     `json:"slug"`
		Visited   time.Time  `json:"last_visited"`
		Completed *time.Time `json:"completed_at"`
		Position  string     `json:"position,omitempty"`
		Seconds   int        `json:"seconds"`
	}
	out := []row{}
	for _, lp := range got {
		out = append(out, row{lp.Slug, lp.LastVisited, lp.CompletedAt, lp.Position, lp.Seconds})
	}
	c.JSON(http.StatusOK, gin.H{"lessons": out})
}

// jwks publishes the public keys that verify access tokens.
func (h *apiHandlers) jwks(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, h.keys.JWKS())
}
