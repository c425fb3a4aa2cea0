package interview

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

func cardDue(learner, id string, due time.Time) progress.Card {
	return progress.Card{LearnerID: learner, QuestionID: id, Ease: quiz.InitialEase, Interval: 1, Reps: 1, Due: due}
}

func TestRecentFromAttempts(t *testing.T) {
	t.Parallel()
	at := func(run, q, source string) progress.Attempt {
		return progress.Attempt{QuestionID: q, Source: source, Answer: `{"run":"` + run + `"}`}
	}
	atts := []progress.Attempt{ // oldest first
		at("r1", "q1", SourceDrill), at("r2", "q2", SourceDrill), at("r3", "q3", SourceMock),
		at("r4", "q4", SourceDrill), {QuestionID: "lesson", Source: "lesson", Answer: `{"run":"r4"}`}, at("r4", "q5", SourceDrill),
		{QuestionID: "broken", Source: SourceDrill, Answer: `{`},
	}
	got := RecentFromAttempts(atts, 3)
	want := map[string]bool{"q2": true, "q3": true, "q4": true, "q5": true}
	if len(got) != len(want) {
		t.Errorf("recent %v, want %v", got, want)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("%s is not recent", id)
		}
	}
}

func TestReadMeta(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		att  progress.Attempt
		want Meta
		ok   bool
	}{
		{progress.Attempt{Source: SourceDrill, Answer: `{"choices":["x"],"run":"R1","seconds":12,"late":true}`}, Meta{Run: "R1", Seconds: 12, Late: true}, true},
		{progress.Attempt{Source: SourceMock, Answer: `{"open":"hi","run":"R2","rating":3}`}, Meta{Run: "R2", Rating: 3}, true},
		{progress.Attempt{Source: SourceDrill, Answer: `{"text":"x","run":"R3","ms":400}`}, Meta{Run: "R3", Millis: 400}, true},
		{progress.Attempt{Source: "lesson", Answer: `{"run":"R1"}`}, Meta{}, false},
		{progress.Attempt{Source: SourceDrill, Answer: `{"choices":["x"]}`}, Meta{}, false},
		{progress.Attempt{Source: SourceDrill, Answer: `not json`}, Meta{}, false},
	} {
		got, ok := ReadMeta(&tc.att)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: %+v %v, want %+v %v", tc.att.Answer, got, ok, tc.want, tc.ok)
		}
	}
}

// TestMetaTime: how long an answer took, as the summary says it: under a
// second is said so rather than left out, and the rest is rounded up, so
// a late answer never shows the limit itself ("1:00" with "1:00 per
// question"). Answers stored before Millis keep their whole seconds.
func TestMetaTime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		meta Meta
		want string
	}{
		{Meta{}, ""},
		{Meta{Millis: 1}, "under 1 s"},
		{Meta{Millis: 999}, "under 1 s"},
		{Meta{Millis: 1000}, "0:01"},
		{Meta{Millis: 1001}, "0:02"},
		{Meta{Millis: 60000}, "1:00"},
		{Meta{Millis: 60001, Late: true}, "1:01"},
		{Meta{Seconds: 12}, "0:12"},
		{Meta{Millis: 12500, Seconds: 12}, "0:13"},
	} {
		if got := tc.meta.Time(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.meta, got, tc.want)
		}
	}
}

func TestRunKey(t *testing.T) {
	t.Parallel()
	k := RunKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", strings.Repeat("q", 100))
	if len(k) > 64 || k != RunKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", strings.Repeat("q", 100)) || k == RunKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "other") {
		t.Errorf("run key %q (%d bytes)", k, len(k))
	}
}

