package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/quiz"
)

var heroRe = regexp.MustCompile(`(?s)<section class="hero">.*?</section>`)

// heroActions is the hero's primary buttons on the course map, as text.
func heroActions(t *testing.T, body string) []string {
	t.Helper()
	hero := heroRe.FindString(body)
	if hero == "" {
		t.Fatal("the course map has no hero section")
	}
	var out []string
	for _, m := range regexp.MustCompile(`class="button button-primary"[^>]*>([^<]*)<`).FindAllStringSubmatch(hero, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// The course map always offers exactly one next step: Start, or Resume
// at an unfinished lesson, never at a completed one.
func TestMapOffersOneNextStep(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	cat := env.catalog
	first, second := cat.Lessons[0], cat.Lessons[1]
	want := func(step string) {
		t.Helper()
		home := qc.do(t, "GET", "/", nil).Body.String()
		if got := heroActions(t, home); len(got) != 1 || got[0] != step {
			t.Errorf("the map offers %q, want just %q", got, step)
		}
	}
	want("Start with “" + first.Title + "”")

	// A guest answers one quiz of lesson 1 (the first page view recorded
	// nothing: the guest did not exist yet).
	q := first.Quizzes[0]
	qc.answerJSON(t, first, q, wrongAnswer(q))
	want("Resume: “" + first.Title + "”")
	home := qc.do(t, "GET", "/", nil).Body.String()
	if !strings.Contains(home, `href="/lessons/`+first.Slug+`#quiz-`+q.ID+`"`) {
		t.Error("Resume does not lead back to the quiz answered")
	}
	if !regexp.MustCompile(`(?s)<li class="lesson-item is-started">\s*<a class="lesson-link" href="/lessons/` + first.Slug + `"`).MatchString(home) {
		t.Error("lesson 1 is not marked started after an answer")
	}

	// Completed, and still the lesson last visited: Resume moves on.
	qc.do(t, "POST", "/lessons/"+first.Slug+"/complete", url.Values{})
	want("Resume: “" + second.Title + "”")

	// Everything complete: no button to a completed lesson.
	for _, l := range cat.Lessons {
		qc.do(t, "POST", "/lessons/"+l.Slug+"/complete", url.Values{})
	}
	home = qc.do(t, "GET", "/", nil).Body.String()
	if got := heroActions(t, home); len(got) != 0 || !strings.Contains(home, "You completed every lesson") {
		t.Errorf("with the course complete the map offers %q", got)
	}
}

// The answer that completes a lesson brings the completed state of the
// lesson's progress panel, so the page stops offering "Mark this lesson
// complete" without a reload.
func TestQuizAnswerBringsCompletionPanel(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	l := env.catalog.Lessons[2]
	qc := newQuizClient(env)
	for i, q := range l.Quizzes {
		rec := qc.do(t, "POST", quizPath(l, q), rightAnswer(q, false), "Accept", "application/json")
		var r struct {
			LessonComplete bool   `json:"lesson_complete"`
			CompletionHTML string `json:"completion_html"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		last := i == len(l.Quizzes)-1
		if got := strings.Contains(r.CompletionHTML, "You completed this lesson"); got != last {
			t.Fatalf("after %d of %d right: completion panel sent = %v", i+1, len(l.Quizzes), got)
		}
		if last && strings.Contains(r.CompletionHTML, "Mark this lesson complete") {
			t.Error("the completion panel still offers to complete the lesson")
		}
	}
	page := qc.do(t, "GET", "/lessons/"+l.Slug, nil).Body.String()
	if !strings.Contains(page, `data-lesson-completion`) {
		t.Error("the lesson page has no completion panel for quiz.js to update")
	}
}

// Without JavaScript, an answer that does not fit the question comes
// back to the lesson (400) at that quiz, with the reason beside it and
// what the learner entered kept; it never leaves for a bare error page.
func TestQuizInvalidAnswerWithoutJS(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	l, q := firstOfType(t, env.catalog, quiz.Multi)

	rec := qc.do(t, "POST", quizPath(l, q), url.Values{"key": {rand32()}, "step": {"grade"}})
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("an empty multi answer: %d, want 400", rec.Code)
	}
	body := rec.Body.String()
	sec := quizSection(t, body, q.ID)
	if !strings.Contains(body, "<h1") || !strings.Contains(sec, `class="quiz-error" role="alert"`) || !strings.Contains(sec, "No answer was given") {
		t.Errorf("the lesson page does not come back with the reason at the quiz:\n%s", sec)
	}

	// An unknown choice beside a real one: the real one stays ticked.
	kept := q.Choices[0].Key
	rec = qc.do(t, "POST", quizPath(l, q), url.Values{"key": {rand32()}, "step": {"grade"}, "choice": {kept, "nope"}})
	sec = quizSection(t, rec.Body.String(), q.ID)
	if rec.Code != http.StatusBadRequest || !strings.Contains(sec, `value="`+kept+`" checked`) {
		t.Errorf("status %d; the choice given is not kept:\n%s", rec.Code, sec)
	}

	// The fetch path still gets a problem document.
	if rec := qc.do(t, "POST", quizPath(l, q), url.Values{"key": {rand32()}, "step": {"grade"}}, "Accept", "application/json"); rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "<h1") {
		t.Errorf("JSON path: %d %s", rec.Code, rec.Body)
	}
}

// One right and one wrong choice earn explained partial credit, as a
// match or order question with some pieces right does.
func TestMultiPartialCreditExplained(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	l, q := firstOfType(t, env.catalog, quiz.Multi)
	f := url.Values{"key": {rand32()}, "step": {"grade"}}
	var right, wrong bool
	for _, c := range q.Choices {
		if c.Correct && !right {
			f.Add("choice", c.Key)
			right = true
		} else if !c.Correct && !wrong {
			f.Add("choice", c.Key)
			wrong = true
		}
	}
	r := qc.answerJSON(t, l, q, f)
	if r.Verdict != "partial" || r.Score <= 0 || r.Score >= 1 {
		t.Fatalf("one right, one wrong: verdict %q score %v", r.Verdict, r.Score)
	}
	if !strings.Contains(r.HTML, "Partly right") || !strings.Contains(r.HTML, "and picked 1 wrong one") || !strings.Contains(r.HTML, "judged right") {
		t.Errorf("the partial credit is not explained:\n%s", r.HTML)
	}
}
