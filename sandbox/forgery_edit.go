package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The token editor is Mallory's tool in the jwt-forgery lab: she edits
// a token's header and payload as JSON text and has it re-signed with
// no key ("none"), an HMAC secret of her choice, the lab's public key
// used as an HMAC secret, or a fresh key pair of her own — embedded in
// the header (jwk) or published on her key set (jku). The lab's private
// keys never take part: whatever she signs, she could sign at home.

// malloryKey is a public key on Mallory's key set.
type malloryKey struct {
	Kid string `json:"kid"`
	X   []byte `json:"x"` // Ed25519 public key
}

// editInput is what the token editor sends.
type editInput struct {
	Header  json.RawMessage `json:"header"`  // a JSON object, or a string holding one
	Payload json.RawMessage `json:"payload"` // likewise
	Key     string          `json:"key"`     // none | hmac | public-key | jwk | jku
	Secret  string          `json:"secret"`  // for hmac; may be empty
}

// editSpec is a checked edit.
type editSpec struct {
	header, payload map[string]any
	key, secret     string
}

func editKeys() []string { return []string{"none", "hmac", "public-key", "jwk", "jku"} }

// parseEdit checks the editor's input; its errors are reasons meant for
// the learner (FuzzParseEdit).
func parseEdit(raw []byte) (editSpec, error) {
	var in editInput
	var spec editSpec
	if err := json.Unmarshal(raw, &in); err != nil {
		return spec, errors.New(`send JSON: {"header", "payload", "key", "secret"}`)
	}
	var err error
	if spec.header, err = jsonObject("header", in.Header); err != nil {
		return spec, err
	}
	if spec.payload, err = jsonObject("payload", in.Payload); err != nil {
		return spec, err
	}
	spec.key = strings.TrimSpace(in.Key)
	if !slices.Contains(editKeys(), spec.key) {
		return spec, errors.New("key must be one of " + strings.Join(editKeys(), ", "))
	}
	if len(in.Secret) > 4096 {
		return spec, errors.New("the secret is over 4 KiB")
	}
	spec.secret = in.Secret
	return spec, nil
}

// jsonObject accepts an object, or a string holding one (a textarea's
// text), keeping numbers exact.
func jsonObject(what string, raw json.RawMessage) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New(what + " is missing")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errors.New(what + " is not a JSON string")
		}
		raw = []byte(strings.TrimSpace(s))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New(what + " is not a JSON object: " + jsonProblem(err))
	}
	if dec.More() {
		return nil, errors.New(what + " has data after the JSON object")
	}
	return m, nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	switch {
	case err == nil:
		return "null"
	case errors.As(err, &se):
		return se.Error()
	}
	return "expected {…}"
}

// sign builds the token; pub is the lab's public key PEM (for the
// public-key option) and jkuURL where Mallory's key set lives.
func (s editSpec) sign(pub []byte, jkuURL string) (token, note string, mk *malloryKey, err error) {
	h := s.header
	alg, _ := h["alg"].(string)
	var mac func() hash.Hash
	var key []byte
	var edKey ed25519.PrivateKey
	switch s.key {
	case "none":
		if !strings.EqualFold(alg, "none") {
			h["alg"] = "none"
		}
		note = "unsigned: the signature part is empty"
	case "hmac", "public-key":
		switch alg {
		case "HS384":
			mac = sha512.New384
		case "HS512":
			mac = sha512.New
		default:
			h["alg"], mac = "HS256", sha256.New
		}
		key = []byte(s.secret)
		note = "HMAC with the secret you typed"
		if s.key == "public-key" {
			if len(pub) == 0 {
				return "", "", nil, errors.New("the lab signs with an HMAC secret now: there is no public key to abuse (switch the signer to RS256)")
			}
			key, note = pub, "HMAC with the lab's RSA public key (its PEM text) as the secret"
		}
	case "jwk", "jku":
		_, edKey, _ = ed25519.GenerateKey(rand.Reader)
		kid := "mallory-" + randHex(4)
		h["alg"], h["kid"] = "EdDSA", kid
		pk := edKey.Public().(ed25519.PublicKey)
		if s.key == "jwk" {
			delete(h, "jku")
			h["jwk"] = map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(pk), "kid": kid}
			note = "signed with a fresh Ed25519 key of Mallory's, its public half embedded in the header"
		} else {
			delete(h, "jwk")
			h["jku"] = jkuURL
			mk = &malloryKey{Kid: kid, X: pk}
			note = "signed with a fresh Ed25519 key of Mallory's, its public half published at " + jkuURL
		}
	}
	hb, err1 := json.Marshal(h)
	pb, err2 := json.Marshal(s.payload)
	if err1 != nil || err2 != nil {
		return "", "", nil, errors.New("the header or payload cannot be encoded")
	}
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(pb)
	var sig []byte
	switch {
	case mac != nil:
		m := hmac.New(mac, key)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case edKey != nil:
		sig = ed25519.Sign(edKey, []byte(input))
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), note, mk, nil
}

