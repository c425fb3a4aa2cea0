package siteauth

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestPasswordHashAndVerify(t *testing.T) {
	t.Parallel()
	hasher := NewHasher(0)
	h, err := hasher.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id with the stated parameters", h)
	}
	if err := hasher.Verify(h, "correct horse battery staple"); err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if err := hasher.Verify(h, "correct horse battery stapl"); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: err = %v, want ErrMismatch", err)
	}
	h2, _ := hasher.Hash("correct horse battery staple")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	long := strings.Repeat("x", 100) // beyond bcrypt's 72 bytes
	hl, _ := hasher.Hash(long)
	if err := hasher.Verify(hl, strings.Repeat("x", 99)+"y"); !errors.Is(err, ErrMismatch) {
		t.Error("a password differing after byte 72 verified: input truncated")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$bcrypt$x", "$argon2id$v=19$m=1,t=1,p=1$!!$AA"} {
		if err := hasher.Verify(bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("Verify(%q) = %v, want a format error", bad, err)
		}
	}
}

func TestCheckPasswordRules(t *testing.T) {
	t.Parallel()
	for pw, ok := range map[string]bool{"short": false, "longenough": true, strings.Repeat("a", 257): false} {
		if err := CheckPasswordRules(pw); (err == nil) != ok {
			t.Errorf("CheckPasswordRules(%d chars) = %v", len(pw), err)
		}
	}
}

func TestKeyRingCreateLoadRotate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	k1, err := LoadKeyRing(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{cookieKeysFile, jwtKeysFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	k2, err := LoadKeyRing(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if k1.Signing().ID != k2.Signing().ID || string(k1.CookieKeys()[0]) != string(k2.CookieKeys()[0]) {
		t.Fatal("reloading the ring produced different keys")
	}
	iss1 := NewIssuer(k1, "https://authlab.test", "authlab-api", 0, nil)
	old, _, err := iss1.Issue("learner-1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := RotateKeys(dir, now.Add(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			k3, _ := LoadKeyRing(dir, now)
			if k3.Signing().ID == k1.Signing().ID {
				t.Fatal("rotation kept the signing key")
			}
			if _, err := NewIssuer(k3, "https://authlab.test", "authlab-api", 0, nil).Verify(old); err != nil {
				t.Fatalf("a token signed before one rotation no longer verifies: %v", err)
			}
			if len(k3.JWKS()["keys"]) != 2 {
				t.Fatalf("JWKS has %d keys after one rotation, want 2", len(k3.JWKS()["keys"]))
			}
		}
	}
	k4, _ := LoadKeyRing(dir, now)
	if n := len(k4.CookieKeys()); n != maxKeys {
		t.Errorf("%d cookie keys after many rotations, want %d", n, maxKeys)
	}
	if _, err := NewIssuer(k4, "https://authlab.test", "authlab-api", 0, nil).Verify(old); err == nil {
		t.Error("a token signed with a retired key still verifies")
	}
}

func TestKeyRingRejectsDamagedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, jwtKeysFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeyRing(dir, time.Now()); err == nil || !strings.Contains(err.Error(), jwtKeysFile) {
		t.Errorf("err = %v, want one naming %s", err, jwtKeysFile)
	}
}

