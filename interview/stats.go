package interview

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Stats is what the stats page shows. Every answer counts, in lessons as
// in interview mode: they are the same questions. Days are the learner's.
type Stats struct {
	Answered, Correct int
	Percent           int
	Topics, Levels    []Accuracy // by topic (most answered first) and by level 1–3
	Weakest           []Accuracy // up to three topics with the lowest accuracy
	Streak            int        // days in a row with an answer, up to today (or yesterday)
	Longest           int
	Days              int  // days with any answer
	Today             bool // answered something today
	DueToday          int
	Week              []ForecastDay // cards falling due on each of seven days from today
	DueWeek           int
	Cards             int
	Late              int // interview answers sent after their timer ran out (filled by LateAnswers)
}

// Accuracy is one row of an accuracy table.
type Accuracy struct {
	Name              string
	Level             int
	Answered, Correct int
	Percent           int
	Lessons           []*LessonLink // weakest topics: where to read up
}

// ForecastDay is one day of the week's forecast of due cards.
type ForecastDay struct {
	Label string
	Count int
}

// minWeak is how many answers a topic needs before it can be called weak.
const minWeak = 2

// NewStats computes the stats from a learner's answers per question, the
// days they practised (YYYY-MM-DD, sorted, in now's zone) and their cards.
func NewStats(bank *quiz.Bank, tallies []progress.Tally, days []string, cards []quiz.Card, now time.Time) Stats {
	var st Stats
	topics := map[string]*Accuracy{}
	levels := [3]Accuracy{{Name: "Basics", Level: 1}, {Name: "Practitioner", Level: 2}, {Name: "Deep dive", Level: 3}}
	for _, tl := range tallies {
		q, ok := bank.Question(tl.QuestionID)
		if !ok {
			continue // no longer in the course
		}
		st.Answered += tl.Answers
		st.Correct += tl.Correct
		for _, t := range q.Topics {
			acc := topics[t]
			if acc == nil {
				acc = &Accuracy{Name: t}
				topics[t] = acc
			}
			acc.Answered += tl.Answers
			acc.Correct += tl.Correct
		}
		if q.Level >= 1 && q.Level <= 3 {
			levels[q.Level-1].Answered += tl.Answers
			levels[q.Level-1].Correct += tl.Correct
		}
	}
	st.Percent = ratio(st.Correct, st.Answered)
	for _, acc := range topics {
		acc.Percent = ratio(acc.Correct, acc.Answered)
		st.Topics = append(st.Topics, *acc)
	}
	slices.SortFunc(st.Topics, func(a, b Accuracy) int { return cmp.Or(b.Answered-a.Answered, cmp.Compare(a.Name, b.Name)) })
	for _, l := range levels {
		l.Percent = ratio(l.Correct, l.Answered)
		st.Levels = append(st.Levels, l)
	}
	for _, t := range st.Topics {
		// Not Percent < 100: rounded, 199 of 200 is 100% yet a miss.
		if t.Answered >= minWeak && t.Correct < t.Answered {
			st.Weakest = append(st.Weakest, t)
		}
	}
	slices.SortStableFunc(st.Weakest, func(a, b Accuracy) int { return cmp.Or(a.Percent-b.Percent, b.Answered-a.Answered) })
	st.Weakest = st.Weakest[:min(3, len(st.Weakest))]

	st.Days = len(days)
	st.Streak, st.Longest, st.Today = Streaks(days, now)

	st.Cards = len(cards)
	st.DueToday = len(quiz.DueQueue(cards, EndOfDay(now), 0))
	// Counted from the start of today, the forecast's days are calendar
	// days: the first is "today", overdue cards included.
	today := StartOfDay(now)
	for i, n := range quiz.Forecast(cards, today, 7) {
		st.Week = append(st.Week, ForecastDay{Label: dayLabel(today, i), Count: n})
		st.DueWeek += n
	}
	return st
}

// MaxDue is the largest day of the forecast, for the bars.
func (st Stats) MaxDue() int {
	m := 0
	for _, d := range st.Week {
		m = max(m, d.Count)
	}
	return m
}

// Streaks returns the current run of practice days (ending today, or
// yesterday while today is still open), the longest run, and whether
// today counts. days are sorted YYYY-MM-DD dates.
func Streaks(days []string, now time.Time) (current, longest int, today bool) {
	has := make(map[string]bool, len(days))
	run := 0
	var prev time.Time
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		has[d] = true
		if !prev.IsZero() && t.Sub(prev) == 24*time.Hour {
			run++
		} else {
			run = 1
		}
		prev = t
		longest = max(longest, run)
	}
	day := StartOfDay(now)
	today = has[day.Format(time.DateOnly)]
	if !today {
		day = day.AddDate(0, 0, -1)
	}
	for has[day.Format(time.DateOnly)] {
		current++
		day = day.AddDate(0, 0, -1)
	}
	return current, longest, today
}

// LearnerStats reads a learner's answers and cards and computes the
// stats at now (in the learner's zone), with lessons to read for the
// weakest topics.
func (s *Service) LearnerStats(ctx context.Context, cat *lessons.Catalog, learner string, now time.Time) (Stats, error) {
	tallies, err := s.store.Tallies(ctx, learner)
	if err != nil {
		return Stats{}, err
	}
	_, offset := now.Zone()
	days, err := s.store.PracticeDays(ctx, learner, time.Duration(offset)*time.Second)
	if err != nil {
		return Stats{}, err
	}
	cards, err := s.Cards(ctx, learner)
	if err != nil {
		return Stats{}, err
	}
	st := NewStats(cat.Bank, tallies, days, cards, now)
	for i := range st.Weakest {
		for _, l := range TopicLessons(cat, st.Weakest[i].Name, 2) {
			st.Weakest[i].Lessons = append(st.Weakest[i].Lessons, LinkTo(l))
		}
	}
	return st, nil
}

// LateAnswers counts the learner's interview answers sent after their
// timer ran out.
func (s *Service) LateAnswers(ctx context.Context, learner string) (int, error) {
	atts, err := s.store.AttemptsSince(ctx, learner, time.Time{}, SourceDrill, SourceMock)
	if err != nil {
		return 0, err
	}
	return countLate(atts), nil
}

func countLate(atts []progress.Attempt) int {
	n := 0
	for i := range atts {
		if !strings.Contains(atts[i].Answer, `"late":true`) {
			continue // how encoding/json writes it: skip the rest unparsed
		}
		if m, ok := ReadMeta(&atts[i]); ok && m.Late {
			n++
		}
	}
	return n
}
