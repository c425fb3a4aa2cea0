package sandbox

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
)

// PASETO v4.public (https://github.com/paseto-standard/paseto-spec):
// Ed25519 over a pre-authentication encoding of the header, message,
// footer and implicit assertion. There is no algorithm field to edit: the
// version and purpose ("v4.public") fix it, which is the point the
// opaque-vs-jwt lab makes. Written here rather than imported because it
// is thirty lines over crypto/ed25519; paseto_test.go pins it to the
// specification's test vectors 4-S-1 and 4-S-2.

const pasetoHeader = "v4.public."

// pae is PASETO's pre-authentication encoding: the piece count, then each
// piece's length, as little-endian 64-bit integers with the top bit clear.
func pae(pieces ...[]byte) []byte {
	var b bytes.Buffer
	le64 := func(n int) {
		var x [8]byte
		binary.LittleEndian.PutUint64(x[:], uint64(n)&(1<<63-1))
		b.Write(x[:])
	}
	le64(len(pieces))
	for _, p := range pieces {
		le64(len(p))
		b.Write(p)
	}
	return b.Bytes()
}

// pasetoSign makes a v4.public token of msg with an optional footer.
func pasetoSign(key ed25519.PrivateKey, msg, footer []byte) string {
	sig := ed25519.Sign(key, pae([]byte(pasetoHeader), msg, footer, nil))
	tok := pasetoHeader + base64.RawURLEncoding.EncodeToString(append(append([]byte{}, msg...), sig...))
	if len(footer) > 0 {
		tok += "." + base64.RawURLEncoding.EncodeToString(footer)
	}
	return tok
}

var errPaseto = errors.New("not a valid v4.public token")

// pasetoVerify checks a v4.public token and returns its message and footer.
func pasetoVerify(pub ed25519.PublicKey, tok string) (msg, footer []byte, err error) {
	if !strings.HasPrefix(tok, pasetoHeader) || len(tok) > maxJWT {
		return nil, nil, errPaseto
	}
	body, foot, hasFooter := strings.Cut(tok[len(pasetoHeader):], ".")
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < ed25519.SignatureSize {
		return nil, nil, errPaseto
	}
	if hasFooter {
		if footer, err = base64.RawURLEncoding.DecodeString(foot); err != nil {
			return nil, nil, errPaseto
		}
	}
	msg, sig := raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, pae([]byte(pasetoHeader), msg, footer, nil), sig) {
		return nil, nil, errors.New("bad signature")
	}
	return msg, footer, nil
}
