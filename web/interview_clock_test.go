package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
)

// showQuestion opens question i of run p as a browser does: a question
// with a clock of its own is first sent to the URL that keeps when it was
// shown. It returns the page and the run as that URL holds it.
func showQuestion(t *testing.T, qc *quizClient, p interview.Run, i int) (*httptest.ResponseRecorder, interview.Run) {
	t.Helper()
	rec := qc.do(t, "GET", p.URL(i), nil)
	if rec.Code == http.StatusSeeOther {
		loc := rec.Header().Get("Location")
		p = runAt(t, qc.env, loc)
		rec = qc.do(t, "GET", loc, nil)
	}
	return rec, p
}

var remainingRe = regexp.MustCompile(`data-remaining="(\d+)"`)

// remaining is the seconds a question's page says are left on its timer.
func remaining(t *testing.T, body string) int {
	t.Helper()
	m := remainingRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no timer on the page:\n%.2000s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestInterviewQuestionClock (session 9, finding 1): a question's own
// clock starts when the question is first shown, and that moment is kept
// in the question's URL, as the run's start is in the run's: a reload
// shows the time left, not the full limit again, and an answer sent 35 s
// after a 30-second question first appeared is late however long the
// reloaded page says it was open.
func TestInterviewQuestionClock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=2&seed=2&timer=q30")

	before := time.Now().Truncate(time.Millisecond)
	rec := qc.do(t, "GET", p.URL(0), nil)
	after := time.Now()
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the first showing of a question with its own timer: %d, want 303 to a URL that keeps when it was shown", rec.Code)
	}
	stamped := runAt(t, env, rec.Header().Get("Location"))
	if stamped.Shown.Before(before) || stamped.Shown.After(after) || stamped.ID != p.ID {
		t.Errorf("shown %v, want between %v and %v", stamped.Shown, before, after)
	}

	// Shown 8 s ago, the page is reloaded: about 22 s are left, twice.
	p.Shown = time.Now().Add(-8 * time.Second)
	for range 2 {
		body := qc.do(t, "GET", p.ShownURL(0, p.Shown), nil).Body.String()
		if left := remaining(t, body); left > 22 || left < 15 {
			t.Errorf("8 s after the question was shown, a reload says %d s are left, want 22", left)
		}
	}

	// Shown 35 s ago: no time left, and an answer from the page reloaded 5
	// s ago is late, its time over the limit.
	p.Shown = time.Now().Add(-35 * time.Second)
	if left := remaining(t, qc.do(t, "GET", p.ShownURL(0, p.Shown), nil).Body.String()); left != 0 {
		t.Errorf("35 s after a 30-second question was shown, %d s are left", left)
	}
	form := rightAnswer(p.Qs[0], false)
	form.Set("elapsed", "5000")
	if r := answerRun(t, qc, p, 0, form); !r.Late || !strings.Contains(r.HTML, "Time was up.") {
		t.Errorf("an answer 35 s after the question was shown, 5 s after a reload, is not late: %+v", r)
	}
	sum := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	if !regexp.MustCompile(`<span>0:3[5-9]</span><span class="summary-late">`).MatchString(sum) {
		t.Errorf("the summary does not give the late answer its 35 s:\n%.3000s", sum)
	}

	// An answered question shows no clock, so it is not sent on; nor is a
	// question of an untimed run or of one with a timer for the whole run.
	if rec := qc.do(t, "GET", p.URL(0), nil); rec.Code != http.StatusOK {
		t.Errorf("an answered question: %d", rec.Code)
	}
	for _, start := range []string{"/interview/drill?n=1&seed=2", "/interview/drill?n=1&seed=2&timer=d600"} {
		r := startRun(t, qc, start)
		if rec := qc.do(t, "GET", r.URL(0), nil); rec.Code != http.StatusOK {
			t.Errorf("%s: the question's page is %d, want 200", start, rec.Code)
		}
	}
}

// TestInterviewAnswerTimes (session 9, findings 4 and 5): the summary
// gives a late answer a time over the limit, never the limit itself
// (60.001 s with "1:00 per question" is 1:01, not 1:00), and an answer
// under a second says so instead of showing no time.
func TestInterviewAnswerTimes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=2&seed=5&timer=q60")
	late := rightAnswer(p.Qs[0], false)
	late.Set("elapsed", "60001")
	if r := answerRun(t, qc, p, 0, late); !r.Late {
		t.Fatalf("an answer after 60.001 s of 60 is not late: %+v", r)
	}
	quick := rightAnswer(p.Qs[1], false)
	quick.Set("elapsed", "400")
	answerRun(t, qc, p, 1, quick)
	sum := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	if !strings.Contains(sum, `<span>1:01</span><span class="summary-late">`) || strings.Contains(sum, "<span>1:00</span>") {
		t.Errorf("a late answer does not show a time over the 1:00 limit:\n%.3000s", sum)
	}
	if !strings.Contains(sum, "<span>under 1 s</span>") {
		t.Errorf("an answer in 0.4 s shows no time:\n%.3000s", sum)
	}
}

// TestInterviewPercentAndPlural (session 9, findings 3 and 6): the run's
// summary and the stats round a percentage the same way (2 of 3 right is
// 67% on both), and the stats say "1 answer", not "1 answers".
func TestInterviewPercentAndPlural(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	qs := env.catalog.Bank.Select(quiz.Filter{Types: []quiz.Type{quiz.Single}, InterviewOnly: true})
	if len(qs) < 3 {
		t.Fatalf("%d single-choice interview questions, want 3", len(qs))
	}
	p := interview.Run{Kind: interview.KindDrill, ID: "PERCENTRUN1", Qs: qs[:3], Start: time.Now().UTC().Truncate(time.Second)}

	answerRun(t, qc, p, 0, rightAnswer(qs[0], false))
	stats := qc.do(t, "GET", "/interview/stats", nil).Body.String()
	if !strings.Contains(stats, `<span class="muted">of 1 answer</span>`) || strings.Contains(stats, "1 answers") {
		t.Errorf("the stats after one answer:\n%.3000s", stats)
	}

	answerRun(t, qc, p, 1, rightAnswer(qs[1], false))
	answerRun(t, qc, p, 2, wrongAnswer(qs[2]))
	sum := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	stats = qc.do(t, "GET", "/interview/stats", nil).Body.String()
	if !strings.Contains(sum, "<strong>67%</strong>") {
		t.Errorf("the summary of 2 right of 3 does not say 67%%:\n%.3000s", sum)
	}
	if !strings.Contains(stats, `<strong>67%</strong> <span class="muted">of 3 answers</span>`) {
		t.Errorf("the stats of 2 right of 3 do not say 67%% of 3 answers:\n%.3000s", stats)
	}
}
