package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const issuer = "authlab-lab"

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// issueAccess signs an access token for user at lab time now, recording
// its jti when allow-list mode is on. It runs inside an update.
func (c *call) issueAccess(st *labState, now time.Time, user string) (token, jti string, err error) {
	return c.issueAccessWith(st, now, user, func(rc jwt.RegisteredClaims) jwt.Claims { return rc })
}

// issueAccessWith is issueAccess with claims of the caller's making
// around the registered ones (the step-up lab adds auth_time, acr, amr).
func (c *call) issueAccessWith(st *labState, now time.Time, user string, claims func(jwt.RegisteredClaims) jwt.Claims) (token, jti string, err error) {
	key, kid, err := c.e.signingKey(&st.Keys, st.Settings.Alg)
	if err != nil {
		return "", "", err
	}
	jti = randHex(16)
	exp := now.Add(st.Settings.TokenTTL)
	t := jwt.NewWithClaims(signingMethod(st.Settings.Alg), claims(jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   user,
		Audience:  jwt.ClaimStrings{"lab:" + c.id},
		ExpiresAt: jwt.NewNumericDate(exp),
		IssuedAt:  jwt.NewNumericDate(now),
		ID:        jti,
	}))
	t.Header["kid"] = kid
	token, err = t.SignedString(key)
	if err != nil {
		return "", "", err
	}
	if st.Settings.Allowlist {
		if st.Allow == nil {
			st.Allow = map[string]allowed{}
		}
		st.Allow[jti] = allowed{User: user, Exp: exp}
	}
	return token, jti, nil
}

// newRefresh adds a refresh token to f, child of parent, and returns its value.
func newRefresh(f *family, parent, jti string, now time.Time) string {
	raw := make([]byte, 32)
	rand.Read(raw)
	value := base64.RawURLEncoding.EncodeToString(raw)
	f.Nodes = append(f.Nodes, &refreshNode{ID: refreshID(value), Parent: parent, Issued: now, Expires: now.Add(refreshTTL), JTI: jti})
	return value
}

// refreshID is how a refresh token is stored: a hash, so the snapshot
// holds nothing that can be replayed.
func refreshID(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:16])
}

// ensureRSA generates the RS256 key before the write that needs it, so
// the slow part holds no lock.
func (c *call) ensureRSA() bool {
	return c.st().Settings.Alg != algRS256 || c.ensureRSAKey()
}

// POST token/login: a signed access token and a refresh token that
// starts a new family, both in the JSON body.
func (m *Manager) tokenLogin(c *call) {
	c.side = "token"
	cr, ok := c.credentials()
	if !ok || !c.ensureRSA() {
		return
	}
	var pair tokenPair
	var alg string
	ok = c.update(func(st *labState, now time.Time) error {
		access, jti, err := c.issueAccess(st, now, cr.Username)
		if err != nil {
			return err
		}
		f := &family{ID: randHex(8), User: cr.Username, Created: now}
		st.Families = append(st.Families, f)
		alg = st.Settings.Alg
		pair = tokenPair{access, "Bearer", int(st.Settings.TokenTTL / time.Second), newRefresh(f, "", jti, now)}
		return nil
	})
	if !ok {
		return
	}
	c.store("store refresh family", "stored")
	c.verdict = "JWT signed (" + alg + ") for " + cr.Username + ", valid " + c.st().Settings.TokenTTL.String() + "; the server keeps no copy of it — only the refresh token's hash"
	c.reachAsLearner(msTokenLogin)
	c.w.Header().Set("Pragma", "no-cache")
	c.json(http.StatusOK, pair)
}

// refreshFrom takes the refresh token from {"refresh_token"} or from
// Authorization: Bearer.
func (c *call) refreshFrom() string {
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if len(c.body) > 0 && json.Unmarshal(c.body, &in) == nil && in.RefreshToken != "" {
		return strings.TrimSpace(in.RefreshToken)
	}
	return bearer(c.r)
}

// bearer is the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func findRefresh(st *labState, id string) (*family, *refreshNode) {
	for _, f := range st.Families {
		for _, n := range f.Nodes {
			if n.ID == id {
				return f, n
			}
		}
	}
	return nil, nil
}

