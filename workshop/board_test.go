package workshop

import (
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// TestBuildBoard computes the board of a room of four from literal
// data: the roster's rows, who is stuck, the lesson and question
// statistics, the lab moment's tally and the queue.
func TestBuildBoard(t *testing.T) {
	t.Parallel()
	cat := course(t)
	now := start.Add(time.Hour)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	at := func(d time.Duration) *time.Time { v := ago(d); return &v }
	w := &progress.Workshop{ID: "w1", Code: "ACDEFG", Title: "Room", Lessons: "alpha beta", Focus: "beta#start", FocusSeq: 2,
		Queue: "beta-multi not-in-course alpha-tf", Moment: "labs-revoked", MomentAt: at(5 * time.Minute)}
	parts := []progress.Participant{
		{ID: "p-ada", LearnerID: "ada", Nickname: "Ada", Lesson: "alpha", JoinedAt: ago(20 * time.Minute), StepAt: ago(10 * time.Minute), LastSeen: ago(30 * time.Second),
			LabCheckAt: at(4 * time.Minute), LabSession: 401, LabToken: 200},
		{ID: "p-bob", LearnerID: "bob", Nickname: "Bob", Lesson: "beta", JoinedAt: ago(20 * time.Minute), StepAt: ago(6 * time.Minute), LastSeen: ago(10 * time.Second),
			LabCheckAt: at(6 * time.Minute), LabSession: 200}, // reported before the moment: not counted
		{ID: "p-cy", LearnerID: "cy", Nickname: "Cy", Lesson: "alpha", Removed: true, JoinedAt: ago(20 * time.Minute), LastSeen: ago(20 * time.Minute),
			LabCheckAt: at(time.Minute), LabSession: 401},
		{ID: "p-dee", LearnerID: "dee", Nickname: "Dee", JoinedAt: ago(2 * time.Minute), LastSeen: ago(2 * time.Minute)},
	}
	rp := &progress.RoomProgress{
		Lessons: map[string][]progress.LessonProgress{
			"ada": {{Slug: "alpha", CompletedAt: at(8 * time.Minute)}},
			"bob": {{Slug: "gamma", CompletedAt: at(time.Minute)}}, // not a lesson of the workshop
			"cy":  {{Slug: "alpha", CompletedAt: at(15 * time.Minute)}},
		},
		Quiz: map[string]map[string]progress.QuizMark{
			"ada": {"alpha-single": {Correct: true, Last: ago(9 * time.Minute)}, "alpha-tf": {Correct: false, Last: ago(9 * time.Minute)}},
			"bob": {"alpha-single": {Correct: false, Last: ago(7 * time.Minute)}, "not-in-course": {Correct: true, Last: ago(time.Second)}},
		},
		Milestones: map[string][]progress.Milestone{"ada": {{Lab: "twin", Name: "login", At: ago(9 * time.Minute)}}},
	}
	board := Rank(parts, []progress.Standing{{ParticipantID: "p-ada", Points: 900, Right: 1, Answered: 1}})
	// The server's reading of the labs: Bob's report is old, Dee has no
	// lab, and Cy is removed, so counts nowhere.
	sides := map[string]LabSides{"p-ada": {Session: 401, Token: 200}, "p-bob": {Session: 401, Token: 401}, "p-cy": {Session: 200, Token: 200}}
	b := buildBoard(cat, w, parts, rp, board, sides, now)

	if b.ID != "w1" || b.Workshop.Code != "ACDEFG" || b.Workshop.FocusSeq != 2 || b.StuckMinutes != 5 || b.Now != now.UnixMilli() || b.Active != 3 {
		t.Errorf("board head: %+v", b)
	}
	rows := map[string]ParticipantRow{}
	for _, row := range b.Participants {
		rows[row.Nickname] = row
	}
	for _, tt := range []struct {
		nick string
		want ParticipantRow
	}{
		// Completed the lesson she is in: not stuck, though her last
		// progress is 8 minutes old.
		{"Ada", ParticipantRow{ID: "p-ada", Nickname: "Ada", Lesson: "alpha", LessonTitle: "Alpha", Completed: 1, QuizRight: 1, QuizAnswered: 2, Points: 900,
			Milestones: 1, LastActivity: ago(30 * time.Second).UnixMilli(), Idle: "now"}},
		// Seen 10 s ago but no progress for 6 minutes: stuck. A lesson
		// and a question outside the workshop do not count.
		{"Bob", ParticipantRow{ID: "p-bob", Nickname: "Bob", Lesson: "beta", LessonTitle: "Beta", QuizAnswered: 1,
			LastActivity: ago(10 * time.Second).UnixMilli(), Idle: "now", Stuck: true}},
		{"Cy", ParticipantRow{ID: "p-cy", Nickname: "Cy", Removed: true, Lesson: "alpha", LessonTitle: "Alpha", Completed: 1,
			LastActivity: ago(15 * time.Minute).UnixMilli(), Idle: "15 min ago"}},
		{"Dee", ParticipantRow{ID: "p-dee", Nickname: "Dee", LastActivity: ago(2 * time.Minute).UnixMilli(), Idle: "2 min ago"}},
	} {
		if got := rows[tt.nick]; got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.nick, got, tt.want)
		}
	}

	// Lessons in the workshop's order; a removed attendee counts in none.
	wantLessons := []LessonStat{
		{LessonRef: LessonRef{Slug: "alpha", Title: "Alpha"}, Here: 1, Completed: 1, Answered: 3, RightPct: 33},
		{LessonRef: LessonRef{Slug: "beta", Title: "Beta"}, Focus: true, Here: 1},
	}
	if len(b.Lessons) != len(wantLessons) {
		t.Fatalf("lessons %+v", b.Lessons)
	}
	for i, want := range wantLessons {
		if b.Lessons[i] != want {
			t.Errorf("lesson %d: %+v, want %+v", i, b.Lessons[i], want)
		}
	}
	// Hardest first: the lowest share right, then the most answered.
	if len(b.Hardest) != 2 || b.Hardest[0].ID != "alpha-tf" || b.Hardest[0].RightPct != 0 || b.Hardest[0].Lesson != "Alpha" ||
		!strings.HasPrefix(b.Hardest[0].Prompt, "A JWT can be revoked") || b.Hardest[1].ID != "alpha-single" || b.Hardest[1].RightPct != 50 || b.Hardest[1].Answered != 2 {
		t.Errorf("hardest %+v", b.Hardest)
	}
	m := b.Moment
	if m == nil || m.Kind != "labs-revoked" || m.At != w.MomentAt.UnixMilli() || m.Active != 3 || m.Reported != 1 ||
		m.Session != (SideTally{Refused: 2, None: 1}) || m.Token != (SideTally{In: 1, Refused: 1, None: 1}) || len(m.Checks) != 3 ||
		m.Checks[0].Nickname != "Ada" || m.Checks[0].Report == nil || *m.Checks[0].Report != (LabSides{Session: 401, Token: 200}) ||
		m.Checks[1].Report != nil || m.Checks[2] != (LabCheckRow{Nickname: "Dee"}) {
		t.Errorf("moment %+v", m)
	}
	if len(b.Queue) != 2 || b.Queue[0].ID != "beta-multi" || b.Queue[0].Prompt != "Which end a session?" || b.Queue[1].ID != "alpha-tf" {
		t.Errorf("queue %+v", b.Queue)
	}
	if len(b.Leaderboard) != 3 || b.Leaderboard[0].Nickname != "Ada" {
		t.Errorf("leaderboard %+v", b.Leaderboard)
	}

	// Once the workshop has ended nobody is stuck.
	ended := *w
	ended.EndedAt = at(time.Minute)
	for _, row := range buildBoard(cat, &ended, parts, rp, board, sides, now).Participants {
		if row.Stuck {
			t.Errorf("%s is stuck in an ended workshop", row.Nickname)
		}
	}
	// No moment, no tally.
	quiet := *w
	quiet.Moment, quiet.MomentAt = "", nil
	if buildBoard(cat, &quiet, parts, rp, board, sides, now).Moment != nil {
		t.Error("a board without a lab moment tallies one")
	}
}

