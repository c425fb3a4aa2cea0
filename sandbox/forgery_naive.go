package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"math/big"
	"net/url"
	"path"
	"strings"
	"time"
)

// naiveVerify is the deliberately weak verifier of the jwt-forgery lab,
// written the way the vulnerable libraries of 2015 were: the token's own
// header says how to check it. It trusts alg (and accepts "none"),
// feeds whatever key it has to whatever algorithm the header names (so
// the RSA public key's PEM becomes an HMAC secret), takes an embedded
// jwk at its word, "fetches" a jku, and reads kid as a file name under
// its key directory. It is weak on purpose but never crashy: any input
// gets an error or a verdict (FuzzNaiveVerify).
func (c *call) naiveVerify(raw string, key labKey) (map[string]any, string, error) {
	d, err := DecodeJWT(raw)
	if err != nil {
		return nil, "", errors.New("malformed token")
	}
	alg, _ := d.Header["alg"].(string)
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(d.Parts[2], "="))
	if err != nil {
		return nil, "", errors.New("bad signature encoding")
	}
	input := []byte(d.Parts[0] + "." + d.Parts[1])
	var how string
	if strings.EqualFold(alg, "none") {
		how = `naive verifier: the header says alg "` + alg + `", so no signature was checked`
	} else {
		k, from, err := c.naiveKey(d.Header, key)
		if err != nil {
			return nil, "", err
		}
		if err := naiveCheck(alg, k, input, sig); err != nil {
			return nil, "", err
		}
		how = "naive verifier: " + alg + " signature valid with " + from
	}
	if err := naiveClaims(d.Payload, c.now()); err != nil {
		return nil, "", err
	}
	return d.Payload, how, nil
}

// naiveMaterial is a key as the naive verifier holds it: raw bytes for
// HMAC, a public key for the rest, whichever it found.
type naiveMaterial struct {
	bytes []byte
	pub   crypto.PublicKey
}

// naiveKey finds "the key" the way the header tells it to.
func (c *call) naiveKey(h map[string]any, key labKey) (naiveMaterial, string, error) {
	if j, ok := h["jwk"]; ok {
		k, err := parseJWK(j)
		if err != nil {
			return naiveMaterial{}, "", errors.New("embedded jwk: " + err.Error())
		}
		return k, "the key embedded in the token's own jwk header", nil
	}
	kid, _ := h["kid"].(string)
	if u, ok := h["jku"].(string); ok {
		k, err := c.fetchJKU(u, kid)
		if err != nil {
			return naiveMaterial{}, "", err
		}
		return k, "the key the token's jku pointed at (" + quoteShort(u) + ")", nil
	}
	if kid == "" || kid == key.kid {
		return naiveMaterial{bytes: key.hmac, pub: publicOf(key.verify)}, "the server's configured key", nil
	}
	// kid names a file in the key directory; nobody cleaned it.
	file := path.Join(naiveKeyDir, kid)
	switch {
	case file == "/dev/null":
		return naiveMaterial{bytes: []byte{}}, "the key file " + file + " (kid " + quoteShort(kid) + "): empty", nil
	case file == path.Join(naiveKeyDir, key.kid):
		return naiveMaterial{bytes: key.hmac, pub: publicOf(key.verify)}, "the key file " + file, nil
	}
	return naiveMaterial{}, "", errors.New("kid " + quoteShort(kid) + ": open " + file + ": no such file")
}

const naiveKeyDir = "/srv/lab/keys"

func publicOf(k any) crypto.PublicKey {
	if p, ok := k.(*rsa.PublicKey); ok {
		return p
	}
	return nil
}

// fetchJKU stands in for fetching a key set over HTTP: the lab makes no
// outbound requests, so only Mallory's key set in this lab can be
// "fetched" — which is all the attack needs.
func (c *call) fetchJKU(raw, kid string) (naiveMaterial, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Path != "/lab/"+c.id+"/mallory/jwks.json" {
		return naiveMaterial{}, errors.New("jku " + quoteShort(raw) + ": a naive verifier would fetch it; the lab makes no outbound requests, so only this lab's Mallory key set (the token editor's jku option) can be used")
	}
	for _, k := range c.st().Atk.Forgery.Mallory {
		if kid == "" || k.Kid == kid {
			return naiveMaterial{pub: ed25519.PublicKey(k.X)}, nil
		}
	}
	return naiveMaterial{}, errors.New("jku: Mallory's key set has no key " + quoteShort(kid))
}

