package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The jwt-forgery lab: forgery/login signs a token for a demo user with
// the lab's forgery signer; forgery/me accepts a token through either
// the safe verifier (golang-jwt, pinned algorithm, our own keys by kid,
// exp, iss and aud required) or, once the learner flips the toggle, a
// naive one that believes whatever the token's header says. The token
// editor (forgery/sign) is Mallory's tool; the dictionary attack on a
// weak HMAC secret runs in the learner's browser.

const (
	signerRS   = "RS256"      // the default: an RSA key whose public half anyone may fetch
	signerWeak = "HS256-weak" // HMAC with a secret from the lab's word list
	signerHS   = "HS256"      // HMAC with 256 random bits
	weakKid    = "hs-weak"
	maxIssued  = 20
	maxMallory = 5
)

func forgerySigners() []string { return []string{signerRS, signerWeak, signerHS} }

// forgeryState is the jwt-forgery lab's part of the snapshot.
type forgeryState struct {
	Naive   bool         `json:"naive,omitempty"`   // the deliberately weak verifier guards forgery/me
	Signer  string       `json:"signer,omitempty"`  // "" means signerRS
	Weak    string       `json:"weak,omitempty"`    // the weak secret, once chosen
	Issued  []string     `json:"issued,omitempty"`  // hashes of the tokens the lab signed
	Mallory []malloryKey `json:"mallory,omitempty"` // public keys on Mallory's JWKS (the jku attack)
}

func (f *forgeryState) signer() string { return orString(f.Signer, signerRS) }

// issued reports whether the lab itself signed raw: anything else that
// verifies is a forgery.
func (f *forgeryState) issued(raw string) bool { return slices.Contains(f.Issued, tokenHash(raw)) }

func tokenHash(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:12])
}

// labKey is the forgery signer's key as each verifier uses it.
type labKey struct {
	kid, alg string
	sign     any    // what signs: []byte or *rsa.PrivateKey
	verify   any    // what the safe verifier checks with: []byte or *rsa.PublicKey
	hmac     []byte // what a naive verifier feeds to HMAC: the secret, or the public key's PEM
	pem      []byte // the public key in PEM, for RS256
}

// forgeryKey returns the signer's key; RS256 needs the RSA key made
// first (ensureRSAKey).
func (c *call) forgeryKey(st *labState) (labKey, error) {
	switch st.Atk.Forgery.signer() {
	case signerWeak:
		if st.Atk.Forgery.Weak == "" {
			return labKey{}, errors.New("sandbox: the weak secret is not chosen yet")
		}
		s := []byte(st.Atk.Forgery.Weak)
		return labKey{kid: weakKid, alg: algHS256, sign: s, verify: s, hmac: s}, nil
	case signerHS:
		return labKey{kid: st.Keys.HSKid, alg: algHS256, sign: st.Keys.HS, verify: st.Keys.HS, hmac: st.Keys.HS}, nil
	}
	k, kid, err := c.e.signingKey(&st.Keys, algRS256)
	if err != nil {
		return labKey{}, err
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return labKey{}, errors.New("sandbox: the lab's RSA key is not an RSA key")
	}
	p := publicPEM(&priv.PublicKey)
	return labKey{kid: kid, alg: algRS256, sign: priv, verify: &priv.PublicKey, hmac: p, pem: p}, nil
}

func publicPEM(pub *rsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ensureRSAKey makes the lab's RSA key if it has none, outside any lock.
func (c *call) ensureRSAKey() bool {
	if c.st().Keys.RSKid != "" {
		return true
	}
	kid, der, err := newRSAKey()
	if err != nil {
		c.fail(http.StatusServiceUnavailable, "unavailable", "could not make the lab's RSA key")
		return false
	}
	return c.update(func(st *labState, _ time.Time) error {
		if st.Keys.RSKid == "" {
			st.Keys.RSKid, st.Keys.RSDER = kid, der
		}
		return nil
	})
}

// ensureForgeryKey makes whatever the current signer needs.
func (c *call) ensureForgeryKey() bool {
	switch c.st().Atk.Forgery.signer() {
	case signerRS:
		return c.ensureRSAKey()
	case signerWeak:
		if c.st().Atk.Forgery.Weak != "" {
			return true
		}
		return c.update(func(st *labState, _ time.Time) error {
			if st.Atk.Forgery.Weak == "" {
				st.Atk.Forgery.Weak = pickWeakSecret()
			}
			return nil
		})
	}
	return true
}

func pickWeakSecret() string {
	words := weakWords()
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(words))))
	if err != nil {
		return words[0]
	}
	return words[n.Int64()]
}