// POST token/refresh: rotation hands out a new pair and marks the old
// refresh token used; presenting a used one again, with reuse detection
// on, revokes its whole family — the thief and the victim both lose.
func (m *Manager) tokenRefresh(c *call) {
	c.side = "token"
	value := c.refreshFrom()
	if value == "" {
		c.fail(http.StatusBadRequest, "bad_request", `send {"refresh_token": "…"} or Authorization: Bearer <refresh token>`)
		return
	}
	if !c.ensureRSA() {
		return
	}
	id := refreshID(value)
	var pair tokenPair
	var reason, user string
	var genuine, expired bool // a refresh token of this lab; its access token had expired
	ok := c.update(func(st *labState, now time.Time) error {
		f, n := findRefresh(st, id)
		if f != nil {
			user = f.User
		}
		// Refused for being spent or revoked, not for its own age.
		genuine = n != nil && (f.Revoked != "" || !now.After(n.Expires))
		if n != nil {
			expired = tokenExpiredBy(st, n.Issued, now)
		}
		switch {
		case n == nil:
			reason = "unknown refresh token"
		case f.Revoked != "":
			reason = "refresh token revoked: " + f.Revoked
		case now.After(n.Expires):
			reason = "refresh token expired"
		case !n.Used.IsZero() && st.Settings.ReuseDetection:
			reason = "refresh token reuse detected: family revoked"
			f.Revoked = "a used refresh token was presented again at " + now.Format(time.TimeOnly)
			if st.Settings.Denylist {
				for _, fn := range f.Nodes {
					addTime(&st.Deny, fn.JTI, fn.Issued.Add(st.Settings.TokenTTL))
				}
			}
		case !n.Used.IsZero():
			reason = "refresh token already used (rotation is on)"
		}
		switch {
		case strings.HasPrefix(reason, "refresh token reuse"):
			return nil // the family revocation must be saved
		case reason != "":
			return errNoChange
		}
		access, jti, err := c.issueAccess(st, now, f.User)
		if err != nil {
			return err
		}
		next := value
		if st.Settings.RefreshRotation {
			n.Used = now
			next = newRefresh(f, n.ID, jti, now)
		} else {
			n.JTI = jti
		}
		pair = tokenPair{access, "Bearer", int(st.Settings.TokenTTL / time.Second), next}
		return nil
	})
	if !ok {
		return
	}
	c.store("look up refresh token "+short(id), orString(reason, "found, "+user))
	if reason != "" {
		if strings.HasPrefix(reason, "refresh token reuse") {
			c.reach(msReuse)
			c.verdict = reason + ": every refresh token descended from that login is dead; " + user + " must log in again"
		}
		if genuine {
			c.noteRefreshRefused()
		}
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="lab", error="invalid_token", error_description=`+strconv.Quote(reason))
		c.fail(http.StatusUnauthorized, "invalid_token", reason)
		return
	}
	if pair.RefreshToken == value {
		c.verdict = "new access token for " + user + "; rotation is off, so the same refresh token stays valid"
	} else {
		c.verdict = "new pair for " + user + "; the old refresh token is now marked used"
	}
	c.reachAsLearner(msRefresh)
	c.noteRefreshed(expired)
	c.json(http.StatusOK, pair)
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// GET token/families: the refresh-token trees, for the page to draw.
func (m *Manager) families(c *call) {
	now := c.now()
	type node struct {
		ID      string    `json:"id"`
		Parent  string    `json:"parent,omitempty"`
		Issued  time.Time `json:"issued"`
		Expires time.Time `json:"expires"`
		Status  string    `json:"status"`
	}
	type fam struct {
		ID      string    `json:"id"`
		User    string    `json:"user"`
		Created time.Time `json:"created"`
		Revoked string    `json:"revoked,omitempty"`
		Tokens  []node    `json:"tokens"`
	}
	out := []fam{}
	for _, f := range c.st().Families {
		v := fam{ID: f.ID, User: f.User, Created: f.Created, Revoked: f.Revoked, Tokens: []node{}}
		for _, n := range f.Nodes {
			status := "active"
			switch {
			case f.Revoked != "":
				status = "revoked"
			case !n.Used.IsZero():
				status = "used"
			case now.After(n.Expires):
				status = "expired"
			}
			v.Tokens = append(v.Tokens, node{n.ID, n.Parent, n.Issued, n.Expires, status})
		}
		out = append(out, v)
	}
	c.json(http.StatusOK, map[string]any{"families": out, "now": now})
}
