package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrMalformedJWT is wrapped by every DecodeJWT error.
var ErrMalformedJWT = errors.New("sandbox: malformed JWT")

const maxJWT = 16 << 10

// DecodedJWT is a JWT taken apart without checking its signature — the
// proof that a JWT is signed, not encrypted: anyone can read the payload.
type DecodedJWT struct {
	Header         map[string]any `json:"header"`
	Payload        map[string]any `json:"payload"`
	Signature      string         `json:"signature"` // base64url, as sent
	SignatureBytes int            `json:"signature_bytes"`
	Parts          [3]string      `json:"parts"`
}

// DecodeJWT splits a compact JWT (an optional "Bearer " prefix is
// dropped) and decodes its header and payload. Numbers are kept exact.
// Errors wrap ErrMalformedJWT and say what is wrong.
func DecodeJWT(token string) (*DecodedJWT, error) {
	token = strings.TrimSpace(token)
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" {
		return nil, fmt.Errorf("%w: the token is empty", ErrMalformedJWT)
	}
	if len(token) > maxJWT {
		return nil, fmt.Errorf("%w: the token is over 16 KiB", ErrMalformedJWT)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: a JWT has three base64url parts separated by dots; this has %d part(s)", ErrMalformedJWT, len(parts))
	}
	d := &DecodedJWT{Signature: parts[2], Parts: [3]string(parts)}
	var err error
	if d.Header, err = decodeSegment(parts[0]); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformedJWT, err)
	}
	if d.Payload, err = decodeSegment(parts[1]); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformedJWT, err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil {
		return nil, fmt.Errorf("%w: signature: not base64url", ErrMalformedJWT)
	}
	d.SignatureBytes = len(sig)
	return d, nil
}

func decodeSegment(s string) (map[string]any, error) {
	if s == "" {
		return nil, errors.New("empty")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, errors.New("not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New("not a JSON object")
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	return m, nil
}

// POST decode {"token": "…"} (or the bare token as the body): the token
// taken apart, and whether this lab would accept it right now.
func (m *Manager) decode(c *call) {
	var in struct {
		Token string `json:"token"`
	}
	raw := string(c.body)
	if json.Unmarshal(c.body, &in) == nil {
		raw = in.Token
	}
	d, err := DecodeJWT(raw)
	if err != nil {
		c.fail(http.StatusBadRequest, "malformed_token", strings.TrimPrefix(err.Error(), "sandbox: "))
		return
	}
	chk := c.checkAccess(strings.Join(d.Parts[:], "."))
	c.json(http.StatusOK, struct {
		*DecodedJWT
		Valid   bool   `json:"valid"`
		Reason  string `json:"reason,omitempty"`
		Verdict string `json:"verdict"`
	}{d, chk.reason == "", chk.reason, chk.detail})
}
