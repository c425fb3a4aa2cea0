package interview

import (
	"context"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

func TestNewStats(t *testing.T) {
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
	st := NewStats(bank, tallies, days, cards, now)
	if st.Answered != 6 || st.Correct != 4 || st.Percent != 67 { // rounded to the nearest, as Percent does
		t.Errorf("totals %d/%d %d%%", st.Correct, st.Answered, st.Percent)
	}
	if st.Streak != 3 || st.Longest != 3 || !st.Today || st.Days != 6 {
		t.Errorf("streak %d longest %d today %v days %d", st.Streak, st.Longest, st.Today, st.Days)
	}
	// Today: the overdue card and the one due at 20:00; Wed 12 Mar: c.
	if st.DueToday != 2 || st.DueWeek != 3 || st.Week[0].Count != 2 || st.Week[2].Count != 1 || st.Week[2].Label != "Wed 12 Mar" || st.MaxDue() != 2 {
		t.Errorf("due today %d, week %d %+v", st.DueToday, st.DueWeek, st.Week)
	}
	if st.Week[0].Label != "Today" || st.Week[1].Label != "Tomorrow" {
		t.Errorf("week labels %+v", st.Week)
	}
	if len(st.Weakest) != 1 || st.Weakest[0].Name != "tokens" || st.Weakest[0].Percent != 0 {
		t.Errorf("weakest %+v", st.Weakest)
	}
	if st.Levels[0].Answered != 2 || st.Levels[1].Answered != 2 || st.Levels[2].Answered != 2 || st.Levels[2].Percent != 100 {
		t.Errorf("levels %+v", st.Levels)
	}
	if st = NewStats(bank, nil, nil, nil, now); st.Streak != 0 || st.Longest != 0 || st.Answered != 0 || len(st.Week) != 7 || st.MaxDue() != 0 {
		t.Errorf("nothing recorded: %+v", st)
	}
}

// TestPercentOneRule: the summary's score (Percent) and the stats'
// accuracy (ratio) round the same way, to the nearest: 2 of 3 is 67% on
// both pages, not 67% on one and 66% on the other.
func TestPercentOneRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ n, d, want int }{{2, 3, 67}, {1, 3, 33}, {1, 8, 13}, {1, 200, 1}, {0, 5, 0}, {5, 5, 100}, {0, 0, 0}} {
		if got := ratio(tc.n, tc.d); got != tc.want {
			t.Errorf("%d of %d: %d%%, want %d%%", tc.n, tc.d, got, tc.want)
		}
		if tc.d > 0 && Percent(float64(tc.n)/float64(tc.d)) != ratio(tc.n, tc.d) {
			t.Errorf("%d of %d: Percent and ratio disagree", tc.n, tc.d)
		}
	}
	// Rounded, 199 of 200 is 100%, yet the topic had a miss: it can
	// still be among the weakest.
	bank := testBank(t)
	st := NewStats(bank, []progress.Tally{{QuestionID: "a", Answers: 200, Correct: 199}}, nil, nil, time.Now())
	if len(st.Weakest) == 0 || st.Weakest[0].Percent != 100 {
		t.Errorf("a topic with one miss in 200: weakest %+v", st.Weakest)
	}
}

func TestStreaks(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name             string
		days             []string
		current, longest int
		today            bool
	}{
		{"none", nil, 0, 0, false},
		{"today only", []string{"2025-03-10"}, 1, 1, true},
		{"yesterday keeps it until today ends", []string{"2025-03-08", "2025-03-09"}, 2, 2, false},
		{"broken two days ago", []string{"2025-03-01", "2025-03-02", "2025-03-03"}, 0, 3, false},
		{"a gap, then today", []string{"2025-03-01", "2025-03-02", "2025-03-03", "2025-03-09", "2025-03-10"}, 2, 3, true},
		{"a bad date is skipped", []string{"2025-03-09", "nonsense", "2025-03-10"}, 2, 2, true},
		{"across a month", []string{"2025-02-28", "2025-03-01"}, 0, 2, false},
	} {
		c, l, today := Streaks(tc.days, now)
		if c != tc.current || l != tc.longest || today != tc.today {
			t.Errorf("%s: streak %d longest %d today %v, want %d %d %v", tc.name, c, l, today, tc.current, tc.longest, tc.today)
		}
	}
}