// TestTallyMoment: the tally is the server's reading of each attendee's
// labs; what their lab pages report adds detail and never a count.
func TestTallyMoment(t *testing.T) {
	t.Parallel()
	at := start
	after := at.Add(time.Second)
	for _, tt := range []struct {
		name           string
		parts          []progress.Participant
		sides          map[string]LabSides
		session, token SideTally
		reported       int
	}{
		{name: "no lab anywhere", parts: []progress.Participant{{ID: "a"}, {ID: "b"}},
			session: SideTally{None: 2}, token: SideTally{None: 2}},
		{name: "a forged report that the session is still in changes nothing",
			parts:   []progress.Participant{{ID: "a", LabCheckAt: &after, LabSession: 200, LabToken: 200}},
			sides:   map[string]LabSides{"a": {Session: 401, Token: 200}},
			session: SideTally{Refused: 1}, token: SideTally{In: 1}, reported: 1},
		{name: "a report that all is refused, from a lab never logged in",
			parts:   []progress.Participant{{ID: "a", LabCheckAt: &after, LabSession: 401, LabToken: 401}, {ID: "b"}},
			sides:   map[string]LabSides{"b": {Session: 401, Token: 401}},
			session: SideTally{Refused: 1, None: 1}, token: SideTally{Refused: 1, None: 1}, reported: 1},
		{name: "a report from before the moment is no report",
			parts:   []progress.Participant{{ID: "a", LabCheckAt: &at, LabSession: 401}},
			sides:   map[string]LabSides{"a": {Session: 401, Token: 0}},
			session: SideTally{Refused: 1}, token: SideTally{None: 1}},
		{name: "removed attendees count nowhere",
			parts:   []progress.Participant{{ID: "a", Removed: true, LabCheckAt: &after}, {ID: "b"}},
			sides:   map[string]LabSides{"a": {Session: 200, Token: 200}, "b": {Session: 200, Token: 0}},
			session: SideTally{In: 1}, token: SideTally{None: 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Moment
			tallyMoment(&m, at.Add(time.Nanosecond), tt.parts, tt.sides)
			if m.Session != tt.session || m.Token != tt.token || m.Reported != tt.reported {
				t.Errorf("session %+v token %+v reported %d; want %+v %+v %d", m.Session, m.Token, m.Reported, tt.session, tt.token, tt.reported)
			}
		})
	}
}

