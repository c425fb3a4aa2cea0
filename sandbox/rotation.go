package sandbox

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"time"
)

// The key-rotation lab. Rotating moves the current signing key of the
// lab's algorithm to the "previous" list, where it still verifies the
// tokens it signed, and makes a new one with a new kid. Retiring a
// previous key — gracefully once its tokens have expired, or at once
// because it was compromised — drops it: every token it signed dies on
// its next request. That is mass revocation without a deny-list.

const (
	maxOldKeys = 5
	maxRetired = 20
)

// pastKey is a rotated-out signing key that still verifies.
type pastKey struct {
	Kid       string    `json:"kid"`
	Alg       string    `json:"alg"`
	Key       []byte    `json:"key"` // HMAC secret, Ed25519 seed or PKCS #8 RSA key
	RotatedAt time.Time `json:"at"`  // lab clock
}

var errRetiredKid = errors.New("the key with this kid was retired")

// pastVerifyKey is verifyKey for a kid that is not a current key.
func (e *entry) pastVerifyKey(ks *keyset, kid, alg string) (any, error) {
	if _, gone := ks.Retired[kid]; gone {
		return nil, errRetiredKid
	}
	i := slices.IndexFunc(ks.Old, func(p pastKey) bool { return p.Kid == kid })
	if i < 0 {
		return nil, errUnknownKid
	}
	p := ks.Old[i]
	if p.Alg != alg {
		return nil, fmt.Errorf("kid %s is a %s key but the token says alg %s", kid, p.Alg, alg)
	}
	// The process caches a kid's private key (signingKey did, while it
	// was current), so parse to the private key and take its public half.
	var k any
	var err error
	switch p.Alg {
	case algHS256:
		return p.Key, nil
	case algEdDSA:
		k, err = e.parsed(kid, func() (any, error) { return ed25519.NewKeyFromSeed(p.Key), nil })
	default:
		k, err = e.parsed(kid, func() (any, error) { return x509.ParsePKCS8PrivateKey(p.Key) })
	}
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("sandbox: key " + kid + " is not a signing key")
	}
	return s.Public(), nil
}

// isPastKid reports whether kid is a previous, still trusted key.
func (ks *keyset) isPastKid(kid string) bool {
	return slices.ContainsFunc(ks.Old, func(p pastKey) bool { return p.Kid == kid })
}

// rotate moves alg's current key to Old and installs next (made outside
// the lock; nil for the cheap algorithms).
func (ks *keyset) rotate(alg string, now time.Time, rsKid string, rsDER []byte) (oldKid, newKid string) {
	var old pastKey
	switch alg {
	case algHS256:
		old = pastKey{ks.HSKid, alg, ks.HS, now}
		ks.HS = make([]byte, 32)
		rand.Read(ks.HS)
		ks.HSKid = "hs-" + randHex(4)
		newKid = ks.HSKid
	case algEdDSA:
		old = pastKey{ks.EdKid, alg, ks.EdSeed, now}
		ks.EdSeed = make([]byte, ed25519.SeedSize)
		rand.Read(ks.EdSeed)
		ks.EdKid = "ed-" + randHex(4)
		newKid = ks.EdKid
	case algRS256:
		old = pastKey{ks.RSKid, alg, ks.RSDER, now}
		ks.RSKid, ks.RSDER = rsKid, rsDER
		newKid = rsKid
	}
	if old.Kid != "" {
		ks.Old = append(ks.Old, old)
		if n := len(ks.Old); n > maxOldKeys {
			for _, p := range ks.Old[:n-maxOldKeys] {
				ks.retire(p.Kid, "retired: too many previous keys")
			}
		}
	}
	return old.Kid, newKid
}

func (ks *keyset) retire(kid, why string) {
	if i := slices.IndexFunc(ks.Old, func(p pastKey) bool { return p.Kid == kid }); i >= 0 {
		if ks.RetiredAlg == nil {
			ks.RetiredAlg = map[string]string{}
		}
		ks.RetiredAlg[kid] = ks.Old[i].Alg
	}
	ks.Old = slices.DeleteFunc(ks.Old, func(p pastKey) bool { return p.Kid == kid })
	if ks.Retired == nil {
		ks.Retired = map[string]string{}
	}
	ks.Retired[kid] = why
	for len(ks.Retired) > maxRetired {
		for k := range ks.Retired {
			delete(ks.Retired, k)
			delete(ks.RetiredAlg, k)
			break
		}
	}
}