type forgeryView struct {
	Verifier  string   `json:"verifier"` // "safe" or "naive"
	Signer    string   `json:"signer"`
	Signers   []string `json:"signers"`
	Kid       string   `json:"kid,omitempty"`
	PublicKey string   `json:"public_key,omitempty"`
	Note      string   `json:"note"`
}

// GET forgery/settings
func (m *Manager) forgeryState(c *call) {
	if !c.ensureForgeryKey() {
		return
	}
	c.json(http.StatusOK, c.forgeryView())
}

func (c *call) forgeryView() forgeryView {
	f := c.st().Atk.Forgery
	v := forgeryView{Verifier: "safe", Signer: f.signer(), Signers: forgerySigners()}
	if f.Naive {
		v.Verifier = "naive"
	}
	if k, err := c.forgeryKey(c.st()); err == nil {
		v.Kid, v.PublicKey = k.kid, string(k.pem)
	}
	switch {
	case f.Naive:
		v.Note = "Naive verifier: it takes alg, kid, jwk and jku from the token's own header — the attacker chooses how her token is checked."
	default:
		v.Note = "Safe verifier: golang-jwt with the algorithm pinned to " + algOf(f.signer()) + ", the key looked up by kid in the lab's own key set, and exp, iss and aud required. It costs nothing at run time: the defence is configuration."
	}
	if f.signer() == signerWeak {
		v.Note += " The signer's secret is a dictionary word: no verifier setting can make a guessable secret safe."
	}
	return v
}

func algOf(signer string) string {
	if signer == signerRS {
		return algRS256
	}
	return algHS256
}

// PUT forgery/settings {"verifier": "naive"|"safe", "signer": "RS256"|"HS256-weak"|"HS256"}
func (m *Manager) forgerySettings(c *call) {
	var p struct {
		Verifier *string `json:"verifier"`
		Signer   *string `json:"signer"`
	}
	if !c.patchJSON(&p, "verifier, signer") {
		return
	}
	if p.Verifier != nil && *p.Verifier != "naive" && *p.Verifier != "safe" {
		c.fail(http.StatusBadRequest, "bad_request", `verifier must be "safe" or "naive"`)
		return
	}
	if p.Signer != nil && !slices.Contains(forgerySigners(), *p.Signer) {
		c.fail(http.StatusBadRequest, "bad_request", "signer must be one of "+strings.Join(forgerySigners(), ", "))
		return
	}
	ok := c.update(func(st *labState, _ time.Time) error {
		f := &st.Atk.Forgery
		if p.Verifier != nil {
			f.Naive = *p.Verifier == "naive"
		}
		if p.Signer != nil {
			f.Signer = *p.Signer
			if f.Signer == signerRS {
				f.Signer = "" // the default is stored as nothing
			}
		}
		return nil
	})
	if ok && c.ensureForgeryKey() {
		c.json(http.StatusOK, c.forgeryView())
	}
}

// POST forgery/login: a genuine token for a demo user, signed by the
// forgery signer, with a role claim worth forging.
func (m *Manager) forgeryLogin(c *call) {
	c.side = "token"
	cr, ok := c.credentials()
	if !ok || !c.ensureForgeryKey() {
		return
	}
	var token string
	var key labKey
	ok = c.update(func(st *labState, now time.Time) error {
		var err error
		if key, err = c.forgeryKey(st); err != nil {
			return err
		}
		t := jwt.NewWithClaims(signingMethod(key.alg), jwt.MapClaims{
			"iss": issuer, "sub": cr.Username, "aud": "lab:" + c.id, "role": "user",
			"iat": now.Unix(), "exp": now.Add(st.Settings.TokenTTL).Unix(), "jti": randHex(16),
		})
		t.Header["kid"] = key.kid
		if token, err = t.SignedString(key.sign); err != nil {
			return err
		}
		f := &st.Atk.Forgery
		f.Issued = append(f.Issued, tokenHash(token))
		if n := len(f.Issued); n > maxIssued {
			f.Issued = slices.Delete(f.Issued, 0, n-maxIssued)
		}
		return nil
	})
	if !ok {
		return
	}
	c.verdict = "genuine " + key.alg + " token for " + cr.Username + " (role user), kid " + key.kid
	c.reachAsLearner(msForgeLogin)
	c.json(http.StatusOK, map[string]any{"access_token": token, "token_type": "Bearer", "kid": key.kid, "alg": key.alg})
}