// TestLearnerStats: the stats of a stored history, with lessons to read
// for the weakest topic.
func TestLearnerStats(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	st := newFakeStore(func() time.Time { return now })
	st.days = []string{"2025-03-09", "2025-03-10"}
	svc := New(st)
	ctx := context.Background()
	for i, id := range []string{"s-one", "s-two", "t-two"} {
		_, _ = st.RecordAttempt(ctx, &progress.Attempt{LearnerID: "ann", Key: id, QuestionID: id, Source: "lesson", Correct: i == 0, Score: float64(1 - i%2)})
		_, _ = st.RecordAttempt(ctx, &progress.Attempt{LearnerID: "ann", Key: id + "2", QuestionID: id, Source: "lesson", Correct: i == 0, Score: float64(1 - i%2)})
	}
	stats, err := svc.LearnerStats(ctx, cat, "ann", now)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Answered != 6 || stats.Correct != 2 || stats.Streak != 2 || !stats.Today {
		t.Errorf("stats %+v", stats)
	}
	if len(stats.Weakest) == 0 || stats.Weakest[0].Percent != 0 || len(stats.Weakest[0].Lessons) == 0 {
		t.Fatalf("weakest %+v", stats.Weakest)
	}
	for _, w := range stats.Weakest {
		for _, l := range w.Lessons {
			if l.Href != "/lessons/sessions" && l.Href != "/lessons/tokens" {
				t.Errorf("%s: read %+v", w.Name, l)
			}
		}
	}
}

func TestTimes(t *testing.T) {
	t.Parallel()
	for secs, want := range map[int]string{-5: "0:00", 0: "0:00", 59: "0:59", 60: "1:00", 3599: "59:59", 3600: "60:00"} {
		if got := Clock(secs); got != want {
			t.Errorf("Clock(%d) = %q, want %q", secs, got, want)
		}
	}
	for _, tc := range []struct {
		secs  int
		whole bool
		want  string
	}{{0, false, ""}, {0, true, ""}, {60, false, "1:00 per question"}, {600, true, "10:00 for the whole run"}} {
		if got := TimerLabel(tc.secs, tc.whole); got != tc.want {
			t.Errorf("TimerLabel(%d, %v) = %q", tc.secs, tc.whole, got)
		}
	}
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		due  time.Duration
		want string
	}{
		{-time.Hour, "today"}, {0, "today"}, {30 * time.Second, "in a minute"}, {quiz.RelearnStep, "in 10 minutes"},
		{time.Hour, "tomorrow"}, {24 * time.Hour, "tomorrow"}, {25 * time.Hour, "in 2 days"}, {6 * 24 * time.Hour, "in 6 days"},
	} {
		if got := ComesBack(now.Add(tc.due), now); got != tc.want {
			t.Errorf("due in %v: %q, want %q", tc.due, got, tc.want)
		}
	}
	// The browser's offset sets the learner's day; a missing or absurd
	// one means UTC.
	for _, c := range []struct {
		cookie string
		offset int // seconds east of UTC
	}{{"", 0}, {"-300", -5 * 3600}, {"330", 5*3600 + 30*60}, {"840", 14 * 3600}, {"841", 0}, {"-9999", 0}, {"abc", 0}} {
		if _, off := In(now, c.cookie).Zone(); off != c.offset {
			t.Errorf("offset %q: %d s, want %d", c.cookie, off, c.offset)
		}
	}
	// Midnight is the learner's: 23:30 UTC is already tomorrow in Tokyo.
	tokyo := time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC).In(time.FixedZone("", 9*3600))
	if got := StartOfDay(tokyo).UTC(); !got.Equal(time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("start of the Tokyo day: %v", got)
	}
	if got := EndOfDay(now); !got.Equal(time.Date(2025, 3, 10, 23, 59, 59, 999999999, time.UTC)) {
		t.Errorf("end of day %v", got)
	}
}