// panelSettings are the settings a fresh lab for panel opens with: the
// defaults, except that the key-rotation lab signs with EdDSA. An HS256
// key is a shared secret that no JWKS publishes, so that lab's first
// step — find your token's kid in the JWKS — could not be done on it.
func panelSettings(panel string) settings {
	s := defaultSettings()
	switch panel {
	case "key-rotation":
		s.Alg = algEdDSA
	case "step-up":
		// Longer than the bank's max_age, so a token outlives the
		// freshness of its login: the point of the lab.
		s.TokenTTL = stepUpTokenTTL
	}
	return s
}

type keyView struct {
	Kid     string     `json:"kid"`
	Alg     string     `json:"alg"`
	Status  string     `json:"status"` // current, previous, retired, compromised
	Expires *time.Time `json:"tokens_expire_by,omitempty"`
	Note    string     `json:"note,omitempty"`
}

// GET keys: every key the lab knows and what it is for.
func (m *Manager) keysState(c *call) {
	st := c.st()
	ks := st.Keys
	keys := []keyView{
		{Kid: ks.HSKid, Alg: algHS256, Status: "current", Note: "symmetric: never published"},
		{Kid: ks.EdKid, Alg: algEdDSA, Status: "current"},
	}
	if ks.RSKid != "" {
		keys = append(keys, keyView{Kid: ks.RSKid, Alg: algRS256, Status: "current"})
	}
	for _, p := range ks.Old {
		exp := p.RotatedAt.Add(st.Settings.TokenTTL)
		keys = append(keys, keyView{Kid: p.Kid, Alg: p.Alg, Status: "previous", Expires: &exp})
	}
	for _, kid := range slices.Sorted(mapKeys(ks.Retired)) {
		status := "retired"
		if len(ks.Retired[kid]) >= 11 && ks.Retired[kid][:11] == "compromised" {
			status = "compromised"
		}
		keys = append(keys, keyView{Kid: kid, Alg: ks.RetiredAlg[kid], Status: status, Note: ks.Retired[kid]})
	}
	c.json(http.StatusOK, map[string]any{"alg": st.Settings.Alg, "signing_kid": currentKid(&ks, st.Settings.Alg), "keys": keys, "now": c.now()})
}

