package siteauth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token settings. Access tokens are short so a stolen one is worth
// little; refresh tokens are opaque, stored hashed and rotate on use.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
	Leeway            = 30 * time.Second // clock skew between replicas and clients
	MaxTokenLen       = 4096             // longer bearer strings are refused before parsing
)

// Claims are the registered claims of an access token (RFC 7519 §4.1),
// plus sid: the sign-in (refresh-token family) the token was issued in,
// so revoking that sign-in refuses the token at once.
type Claims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid,omitempty"`
}

// Issuer signs and verifies the site's API access tokens.
type Issuer struct {
	keys     *KeyRing
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser

	// verified remembers tokens whose signature checked out, keyed by
	// the exact token string: a signature check costs tens of
	// microseconds, and a client sends the same token many times. A
	// changed byte is a different key, and expiry is checked on every use.
	mu       sync.RWMutex
	verified map[string]*Claims
}

// maxVerified bounds the verified-token cache; when full it starts over.
const maxVerified = 10000

// NewIssuer returns an Issuer. issuer is the iss claim (the site's base
// URL); audience the aud claim every token must carry.
func NewIssuer(keys *KeyRing, issuer, audience string, ttl time.Duration, now func() time.Time) *Issuer {
	if ttl <= 0 {
		ttl = DefaultAccessTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Issuer{keys: keys, issuer: issuer, audience: audience, ttl: ttl, now: now, verified: map[string]*Claims{},
		parser: jwt.NewParser(
			// Pinning the method refuses alg:none and HS256-with-the-public-key
			// (algorithm confusion) before any key is looked up.
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			// Canonical base64url only (RFC 7515 §2): one token, one
			// spelling, so a changed padding bit is not a "new" token.
			jwt.WithStrictDecoding(),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithLeeway(Leeway),
			jwt.WithTimeFunc(now),
		)}
}

// TTL is the lifetime of a new access token.
func (i *Issuer) TTL() time.Duration { return i.ttl }

// Issue signs an access token for subject, outside any sign-in.
func (i *Issuer) Issue(subject string) (token string, claims Claims, err error) {
	return i.IssueSession(subject, "")
}

// IssueSession signs an access token for subject in the sign-in sid (a
// refresh-token family); an empty sid leaves the claim out.
func (i *Issuer) IssueSession(subject, sid string) (token string, claims Claims, err error) {
	now := i.now().Truncate(time.Second)
	claims = Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    i.issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{i.audience},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(i.ttl)),
		ID:        RandomToken(16),
	}, SessionID: sid}
	key := i.keys.Signing()
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = key.ID
	token, err = t.SignedString(key.private)
	if err != nil {
		return "", Claims{}, fmt.Errorf("siteauth: sign: %w", err)
	}
	return token, claims, nil
}

// Token verification failures, each safe to show the client.
var (
	ErrTokenMalformed = errors.New("the token is malformed")
	ErrTokenExpired   = errors.New("the token has expired")
	ErrTokenInvalid   = errors.New("the token is not valid")
)

// Verify checks signature, algorithm, kid, exp, iat, iss and aud, and
// returns the claims. The error is one of the ErrToken… values.
// ASVS 5.0 V9.1.1 (the signature before the contents), V9.1.2 (one
// allowed algorithm, never none), V9.1.3 (keys only from the site's own
// ring, by kid; jku, x5u and jwk headers are ignored), V9.2.1 (exp), V9.2.3 (aud).
func (i *Issuer) Verify(token string) (*Claims, error) {
	i.mu.RLock()
	c, ok := i.verified[token]
	i.mu.RUnlock()
	if ok {
		if !i.now().Before(c.ExpiresAt.Time.Add(Leeway)) {
			return nil, ErrTokenExpired
		}
		return c, nil
	}
	c, err := i.verify(token)
	if err != nil {
		return nil, err
	}
	i.mu.Lock()
	if len(i.verified) >= maxVerified {
		clear(i.verified)
	}
	i.verified[token] = c
	i.mu.Unlock()
	return c, nil
}

// verify is the full check, without the cache.
func (i *Issuer) verify(token string) (*Claims, error) {
	if len(token) > MaxTokenLen || strings.Count(token, ".") != 2 {
		return nil, ErrTokenMalformed
	}
	var claims Claims
	_, err := i.parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		pub, ok := i.keys.Verifier(kid)
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	})
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, ErrTokenExpired
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, ErrTokenMalformed
	default:
		return nil, ErrTokenInvalid
	}
	if claims.Subject == "" || claims.ID == "" {
		return nil, ErrTokenInvalid
	}
	return &claims, nil
}

// RandomToken returns n random bytes, base64url without padding, from
// crypto/rand: ASVS 5.0 V11.5.1 and, for session IDs (n = 32) and
// refresh tokens, V7.2.3 (a CSPRNG, at least 128 bits).
func RandomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how refresh tokens and session IDs are kept at rest: a
// SHA-256, so a leaked table holds nothing a client could present.
func HashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
