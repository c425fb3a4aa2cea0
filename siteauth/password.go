package siteauth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's Password Storage Cheat Sheet minimum for
// argon2id is m=19 MiB, t=2, p=1. They are stored in each hash, so they can
// be raised later without breaking existing accounts. ASVS 5.0 V11.4.2:
// passwords are stored with an approved password hashing function.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password length bounds. There is no 72-byte cut-off as with bcrypt:
// argon2id hashes the whole input. The upper bound only stops a
// multi-megabyte "password" from costing the server hashing time.
// ASVS 5.0 V6.2.1 (at least 8 characters), V6.2.9 (64 and more allowed),
// and, by the whole input being hashed, V6.2.8 (no truncation).
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// Hasher hashes and verifies passwords with argon2id, running at most a
// fixed number of computations at once. Each holds argonMemory (19 MiB)
// for its whole run, so a burst of sign-ins from many addresses queues
// here for CPU it could not get anyway, instead of growing the heap by
// 19 MiB a request. Build one per process (run does) and share it: two
// Hashers bound nothing between them.
type Hasher struct {
	slots chan struct{}
	// running and peak let tests see the bound hold.
	running, peak atomic.Int32
}

// NewHasher returns a Hasher that runs at most slots argon2id
// computations at once; slots <= 0 means max(2, GOMAXPROCS).
func NewHasher(slots int) *Hasher {
	if slots <= 0 {
		slots = max(2, runtime.GOMAXPROCS(0))
	}
	return &Hasher{slots: make(chan struct{}, slots)}
}

// idKey is argon2.IDKey inside one of the slots.
func (h *Hasher) idKey(pw, salt []byte, t, m uint32, p uint8, keyLen uint32) []byte {
	h.slots <- struct{}{}
	defer func() { <-h.slots }()
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for {
		peak := h.peak.Load()
		if n <= peak || h.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	return argon2.IDKey(pw, salt, t, m, p, keyLen)
}

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("siteauth: password does not match")

// CheckPasswordRules explains what is wrong with a new password, or
// returns nil. Length is the only rule: ASVS 5.0 V6.2.5 forbids
// composition rules. (V6.2.4 and V6.2.12, a check against common and
// breached passwords, are not met: the server holds no such list.)
func CheckPasswordRules(pw string) error {
	switch {
	case pw == "":
		return errors.New("enter a password")
	case len(pw) < MinPasswordLen:
		return fmt.Errorf("the password needs at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Errorf("the password can have at most %d characters", MaxPasswordLen)
	}
	return nil
}

// Hash returns a PHC-format argon2id hash of pw with a random salt.
func (h *Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("siteauth: salt: %w", err)
	}
	key := h.idKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks pw against a hash from Hash in constant time. A
// malformed hash is an error distinct from ErrMismatch.
func (h *Hasher) Verify(hash, pw string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("siteauth: unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("siteauth: unsupported argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return errors.New("siteauth: bad argon2 parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("siteauth: bad salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return errors.New("siteauth: bad hash")
	}
	got := h.idKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// DummyVerify spends the time of one verification, so that "no such user"
// and "wrong password" take as long as each other (ASVS 5.0 V6.3.8).
func (h *Hasher) DummyVerify(pw string) {
	_ = h.idKey([]byte(pw), make([]byte, saltLen), argonTime, argonMemory, argonThreads, argonKeyLen)
}