func newTestIssuer(t *testing.T, now func() time.Time) (*Issuer, *KeyRing) {
	t.Helper()
	k, err := LoadKeyRing(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return NewIssuer(k, "https://authlab.test", "authlab-api", 15*time.Minute, now), k
}

func TestIssuerRefusesBadTokens(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	iss, keys := newTestIssuer(t, now)
	good, claims, err := iss.Issue("learner-42")
	if err != nil {
		t.Fatal(err)
	}
	got, err := iss.Verify(good)
	if err != nil || got.Subject != "learner-42" || got.ID != claims.ID {
		t.Fatalf("Verify(good) = %+v, %v", got, err)
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.RegisteredClaims, kid string) string {
		tok := jwt.NewWithClaims(m, c)
		if kid != "" {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := claims.RegisteredClaims
	with := func(f func(*jwt.RegisteredClaims)) jwt.RegisteredClaims { c := base; f(&c); return c }
	kid := keys.Signing().ID
	priv := keys.Signing().private
	pub := keys.Signing().Public()
	noneTok := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, base, kid)
	// Algorithm confusion: HS256 with the public key bytes as the secret.
	confused := sign(jwt.SigningMethodHS256, []byte(pub), base, kid)
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tamperedPayload := strings.Replace(string(payload), "learner-42", "learner-43", 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tamperedPayload)) + "." + parts[2]

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"expired", sign(jwt.SigningMethodEdDSA, priv, with(func(c *jwt.RegisteredClaims) {
			c.ExpiresAt = jwt.NewNumericDate(clock.Add(-time.Minute))
		}), kid), ErrTokenExpired},
		{"no exp", sign(jwt.SigningMethodEdDSA, priv, with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil }), kid), ErrTokenInvalid},
		{"wrong aud", sign(jwt.SigningMethodEdDSA, priv, with(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other"} }), kid), ErrTokenInvalid},
		{"wrong iss", sign(jwt.SigningMethodEdDSA, priv, with(func(c *jwt.RegisteredClaims) { c.Issuer = "https://evil.test" }), kid), ErrTokenInvalid},
		{"issued in the future", sign(jwt.SigningMethodEdDSA, priv, with(func(c *jwt.RegisteredClaims) {
			c.IssuedAt = jwt.NewNumericDate(clock.Add(time.Hour))
		}), kid), ErrTokenInvalid},
		{"alg none", noneTok, ErrTokenInvalid},
		{"HS256 with the public key", confused, ErrTokenInvalid},
		{"other key, our kid", sign(jwt.SigningMethodEdDSA, otherPriv, base, kid), ErrTokenInvalid},
		{"unknown kid", sign(jwt.SigningMethodEdDSA, priv, base, "nope"), ErrTokenInvalid},
		{"no kid", sign(jwt.SigningMethodEdDSA, priv, base, ""), ErrTokenInvalid},
		{"tampered payload", tampered, ErrTokenInvalid},
		{"garbage", "not-a-token", ErrTokenMalformed},
		{"too long", strings.Repeat("a.", MaxTokenLen), ErrTokenMalformed},
		{"bad base64", "a.b.c", ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := iss.Verify(tt.token); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	// Within the leeway an expired token still passes; beyond it, not.
	clock = clock.Add(15*time.Minute + Leeway/2)
	if _, err := iss.Verify(good); err != nil {
		t.Errorf("token inside the leeway refused: %v", err)
	}
	clock = clock.Add(Leeway)
	if _, err := iss.Verify(good); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("token past the leeway: %v, want ErrTokenExpired", err)
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	clock := time.Unix(1000, 0)
	l := NewLimiter(3, 10*time.Second, func() time.Time { return clock })
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("attempt %d refused inside the burst", i+1)
		}
	}
	ok, wait := l.Allow("alice")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v, want refused with a wait ≤10s", ok, wait)
	}
	if ok, _ := l.Allow("bob"); !ok {
		t.Error("another key was limited")
	}
	clock = clock.Add(wait)
	if ok, _ := l.Allow("alice"); !ok {
		t.Error("refused after waiting the time it said")
	}
	if RetryAfterSeconds(1500*time.Millisecond) != 2 || RetryAfterSeconds(0) != 1 {
		t.Error("RetryAfterSeconds rounds wrong")
	}
}

func FuzzVerify(f *testing.F) {
	iss, _ := newTestIssuerF(f)
	good, _, _ := iss.Issue("x")
	for _, s := range []string{good, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", strings.Repeat(".", 10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := iss.Verify(s)
		if err == nil && (c == nil || c.Subject == "") {
			t.Fatal("verified without claims")
		}
		if err != nil && !errors.Is(err, ErrTokenMalformed) && !errors.Is(err, ErrTokenExpired) && !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("unexpected error class %v", err)
		}
	})
}

