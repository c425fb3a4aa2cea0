package content_test

import (
	"strings"
	"testing"

	"github.com/authlab/authlab/quiz"
)

// Issue 19's corrections, pinned so a later edit cannot quietly bring
// the old, wrong answer back.

// A session ID you generate carries at least 128 random bits; OWASP's
// 64-bit floor assumes throttled online guessing and is marked wrong,
// in the lesson and in the quick-fire bank alike.
func TestSessionEntropyIs128Bits(t *testing.T) {
	cat := load(t)
	for _, id := range []string{"sessions-id-entropy", "iv-qf-session-entropy"} {
		q, ok := cat.Bank.Question(id)
		if !ok {
			t.Fatalf("%s: missing", id)
		}
		for text, want := range map[string]bool{"128": true, "64": false, "64 bits": false} {
			r, err := quiz.Grade(q, quiz.Answer{Text: text})
			if err != nil {
				t.Fatalf("%s: grading %q: %v", id, text, err)
			}
			if r.Correct != want {
				t.Errorf("%s: %q graded correct=%v, want %v", id, text, r.Correct, want)
			}
		}
	}
}

// RFC 8725 §3.1: the key is found by kid, then its one algorithm is
// checked; the canonical order puts the key lookup first.
func TestVerifyOrderSelectsKeyBeforeAlg(t *testing.T) {
	cat := load(t)
	q, ok := cat.Bank.Question("jwt-anatomy-verify-order")
	if !ok {
		t.Fatal("jwt-anatomy-verify-order: missing")
	}
	kid, alg := -1, -1
	for i, it := range q.Items {
		if strings.Contains(it, "`kid`") && kid < 0 {
			kid = i
		}
		if strings.Contains(it, "`alg`") && alg < 0 {
			alg = i
		}
	}
	if kid < 0 || alg < 0 || kid > alg {
		t.Errorf("items %q: want the kid lookup before the alg check", q.Items)
	}
}

// Trivia and duplicates removed by issue 19 stay removed.
func TestRemovedTriviaStaysRemoved(t *testing.T) {
	cat := load(t)
	for _, id := range []string{
		"size-and-cost-cookie-limit", // the 4096-byte limit: lesson 03 asks it
		"iv-qf-cookie-limit",
		"iv-qf-host-prefix", // __Host-: lesson 03 asks it
		"iv-revoke-jwt",     // same prompt as interview-ready-revoke-jwt
		"choosing-questions-order",
		"iv-qf-cookie-expiry-server", // = sessions-cookie-expiry-enough
		"iv-qf-jwt-encoding",         // = jwt-anatomy-base64url
		"iv-qf-exp-unit",             // = jwt-anatomy-numericdate
	} {
		if _, ok := cat.Bank.Question(id); ok {
			t.Errorf("%s is back in the course", id)
		}
	}
}
