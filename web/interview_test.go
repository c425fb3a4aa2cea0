package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
)

// startRun follows a start link (/interview/drill, /mock, /due) and
// returns the run it redirected to.
func startRun(t *testing.T, qc *quizClient, path string) interview.Run {
	t.Helper()
	rec := qc.do(t, "GET", path, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("GET %s: %d, want 303\n%.400s", path, rec.Code, rec.Body)
	}
	return runAt(t, qc.env, rec.Header().Get("Location"))
}

// runAt parses a practice URL.
func runAt(t *testing.T, env *testEnv, loc string) interview.Run {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil || u.Path != "/interview/practice" {
		t.Fatalf("not a practice URL: %q", loc)
	}
	p, err := interview.ParseRun(u.Query(), env.catalog.Bank, time.Now())
	if err != nil {
		t.Fatalf("run URL %q: %v", loc, err)
	}
	return p
}

// practiceReply is the JSON of an answered question.
type practiceReply struct {
	QuestionID string  `json:"question_id"`
	Correct    bool    `json:"correct"`
	Score      float64 `json:"score"`
	Verdict    string  `json:"verdict"`
	Rating     string  `json:"rating"`
	Self       bool    `json:"self_rated"`
	Late       bool    `json:"late"`
	NextReview string  `json:"next_review"`
	Next       string  `json:"next"`
	HTML       string  `json:"html"`
	Reveal     bool    `json:"reveal"`
}

func answerRun(t testing.TB, qc *quizClient, p interview.Run, i int, form url.Values) practiceReply {
	t.Helper()
	rec := qc.do(t, "POST", p.AnswerURL(i), form, "Accept", "application/json")
	if rec.Code != http.StatusOK {
		t.Fatalf("answer %d (%s): %d %s", i, p.Qs[i].ID, rec.Code, rec.Body)
	}
	var r practiceReply
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("answer %d: %v: %s", i, err, rec.Body)
	}
	return r
}

// mockAnswer ticks the first k key points and rates the answer.
func mockAnswer(k, rating int) url.Values {
	f := url.Values{"key": {rand32()}, "open": {"Said out loud."}, "rating": {strconv.Itoa(rating)}}
	for i := range k {
		f.Add("rubric", strconv.Itoa(i))
	}
	return f
}

