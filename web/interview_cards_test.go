package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
)

// homeForm is the part of /interview's HTML that holds the form posting
// to action, up to the end of that form.
func homeForm(t *testing.T, home, action string) string {
	t.Helper()
	i := strings.Index(home, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("/interview has no form for %s", action)
	}
	j := strings.Index(home[i:], "</form>")
	if j < 0 {
		t.Fatalf("the form for %s does not end", action)
	}
	return home[i : i+j]
}

var topicOptionRE = regexp.MustCompile(`name="topic" value="([^"]+)"> [^<]* <span class="muted">(\d+)</span>`)

// formTopics reads the topics a form offers, with their counts.
func formTopics(t *testing.T, form string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range topicOptionRE.FindAllStringSubmatch(form, -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	if len(out) == 0 {
		t.Fatalf("a form lists no topic:\n%.600s", form)
	}
	return out
}

// TestInterviewTopicsPerKind: each card on /interview lists only the
// topics its own kind of question has, with that kind's count — the drill
// the graded questions, the mock interview and the cheat sheet the open
// prompts — so every topic offered starts a run or fills a sheet.
func TestInterviewTopicsPerKind(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	bank := env.catalog.Bank
	want := func(types []quiz.Type) map[string]int {
		m := map[string]int{}
		for _, q := range bank.Select(quiz.Filter{Types: types, InterviewOnly: true}) {
			for _, tp := range q.Topics {
				m[tp]++
			}
		}
		return m
	}
	graded, open := want(interview.GradedTypes), want([]quiz.Type{quiz.Open})
	home := env.do(t, "GET", "/interview", nil).Body.String()
	for _, tc := range []struct {
		action, start string
		want          map[string]int
	}{
		{"/interview/drill", "/interview/drill?n=10&topic=", graded},
		{"/interview/mock", "/interview/mock?topic=", open},
		{"/interview/cheatsheet", "", open},
	} {
		got := formTopics(t, homeForm(t, home, tc.action))
		for tp, n := range got {
			if tc.want[tp] != n {
				t.Errorf("%s offers %s with %d questions, want %d", tc.action, tp, n, tc.want[tp])
			}
		}
		for tp := range tc.want {
			if _, ok := got[tp]; !ok {
				t.Errorf("%s does not offer %s", tc.action, tp)
			}
		}
		// Every topic offered works.
		for tp := range got {
			if tc.start != "" {
				if rec := env.do(t, "GET", tc.start+url.QueryEscape(tp), nil); rec.Code != http.StatusSeeOther {
					t.Errorf("%s%s: %d, want a run\n%.300s", tc.start, tp, rec.Code, rec.Body)
				}
				continue
			}
			body := env.do(t, "GET", "/interview/cheatsheet?topic="+url.QueryEscape(tp), nil).Body.String()
			if strings.Contains(body, "· 0 prompts") || !strings.Contains(body, `class="cheatsheet-item"`) {
				t.Errorf("the cheat sheet for %s is empty", tp)
			}
		}
	}
	// The ones QA met: zero-trust has no graded question, these no open
	// prompt.
	drill := formTopics(t, homeForm(t, home, "/interview/drill"))
	mock := formTopics(t, homeForm(t, home, "/interview/mock"))
	sheet := formTopics(t, homeForm(t, home, "/interview/cheatsheet"))
	if _, ok := drill["zero-trust"]; ok && graded["zero-trust"] == 0 {
		t.Error("the drill offers zero-trust")
	}
	for _, tp := range []string{"entropy", "hijacking", "http", "httponly", "introspection", "paseto", "sec-fetch-site"} {
		if open[tp] > 0 {
			continue
		}
		if _, ok := mock[tp]; ok {
			t.Errorf("the mock interview offers %s", tp)
		}
		if _, ok := sheet[tp]; ok {
			t.Errorf("the cheat sheet offers %s", tp)
		}
	}
}

// TestInterviewNothingDue: back from /interview/due with nothing due,
// the home page says so once, and truthfully: with cards, that they come
// back later; without, that answers make them.
func TestInterviewNothingDue(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	check := func(when string, want, not []string) {
		t.Helper()
		body := qc.do(t, "GET", "/interview?due=none", nil).Body.String()
		i := strings.Index(body, `id="due-title"`)
		j := strings.Index(body, `id="drill-title"`)
		if i < 0 || j < i {
			t.Fatalf("%s: no due card", when)
		}
		card := body[i:j]
		if n := strings.Count(card, "Nothing is due"); n != 1 {
			t.Errorf("%s: %d “Nothing is due” lines, want 1:\n%s", when, n, card)
		}
		if n := strings.Count(card, `role="status"`); n != 1 {
			t.Errorf("%s: %d status lines, want 1:\n%s", when, n, card)
		}
		for _, w := range want {
			if !strings.Contains(card, w) {
				t.Errorf("%s: the due card does not say %q:\n%s", when, w, card)
			}
		}
		for _, w := range not {
			if strings.Contains(card, w) {
				t.Errorf("%s: the due card says %q:\n%s", when, w, card)
			}
		}
	}
	check("no cards", []string{"no cards yet", "Every question you answer becomes a card"},
		[]string{"New cards come from every question you answer", "cards come back"})

	p := startRun(t, qc, "/interview/drill?n=2&seed=3")
	for i, q := range p.Qs {
		answerRun(t, qc, p, i, rightAnswer(q, false))
	}
	if rec := qc.do(t, "GET", "/interview/due", nil); rec.Header().Get("Location") != "/interview?due=none" {
		t.Fatalf("/interview/due with new cards: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	check("two cards", []string{"Your 2 cards come back when they are due"},
		[]string{"New cards come from every question you answer", "no cards yet", "Every question you answer becomes a card"})
}

// TestInterviewSummaryScore: the score and "Correct n of N" count the
// same questions — all of the run's — so one right, one wrong and one
// unanswered is 33%, not the 50% of the answered ones.
func TestInterviewSummaryScore(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=3&seed=9")
	right := answerRun(t, qc, p, 0, rightAnswer(p.Qs[0], false))
	wrong := answerRun(t, qc, p, 1, wrongAnswer(p.Qs[1]))
	// A wrong answer may still earn part marks (an order question's
	// worst order keeps some items in place): the mean is over all three.
	mean := fmt.Sprintf("<strong>%d%%</strong>", int(math.Round((right.Score+wrong.Score)/3*100)))
	body := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	for _, w := range []string{mean, "unanswered count as 0", "<dd>1 of 3</dd>", "<dd>2 of 3</dd>"} {
		if !strings.Contains(body, w) {
			t.Errorf("summary lacks %q:\n%.1500s", w, body)
		}
	}
	answerRun(t, qc, p, 2, rightAnswer(p.Qs[2], false))
	body = qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	if !strings.Contains(body, fmt.Sprintf("<strong>%d%%</strong>", int(math.Round((2+wrong.Score)/3*100)))) || !strings.Contains(body, "<dd>2 of 3</dd>") || strings.Contains(body, "unanswered count") {
		t.Errorf("summary of a finished run:\n%.1500s", body)
	}
}

// TestInterviewCheatsheetLevels: the cheat sheet names its levels as
// the rest of the site does.
func TestInterviewCheatsheetLevels(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for path, want := range map[string]string{
		"/interview/cheatsheet?level=3":           "· Level: Deep dive ·",
		"/interview/cheatsheet?level=3&level=1":   "· Levels: Basics, Deep dive ·",
		"/interview/cheatsheet?level=2&topic=jwt": "· Level: Practitioner ·",
	} {
		body := env.do(t, "GET", path, nil).Body.String()
		if !strings.Contains(body, want) || strings.Contains(body, "levels 3") {
			i := strings.Index(body, "cheatsheet-scope")
			t.Errorf("%s: want %q in %.200s", path, want, body[max(i, 0):])
		}
	}
}
