package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

func TestPracticeStats(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	tallies := []progress.Tally{
		{QuestionID: "a", Answers: 2, Correct: 2}, {QuestionID: "b", Answers: 2, Correct: 0}, {QuestionID: "c", Answers: 2, Correct: 2},
		{QuestionID: "gone", Answers: 5, Correct: 5}, // no longer in the course: not counted
	}
	// A run of three days, a gap, then the current run of three.
	days := []string{"2025-03-01", "2025-03-02", "2025-03-03", "2025-03-08", "2025-03-09", "2025-03-10"}
	cards := []quiz.Card{
		{QuestionID: "a", Due: now.Add(-30 * time.Hour)}, {QuestionID: "b", Due: now.Add(5 * time.Hour)},
		{QuestionID: "c", Due: now.Add(50 * time.Hour)}, {QuestionID: "d", Due: now.Add(30 * 24 * time.Hour)},
	}
	st := newPracticeStats(bank, tallies, days, cards, now)
	if st.Answered != 6 || st.Correct != 4 || st.Percent != 66 {
		t.Errorf("totals %d/%d %d%%", st.Correct, st.Answered, st.Percent)
	}
	if st.Streak != 3 || st.Longest != 3 || !st.Today || st.Days != 6 {
		t.Errorf("streak %d longest %d today %v days %d", st.Streak, st.Longest, st.Today, st.Days)
	}
	// Today: the overdue card and the one due at 20:00; Wed 12 Mar: c.
	if st.DueToday != 2 || st.DueWeek != 3 || st.Week[0].Count != 2 || st.Week[2].Count != 1 || st.Week[2].Label != "Wed 12 Mar" {
		t.Errorf("due today %d, week %d %+v", st.DueToday, st.DueWeek, st.Week)
	}
	if len(st.Weakest) != 1 || st.Weakest[0].Name != "tokens" || st.Weakest[0].Percent != 0 {
		t.Errorf("weakest %+v", st.Weakest)
	}
	if st.Levels[0].Answered != 2 || st.Levels[1].Answered != 2 || st.Levels[2].Answered != 2 || st.Levels[2].Percent != 100 {
		t.Errorf("levels %+v", st.Levels)
	}
	// Yesterday's practice keeps the streak alive until today ends.
	if st = newPracticeStats(bank, nil, days[:5], nil, now); st.Streak != 2 || st.Today {
		t.Errorf("before practising today: streak %d today %v", st.Streak, st.Today)
	}
	if st = newPracticeStats(bank, nil, days[:3], nil, now); st.Streak != 0 || st.Longest != 3 {
		t.Errorf("a broken streak: %d (longest %d)", st.Streak, st.Longest)
	}
	if st = newPracticeStats(bank, nil, nil, nil, now); st.Streak != 0 || st.Longest != 0 || st.Answered != 0 || len(st.Week) != 7 {
		t.Errorf("nothing recorded: %+v", st)
	}
}

