package quiz

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestReviewSM2(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		ratings   []Rating
		intervals []int // after each review
		ease      float64
		reps      int
		lapses    int
	}{
		{"good three times", []Rating{Good, Good, Good}, []int{1, 6, 15}, 2.5, 3, 0},
		{"good four times", []Rating{Good, Good, Good, Good}, []int{1, 6, 15, 38}, 2.5, 4, 0},
		{"easy three times", []Rating{Easy, Easy, Easy}, []int{1, 6, 17}, 2.8, 3, 0},
		{"hard three times", []Rating{Hard, Hard, Hard}, []int{1, 6, 14}, 2.08, 3, 0},
		{"again on a new card", []Rating{Again}, []int{1}, 1.96, 0, 0},
		{"lapse after two successes", []Rating{Good, Good, Again}, []int{1, 6, 1}, 1.96, 0, 1},
		{"relearn keeps the lower ease", []Rating{Good, Good, Again, Good, Good, Good}, []int{1, 6, 1, 1, 6, 12}, 1.96, 3, 1},
		{"ease floors at 1.3", []Rating{Again, Again, Again, Again}, []int{1, 1, 1, 1}, 1.3, 0, 0},
		{"two lapses", []Rating{Good, Again, Good, Again}, []int{1, 1, 1, 1}, 1.42, 0, 2},
		{"out of range ratings clamp", []Rating{0, 9}, []int{1, 1}, 2.06, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewCard("q", t0)
			now := t0
			for i, r := range tt.ratings {
				c = c.Review(r, now)
				if c.Interval != tt.intervals[i] {
					t.Errorf("after review %d (%v): interval %d, want %d", i+1, r, c.Interval, tt.intervals[i])
				}
				want := now.AddDate(0, 0, tt.intervals[i])
				if r.Quality() < 3 {
					want = now.Add(RelearnStep) // relearned in the same sitting
				}
				if !c.Due.Equal(want) || !c.Last.Equal(now) {
					t.Errorf("after review %d: due %v last %v, want due %v", i+1, c.Due, c.Last, want)
				}
				now = c.Due // the learner reviews on the day it falls due
			}
			if math.Abs(c.Ease-tt.ease) > 1e-9 || c.Reps != tt.reps || c.Lapses != tt.lapses {
				t.Errorf("ease %v reps %d lapses %d, want %v %d %d", c.Ease, c.Reps, c.Lapses, tt.ease, tt.reps, tt.lapses)
			}
			if c.QuestionID != "q" {
				t.Errorf("QuestionID %q", c.QuestionID)
			}
		})
	}
}

func TestReviewZeroCard(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := Card{QuestionID: "q"}.Review(Good, now)
	if c.Ease != InitialEase || c.Interval != 1 || c.Reps != 1 {
		t.Errorf("zero card after Good: %+v", c)
	}
}

func TestRatingQuality(t *testing.T) {
	t.Parallel()
	for r, want := range map[Rating]int{Again: 1, Hard: 3, Good: 4, Easy: 5} {
		if got := r.Quality(); got != want {
			t.Errorf("%v.Quality() = %d, want %d", r, got, want)
		}
	}
	if Again.String() != "again" || Easy.String() != "easy" {
		t.Error("rating names")
	}
}

func TestRatingFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		res  Result
		want Rating
	}{
		{Result{Score: 1, Correct: true}, Good},
		{Result{Score: 2.0 / 3, Correct: true}, Good}, // an open answer that passed
		{Result{Score: 0.75}, Hard},
		{Result{Score: 0.5}, Hard},
		{Result{Score: 0.25}, Again},
		{Result{}, Again},
	}
	for _, tt := range tests {
		if got := RatingFor(tt.res); got != tt.want {
			t.Errorf("RatingFor(%+v) = %v, want %v", tt.res, got, tt.want)
		}
	}
}

func TestDueQueue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	cards := []Card{
		{QuestionID: "tomorrow", Due: now.Add(day)},
		{QuestionID: "b-now", Due: now},
		{QuestionID: "week-late", Due: now.Add(-7 * day)},
		{QuestionID: "a-now", Due: now},
		{QuestionID: "hour-late", Due: now.Add(-time.Hour)},
		{QuestionID: "in-an-hour", Due: now.Add(time.Hour)},
	}
	ids := func(cs []Card) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.QuestionID)
		}
		return out
	}
	tests := []struct {
		name  string
		now   time.Time
		limit int
		want  []string
	}{
		{"all due", now, 0, []string{"week-late", "hour-late", "a-now", "b-now"}},
		{"limited", now, 2, []string{"week-late", "hour-late"}},
		{"end of day", now.Add(11 * time.Hour), -1, []string{"week-late", "hour-late", "a-now", "b-now", "in-an-hour"}},
		{"long ago", now.Add(-30 * day), 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ids(DueQueue(cards, tt.now, tt.limit)); !slices.Equal(got, tt.want) {
				t.Errorf("DueQueue = %v, want %v", got, tt.want)
			}
		})
	}
	if got := Forecast(cards, now, 3); !slices.Equal(got, []int{5, 1, 0}) {
		t.Errorf("Forecast = %v, want [5 1 0]", got)
	}
}
