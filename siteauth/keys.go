package siteauth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// File names inside the key directory. Both are created on first start
// with mode 0600 and hold secrets: back them up with the database, never
// commit them.
const (
	cookieKeysFile = "cookie-keys.json"
	jwtKeysFile    = "jwt-keys.json"
	maxKeys        = 3 // the current key plus two older ones still accepted
)

// SigningKey is one Ed25519 key that signs API access tokens.
type SigningKey struct {
	ID      string    `json:"kid"`
	Created time.Time `json:"created"`
	Seed    []byte    `json:"seed"`
	private ed25519.PrivateKey
}

// Public returns the verification key.
func (k SigningKey) Public() ed25519.PublicKey { return k.private.Public().(ed25519.PublicKey) }

type cookieKey struct {
	Created time.Time `json:"created"`
	Key     []byte    `json:"key"`
}

// KeyRing is the site's secrets: cookie signing keys and token signing
// keys, newest first. Older keys still verify, so a rotation logs nobody
// out; only the newest signs.
type KeyRing struct {
	cookie []cookieKey
	jwt    []SigningKey
}

// LoadKeyRing reads the key files from dir, creating them (and dir, 0700)
// with fresh random keys on first start.
func LoadKeyRing(dir string, now time.Time) (*KeyRing, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("siteauth: key directory: %w", err)
	}
	k := &KeyRing{}
	if err := loadOrCreate(filepath.Join(dir, cookieKeysFile), &k.cookie, func() error {
		k.cookie = []cookieKey{newCookieKey(now)}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := loadOrCreate(filepath.Join(dir, jwtKeysFile), &k.jwt, func() error {
		key, err := newSigningKey(now)
		k.jwt = []SigningKey{key}
		return err
	}); err != nil {
		return nil, err
	}
	if len(k.cookie) == 0 || len(k.jwt) == 0 {
		return nil, fmt.Errorf("siteauth: key files in %s hold no keys", dir)
	}
	for i := range k.jwt {
		if len(k.jwt[i].Seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("siteauth: %s: key %q has a bad seed", jwtKeysFile, k.jwt[i].ID)
		}
		k.jwt[i].private = ed25519.NewKeyFromSeed(k.jwt[i].Seed)
	}
	for _, c := range k.cookie {
		if len(c.Key) < 32 {
			return nil, fmt.Errorf("siteauth: %s: a cookie key is shorter than 32 bytes", cookieKeysFile)
		}
	}
	return k, nil
}

// RotateKeys puts a new cookie key and a new signing key in front and
// keeps the two previous ones, so tokens and cookies issued before the
// rotation still verify until they expire. Running servers pick the new
// keys up on restart.
func RotateKeys(dir string, now time.Time) error {
	k, err := LoadKeyRing(dir, now)
	if err != nil {
		return err
	}
	sk, err := newSigningKey(now)
	if err != nil {
		return err
	}
	k.cookie = append([]cookieKey{newCookieKey(now)}, k.cookie...)
	k.jwt = append([]SigningKey{sk}, k.jwt...)
	if len(k.cookie) > maxKeys {
		k.cookie = k.cookie[:maxKeys]
	}
	if len(k.jwt) > maxKeys {
		k.jwt = k.jwt[:maxKeys]
	}
	if err := writeJSON(filepath.Join(dir, cookieKeysFile), k.cookie); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, jwtKeysFile), k.jwt)
}

// CookieKeys returns the cookie signing keys, newest first.
func (k *KeyRing) CookieKeys() [][]byte {
	out := make([][]byte, len(k.cookie))
	for i, c := range k.cookie {
		out[i] = c.Key
	}
	return out
}

// Signing returns the key that signs new tokens.
func (k *KeyRing) Signing() SigningKey { return k.jwt[0] }

// Verifier returns the public key with that kid, if the ring has it.
func (k *KeyRing) Verifier(kid string) (ed25519.PublicKey, bool) {
	for _, key := range k.jwt {
		if key.ID == kid {
			return key.Public(), true
		}
	}
	return nil, false
}

// JWK is one public key in a JWK Set (RFC 7517, RFC 8037 for OKP/Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// JWKS returns every verification key, for /.well-known/jwks.json.
func (k *KeyRing) JWKS() map[string][]JWK {
	keys := make([]JWK, 0, len(k.jwt))
	for _, key := range k.jwt {
		keys = append(keys, JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(key.Public()),
			Kid: key.ID, Use: "sig", Alg: "EdDSA"})
	}
	return map[string][]JWK{"keys": keys}
}

func newCookieKey(now time.Time) cookieKey {
	b := make([]byte, 64)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return cookieKey{Created: now.UTC(), Key: b}
}

func newSigningKey(now time.Time) (SigningKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return SigningKey{}, fmt.Errorf("siteauth: new key: %w", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(priv.Public().(ed25519.PublicKey))
	return SigningKey{ID: hex.EncodeToString(sum[:8]), Created: now.UTC(), Seed: seed, private: priv}, nil
}

func loadOrCreate(path string, v any, create func() error) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := create(); err != nil {
			return err
		}
		return writeJSON(path, v)
	}
	if err != nil {
		return fmt.Errorf("siteauth: read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("siteauth: %s is not valid: %w", path, err)
	}
	return nil
}

// writeJSON replaces path atomically with mode 0600.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("siteauth: encode %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keys-*")
	if err != nil {
		return fmt.Errorf("siteauth: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("siteauth: write %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("siteauth: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("siteauth: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("siteauth: write %s: %w", path, err)
	}
	return nil
}