// POST forgery/sign: the token editor.
func (m *Manager) forgerySign(c *call) {
	spec, err := parseEdit(c.body)
	if err != nil {
		c.fail(http.StatusBadRequest, "bad_edit", err.Error())
		return
	}
	var pub []byte
	if spec.key == "public-key" && c.st().Atk.Forgery.signer() == signerRS {
		if !c.ensureRSAKey() {
			return
		}
		if k, err := c.forgeryKey(c.st()); err == nil {
			pub = k.pem
		}
	}
	token, note, mk, err := spec.sign(pub, c.origin()+"/lab/"+c.id+"/mallory/jwks.json")
	if err != nil {
		c.fail(http.StatusBadRequest, "bad_edit", err.Error())
		return
	}
	if mk != nil && !c.update(func(st *labState, _ time.Time) error {
		f := &st.Atk.Forgery
		f.Mallory = append(f.Mallory, *mk)
		if n := len(f.Mallory); n > maxMallory {
			f.Mallory = slices.Delete(f.Mallory, 0, n-maxMallory)
		}
		return nil
	}) {
		return
	}
	c.json(http.StatusOK, map[string]any{"token": token, "note": note})
}

// origin is the scheme and host this request came to (display only).
func (c *call) origin() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host
}

// GET mallory/jwks.json: Mallory's own key set, "hosted on her server".
func (m *Manager) malloryJWKS(c *call) {
	keys := []map[string]string{}
	for _, k := range c.st().Atk.Forgery.Mallory {
		keys = append(keys, map[string]string{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(k.X), "kid": k.Kid, "alg": "EdDSA", "use": "sig"})
	}
	c.json(http.StatusOK, map[string]any{"keys": keys})
}

// weakWords is the dictionary the lab provides for the in-browser
// attack; the weak signer's secret is one of them.
func weakWords() []string {
	return strings.Fields(`secret password 123456 qwerty letmein admin welcome monkey dragon
		football iloveyou sunshine princess shadow master superman batman trustno1 hello
		freedom whatever michael jennifer hunter2 changeme default jwtsecret secretkey
		mysecret supersecret topsecret s3cr3t passw0rd p@ssw0rd abc123 qwerty123 zaq12wsx
		baseball starwars pokemon computer internet cookie session token bearer
		authlab wonderland builder mallory alice bob charlie oauth openid signing
		hmac sha256 hs256 keyboard chocolate butterfly purple orange banana coffee
		summer winter autumn spring london paris berlin tokyo madrid rome
		tiger lion eagle falcon phoenix rocket galaxy planet meteor comet
		matrix neo trinity morpheus zion gandalf frodo hobbit mordor shire
		lovely cheese pepper ginger silver golden diamond crystal thunder storm
		access login logout server client random example test testing debug`)
}
