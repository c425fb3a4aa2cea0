package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authlab/authlab/interview"
)

// A module's mastery check starts from the course map; a learner who
// answers it with too few right is told so, and one who passes sees the
// module marked mastered on the map.
func TestModuleCheckMarksTheMap(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	mod := env.catalog.Modules[1]
	module := func(body string, n int) string { // the course map's card of module n (0-based)
		parts := strings.Split(body, `<li class="module">`)
		if len(parts) <= n+1 {
			t.Fatalf("the course map has %d modules", len(parts)-1)
		}
		return parts[n+1]
	}
	home := qc.do(t, "GET", "/", nil).Body.String()
	if card := module(home, 1); !strings.Contains(card, `href="/modules/2/check"`) || strings.Contains(card, "Mastered") {
		t.Fatalf("a visitor's map, module 2:\n%s", card)
	}

	sit := func(wrong int) interview.Run {
		t.Helper()
		r := startRun(t, qc, "/modules/2/check")
		if r.Kind != interview.KindModule || strings.Join(ids(r.Qs), ",") != strings.Join(ids(mod.Check), ",") {
			t.Fatalf("the module check asks %v, want %v", ids(r.Qs), ids(mod.Check))
		}
		for i, q := range r.Qs {
			form := rightAnswer(q, false)
			if i < wrong {
				form = wrongAnswer(q)
			}
			answerRun(t, qc, r, i, form)
		}
		return r
	}
	tooFew := len(mod.Check) - mod.MasteryNeed() + 1
	r := sit(tooFew)
	if sum := qc.do(t, "GET", r.SummaryURL(), nil).Body.String(); !strings.Contains(sum, "Not mastered yet") || !strings.Contains(sum, `href="/modules/2/check">Another try at this module check`) {
		t.Errorf("the summary of a failed check does not say so:\n%.3000s", sum)
	}
	if card := module(qc.do(t, "GET", "/", nil).Body.String(), 1); strings.Contains(card, "Mastered") {
		t.Fatalf("module 2 mastered with %d of %d wrong", tooFew, len(mod.Check))
	}

	r = sit(tooFew - 1)
	if sum := qc.do(t, "GET", r.SummaryURL(), nil).Body.String(); !strings.Contains(sum, "✓ Mastered") {
		t.Errorf("the summary of a passed check does not say so:\n%.3000s", sum)
	}
	home = qc.do(t, "GET", "/", nil).Body.String()
	if card := module(home, 1); !strings.Contains(card, "✓ Mastered") {
		t.Errorf("module 2 is not marked mastered after the check was passed:\n%s", card)
	}
	if card := module(home, 0); strings.Contains(card, "Mastered") {
		t.Errorf("module 1 is marked mastered too:\n%s", card)
	}

	for _, bad := range []string{"/modules/0/check", "/modules/99/check", "/modules/two/check"} {
		if rec := qc.do(t, "GET", bad, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, rec.Code)
		}
	}
}