func currentKid(ks *keyset, alg string) string {
	switch alg {
	case algEdDSA:
		return ks.EdKid
	case algRS256:
		return ks.RSKid
	}
	return ks.HSKid
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// POST keys/rotate: a new signing key for the lab's algorithm; the old
// one keeps verifying until it is retired.
func (m *Manager) keysRotate(c *call) {
	c.side = "token"
	alg := c.st().Settings.Alg
	var rsKid string
	var rsDER []byte
	if alg == algRS256 {
		var err error
		if rsKid, rsDER, err = newRSAKey(); err != nil {
			c.fail(http.StatusServiceUnavailable, "unavailable", "could not make a new RSA key")
			return
		}
	}
	var oldKid, newKid string
	if !c.update(func(st *labState, now time.Time) error {
		if st.Settings.Alg != alg {
			return userError{http.StatusConflict, "conflict", "the signing algorithm changed meanwhile; rotate again"}
		}
		oldKid, newKid = st.Keys.rotate(alg, now, rsKid, rsDER)
		return nil
	}) {
		return
	}
	c.verdict = alg + " key rotated: new tokens get kid " + newKid
	if oldKid != "" {
		c.verdict += "; " + oldKid + " still verifies the tokens it signed until it is retired"
	}
	c.reachAsLearner(msRotRotate)
	c.json(http.StatusOK, map[string]any{"old_kid": oldKid, "new_kid": newKid, "message": sentence(c.verdict)})
}

// POST keys/retire {"kid", "compromised": bool}: stop trusting a
// previous key. A compromised current key is rotated out first.
func (m *Manager) keysRetire(c *call) {
	c.side = "token"
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	kid, compromised := in["kid"], in["compromised"] == "true"
	if kid == "" {
		c.fail(http.StatusBadRequest, "bad_request", `send {"kid": "…", "compromised": true|false}`)
		return
	}
	st := c.st()
	isCurrent := kid == currentKid(&st.Keys, st.Settings.Alg)
	if isCurrent && !compromised {
		c.fail(http.StatusConflict, "conflict", "kid "+kid+" signs new tokens: rotate first, then retire it once its tokens have expired")
		return
	}
	var rsKid string
	var rsDER []byte
	if isCurrent && st.Settings.Alg == algRS256 {
		var err error
		if rsKid, rsDER, err = newRSAKey(); err != nil {
			c.fail(http.StatusServiceUnavailable, "unavailable", "could not make a new RSA key")
			return
		}
	}
	var newKid string
	if !c.update(func(st *labState, now time.Time) error {
		if kid == currentKid(&st.Keys, st.Settings.Alg) {
			_, newKid = st.Keys.rotate(st.Settings.Alg, now, rsKid, rsDER)
		}
		if !st.Keys.isPastKid(kid) {
			return userError{http.StatusNotFound, "not_found", "no previous key " + kid + " (it may be retired already, or belong to another lab)"}
		}
		why := "retired at " + now.Format(time.TimeOnly)
		if compromised {
			why = "compromised at " + now.Format(time.TimeOnly)
		}
		st.Keys.retire(kid, why)
		return nil
	}) {
		return
	}
	c.verdict = "key " + kid + " retired: every token it signed is refused from its next request"
	if compromised {
		c.verdict = "key " + kid + " marked compromised and dropped at once: every token it signed dies now — mass revocation without a deny-list"
	}
	if newKid != "" {
		c.verdict += "; new tokens get kid " + newKid
	}
	c.json(http.StatusOK, map[string]any{"retired": kid, "compromised": compromised, "new_kid": newKid, "message": sentence(c.verdict)})
}

// GET .well-known/jwks.json: the lab's public keys, current and
// previous, as a gateway would fetch them. HMAC keys are secrets and
// never appear.
func (m *Manager) labJWKS(c *call) {
	c.side = "token"
	ks := &c.st().Keys
	keys := []map[string]string{}
	add := func(kid, alg string, key []byte) {
		switch alg {
		case algEdDSA:
			pub := ed25519.NewKeyFromSeed(key).Public().(ed25519.PublicKey)
			keys = append(keys, map[string]string{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(pub), "kid": kid, "alg": alg, "use": "sig"})
		case algRS256:
			k, err := c.e.parsed(kid, func() (any, error) { return x509.ParsePKCS8PrivateKey(key) })
			if rk, ok := k.(*rsa.PrivateKey); err == nil && ok {
				keys = append(keys, map[string]string{"kty": "RSA", "n": base64.RawURLEncoding.EncodeToString(rk.N.Bytes()),
					"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(rk.E)).Bytes()), "kid": kid, "alg": alg, "use": "sig"})
			}
		}
	}
	add(ks.EdKid, algEdDSA, ks.EdSeed)
	if ks.RSKid != "" {
		add(ks.RSKid, algRS256, ks.RSDER)
	}
	for _, p := range ks.Old {
		add(p.Kid, p.Alg, p.Key)
	}
	c.verdict = fmt.Sprintf("JWKS with %d public keys: a gateway picks the one whose kid matches the token's header", len(keys))
	// The step is done only when a token of this lab can be found here:
	// the lab has issued one, and the key that signs its tokens is
	// published — never so for HS256, whose key is a shared secret.
	st := c.st()
	signing := currentKid(ks, st.Settings.Alg)
	switch published := slices.ContainsFunc(keys, func(k map[string]string) bool { return k["kid"] == signing }); {
	case !published:
		c.verdict += "; the lab signs with " + st.Settings.Alg + " (kid " + signing + "), a shared secret that is never published: no token of it can be checked with this set"
	case len(st.Families) == 0:
		c.verdict += "; kid " + signing + " signs this lab's tokens — log in to get one that names it"
	default:
		c.verdict += "; kid " + signing + ", which signs this lab's tokens, is in the set"
		c.reachAsLearner(msRotJWKS)
	}
	c.json(http.StatusOK, map[string]any{"keys": keys})
}

func (m *Manager) addRotationRoutes(rs map[string]route) {
	rs[".well-known/jwks.json"] = recorded(http.MethodGet, m.labJWKS)
	rs["keys"] = getRoute(m.keysState)
	rs["keys/rotate"] = recorded(http.MethodPost, m.keysRotate)
	rs["keys/retire"] = recorded(http.MethodPost, m.keysRetire)
}
