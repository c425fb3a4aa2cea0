package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestInterviewLateAnswer (issue 20 item 6): an answer sent after the
// timer ran out is graded all the same, says that time was up, with and
// without JavaScript, and counts as late in the run's summary and in
// the stats; one in time says nothing of the sort.
func TestInterviewLateAnswer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	const note = "Time was up."

	// A 30-second timer per question: 45 s on the first question is late,
	// 12 s on the second is not.
	p := startRun(t, qc, "/interview/drill?n=3&seed=2&timer=q30")
	late := rightAnswer(p.Qs[0], false)
	late.Set("elapsed", "45000")
	r := answerRun(t, qc, p, 0, late)
	if !r.Late || !r.Correct || !strings.Contains(r.HTML, note) || !strings.Contains(r.HTML, "0:30 per question") {
		t.Errorf("a late answer: late %v correct %v\n%s", r.Late, r.Correct, r.HTML)
	}
	onTime := rightAnswer(p.Qs[1], false)
	onTime.Set("elapsed", "12000")
	if r := answerRun(t, qc, p, 1, onTime); r.Late || strings.Contains(r.HTML, note) {
		t.Errorf("an answer in time is marked late: %+v", r)
	}
	// Without JavaScript, the question's page says it too.
	if body := qc.do(t, "GET", p.URL(0), nil).Body.String(); !strings.Contains(body, note) {
		t.Error("the answered question's page does not say time was up")
	}
	if body := qc.do(t, "GET", p.URL(1), nil).Body.String(); strings.Contains(body, note) {
		t.Error("an answer in time says time was up")
	}
	sum := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	if !strings.Contains(sum, "<dt>Late</dt><dd>1 of 2") || strings.Count(sum, `class="summary-late"`) != 1 {
		t.Errorf("the summary does not count the late answer:\n%.3000s", sum)
	}

	// A whole-run timer that ran out an hour ago, answered without
	// JavaScript (no elapsed time at all).
	whole := startRun(t, qc, "/interview/drill?n=1&seed=3&timer=d600")
	whole.Start = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	rec := qc.do(t, "POST", whole.AnswerURL(0), wrongAnswer(whole.Qs[0]))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("plain answer: %d %s", rec.Code, rec.Body)
	}
	body := qc.do(t, "GET", whole.URL(0), nil).Body.String()
	if !strings.Contains(body, note) || !strings.Contains(body, "10:00 for the whole run") || !regexp.MustCompile(`quiz-result-(wrong|partial)`).MatchString(body) {
		t.Errorf("a late answer to a whole-run timer:\n%.3000s", body)
	}

	stats := qc.do(t, "GET", "/interview/stats", nil).Body.String()
	if !strings.Contains(stats, "<dt>Late answers</dt><dd><strong>2</strong>") {
		t.Errorf("the stats do not count 2 late answers:\n%.3000s", stats)
	}
	// An untimed run is never late, however long it took.
	free := startRun(t, qc, "/interview/drill?n=1&seed=4")
	slow := rightAnswer(free.Qs[0], false)
	slow.Set("elapsed", "3600000")
	if r := answerRun(t, qc, free, 0, slow); r.Late {
		t.Error("an untimed answer is late")
	}
}
