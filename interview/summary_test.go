package interview

import (
	"slices"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// TestNewSummary: the score counts every question of the run (an
// unanswered one as 0), late answers are counted, the missed ones point
// at their lessons, and a whole-run timer says when the run went over.
func TestNewSummary(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	start := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	qs := []*quiz.Question{question(t, cat.Bank, "s-one"), question(t, cat.Bank, "t-two"), question(t, cat.Bank, "s-two"), question(t, cat.Bank, "t-one")}
	r := Run{Kind: KindDrill, ID: "RUNSUMMARY1", Qs: qs, Timer: 60, Start: start}
	ans := func(id string, score float64, at time.Duration, m Meta) Answer {
		return Answer{Attempt: &progress.Attempt{QuestionID: id, Score: score, Correct: score == 1, CreatedAt: start.Add(at)}, Meta: m}
	}
	answers := Answers{
		"s-one": ans("s-one", 1, 30*time.Second, Meta{Seconds: 30}),
		"t-two": ans("t-two", 0, 2*time.Minute, Meta{Seconds: 75, Late: true}),
		"s-two": ans("s-two", 0.5, 3*time.Minute, Meta{Millis: 400}),
	}
	sum := NewSummary(cat, r, answers)
	if sum.Total != 4 || sum.Answered != 3 || sum.Correct != 1 || sum.Percent != 38 || sum.Late != 1 || sum.Time != "3:00" ||
		sum.Limit != "1:00 per question" || sum.OverTime || sum.Again != "/interview/drill" || sum.KindTitle != "Quick drill" {
		t.Errorf("summary %+v", sum)
	}
	var verdicts []string
	for _, it := range sum.Items {
		verdicts = append(verdicts, it.Verdict)
	}
	if !slices.Equal(verdicts, []string{"correct", "wrong", "partial", ""}) {
		t.Errorf("verdicts %v", verdicts)
	}
	if it := sum.Items[1]; !it.Late || it.Time != "1:15" || it.Rating != "again" || it.Lesson == nil || it.Lesson.Href != "/lessons/tokens" || it.Href != r.URL(1) {
		t.Errorf("the late item %+v", it)
	}
	if it := sum.Items[2]; it.Late || it.Rating != "hard" || it.Percent != 50 || it.Time != "under 1 s" {
		t.Errorf("the partial item %+v", it)
	}
	if len(sum.Review) != 2 || sum.Review[0].Href != "/lessons/tokens" && sum.Review[0].Href != "/lessons/sessions" || sum.Review[0].Missed != 1 {
		t.Errorf("review %+v", sum.Review)
	}

	// A whole-run timer of two minutes: the run above took three.
	r.Timer, r.Whole = 120, true
	if sum := NewSummary(cat, r, answers); !sum.OverTime || sum.Limit != "2:00 for the whole run" {
		t.Errorf("over a whole-run timer: %+v", sum)
	}
	// Nothing answered: no score, no time.
	if sum := NewSummary(cat, r, Answers{}); sum.Answered != 0 || sum.Percent != 0 || sum.Time != "" || len(sum.Items) != 4 {
		t.Errorf("an empty run: %+v", sum)
	}
	// Open prompts of a mock interview: the learner's own rating, and the
	// lesson that teaches the topic for a question outside the lessons.
	mock := Run{Kind: KindMock, ID: "RUNSUMMARY2", Qs: []*quiz.Question{question(t, cat.Bank, "iv-token-why")}, Start: start}
	sum = NewSummary(cat, mock, Answers{"iv-token-why": ans("iv-token-why", 0, time.Minute, Meta{Rating: 2})})
	if it := sum.Items[0]; it.Rating != "hard" || it.Lesson == nil || it.Lesson.Href != "/lessons/tokens" || sum.Again != "/interview/mock" {
		t.Errorf("mock item %+v (%s)", it, sum.Again)
	}
}
