package sandbox

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

const (
	algHS256 = "HS256"
	algRS256 = "RS256"
	algEdDSA = "EdDSA"
)

// keyset is a lab's signing keys, one per algorithm, each with its own
// kid. They are created with the lab (the RSA key only on first use of
// RS256: generating one takes a noticeable fraction of a second) and
// replaced on reset, which is why a token from before a reset fails.
type keyset struct {
	HSKid  string `json:"hs_kid"`
	HS     []byte `json:"hs"`
	EdKid  string `json:"ed_kid"`
	EdSeed []byte `json:"ed"`
	RSKid  string `json:"rs_kid,omitempty"`
	RSDER  []byte `json:"rs,omitempty"` // PKCS #8

	Old        []pastKey         `json:"old,omitempty"`         // rotated out, still verifying (rotation.go)
	Retired    map[string]string `json:"retired,omitempty"`     // kid -> why it is no longer trusted
	RetiredAlg map[string]string `json:"retired_alg,omitempty"` // kid -> its algorithm, so the key list still names it
}

func newKeyset() keyset {
	hs := make([]byte, 32)
	rand.Read(hs)
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	return keyset{HSKid: "hs-" + randHex(4), HS: hs, EdKid: "ed-" + randHex(4), EdSeed: seed}
}

// newRSAKey makes the RS256 key outside any lock; the caller stores it
// only if the lab still has none.
func newRSAKey() (kid string, der []byte, err error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", nil, fmt.Errorf("sandbox: generate RSA key: %w", err)
	}
	der, err = x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", nil, fmt.Errorf("sandbox: encode RSA key: %w", err)
	}
	return "rs-" + randHex(4), der, nil
}

func signingMethod(alg string) jwt.SigningMethod {
	switch alg {
	case algRS256:
		return jwt.SigningMethodRS256
	case algEdDSA:
		return jwt.SigningMethodEdDSA
	default:
		return jwt.SigningMethodHS256
	}
}

var errUnknownKid = errors.New("no key of this lab has that kid")

// signingKey returns the private key and kid for alg. Parsed keys are
// cached per process by kid: a kid names exactly one key.
func (e *entry) signingKey(ks *keyset, alg string) (any, string, error) {
	switch alg {
	case algHS256:
		return ks.HS, ks.HSKid, nil
	case algEdDSA:
		k, err := e.parsed(ks.EdKid, func() (any, error) { return ed25519.NewKeyFromSeed(ks.EdSeed), nil })
		return k, ks.EdKid, err
	case algRS256:
		if ks.RSKid == "" {
			return nil, "", errors.New("sandbox: lab has no RSA key yet")
		}
		k, err := e.parsed(ks.RSKid, func() (any, error) { return x509.ParsePKCS8PrivateKey(ks.RSDER) })
		return k, ks.RSKid, err
	}
	return nil, "", fmt.Errorf("sandbox: unknown algorithm %q", alg)
}

// verifyKey returns the public key for a token's kid, refusing a kid
// whose algorithm differs from the token's (no algorithm confusion).
func (e *entry) verifyKey(ks *keyset, kid, alg string) (any, error) {
	var want string
	switch kid {
	case "":
		return nil, errors.New("the token has no kid")
	case ks.HSKid:
		want = algHS256
	case ks.EdKid:
		want = algEdDSA
	case ks.RSKid:
		want = algRS256
	default:
		return e.pastVerifyKey(ks, kid, alg)
	}
	if alg != want {
		return nil, fmt.Errorf("kid %s is a %s key but the token says alg %s", kid, want, alg)
	}
	k, _, err := e.signingKey(ks, want)
	if err != nil {
		return nil, err
	}
	if s, ok := k.(crypto.Signer); ok {
		return s.Public(), nil
	}
	return k, nil
}

func (e *entry) parsed(kid string, parse func() (any, error)) (any, error) {
	if k, ok := e.keys.Load(kid); ok {
		return k, nil
	}
	k, err := parse()
	if err != nil {
		return nil, fmt.Errorf("sandbox: parse key %s: %w", kid, err)
	}
	e.keys.Store(kid, k)
	return k, nil
}