// testBank is a tiny bank: a (sessions, level 1), b (tokens, level 2),
// c (sessions, level 3), d (open, follows up nothing); a lists b and c
// as follow-ups.
func testBank(t *testing.T) *quiz.Bank {
	t.Helper()
	mk := func(id string, lvl int, topic string, follow ...string) *quiz.Question {
		return &quiz.Question{ID: id, Type: quiz.Open, Level: lvl, Topics: []string{topic}, Interview: true, FollowUps: follow}
	}
	b, err := quiz.NewBank([]*quiz.Question{mk("a", 1, "sessions", "b", "c"), mk("b", 2, "tokens", "c"), mk("c", 3, "sessions"), mk("d", 2, "tokens")})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMockChain(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	q := func(id string) *quiz.Question { x, _ := bank.Question(id); return x }
	for _, tc := range []struct {
		candidates []string
		n          int
		want       []string
	}{
		{[]string{"a", "b", "c", "d"}, 3, []string{"a", "b", "c"}},
		{[]string{"d", "b", "a", "c"}, 2, []string{"b", "c"}},           // the first with follow-ups opens
		{[]string{"d", "b", "a", "c"}, 1, []string{"d"}},                // one prompt: the first
		{[]string{"d", "c", "b", "a"}, 4, []string{"b", "c", "d", "a"}}, // a new chain when one runs dry
		{[]string{"a"}, 3, []string{"a", "b", "c"}},                     // follow-ups come from the bank
		{nil, 3, nil},
	} {
		var cands []*quiz.Question
		for _, id := range tc.candidates {
			cands = append(cands, q(id))
		}
		if got := ids(mockChain(bank, cands, tc.n)); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("mockChain(%v, %d) = %v, want %v", tc.candidates, tc.n, got, tc.want)
		}
	}
	chain := mockChain(bank, []*quiz.Question{q("a"), q("d")}, 3)
	if f := followUpOf(chain, 1); f == nil || f.ID != "a" {
		t.Errorf("b follows up %v", f)
	}
	if f := followUpOf(chain, 0); f != nil {
		t.Errorf("the first prompt follows up %v", f.ID)
	}
}

func TestRecentFromAttempts(t *testing.T) {
	t.Parallel()
	at := func(run, q, source string) progress.Attempt {
		return progress.Attempt{QuestionID: q, Source: source, Answer: `{"run":"` + run + `"}`}
	}
	atts := []progress.Attempt{ // oldest first
		at("r1", "q1", drillSource), at("r2", "q2", drillSource), at("r3", "q3", mockSource),
		at("r4", "q4", drillSource), {QuestionID: "lesson", Source: "lesson", Answer: `{"run":"r4"}`}, at("r4", "q5", drillSource),
	}
	got := recentFromAttempts(atts, 3)
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

func TestPracticeURLRoundTrip(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	a, _ := bank.Question("a")
	c, _ := bank.Question("c")
	p := practice{Kind: kindMock, ID: "ABCDEFGH234567", Qs: []*quiz.Question{c, a}, Timer: 600, Whole: true,
		Start: time.Unix(1741600000, 0).UTC()}
	u, _ := url.Parse(p.url(1))
	got, status, msg := parsePractice(u.Query(), bank, time.Unix(1741600100, 0))
	if msg != "" || got.Kind != p.Kind || got.ID != p.ID || !slices.Equal(ids(got.Qs), []string{"c", "a"}) || got.Timer != 600 ||
		!got.Whole || !got.Start.Equal(p.Start) {
		t.Errorf("round trip: %+v (%d %s)", got, status, msg)
	}
	if !got.deadline().Equal(p.Start.Add(10 * time.Minute)) {
		t.Errorf("deadline %v", got.deadline())
	}
}

// TestLearnerNow: the browser's offset sets the learner's day; a missing
// or absurd one means UTC.
func TestLearnerNow(t *testing.T) {
	for _, c := range []struct {
		cookie string
		offset int // seconds east of UTC
	}{{"", 0}, {"-300", -5 * 3600}, {"330", 5*3600 + 30*60}, {"840", 14 * 3600}, {"841", 0}, {"-9999", 0}, {"abc", 0}} {
		w := httptest.NewRecorder()
		ctx, _ := gin.CreateTestContext(w)
		ctx.Request = httptest.NewRequest("GET", "/interview", nil)
		if c.cookie != "" {
			ctx.Request.AddCookie(&http.Cookie{Name: tzCookie, Value: c.cookie})
		}
		if _, off := learnerNow(ctx).Zone(); off != c.offset {
			t.Errorf("cookie %q: offset %d s, want %d", c.cookie, off, c.offset)
		}
	}
	// Midnight is the learner's: 23:30 UTC is already tomorrow in Tokyo.
	tokyo := time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC).In(time.FixedZone("", 9*3600))
	if got := startOfDay(tokyo).UTC(); !got.Equal(time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("start of the Tokyo day: %v", got)
	}
}
