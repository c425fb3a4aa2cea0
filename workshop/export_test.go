package workshop

import (
	"bytes"
	"encoding/csv"
	"strconv"
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
				{QuestionID: "alpha-tf", Answer: `{"tf":false}`, Correct: true, Score: 1, CreatedAt: t0.Add(2 * time.Minute)},
				{QuestionID: "alpha-single", Answer: `{"choices":["` + wrong + `"]}`, Score: 0, CreatedAt: t0.Add(time.Minute)},
			},
		},
	}
	ex.board = Rank(ex.parts, []progress.Standing{{ParticipantID: "p-ada", Points: 950, Right: 1, Answered: 1}, {ParticipantID: "p-bob", Answered: 1}})
	question := func(r *progress.Round) *quiz.Question { q, _ := cat.Bank.Question(r.QuestionID); return q }
	rows := csvRows(cat, w, ex, question)
	stamp := func(min int) string { return t0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }
	want := [][]string{
		{"participant", "p-ada", "Ada", stamp(0), "false", "alpha", "", "", "", "", "", "", "", "", "", "", "", "", "950", "1"},
		{"lesson", "p-ada", "Ada", "", "", "alpha", stamp(0), stamp(20), "600", "", "", "", "", "", "", "", "", "", "", ""},
		{"quiz_answer", "p-ada", "Ada", "", "", "alpha", "", "", "", "", "alpha-single", "Which one is stored by the server?", "A JWT", "false", "0.00", "", "", stamp(1), "", ""},
		{"quiz_answer", "p-ada", "Ada", "", "", "alpha", "", "", "", "", "alpha-tf", "A JWT can be revoked at once without server state.", "false", "true", "1.00", "", "", stamp(2), "", ""},
		{"round_answer", "p-ada", "Ada", "", "", "", "", "", "", "1", "alpha-single", "Which one is stored by the server?", "A session", "true", "1.00", "950", "1000", stamp(5), "", ""},
		{"participant", "p-bob", "=Bob", stamp(1), "true", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""}, // removed: off the leaderboard
		{"round_answer", "p-bob", "=Bob", "", "", "", "", "", "", "1", "alpha-single", "Which one is stored by the server?", "A JWT | unknown-key", "false", "0.00", "0", "9000", stamp(6), "", ""},
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

// TestCSVExport: the file a spreadsheet opens. It starts with a UTF-8
// byte-order mark, so names in any script arrive intact; every
// participant's total and place equal the leaderboard; a formula-like
// cell is neutralised.
func TestCSVExport(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	zoe, cy, dee := r.join("Zoë Łukasz 李小龍"), r.join("Cy"), r.join("Dee")
	// Nicknames start with a letter or digit; a question written on the
	// spot can start with anything.
	rv := r.start(RoundSpec{Prompt: "=cmd|' /C calc'!A0", Options: "*=1+2\n-3", Seconds: "20"})
	right, wrong := rv.Options[0].Key, rv.Options[1].Key
	if string(rv.Options[0].HTML) != "=1+2" {
		right, wrong = wrong, right
	}
	r.clock.Advance(2 * time.Second)
	r.answer(zoe, rv.ID, right)
	r.clock.Advance(2 * time.Second)
	r.answer(cy, rv.ID, right)
	r.answer(dee, rv.ID, wrong)
	r.clock.Advance(20 * time.Second)
	if _, err := r.e.RevealRound(r.ctx, r.cat, r.w, r.round(rv.ID)); err != nil {
		t.Fatal(err)
	}
	b, err := r.e.CSV(r.ctx, r.cat, r.w)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(b, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark: % x", b[:min(8, len(b))])
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Errorf("header %q", rows[0])
	}
	board, _ := r.e.Leaderboard(r.ctx, r.w.ID)
	want := map[string][2]string{}
	for _, st := range board {
		rank := ""
		if st.Rank > 0 {
			rank = strconv.Itoa(st.Rank)
		}
		want[st.ID] = [2]string{strconv.Itoa(st.Points), rank}
	}
	names := map[string]string{}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("a formula-like cell: %q", cell)
			}
		}
		if row[0] == "round_answer" && (row[11] != "'=cmd|' /C calc'!A0" || row[1] == zoe.ID && row[12] != "'=1+2") {
			t.Errorf("question and answer cells: %q, %q", row[11], row[12])
		}
		if row[0] != "participant" {
			continue
		}
		names[row[1]] = row[2]
		if got := [2]string{row[18], row[19]}; got != want[row[1]] {
			t.Errorf("%s: total and rank %q, the leaderboard says %q", row[2], got, want[row[1]])
		}
	}
	if names[zoe.ID] != "Zoë Łukasz 李小龍" || names[cy.ID] != "Cy" || len(names) != 3 {
		t.Errorf("names %q", names)
	}
	if want[zoe.ID] != [2]string{want[zoe.ID][0], "1"} || want[dee.ID][1] != "" {
		t.Errorf("the leaderboard itself: %q", want)
	}
}

func TestLessonAnswerText(t *testing.T) {
	t.Parallel()
	cat := course(t)
	multi, _ := cat.Bank.Question("beta-multi")
	k0, k1 := multi.Choices[0].Key, multi.Choices[1].Key
	tf, _ := cat.Bank.Question("alpha-tf")
	for _, tt := range []struct {
		name string
		q    *quiz.Question
		raw  string
		want string
	}{
		{"choices as JSON", multi, `{"choices":["` + k0 + `","` + k1 + `"]}`, "Logout | Password change"},
		{"true/false", tf, `{"tf":true}`, "true"},
		{"text typed", tf, `{"text":"HttpOnly"}`, "HttpOnly"},
		{"keys from before JSON", multi, k1, "Password change"},
		{"broken JSON is shown as it is", multi, `{"choices":`, `{"choices":`},
		{"a question the course lost", nil, `{"tf":true}`, `{"tf":true}`},
	} {
		if got := lessonAnswerText(tt.q, tt.raw); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
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
