package web

import (
	"context"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// An interview-bank question sits in no lesson. Missed, it is listed
// under "To revisit" like any quiz, so it needs a way to be answered
// again: a one-question practice run (an open prompt as a mock
// interview), said to be an interview question.
func TestReviewBankQuestionsCanBeRevisited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	qc.answerJSON(t, l, q, wrongAnswer(q)) // the learner exists now
	learner := qc.learner(t)

	bank := map[string]*quiz.Question{} // the first graded and the first open bank-only question
	for _, bq := range env.catalog.Bank.All() {
		if _, inLesson := env.catalog.LessonOf(bq.ID); inLesson {
			continue
		}
		kind := interview.KindDrill
		if slices.Contains(interview.OpenTypes, bq.Type) {
			kind = interview.KindMock
		}
		if bank[kind] == nil {
			bank[kind] = bq
		}
	}
	if len(bank) != 2 {
		t.Fatalf("the shipped bank has no graded or no open question outside the lessons: %v", bank)
	}
	for _, bq := range bank {
		a := &progress.Answer{Attempt: progress.Attempt{LearnerID: learner, QuestionID: bq.ID, Source: interview.SourceDrill}}
		if _, err := env.store.RecordAnswer(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}

	body := qc.do(t, "GET", "/review", nil).Body.String()
	for kind, bq := range bank {
		link := regexp.MustCompile(`href="(/interview/practice\?kind=` + kind + `&amp;[^"]*q=` + regexp.QuoteMeta(bq.ID) + `&amp;i=0)"`).FindStringSubmatch(body)
		if link == nil {
			t.Errorf("review: the missed bank question %s has no %s practice link", bq.ID, kind)
			continue
		}
		rec := qc.do(t, "GET", html.UnescapeString(link[1]), nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "quiz-form") {
			t.Errorf("following the review's link to %s: %d, no question form", bq.ID, rec.Code)
		}
	}
	if n := strings.Count(body, "<span>Interview question</span>"); n != 2 {
		t.Errorf("review names %d questions as interview questions, want the 2 from the bank", n)
	}
}

// The review page says where spaced repetition lives: the learner who
// looks for "what is due" on Review is pointed to it.
func TestReviewPointsToDueCards(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if strings.Contains(env.do(t, "GET", "/review", nil).Body.String(), `href="/interview/due"`) {
		t.Error("a visitor with no answers, and so no cards, is sent to the due cards")
	}
	qc := newQuizClient(env)
	l, q := firstOfType(t, env.catalog, quiz.Single)
	qc.answerJSON(t, l, q, wrongAnswer(q))
	if body := qc.do(t, "GET", "/review", nil).Body.String(); !strings.Contains(body, `href="/interview/due"`) {
		t.Error("review does not link to the questions due for spaced repetition")
	}
}
