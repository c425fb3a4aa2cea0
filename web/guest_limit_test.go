package web

import (
	"net/http"
	"testing"

	"github.com/authlab/authlab/quiz"
)

// TestGuestCreationLimited: a classroom of 300 behind one address all
// answer without cookies and keep their progress; a script's 1,000
// cookie-less answers from one address are limited (429, Retry-After),
// and the classroom, who have sessions by then, still answer.
func TestGuestCreationLimited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	path := quizPath(l, q)
	answer := func(v *visitor) int {
		v.t.Helper()
		return v.post(path, rightAnswer(q, false)).Code
	}
	const room = 300
	class := make([]*visitor, room)
	for i := range class {
		class[i] = newVisitor(t, env, "198.51.100.20")
		if code := answer(class[i]); code >= 400 {
			t.Fatalf("learner %d of a room behind one address: %d", i+1, code)
		}
	}
	limited, first := 0, 0
	var retry string
	for i := range 1000 {
		rec := newVisitor(t, env, "203.0.113.9").post(path, rightAnswer(q, false))
		if rec.Code == http.StatusTooManyRequests {
			if limited == 0 {
				first, retry = i+1, rec.Header().Get("Retry-After")
			}
			limited++
		} else if rec.Code >= 400 {
			t.Fatalf("cookie-less answer %d: %d", i+1, rec.Code)
		}
	}
	if limited < 400 || retry == "" {
		t.Fatalf("1,000 cookie-less answers from one address: %d limited (first at %d, Retry-After %q), want most of them", limited, first, retry)
	}
	t.Logf("limited from answer %d on; %d of 1000", first, limited)
	for i, v := range class {
		if code := answer(v); code >= 400 {
			t.Fatalf("learner %d again, with their session: %d", i+1, code)
		}
	}
}
