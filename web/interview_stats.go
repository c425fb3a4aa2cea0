package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// practiceStats is what the stats page shows. Every answer counts, in
// lessons as in interview mode: they are the same questions. Days are
// UTC days.
type practiceStats struct {
	Answered, Correct int
	Percent           int
	Topics, Levels    []accuracy // by topic (most answered first) and by level 1–3
	Weakest           []accuracy // up to three topics with the lowest accuracy
	Streak            int        // days in a row with an answer, up to today (or yesterday)
	Longest           int
	Days              int  // days with any answer
	Today             bool // answered something today
	DueToday          int
	Week              []forecastDay // cards falling due on each of seven days from today
	DueWeek           int
	Cards             int
}

// accuracy is one row of an accuracy table.
type accuracy struct {
	Name              string
	Level             int
	Answered, Correct int
	Percent           int
	Lessons           []*lessonLink // weakest topics: where to read up
}

type forecastDay struct {
	Label string
	Count int
}

// minWeak is how many answers a topic needs before it can be called weak.
const minWeak = 2

// newPracticeStats computes the stats from a learner's answers per
// question, the UTC days they practised (YYYY-MM-DD, sorted) and their
// cards.
func newPracticeStats(bank *quiz.Bank, tallies []progress.Tally, days []string, cards []quiz.Card, now time.Time) practiceStats {
	var st practiceStats
	topics := map[string]*accuracy{}
	levels := [3]accuracy{{Name: "Basics", Level: 1}, {Name: "Practitioner", Level: 2}, {Name: "Deep dive", Level: 3}}
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
				acc = &accuracy{Name: t}
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
	slices.SortFunc(st.Topics, func(a, b accuracy) int { return cmp.Or(b.Answered-a.Answered, cmp.Compare(a.Name, b.Name)) })
	for _, l := range levels {
		l.Percent = ratio(l.Correct, l.Answered)
		st.Levels = append(st.Levels, l)
	}
	for _, t := range st.Topics {
		if t.Answered >= minWeak && t.Percent < 100 {
			st.Weakest = append(st.Weakest, t)
		}
	}
	slices.SortStableFunc(st.Weakest, func(a, b accuracy) int { return cmp.Or(a.Percent-b.Percent, b.Answered-a.Answered) })
	st.Weakest = st.Weakest[:min(3, len(st.Weakest))]

	st.Days = len(days)
	st.Streak, st.Longest, st.Today = streaks(days, now)

	st.Cards = len(cards)
	st.DueToday = len(quiz.DueQueue(cards, endOfDay(now), 0))
	// Counted from the start of today, the forecast's days are calendar
	// days: the first is "today", overdue cards included.
	today := startOfDay(now)
	for i, n := range quiz.Forecast(cards, today, 7) {
		st.Week = append(st.Week, forecastDay{Label: dayLabel(today, i), Count: n})
		st.DueWeek += n
	}
	return st
}

// streaks returns the current run of practice days (ending today, or
// yesterday while today is still open), the longest run, and whether
// today counts. days are sorted YYYY-MM-DD dates.
func streaks(days []string, now time.Time) (current, longest int, today bool) {
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
	day := startOfDay(now)
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

func dayLabel(today time.Time, i int) string {
	switch i {
	case 0:
		return "Today"
	case 1:
		return "Tomorrow"
	}
	return today.AddDate(0, 0, i).Format("Mon 2 Jan")
}

func ratio(n, d int) int {
	if d == 0 {
		return 0
	}
	return n * 100 / d
}

// statsPage is GET /interview/stats.
type statsPage struct {
	Page
	Stats practiceStats
	Max   int // the largest forecast day, for the bars
}

// interviewStats is GET /interview/stats. A visitor with nothing
// recorded gets the empty state; nothing is created.
func (s *Server) interviewStats(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	p := statsPage{Page: s.base(c, "Interview stats", "interview")}
	p.Description = "Accuracy by topic and level, your practice streak and the cards due this week."
	if v := viewerFrom(c); v != nil {
		st, err := s.learnerStats(c, cat, v.LearnerID)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.Stats = st
		for _, d := range st.Week {
			p.Max = max(p.Max, d.Count)
		}
	}
	s.html(c, http.StatusOK, "interview_stats", p)
}

// learnerStats reads a learner's answers and cards and computes the stats.
func (s *Server) learnerStats(c *gin.Context, cat *lessons.Catalog, learner string) (practiceStats, error) {
	ctx := c.Request.Context()
	tallies, err := s.store.Tallies(ctx, learner)
	if err != nil {
		return practiceStats{}, err
	}
	now := learnerNow(c)
	_, offset := now.Zone()
	days, err := s.store.PracticeDays(ctx, learner, time.Duration(offset)*time.Second)
	if err != nil {
		return practiceStats{}, err
	}
	cards, err := s.quizCards(c, learner)
	if err != nil {
		return practiceStats{}, err
	}
	st := newPracticeStats(cat.Bank, tallies, days, cards, now)
	for i := range st.Weakest {
		for _, l := range topicLessons(cat, st.Weakest[i].Name, 2) {
			st.Weakest[i].Lessons = append(st.Weakest[i].Lessons, linkTo(l))
		}
	}
	return st, nil
}