// TestRecordOnce: an answer is stored once per run and question; a
// second answer returns the first and leaves the card alone; another
// run may ask the same question; RunAnswers reads the run's own.
func TestRecordOnce(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	clock := now
	st := newFakeStore(func() time.Time { return clock })
	svc := New(st).WithClock(func() time.Time { return clock })
	ctx := context.Background()
	qs := []*quiz.Question{question(t, cat.Bank, "s-one"), question(t, cat.Bank, "t-one")}
	r := NewRun(KindDrill, qs, Filter{}, now)
	wrong := Graded{Answer: `{"choices":["w"],"run":"` + r.ID + `","late":true}`, Meta: Meta{Run: r.ID, Late: true},
		Result: quiz.Result{Score: 0}, Rating: quiz.Again}
	right := Graded{Answer: `{"choices":["r"],"run":"` + r.ID + `"}`, Meta: Meta{Run: r.ID}, Result: quiz.Result{Score: 1, Correct: true}, Rating: quiz.Good}

	first, cardErr, err := svc.Record(ctx, "ann", r, 0, wrong)
	if err != nil || cardErr != nil || first.Attempt.Correct || !first.Meta.Late || first.Attempt.Source != SourceDrill {
		t.Fatalf("first answer: %+v %v %v", first, cardErr, err)
	}
	card := st.cards["ann/s-one"]
	if card.Due != now.Add(quiz.RelearnStep) {
		t.Errorf("a missed card is due %v, want in %v", card.Due, quiz.RelearnStep)
	}
	clock = now.Add(time.Minute)
	again, _, err := svc.Record(ctx, "ann", r, 0, right)
	if err != nil || again.Attempt.ID != first.Attempt.ID || again.Attempt.Correct || !again.Meta.Late {
		t.Errorf("a second answer: %+v %v", again, err)
	}
	if st.saves != 1 || st.cards["ann/s-one"] != card {
		t.Errorf("the card was reviewed %d times", st.saves)
	}
	if when, err := svc.NextReview(ctx, "ann", "s-one"); err != nil || when != "in 9 minutes" { // missed a minute ago
		t.Errorf("a missed card comes back %q %v", when, err)
	}
	if _, _, err := svc.Record(ctx, "ann", r, 1, right); err != nil {
		t.Fatal(err)
	}
	other := NewRun(KindMock, qs, Filter{}, now)
	if a, _, _ := svc.Record(ctx, "ann", other, 0, Graded{Answer: `{"run":"` + other.ID + `"}`, Meta: Meta{Run: other.ID}, Rating: quiz.Good}); a.Attempt.ID == first.Attempt.ID || a.Attempt.Source != SourceMock {
		t.Errorf("the same question in another run: %+v", a)
	}

	answers, err := svc.RunAnswers(ctx, "ann", r)
	if err != nil || len(answers) != 2 || answers.Correct() != 1 || !answers["s-one"].Meta.Late {
		t.Errorf("run answers: %+v %v", answers, err)
	}
	if rt, self := answers["s-one"].Rating(); rt != quiz.Again || self {
		t.Errorf("rating of a wrong answer: %v self %v", rt, self)
	}
	if answers, _ := svc.RunAnswers(ctx, "", r); len(answers) != 0 {
		t.Errorf("a visitor has answers: %v", answers)
	}
	if n, err := svc.LateAnswers(ctx, "ann"); err != nil || n != 1 {
		t.Errorf("late answers: %d %v", n, err)
	}
	if when, err := svc.NextReview(ctx, "ann", "t-one"); err != nil || when != "tomorrow" {
		t.Errorf("a right first answer comes back %q %v", when, err)
	}
	if when, err := svc.NextReview(ctx, "bob", "t-one"); err != nil || when != "" {
		t.Errorf("no card comes back %q %v", when, err)
	}
	// A self-rated open answer keeps the learner's rating.
	if rt, self := (Answer{Attempt: &progress.Attempt{Score: 1, Correct: true}, Meta: Meta{Rating: 4}}).Rating(); rt != quiz.Easy || !self {
		t.Errorf("self rating: %v %v", rt, self)
	}
}
