package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestWholeRunTimer: a timer for the whole run counts down from when the
// run started, keeps running after an answer, and the summary says when
// the run went over it.
func TestWholeRunTimer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=2&seed=1&timer=d600")
	if p.Timer != 600 || !p.Whole {
		t.Fatalf("run %+v", p)
	}
	body := qc.do(t, "GET", p.URL(0), nil).Body.String()
	if !strings.Contains(body, `data-seconds="600" data-remaining="`) || !strings.Contains(body, "data-whole") || !strings.Contains(body, "10:00 for the whole run") {
		t.Errorf("whole-run timer missing:\n%.2000s", body)
	}
	// A run that started an hour ago has no time left, and stays timed
	// after an answer.
	late := p
	late.Start = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	if body := qc.do(t, "GET", late.URL(0), nil).Body.String(); !strings.Contains(body, `data-remaining="0"`) {
		t.Error("an hour-old run still has time left")
	}
	answerRun(t, qc, late, 0, rightAnswer(late.Qs[0], false))
	if body := qc.do(t, "GET", late.URL(0), nil).Body.String(); !strings.Contains(body, "data-timer ") {
		t.Error("the whole-run timer went away after an answer")
	}
	if sum := qc.do(t, "GET", late.SummaryURL(), nil).Body.String(); !strings.Contains(sum, "Over time") || !strings.Contains(sum, "limit 10:00 for the whole run") {
		t.Errorf("summary of a late run:\n%.2000s", sum)
	}
	// A per-question timer is gone once the question is answered.
	q := startRun(t, qc, "/interview/drill?n=1&seed=1&timer=q30")
	answerRun(t, qc, q, 0, rightAnswer(q.Qs[0], false))
	if body := qc.do(t, "GET", q.URL(0), nil).Body.String(); strings.Contains(body, "data-timer ") {
		t.Error("an answered question still shows its timer")
	}
}

// TestInterviewHostileInput: broken bodies and garbage in run URLs get an
// answer below 500 with a reason.
func TestInterviewHostileInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=2&seed=1")
	big := strings.Repeat("A", 1<<20)
	for _, body := range []struct{ ctype, body string }{
		{"application/x-www-form-urlencoded", "%zz%"}, {"application/x-www-form-urlencoded", big},
		{"application/x-www-form-urlencoded", "choice=\xff\xfe&key=\xc3\x28"}, {"application/x-www-form-urlencoded", strings.Repeat("a=b&", 20000)},
		{"application/x-www-form-urlencoded", "open=" + url.QueryEscape(strings.Repeat("x", 5000)) + "&rating=3"},
		{"application/json", "{"}, {"multipart/form-data; boundary=x", "--x\r\nbroken"}, {"", ""},
	} {
		for _, path := range []string{p.AnswerURL(0), p.AnswerURL(1), "/interview/practice/answer", "/interview/practice/answer?kind=mock&id=x"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body.body))
			if body.ctype != "" {
				req.Header.Set("Content-Type", body.ctype)
			}
			rec := httptest.NewRecorder()
			env.srv.ServeHTTP(rec, req)
			if rec.Code >= 500 || rec.Code < 400 || rec.Body.Len() == 0 {
				t.Errorf("POST %.60s (%s, %d bytes): %d", path, body.ctype, len(body.body), rec.Code)
			}
		}
	}
	many := strings.Repeat("iv-jwt-structure,", 60)
	for _, path := range []string{
		"/interview/practice?%zz", "/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=" + many,
		"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=iv-jwt-structure&i=-1",
		"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=iv-jwt-structure&whole=yes",
		"/interview/summary?kind=due&id=" + strings.Repeat("a", 40) + "&at=1&q=a", "/interview/drill?n=" + strings.Repeat("9", 30),
		"/interview/mock?timer=d99999999999999999999", "/interview/cheatsheet?topic=" + strings.Repeat("x", 5000),
	} {
		rec := env.do(t, "GET", path, nil)
		if rec.Code >= 500 || rec.Code < 400 || rec.Body.Len() == 0 {
			t.Errorf("GET %.80s: %d", path, rec.Code)
		}
	}
}