// naiveCheck verifies sig over input with alg and whatever key it got.
func naiveCheck(alg string, k naiveMaterial, input, sig []byte) error {
	var hf func() hash.Hash
	var ch crypto.Hash
	switch alg {
	case "HS256":
		hf = sha256.New
	case "HS384":
		hf = sha512.New384
	case "HS512":
		hf = sha512.New
	case "RS256", "ES256":
		ch = crypto.SHA256
	case "EdDSA", "Ed25519":
	default:
		return errors.New("unsupported alg " + quoteShort(alg))
	}
	if hf != nil {
		if k.bytes == nil {
			return errors.New(alg + ": the key found is not an HMAC secret")
		}
		mac := hmac.New(hf, k.bytes)
		mac.Write(input)
		if !hmac.Equal(mac.Sum(nil), sig) {
			return errors.New("bad signature")
		}
		return nil
	}
	var ok bool
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		if alg != "RS256" {
			return errors.New(alg + ": the key found is an RSA key")
		}
		sum := sha256.Sum256(input)
		ok = rsa.VerifyPKCS1v15(pub, ch, sum[:], sig) == nil
	case *ecdsa.PublicKey:
		if alg != "ES256" || len(sig) != 64 {
			return errors.New("bad signature")
		}
		sum := sha256.Sum256(input)
		ok = ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case ed25519.PublicKey:
		if alg != "EdDSA" && alg != "Ed25519" {
			return errors.New(alg + ": the key found is an Ed25519 key")
		}
		ok = len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, input, sig)
	default:
		return errors.New(alg + ": the key found is not a public key")
	}
	if !ok {
		return errors.New("bad signature")
	}
	return nil
}

// naiveClaims checks exp only if the token has one, like many old
// libraries did; iss and aud are not looked at.
func naiveClaims(p map[string]any, now time.Time) error {
	n, ok := p["exp"].(json.Number)
	if !ok {
		return nil
	}
	exp, err := n.Float64()
	if err != nil {
		return errors.New("exp is not a number")
	}
	if float64(now.Unix()) > exp {
		return errors.New("token expired")
	}
	return nil
}

// parseJWK reads a public key from a JWK object (RFC 7517): OKP
// Ed25519, RSA, EC P-256, or an oct secret.
func parseJWK(v any) (naiveMaterial, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return naiveMaterial{}, errors.New("not a JSON object")
	}
	field := func(name string) ([]byte, error) {
		s, _ := m[name].(string)
		if s == "" || len(s) > 2048 {
			return nil, errors.New("missing or oversized " + name)
		}
		return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	kty, _ := m["kty"].(string)
	switch kty {
	case "OKP":
		x, err := field("x")
		if err != nil || len(x) != ed25519.PublicKeySize {
			return naiveMaterial{}, errors.New("an Ed25519 x must be 32 bytes of base64url")
		}
		return naiveMaterial{pub: ed25519.PublicKey(x)}, nil
	case "RSA":
		n, err1 := field("n")
		e, err2 := field("e")
		if err1 != nil || err2 != nil || len(e) > 4 || len(n) < 64 {
			return naiveMaterial{}, errors.New("an RSA key needs n and e in base64url")
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		if exp < 3 || exp%2 == 0 {
			return naiveMaterial{}, errors.New("an RSA exponent must be odd and at least 3")
		}
		return naiveMaterial{pub: &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}}, nil
	case "EC":
		x, err1 := field("x")
		y, err2 := field("y")
		if crv, _ := m["crv"].(string); crv != "P-256" || err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
			return naiveMaterial{}, errors.New("an EC key must be P-256 with 32-byte x and y")
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return naiveMaterial{}, errors.New("the EC point is not on P-256")
		}
		return naiveMaterial{pub: pub}, nil
	case "oct":
		k, err := field("k")
		if err != nil {
			return naiveMaterial{}, errors.New("an oct key needs k in base64url")
		}
		return naiveMaterial{bytes: k}, nil
	}
	return naiveMaterial{}, errors.New("unknown kty " + quoteShort(kty))
}