// GET forgery/public-key: the RS256 public key, as a JWKS or a
// certificate would publish it — public by design, and the raw material
// of the algorithm-confusion attack.
func (m *Manager) forgeryPublicKey(c *call) {
	if !c.ensureRSAKey() {
		return
	}
	k, _, err := c.e.signingKey(&c.st().Keys, algRS256)
	priv, ok := k.(*rsa.PrivateKey)
	if err != nil || !ok {
		c.fail(http.StatusServiceUnavailable, "unavailable", "the lab's RSA key is unreadable")
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/x-pem-file")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(publicPEM(&priv.PublicKey))
}

// GET forgery/wordlist: the dictionary for the in-browser attack.
func (m *Manager) forgeryWordlist(c *call) {
	h := c.w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write([]byte(strings.Join(weakWords(), "\n") + "\n"))
}

// forgeryMe is GET forgery/me: who does the server think you are?
func (m *Manager) forgeryMe(c *call) {
	c.side = "token"
	raw := bearer(c.r)
	if raw == "" {
		c.verdict = "no Authorization: Bearer header"
		c.refuse(reasonNoCredentials, `Bearer realm="lab"`)
		return
	}
	if !c.ensureForgeryKey() {
		return
	}
	st := c.st()
	key, err := c.forgeryKey(st)
	if err != nil {
		c.fail(http.StatusServiceUnavailable, "unavailable", "the lab's signing key is unreadable")
		return
	}
	kind := forgeryKind(raw, key, &st.Atk.Forgery)
	var claims map[string]any
	var how string
	if st.Atk.Forgery.Naive {
		claims, how, err = c.naiveVerify(raw, key)
	} else {
		claims, err = c.safeVerify(raw, key)
		how = "safe verifier: signature (" + key.alg + ", kid " + key.kid + "), exp, iss and aud all check out"
	}
	if err != nil {
		defence := ""
		if !st.Atk.Forgery.Naive {
			defence = defenceFor(kind, err)
			if kind != "" {
				c.reach(msForgeSafe)
			}
		}
		if kind != "" {
			c.noteForgery(raw, false, false, st.Atk.Forgery.Naive)
		}
		c.verdict = "refused: " + err.Error()
		if defence != "" {
			c.verdict += " — stopped by: " + defence
		}
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="lab", error="invalid_token"`)
		c.json(http.StatusUnauthorized, map[string]any{"error": "invalid_token", "reason": err.Error(), "message": sentence(err.Error()), "defence": defence, "attack": kind})
		return
	}
	user, _ := claims["sub"].(string)
	role, _ := claims["role"].(string)
	admin := user == "admin" || role == "admin"
	c.verdict = how
	if kind != "" {
		c.verdict += " — a forged token (" + kindName(kind) + ") was accepted"
		if ms := forgeryMilestone(kind); ms != "" {
			c.reach(ms)
		}
	}
	if admin {
		c.verdict += "; to this server you are an admin"
	}
	if kind != "" {
		c.noteForgery(raw, true, admin, st.Atk.Forgery.Naive)
	}
	verifier := "safe"
	if st.Atk.Forgery.Naive {
		verifier = "naive"
	}
	c.json(http.StatusOK, map[string]any{"user": user, "role": role, "admin": admin, "verifier": verifier, "attack": kind, "how": how})
}

// safeVerify is how the lab should check a token: golang-jwt with the
// algorithm pinned, the key chosen by kid from our own keys only, and
// exp, iss and aud required.
func (c *call) safeVerify(raw string, key labKey) (map[string]any, error) {
	now := c.now()
	p := jwt.NewParser(jwt.WithValidMethods([]string{key.alg}), jwt.WithAudience("lab:"+c.id), jwt.WithIssuer(issuer),
		jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithExpirationRequired())
	claims := jwt.MapClaims{}
	_, err := p.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != key.kid {
			return nil, errors.New("kid " + quoteShort(kid) + " is not a key of this lab")
		}
		return key.verify, nil
	})
	if err != nil {
		return nil, errors.New(safeReason(err))
	}
	return claims, nil
}

func safeReason(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed token"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token expired"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "the token has no exp claim"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad signature"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}

// The kinds of forgery the lab recognises, from the token's header.
const (
	kindNone      = "alg-none"
	kindConfusion = "alg-confusion"
	kindWeak      = "weak-secret"
	kindJWK       = "embedded-jwk"
	kindJKU       = "jku"
	kindKid       = "kid"
	kindEdited    = "edited"
)

// forgeryKind says which attack a token attempts; "" for a token the
// lab issued itself (or one that is not a JWT at all).
func forgeryKind(raw string, key labKey, f *forgeryState) string {
	if f.issued(raw) {
		return ""
	}
	d, err := DecodeJWT(raw)
	if err != nil {
		return ""
	}
	alg, _ := d.Header["alg"].(string)
	kid, _ := d.Header["kid"].(string)
	_, hasJWK := d.Header["jwk"]
	_, hasJKU := d.Header["jku"]
	switch {
	case strings.EqualFold(alg, "none"):
		return kindNone
	case hasJWK:
		return kindJWK
	case hasJKU:
		return kindJKU
	case kid != "" && kid != key.kid:
		return kindKid
	case strings.HasPrefix(alg, "HS") && key.alg == algRS256:
		return kindConfusion
	case strings.HasPrefix(alg, "HS") && key.kid == weakKid:
		return kindWeak
	}
	return kindEdited
}

func kindName(kind string) string {
	switch kind {
	case kindNone:
		return `alg "none"`
	case kindConfusion:
		return "RS256→HS256 confusion"
	case kindWeak:
		return "re-signed with the cracked secret"
	case kindJWK:
		return "embedded jwk"
	case kindJKU:
		return "jku pointing at Mallory's key set"
	case kindKid:
		return "kid pointing at a key Mallory knows"
	}
	return "edited"
}

func forgeryMilestone(kind string) string {
	switch kind {
	case kindNone:
		return msForgeNone
	case kindConfusion:
		return msForgeConfusion
	case kindWeak:
		return msForgeWeak
	case kindJWK, kindJKU:
		return msForgeEmbedded
	case kindKid:
		return msForgeKid
	}
	return ""
}

// defenceFor names what stopped a forged token in the safe verifier,
// and the golang-jwt option that gives it.
func defenceFor(kind string, err error) string {
	switch kind {
	case kindNone:
		return `golang-jwt refuses alg "none" unless the keyfunc returns jwt.UnsafeAllowNoneSignatureType, and jwt.WithValidMethods pins the algorithm`
	case kindConfusion:
		return `jwt.WithValidMethods([]string{"RS256"}) pins the algorithm; the keyfunc returns an *rsa.PublicKey, which HS256 refuses (jwt.ErrInvalidKeyType)`
	case kindJWK, kindJKU:
		return "the keyfunc takes the key from the lab's own key set by kid; it never reads jwk or jku from the token (plus jwt.WithValidMethods)"
	case kindKid:
		return "the keyfunc looks kid up in the lab's own key map: an unknown kid is refused, never used as a path or a query"
	case kindWeak:
		return "nothing in the parser can tell a guessable secret: use 256 random bits (the HS256 signer) or an asymmetric key"
	}
	switch err.Error() {
	case "token expired", "the token has no exp claim":
		return "jwt.WithExpirationRequired() and the exp check (jwt.WithTimeFunc for the lab clock)"
	case "wrong audience", "wrong issuer":
		return "jwt.WithAudience and jwt.WithIssuer"
	}
	return "the signature itself: any change to the header or payload breaks it"
}

func (m *Manager) addForgeryRoutes(rs map[string]route) {
	rs["forgery/settings"] = settingsRoute(m.forgeryState, m.forgerySettings)
	rs["forgery/login"] = recorded(http.MethodPost, m.forgeryLogin)
	rs["forgery/me"] = recorded(http.MethodGet, m.forgeryMe)
	rs["forgery/sign"] = postRoute(m.forgerySign)
	rs["forgery/public-key"] = getRoute(m.forgeryPublicKey)
	rs["forgery/wordlist"] = getRoute(m.forgeryWordlist)
	rs["mallory/jwks.json"] = getRoute(m.malloryJWKS)
}