func TestSideTally(t *testing.T) {
	t.Parallel()
	var s SideTally
	for _, status := range []int{0, 200, 302, 399, 400, 401, 500} {
		s.add(status)
	}
	if s != (SideTally{In: 3, Refused: 3, None: 1}) {
		t.Errorf("tally %+v", s)
	}
}

func TestBoardHelpers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "now"}, {59 * time.Second, "now"}, {time.Minute, "1 min ago"}, {59*time.Minute + 59*time.Second, "59 min ago"},
		{time.Hour, "1 h ago"}, {26 * time.Hour, "26 h ago"},
	} {
		if got := idleFor(tt.d); got != tt.want {
			t.Errorf("idleFor(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	for _, tt := range []struct{ n, of, want int }{{0, 0, 0}, {1, 3, 33}, {2, 3, 67}, {1, 2, 50}, {3, 3, 100}, {1, 200, 1}, {1, 201, 0}} {
		if got := pct(tt.n, tt.of); got != tt.want {
			t.Errorf("pct(%d, %d) = %d, want %d", tt.n, tt.of, got, tt.want)
		}
	}
	long := strings.Repeat("é", 200)
	if got := plainPrompt(&quiz.Question{Prompt: long}); len([]rune(got)) != 140 || !strings.HasSuffix(got, "…") {
		t.Errorf("a long prompt is cut to %d runes", len([]rune(got)))
	}
	if plainPrompt(nil) != "" || plainPrompt(&quiz.Question{Statement: "S"}) != "S" {
		t.Error("plainPrompt of no question, or of a statement")
	}
}

func TestRoundQuestions(t *testing.T) {
	t.Parallel()
	cat := course(t)
	groups := RoundQuestions(cat, &progress.Workshop{Lessons: "beta alpha gone"})
	if len(groups) != 2 || groups[0].Slug != "beta" || groups[1].Slug != "alpha" || groups[1].Lesson != "Alpha" {
		t.Fatalf("groups %+v", groups)
	}
	var ids []string
	for _, q := range groups[1].Questions {
		ids = append(ids, q.ID)
	}
	if strings.Join(ids, " ") != "alpha-single alpha-tf" { // not the text question
		t.Errorf("alpha offers %v", ids)
	}
}
