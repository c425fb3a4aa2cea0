package workshop

import (
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

func TestCSVRows(t *testing.T) {
	t.Parallel()
	cat := course(t)
	single, _ := cat.Bank.Question("alpha-single")
	right, wrong := single.Choices[0].Key, single.Choices[1].Key
	t0 := start
	w := &progress.Workshop{ID: "w1", Lessons: "alpha"}
	done := t0.Add(20 * time.Minute)
	ex := &exportData{
		parts: []progress.Participant{
			{ID: "p-ada", LearnerID: "ada", Nickname: "Ada", JoinedAt: t0, Lesson: "alpha"},
			{ID: "p-bob", LearnerID: "bob", Nickname: "=Bob", JoinedAt: t0.Add(time.Minute), Removed: true},
		},
		room: &progress.RoomProgress{Lessons: map[string][]progress.LessonProgress{
			"ada": {{Slug: "alpha", FirstVisited: t0, CompletedAt: &done, Seconds: 600}, {Slug: "beta", FirstVisited: t0}}, // beta: not in this workshop
		}},
		rounds: []progress.Round{{ID: "r1", Seq: 1, QuestionID: "alpha-single"}},
		answers: []progress.RoundAnswer{
			{RoundID: "r1", ParticipantID: "p-ada", Answer: right, Score: 1, Correct: true, Points: 950, ElapsedMS: 1000, At: t0.Add(5 * time.Minute)},
			{RoundID: "r1", ParticipantID: "p-bob", Answer: wrong + " unknown-key", ElapsedMS: 9000, At: t0.Add(6 * time.Minute)},
		},
		attempts: map[string][]progress.Attempt{ // newest first, as the store lists them
			"ada": {
				{QuestionID: "beta-multi", Answer: "x", CreatedAt: t0.Add(3 * time.Minute)}, // beta: not in this workshop
				{QuestionID: "alpha-tf", Answer: "false", Correct: true, Score: 1, CreatedAt: t0.Add(2 * time.Minute)},
				{QuestionID: "alpha-single", Answer: wrong, Score: 0, CreatedAt: t0.Add(time.Minute)},
			},
		},
	}
	question := func(r *progress.Round) *quiz.Question { q, _ := cat.Bank.Question(r.QuestionID); return q }
	rows := csvRows(cat, w, ex, question)
	stamp := func(min int) string { return t0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }
	want := [][]string{
		{"participant", "p-ada", "Ada", stamp(0), "false", "alpha", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"lesson", "p-ada", "Ada", "", "", "alpha", stamp(0), stamp(20), "600", "", "", "", "", "", "", "", "", ""},
		{"quiz_answer", "p-ada", "Ada", "", "", "alpha", "", "", "", "", "alpha-single", "Which one is stored by the server?", wrong, "false", "0.00", "", "", stamp(1)},
		{"quiz_answer", "p-ada", "Ada", "", "", "alpha", "", "", "", "", "alpha-tf", "A JWT can be revoked at once without server state.", "false", "true", "1.00", "", "", stamp(2)},
		{"round_answer", "p-ada", "Ada", "", "", "", "", "", "", "1", "alpha-single", "Which one is stored by the server?", "A session", "true", "1.00", "950", "1000", stamp(5)},
		{"participant", "p-bob", "=Bob", stamp(1), "true", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"round_answer", "p-bob", "=Bob", "", "", "", "", "", "", "1", "alpha-single", "Which one is stored by the server?", "A JWT | unknown-key", "false", "0.00", "0", "9000", stamp(6)},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%q", len(rows), len(want), rows)
	}
	for i := range want {
		if len(rows[i]) != len(CSVHeader) {
			t.Errorf("row %d has %d cells, the header %d", i, len(rows[i]), len(CSVHeader))
		}
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

func TestCSVSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1": "'+1", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"ok": "ok", "": "", "1-2": "1-2", "a=b": "a=b",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnswerText(t *testing.T) {
	t.Parallel()
	cat := course(t)
	multi, _ := cat.Bank.Question("beta-multi")
	k0, k1 := multi.Choices[0].Key, multi.Choices[1].Key
	for _, tt := range []struct {
		q          *quiz.Question
		keys, want string
	}{
		{multi, k0 + " " + k1, "Logout | Password change"},
		{multi, k0 + " nope", "Logout | nope"},
		{multi, "", ""},
		{nil, "true", "true"}, // a question the course lost: the keys as stored
	} {
		if got := answerText(tt.q, tt.keys); got != tt.want {
			t.Errorf("answerText(%q) = %q, want %q", tt.keys, got, tt.want)
		}
	}
}

func TestRoundResults(t *testing.T) {
	t.Parallel()
	cat := course(t)
	rounds := []progress.Round{{ID: "r1", Seq: 1, QuestionID: "alpha-single"}, {ID: "r2", Seq: 2, QuestionID: "gone"}, {ID: "r3", Seq: 3, QuestionID: "alpha-tf"}}
	answers := []progress.RoundAnswer{
		{RoundID: "r1", Correct: true}, {RoundID: "r1", Correct: true}, {RoundID: "r1"},
		{RoundID: "r2", Correct: true},
	}
	got := roundResults(rounds, answers, func(r *progress.Round) *quiz.Question { q, _ := cat.Bank.Question(r.QuestionID); return q })
	want := []RoundResult{
		{Seq: 1, Prompt: "Which one is stored by the server?", Answered: 3, Right: 2, RightPct: 67},
		{Seq: 2, Answered: 1, Right: 1, RightPct: 100}, // the course lost its question: no prompt, still counted
		{Seq: 3, Prompt: "A JWT can be revoked at once without server state."},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("round %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
