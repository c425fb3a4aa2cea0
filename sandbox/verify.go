package sandbox

import (
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The reasons /api/me gives for a 401, in its JSON and in the
// WWW-Authenticate error_description.
const (
	reasonNoCredentials   = "no credentials"
	reasonSessionNotFound = "session not found"
	reasonSessionExpired  = "session expired"
	reasonTokenExpired    = "token expired"
	reasonTokenRevoked    = "token revoked"
	reasonBadSignature    = "bad signature"
	reasonMalformed       = "malformed token"
	reasonWrongAudience   = "wrong audience"
	reasonNotAllowed      = "not in allow-list"
	reasonNotLoggedIn     = "session not logged in"
	reasonKeyRetired      = "key retired"
)

// tokenCheck is the outcome of verifying an access token: a reason when
// it is refused, and a detail line for the verdict either way.
type tokenCheck struct {
	user, jti, alg string
	kid            string
	exp            time.Time
	reason         string
	detail         string
	lookedUp       bool // the check needed the server's token list
}

// validAlgs are the algorithms a lab signs and accepts; "none" never is.
func validAlgs() []string { return []string{algHS256, algRS256, algEdDSA} }

// checkAccess verifies raw against this lab's keys, audience, issuer and
// clock, then the deny-list or allow-list when they are on.
func (c *call) checkAccess(raw string) tokenCheck {
	st, now := c.st(), c.now()
	chk, ok := c.snap.verifiedToken(raw, now)
	if !ok {
		if chk, ok = c.verifyToken(raw, st, now); !ok {
			return chk
		}
		c.snap.rememberToken(raw, chk)
	}
	chk.detail = "JWT signature valid (" + chk.alg + "), exp in " + ago(chk.exp.Sub(now))
	if st.Settings.Denylist {
		chk.lookedUp = true
		if _, denied := st.Deny[chk.jti]; denied {
			chk.reason, chk.detail = reasonTokenRevoked, "token jti "+short(chk.jti)+" on deny-list: signature and exp are fine, the server's list says no"
			return chk
		}
		chk.detail += "; jti " + short(chk.jti) + " not on the deny-list (one lookup)"
	}
	if st.Settings.Allowlist {
		chk.lookedUp = true
		if _, ok := st.Allow[chk.jti]; !ok {
			chk.reason, chk.detail = reasonNotAllowed, "token jti "+short(chk.jti)+" is not in the allow-list: the server only accepts tokens it recorded"
			return chk
		}
		chk.detail += "; jti " + short(chk.jti) + " found in the allow-list"
	}
	return chk
}

// verifyToken parses raw and checks its signature, kid, alg, audience,
// issuer and exp at now; ok is false, with the reason, when it fails.
func (c *call) verifyToken(raw string, st *labState, now time.Time) (chk tokenCheck, ok bool) {
	var claims jwt.RegisteredClaims
	p := jwt.NewParser(jwt.WithValidMethods(validAlgs()), jwt.WithAudience("lab:"+c.id), jwt.WithIssuer(issuer),
		jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithExpirationRequired())
	var alg, kid string
	_, err := p.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		alg = t.Method.Alg()
		kid, _ = t.Header["kid"].(string)
		return c.e.verifyKey(&st.Keys, kid, alg)
	})
	chk = tokenCheck{user: claims.Subject, jti: claims.ID, alg: alg, kid: kid}
	if claims.ExpiresAt != nil {
		chk.exp = claims.ExpiresAt.Time
	}
	switch {
	case err == nil:
		return chk, true
	case errors.Is(err, jwt.ErrTokenMalformed):
		chk.reason, chk.detail = reasonMalformed, "not a JWT: "+strings.TrimPrefix(err.Error(), "token is malformed: ")
	case errors.Is(err, errRetiredKid):
		chk.reason = reasonKeyRetired
		chk.detail = "JWT kid " + kid + " belongs to a key the lab no longer trusts (" + st.Keys.Retired[kid] + "): every token it signed is dead"
	case errors.Is(err, jwt.ErrTokenExpired):
		chk.reason = reasonTokenExpired
		chk.detail = "JWT signature valid (" + alg + ") but exp was " + ago(now.Sub(chk.exp)) + " ago on the lab clock"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		chk.reason, chk.detail = reasonWrongAudience, "JWT signature valid, but it is for "+strings.Join(claims.Audience, ", ")+", not lab:"+short(c.id)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		// The claims are unverified here, but they can still say why:
		// a token minted by another lab names that lab as its audience.
		if len(claims.Audience) > 0 && !strings.EqualFold(claims.Audience[0], "lab:"+c.id) {
			chk.reason, chk.detail = reasonWrongAudience, "this token was made for "+claims.Audience[0]+", not this lab; its signature does not check out here either"
		} else {
			chk.reason, chk.detail = reasonBadSignature, "JWT signature check failed: "+signatureProblem(err)
		}
	default:
		chk.reason, chk.detail = reasonMalformed, "JWT refused: "+err.Error()
	}
	return chk, false
}

// maxVerifiedTokens bounds the tokens one snapshot remembers: a lab page
// uses a handful; more (a script minting valid tokens) are verified anew.
const maxVerifiedTokens = 64

// verifiedToken returns what verifyToken found for raw under this
// snapshot's keys, if it verified and has not expired at now. A lab page
// sends the same token again and again, and parsing and checking it was
// most of such a request. The memory belongs to the snapshot: any change
// to the lab (a rotated or retired key, a reset, a moved clock, a new
// setting) is a new snapshot that starts with none.
func (s *snapshot) verifiedToken(raw string, now time.Time) (tokenCheck, bool) {
	v, ok := s.tokens.Load(raw)
	if !ok {
		return tokenCheck{}, false
	}
	chk := v.(tokenCheck)
	// exp as the parser judges it (no leeway); nbf, once passed, stays
	// passed: the lab clock only moves forward, and moving it is a new
	// snapshot.
	if !now.Before(chk.exp) {
		return tokenCheck{}, false
	}
	return chk, true
}

// rememberToken keeps a verified token's check for verifiedToken.
func (s *snapshot) rememberToken(raw string, chk tokenCheck) {
	if s.nTokens.Add(1) <= maxVerifiedTokens {
		s.tokens.Store(raw, chk)
	}
}

func signatureProblem(err error) string {
	switch {
	case errors.Is(err, errUnknownKid):
		return "its kid is not one of this lab's keys (was the lab reset?)"
	case strings.Contains(err.Error(), "signing method"):
		return "its alg is not one this lab accepts (alg \"none\" never is)"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// ago renders a duration for people, to the second: "4m12s".
func ago(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	return d.Round(time.Second).String()
}
