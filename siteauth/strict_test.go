package siteauth

import (
	"strings"
	"testing"
)

// TestIssuerRefusesNonCanonicalSignature: an Ed25519 signature is 64
// bytes, 86 base64url characters whose last one carries 4 unused bits.
// Changing those bits spells the same bytes differently; RFC 7515 §2 uses
// base64url without padding, and one token must have one spelling.
func TestIssuerRefusesNonCanonicalSignature(t *testing.T) {
	iss, _ := newTestIssuer(t, nil)
	tok, _, err := iss.Issue("learner-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Verify(tok); err != nil {
		t.Fatalf("the canonical token is refused: %v", err)
	}
	dot := strings.LastIndexByte(tok, '.')
	sig := tok[dot+1:]
	if len(sig) != 86 {
		t.Fatalf("signature is %d characters, want 86", len(sig))
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, sig[85])
	// The last character holds 2 significant bits and 4 that must be zero.
	for low := 1; low < 16; low++ {
		other := tok[:len(tok)-1] + string(alphabet[(last&^15)|low])
		if _, err := iss.Verify(other); err == nil {
			t.Fatalf("a non-canonical spelling of the signature (last character %q) verifies", other[len(other)-1])
		}
	}
}