func newTestIssuerF(f *testing.F) (*Issuer, *KeyRing) {
	k, err := LoadKeyRing(f.TempDir(), time.Now())
	if err != nil {
		f.Fatal(err)
	}
	return NewIssuer(k, "https://authlab.test", "authlab-api", 15*time.Minute, nil), k
}

func BenchmarkVerify(b *testing.B) {
	k, _ := LoadKeyRing(b.TempDir(), time.Now())
	iss := NewIssuer(k, "https://authlab.test", "authlab-api", 15*time.Minute, nil)
	tok, _, _ := iss.Issue("learner")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// A burst of sign-ins holds at most as many argon2id computations (19 MiB
// each) at once as the Hasher has slots; the rest wait their turn. The
// Hasher is the test's own, so the test runs in parallel with the others.
func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	for _, slots := range []int{1, 2} {
		h := NewHasher(slots)
		var wg sync.WaitGroup
		for range 4 * slots {
			wg.Go(func() { h.DummyVerify("a password") })
		}
		wg.Wait()
		if peak := int(h.peak.Load()); peak > slots || peak < 1 {
			t.Errorf("%d slots: %d hashes ran at once, want 1..%d", slots, peak, slots)
		}
	}
	if h := NewHasher(0); cap(h.slots) < 2 {
		t.Errorf("NewHasher(0) has %d slots, want at least 2", cap(h.slots))
	}
}

// Take's giveBack returns the attempt, once: a key whose attempts all
// succeed is never limited, and a bucket never holds more than its burst.
func TestLimiterGiveBack(t *testing.T) {
	t.Parallel()
	clock := time.Unix(1000, 0)
	l := NewLimiter(3, 10*time.Second, func() time.Time { return clock })
	for i := range 10 {
		ok, _, giveBack := l.Take("room")
		if !ok {
			t.Fatalf("attempt %d refused although every earlier one was given back", i+1)
		}
		giveBack()
	}
	_, _, first := l.Take("room")
	l.Take("room")
	first()
	first() // a second call gives nothing more back: 2 attempts left, not 3
	for range 2 {
		if ok, _ := l.Allow("room"); !ok {
			t.Fatal("refused with attempts left")
		}
	}
	if ok, wait := l.Allow("room"); ok || wait != 10*time.Second {
		t.Errorf("after the allowance: ok=%v wait=%v, want refused for 10s", ok, wait)
	}
}

// SignInLimits: guesses from one address lock only that address out of
// the account; many addresses meet the account's ceiling; a known device
// is limited on its own; success costs nothing.
func TestSignInLimits(t *testing.T) {
	t.Parallel()
	clock := time.Unix(1000, 0)
	l := NewSignInLimits(func() time.Time { return clock })
	fail := func(g Guess) bool { ok, _, _ := l.Take(g); return ok }
	for i := range 5 {
		if !fail(Guess{Account: "alice", Addr: "x"}) {
			t.Fatalf("guess %d from one address refused", i+1)
		}
	}
	if ok, wait, _ := l.Take(Guess{Account: "alice", Addr: "x"}); ok || wait != 30*time.Second {
		t.Errorf("6th guess from one address: ok=%v wait=%v, want refused for 30s", ok, wait)
	}
	for range 10 { // the owner elsewhere, signing in rightly, again and again
		ok, _, succeeded := l.Take(Guess{Account: "alice", Addr: "y"})
		if !ok {
			t.Fatal("the owner from another address was locked out")
		}
		succeeded()
	}
	refused := 0
	for i := range 30 {
		if !fail(Guess{Account: "alice", Addr: "z" + strconv.Itoa(i)}) {
			refused++
		}
	}
	if refused != 15 { // 20 at once, 5 of them used from "x"
		t.Errorf("%d of 30 guesses from 30 addresses refused, want 15 (ceiling 20)", refused)
	}
	if fail(Guess{Account: "alice", Addr: "fresh"}) {
		t.Error("an unknown browser got past the ceiling")
	}
	if !fail(Guess{Account: "alice", Addr: "fresh", Device: "d1"}) {
		t.Error("a known device was locked out by the ceiling")
	}
	if !fail(Guess{Account: "bob", Addr: "fresh"}) {
		t.Error("another account was limited")
	}
}