func ids(qs []*quiz.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestInterviewPagesAndBadInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	topic := interview.Topics(env.catalog.Bank)[0]
	for _, tc := range []struct {
		path     string
		status   int
		contains []string
	}{
		{"/interview", 200, []string{`action="/interview/drill"`, `action="/interview/mock"`, `name="topic" value="` + topic + `"`,
			`href="/interview" aria-current="page"`, "Due today"}},
		{"/", 200, []string{`href="/interview/drill"`, `href="/interview"`}},
		{"/interview/stats", 200, []string{"No answers yet", `href="/interview/drill"`}},
		{"/interview/cheatsheet?topic=revocation", 200, []string{"Model answer", "Interview cheat sheet", "Topics: revocation"}},
		{"/interview/drill?topic=%00", 400, []string{"no interview topic"}},
		{"/interview/drill?topic=no-such-topic", 400, []string{"no interview topic"}},
		{"/interview/drill?level=4", 400, []string{"A level is 1"}},
		{"/interview/drill?n=0", 400, []string{"from 1 to 30"}},
		{"/interview/drill?n=abc", 400, []string{"from 1 to 30"}},
		{"/interview/mock?n=7", 400, []string{"from 1 to 6"}},
		{"/interview/drill?timer=q5", 400, []string{"The timer is"}},
		{"/interview/drill?seed=-1", 400, []string{"seed"}},
		{"/interview/cheatsheet?level=x", 400, []string{"A level is 1"}},
		{"/interview/practice", 400, []string{"kind is drill, mock, due or module"}},
		{"/interview/practice?kind=drill&id=short&at=1&q=x", 400, []string{"8 to 32 letters"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=99999999999&q=x", 400, []string{"not in the future"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=no-such-question", 404, []string{"not in the course any more"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=", 400, []string{"1 to 50 question ids"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&kind=mock&q=x", 400, []string{"twice"}},
		{"/interview/summary?kind=drill&id=abcdefgh12&at=1700000000&q=iv-jwt-structure,iv-jwt-structure", 400, []string{"listed twice"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=iv-jwt-structure&i=2", 400, []string{"from 0 to 1"}},
		{"/interview/practice?kind=drill&id=abcdefgh12&at=1700000000&q=iv-jwt-structure&timer=99999", 400, []string{"seconds from 0"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := env.do(t, "GET", tc.path, nil)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d\n%.500s", rec.Code, tc.status, rec.Body)
			}
			for _, c := range tc.contains {
				if !strings.Contains(rec.Body.String(), c) {
					t.Errorf("body does not contain %q", c)
				}
			}
			if rec.Header().Get("Set-Cookie") != "" {
				t.Errorf("a GET set a cookie: %q", rec.Header().Get("Set-Cookie"))
			}
		})
	}
	// Model answers of open prompts appear on the cheat sheet only for
	// the chosen topics.
	body := env.do(t, "GET", "/interview/cheatsheet?topic=fixation", nil).Body.String()
	for _, q := range env.catalog.Bank.Select(quiz.Filter{Types: []quiz.Type{quiz.Open}, InterviewOnly: true}) {
		if in := strings.Contains(body, `id="sheet-`+q.ID+`"`); in != slices.Contains(q.Topics, "fixation") {
			t.Errorf("cheat sheet for fixation lists %s: %v", q.ID, in)
		}
	}
}

// TestDrillAsGuest runs a whole drill without JavaScript and with fetch:
// nothing is created before the first answer, every answer is stored
// once with Source "drill", its card scheduled, and the summary scores
// the run and points at the lessons to review.
func TestDrillAsGuest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=6&seed=7&timer=q60")
	if len(p.Qs) != 6 || p.Kind != interview.KindDrill || p.Timer != 60 || p.Whole {
		t.Fatalf("run %+v", p)
	}
	for _, q := range p.Qs {
		if q.Type == quiz.Open || !q.Interview {
			t.Errorf("a drill drew %s (%s, interview %v)", q.ID, q.Type, q.Interview)
		}
	}
	if len(qc.cookies) != 0 {
		t.Fatal("starting a drill created a session")
	}
	page, _ := showQuestion(t, qc, p, 0)
	if page.Code != 200 || !strings.Contains(page.Body.String(), `data-timer data-seconds="60"`) || len(qc.cookies) != 0 {
		t.Fatalf("first question: %d, cookies %v\n%.300s", page.Code, qc.cookies, page.Body)
	}
	for _, a := range answerOnly(p.Qs[0]) {
		if strings.Contains(page.Body.String(), a) {
			t.Errorf("the question page gives away the answer %q", a)
		}
	}

	// Question 0: right, no JavaScript (303 back to the question, with its result).
	rec := qc.do(t, "POST", p.AnswerURL(0), rightAnswer(p.Qs[0], true))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != p.URL(0)+"#question" {
		t.Fatalf("plain answer: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	body := qc.do(t, "GET", p.URL(0), nil).Body.String()
	if !strings.Contains(body, "quiz-result-correct") || !strings.Contains(body, `href="`+htmlEscape(p.URL(1))+`" data-next`) {
		t.Errorf("the answered question shows no result or next link:\n%.2000s", body)
	}
	// The rest with fetch: wrong, right, wrong…
	var wrongIDs []string
	for i := 1; i < len(p.Qs); i++ {
		form := rightAnswer(p.Qs[i], false)
		if i%2 == 1 {
			form = wrongAnswer(p.Qs[i])
			wrongIDs = append(wrongIDs, p.Qs[i].ID)
		}
		r := answerRun(t, qc, p, i, form)
		if r.QuestionID != p.Qs[i].ID || r.Correct == (i%2 == 1) || !strings.Contains(r.HTML, "data-next") {
			t.Errorf("answer %d: %+v", i, r)
		}
		if want := map[bool]string{true: "again", false: "good"}[i%2 == 1]; r.Rating != want && !(i%2 == 1 && r.Rating == "hard") {
			t.Errorf("answer %d rated %q, want %q", i, r.Rating, want)
		}
		// A missed card comes back within the session (quiz.RelearnStep).
		if want := map[bool]string{true: "in 10 minutes", false: "tomorrow"}[r.Rating == "again"]; r.NextReview != want {
			t.Errorf("answer %d (%s): a first review comes back %q, want %s", i, r.Rating, r.NextReview, want)
		}
		if last := i == len(p.Qs)-1; last != (r.Next == p.SummaryURL()) {
			t.Errorf("answer %d: next %q", i, r.Next)
		}
	}
	learner := qc.learner(t)
	atts, err := env.store.Attempts(context.Background(), learner, 0)
	if err != nil || len(atts) != len(p.Qs) {
		t.Fatalf("%d attempts stored (%v), want %d", len(atts), err, len(p.Qs))
	}
	for _, a := range atts {
		if a.Source != interview.SourceDrill || !strings.Contains(a.Answer, `"run":"`+p.ID+`"`) {
			t.Errorf("attempt %s: source %q answer %s", a.QuestionID, a.Source, a.Answer)
		}
	}
	cards, _ := env.store.Cards(context.Background(), learner)
	if len(cards) != len(p.Qs) {
		t.Errorf("%d cards, want %d", len(cards), len(p.Qs))
	}

	sum := qc.do(t, "GET", p.SummaryURL(), nil)
	sb := sum.Body.String()
	if sum.Code != 200 || !strings.Contains(sb, "3 of 6") || !strings.Contains(sb, "What to review") {
		t.Fatalf("summary: %d\n%.3000s", sum.Code, sb)
	}
	for _, id := range wrongIDs {
		q, _ := env.catalog.Bank.Question(id)
		if l := interview.TeachingLesson(env.catalog, q); l != nil && !strings.Contains(sb, `href="/lessons/`+l.Slug+`"`) {
			t.Errorf("summary does not send the learner to %s for %s", l.Slug, id)
		}
	}
	if rec := qc.do(t, "GET", p.URL(len(p.Qs)), nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != p.SummaryURL() {
		t.Errorf("past the last question: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

func htmlEscape(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }

// TestDrillAnswersOnce: a retried key, or a second answer to a question
// already answered in the run, stores nothing new and reports the first.
func TestDrillAnswersOnce(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/drill?n=3&seed=11")
	wrong := wrongAnswer(p.Qs[0])
	first := answerRun(t, qc, p, 0, wrong)
	card, err := env.store.Card(context.Background(), qc.learner(t), p.Qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	again := answerRun(t, qc, p, 0, wrong) // the same key: a retry
	right := answerRun(t, qc, p, 0, rightAnswer(p.Qs[0], false))
	if first.Correct || again.Correct || right.Correct {
		t.Errorf("a second answer replaced the first: %v %v %v", first.Correct, again.Correct, right.Correct)
	}
	atts, _ := env.store.Attempts(context.Background(), qc.learner(t), 0)
	if len(atts) != 1 {
		t.Errorf("%d attempts stored, want 1", len(atts))
	}
	if later, err := env.store.Card(context.Background(), qc.learner(t), p.Qs[0].ID); err != nil || *later != *card {
		t.Errorf("the card was reviewed more than once: %+v, then %+v %v", card, later, err)
	}
	// The stored key is the run's and the question's: a client key used
	// twice does not stop another question's answer.
	f := rightAnswer(p.Qs[1], false)
	f.Set("key", wrong.Get("key"))
	if r := answerRun(t, qc, p, 1, f); !r.Correct {
		t.Errorf("the second question's answer: %+v", r)
	}
	// Another run may ask the same question again.
	other := p
	other.ID = "ANOTHERRUN12"
	if r := answerRun(t, qc, other, 0, rightAnswer(p.Qs[0], false)); !r.Correct {
		t.Errorf("the same question in another run: %+v", r)
	}
	if atts, _ := env.store.Attempts(context.Background(), qc.learner(t), 0); len(atts) != 3 {
		t.Errorf("%d attempts, want 3", len(atts))
	}
	// Malformed answers get a reason.
	for name, tc := range map[string]struct {
		path   string
		form   url.Values
		ctype  string
		status int
	}{
		"json body":     {p.AnswerURL(1), nil, "application/json", http.StatusUnsupportedMediaType},
		"no answer":     {p.AnswerURL(1), url.Values{"key": {rand32()}}, "", http.StatusBadRequest},
		"bad key":       {p.AnswerURL(1), url.Values{"key": {"x"}}, "", http.StatusBadRequest},
		"bad elapsed":   {p.AnswerURL(1), url.Values{"elapsed": {"-5"}}, "", http.StatusBadRequest},
		"past the end":  {strings.Replace(p.AnswerURL(1), "&i=1", "&i=3", 1), rightAnswer(p.Qs[1], false), "", http.StatusBadRequest},
		"broken run":    {strings.Replace(p.AnswerURL(1), "kind=drill", "kind=quiz", 1), rightAnswer(p.Qs[1], false), "", http.StatusBadRequest},
		"gone question": {strings.Replace(p.AnswerURL(1), p.Qs[1].ID, "gone-question", 1), rightAnswer(p.Qs[1], false), "", http.StatusNotFound},
	} {
		var rec *httptest.ResponseRecorder
		if tc.ctype != "" {
			rec = qc.do(t, "POST", tc.path, nil, "Content-Type", tc.ctype, "Accept", "application/json")
		} else {
			rec = qc.do(t, "POST", tc.path, tc.form, "Accept", "application/json")
		}
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), `"message"`) {
			t.Errorf("%s: %d, want %d with a reason: %s", name, rec.Code, tc.status, rec.Body)
		}
	}
}

// TestDrillSelection: filters hold, no question repeats within a drill,
// a seed gives the same drill, and the questions of the last drills come
// only after fresh ones.
func TestDrillSelection(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	anon := newQuizClient(env)
	for _, tc := range []struct {
		query  string
		topics []string
		levels []int
	}{
		{"topic=revocation&n=30", []string{"revocation"}, nil},
		{"level=3&n=30", nil, []int{3}},
		{"topic=csrf&topic=xss&level=1&level=2&n=30", []string{"csrf", "xss"}, []int{1, 2}},
	} {
		p := startRun(t, anon, "/interview/drill?"+tc.query)
		pool := env.catalog.Bank.Select(quiz.Filter{Topics: tc.topics, Levels: tc.levels, Types: interview.GradedTypes, InterviewOnly: true})
		if len(p.Qs) != min(30, len(pool)) {
			t.Errorf("%s: %d questions, pool %d", tc.query, len(p.Qs), len(pool))
		}
		seen := map[string]bool{}
		for _, q := range p.Qs {
			if seen[q.ID] {
				t.Errorf("%s: %s twice", tc.query, q.ID)
			}
			seen[q.ID] = true
			if !slices.Contains(pool, q) {
				t.Errorf("%s: %s does not pass the filter", tc.query, q.ID)
			}
		}
	}
	a := startRun(t, anon, "/interview/drill?n=8&seed=42")
	b := startRun(t, anon, "/interview/drill?n=8&seed=42")
	c := startRun(t, anon, "/interview/drill?n=8&seed=43")
	if !slices.Equal(ids(a.Qs), ids(b.Qs)) || slices.Equal(ids(a.Qs), ids(c.Qs)) {
		t.Errorf("seeded drills: %v %v %v", ids(a.Qs), ids(b.Qs), ids(c.Qs))
	}
	if a.ID == b.ID {
		t.Error("two runs share an id")
	}

	// A learner who answered a drill gets fresh questions next time,
	// even with the same seed.
	qc := newQuizClient(env)
	const filter = "/interview/drill?topic=sessions&n=5&seed=42"
	first := startRun(t, qc, filter)
	for i, q := range first.Qs {
		answerRun(t, qc, first, i, rightAnswer(q, false))
	}
	second := startRun(t, qc, filter)
	for _, q := range second.Qs {
		if slices.Contains(first.Qs, q) {
			t.Errorf("the next drill repeats %s from the last one", q.ID)
		}
	}
	if same := startRun(t, anon, filter); !slices.Equal(ids(same.Qs), ids(first.Qs)) {
		t.Error("the seed alone does not decide the draw")
	}
}

// TestMockInterview: a prompt with a visible timer, the model answer and
// rubric after "reveal" (nothing stored), a self-assessment with a
// rating, and follow-ups chaining from the first prompt.
func TestMockInterview(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	qc := newQuizClient(env)
	p := startRun(t, qc, "/interview/mock?n=3&seed=3")
	if p.Kind != interview.KindMock || len(p.Qs) != 3 || p.Timer != interview.MockTimer {
		t.Fatalf("mock run %+v", p)
	}
	if len(p.Qs[0].FollowUps) == 0 || !slices.Contains(p.Qs[0].FollowUps, p.Qs[1].ID) {
		t.Fatalf("the second prompt %s does not follow up the first %s %v", p.Qs[1].ID, p.Qs[0].ID, p.Qs[0].FollowUps)
	}
	for _, q := range p.Qs {
		if q.Type != quiz.Open {
			t.Errorf("mock prompt %s is %s", q.ID, q.Type)
		}
	}
	first, _ := showQuestion(t, qc, p, 0)
	page := first.Body.String()
	if !strings.Contains(page, `data-seconds="120"`) || !strings.Contains(page, "data-reveal-button") || strings.Contains(page, string(p.Qs[0].ModelHTML)) {
		t.Errorf("the prompt page shows no timer or reveal button, or gives the model answer away")
	}
	if next, _ := showQuestion(t, qc, p, 1); !strings.Contains(next.Body.String(), "Follow-up to") {
		t.Error("the follow-up is not labelled as one")
	}

	// Reveal, without and with JavaScript: the model answer and the
	// rubric; nothing stored, no guest created.
	plain := qc.do(t, "POST", p.AnswerURL(0), url.Values{"open": {"My answer, kept."}, "step": {"reveal"}})
	if plain.Code != 200 || !strings.Contains(plain.Body.String(), "Model answer") || !strings.Contains(plain.Body.String(), "My answer, kept.") ||
		!strings.Contains(plain.Body.String(), `name="rating" value="4"`) {
		t.Errorf("plain reveal: %d\n%.2000s", plain.Code, plain.Body)
	}
	// The longest answer the textarea allows, in Cyrillic (2 bytes a
	// character, 6 form-encoded), is revealed too; one more character is not.
	long := strings.Repeat("я", quiz.MaxOpenAnswer)
	if rec := qc.do(t, "POST", p.AnswerURL(0), url.Values{"open": {long}, "step": {"reveal"}}); rec.Code != 200 {
		t.Errorf("reveal with a %d-character Cyrillic answer: %d", quiz.MaxOpenAnswer, rec.Code)
	}
	if rec := qc.do(t, "POST", p.AnswerURL(0), url.Values{"open": {long + "я"}, "step": {"reveal"}}); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "4000 characters") {
		t.Errorf("reveal with a longer answer: %d", rec.Code)
	}
	r := answerRun(t, qc, p, 0, url.Values{"step": {"reveal"}})
	if !r.Reveal || !strings.Contains(r.HTML, string(p.Qs[0].RubricHTML[0])) {
		t.Errorf("fetch reveal: %+v", r)
	}
	if len(qc.cookies) != 0 {
		t.Fatal("revealing the model answer created a guest")
	}
	if rec := qc.do(t, "POST", p.AnswerURL(0), url.Values{"step": {"grade"}, "rubric": {"0"}}, "Accept", "application/json"); rec.Code != http.StatusBadRequest {
		t.Errorf("grade without a rating: %d", rec.Code)
	}
	if rec := qc.do(t, "POST", p.AnswerURL(0), url.Values{"rating": {"5"}}, "Accept", "application/json"); rec.Code != http.StatusBadRequest {
		t.Errorf("rating 5: %d", rec.Code)
	}
	if rec := qc.do(t, "POST", p.AnswerURL(0), url.Values{"rating": {"3"}, "rubric": {"99"}}, "Accept", "application/json"); rec.Code != http.StatusBadRequest {
		t.Errorf("rubric point 99: %d", rec.Code)
	}

	// Self-assessment: all points and Easy; then few points and Again.
	all := len(p.Qs[0].Rubric)
	r = answerRun(t, qc, p, 0, mockAnswer(all, 4))
	if !r.Correct || !r.Self || r.Rating != "easy" {
		t.Errorf("all points, easy: %+v", r)
	}
	r = answerRun(t, qc, p, 1, mockAnswer(0, 1))
	if r.Correct || r.Rating != "again" || !strings.Contains(r.HTML, "is-wrong") {
		t.Errorf("no points, again: %+v", r)
	}
	learner := qc.learner(t)
	atts, _ := env.store.Attempts(context.Background(), learner, 0)
	if len(atts) != 2 || atts[0].Source != interview.SourceMock {
		t.Fatalf("attempts %+v", atts)
	}
	card, err := env.store.Card(context.Background(), learner, p.Qs[0].ID)
	if err != nil || card.Ease != 2.6 || card.Interval != 1 {
		t.Errorf("an Easy first review: %+v %v, want ease 2.6 and 1 day", card, err)
	}
	page = qc.do(t, "GET", p.URL(0), nil).Body.String()
	if !strings.Contains(page, "rated <strong>easy</strong> by you") || !strings.Contains(page, "Said out loud.") {
		t.Errorf("the answered prompt does not show the rating and what was written")
	}
	sum := qc.do(t, "GET", p.SummaryURL(), nil).Body.String()
	if !strings.Contains(sum, "2 of 3") || !strings.Contains(sum, "Another mock interview") {
		t.Errorf("mock summary:\n%.2000s", sum)
	}
}

// TestDueQueueAndStatsSurviveSignUp: a guest's cards come back when due,
// the home page counts them, /interview/due reviews them, and after
// sign-up the cards and the stats are the account's.
func TestDueQueueAndStatsSurviveSignUp(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	qc := newQuizClient(env)
	// The learner's day is at its middle, so a card missed now comes back
	// (quiz.RelearnStep later) on the same day, whenever the test runs.
	qc.cookies[tzCookie] = &http.Cookie{Name: tzCookie, Value: middayOffset(time.Now())}
	if rec := qc.do(t, "GET", "/interview/due", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/interview?due=none" {
		t.Errorf("due with nothing recorded: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	drill := startRun(t, qc, "/interview/drill?n=4&seed=5")
	for i, q := range drill.Qs {
		f := rightAnswer(q, false)
		if i == 0 {
			f = wrongAnswer(q)
		}
		answerRun(t, qc, drill, i, f)
	}
	mock := startRun(t, qc, "/interview/mock?n=2&seed=5")
	answerRun(t, qc, mock, 0, mockAnswer(1, 2))
	learner := qc.learner(t)

	home := qc.do(t, "GET", "/interview", nil).Body.String()
	// The missed card comes back in the same sitting (quiz.RelearnStep):
	// due today, not tomorrow.
	if !strings.Contains(home, `data-due-count>1<`) || !strings.Contains(home, "of 5 in your deck") {
		t.Errorf("home right after one miss:\n%.3000s", home)
	}
	// Two cards fall due: one overdue, one later today.
	ctx := context.Background()
	for i, id := range []string{drill.Qs[0].ID, mock.Qs[0].ID} {
		card, err := env.store.Card(ctx, learner, id)
		if err != nil {
			t.Fatal(err)
		}
		card.Due = time.Now().UTC().Add(-time.Duration(48-i) * time.Hour)
		if err := env.store.SaveCard(ctx, card); err != nil {
			t.Fatal(err)
		}
	}
	home = qc.do(t, "GET", "/interview", nil).Body.String()
	if !strings.Contains(home, `data-due-count>2<`) || !strings.Contains(home, `href="/interview/due"`) {
		t.Errorf("home with two cards due:\n%.3000s", home)
	}
	due := startRun(t, qc, "/interview/due")
	if due.Kind != interview.KindDue || !slices.Equal(ids(due.Qs), []string{drill.Qs[0].ID, mock.Qs[0].ID}) {
		t.Fatalf("due run %v, want the most overdue first", ids(due.Qs))
	}
	r := answerRun(t, qc, due, 0, rightAnswer(due.Qs[0], false))
	if r.Rating != "good" || r.NextReview == "" || r.NextReview == "today" {
		t.Errorf("due review after a lapse: %+v", r)
	}
	r = answerRun(t, qc, due, 1, mockAnswer(len(due.Qs[1].Rubric), 3))
	if r.Rating != "good" || !r.Self {
		t.Errorf("open due review: %+v", r)
	}
	before, _ := env.store.Cards(ctx, learner)

	// Sign up: the same client's cookies go to the real server.
	cl := newClient(t, ts)
	u, _ := url.Parse(ts.URL)
	for _, c := range qc.cookies {
		cl.hc.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value}})
	}
	cl.signup("interview_dana", "a long enough password")
	acct, err := env.store.LearnerByUsername(ctx, "interview_dana")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := env.store.Cards(ctx, acct.ID)
	if len(after) != len(before) || len(before) != 5 {
		t.Errorf("cards before sign-up %d, after %d (want 5)", len(before), len(after))
	}
	stats := cl.do("GET", "/interview/stats", nil).body
	for _, want := range []string{"of 7 answers", "<strong>1</strong> day", "Accuracy by topic", "Cards due this week", "Weakest topics"} {
		if !strings.Contains(stats, want) {
			t.Errorf("stats after sign-up lack %q", want)
		}
	}
	// The drill's summary still reads the guest's answers.
	if sum := cl.do("GET", drill.SummaryURL(), nil).body; !strings.Contains(sum, "3 of 4") {
		t.Errorf("the drill summary lost the guest's answers after sign-up")
	}
}

// middayOffset is the offset from UTC, in minutes east as the browser
// reports it (tzCookie), of a zone where now is noon.
func middayOffset(now time.Time) string {
	u := now.UTC()
	return strconv.Itoa(12*60 - (u.Hour()*60 + u.Minute()))
}
