package interview

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Clock formats seconds as m:ss.
func Clock(secs int) string {
	if secs < 0 {
		secs = 0
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// TimerLabel says what a run's timer is, for people.
func TimerLabel(secs int, whole bool) string {
	switch {
	case secs == 0:
		return ""
	case whole:
		return Clock(secs) + " for the whole run"
	}
	return Clock(secs) + " per question"
}

// StartOfDay is midnight of t's day in t's location.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// EndOfDay is the last instant of t's day in t's location: "due today"
// means due by then.
func EndOfDay(t time.Time) time.Time { return StartOfDay(t).AddDate(0, 0, 1).Add(-time.Nanosecond) }

// In is now in the zone the browser reported as its offset from UTC in
// minutes east (a cookie's value, as theme.js writes it), so "today",
// "due today" and streaks follow the learner's days. It is UTC when the
// browser has not said, or said nonsense.
func In(now time.Time, offsetMinutes string) time.Time {
	mins, err := strconv.Atoi(offsetMinutes)
	if offsetMinutes == "" || err != nil || mins < -14*60 || mins > 14*60 {
		return now.UTC()
	}
	return now.In(time.FixedZone("", mins*60))
}

// ComesBack says when a card is due next, for people: a missed card
// relearned within the session (quiz.RelearnStep) in minutes, a
// scheduled one in days.
func ComesBack(due, now time.Time) string {
	d := due.Sub(now)
	switch mins := int(math.Ceil(d.Minutes())); {
	case d <= 0:
		return "today"
	case mins == 1:
		return "in a minute"
	case d < time.Hour:
		return fmt.Sprintf("in %d minutes", mins)
	}
	switch days := int(math.Ceil(d.Hours() / 24)); days {
	case 1:
		return "tomorrow"
	default:
		return fmt.Sprintf("in %d days", days)
	}
}

// dayLabel names day i of a forecast starting today.
func dayLabel(today time.Time, i int) string {
	switch i {
	case 0:
		return "Today"
	case 1:
		return "Tomorrow"
	}
	return today.AddDate(0, 0, i).Format("Mon 2 Jan")
}

// Percent is a score from 0 to 1 as a whole percentage, rounded to the
// nearest. Every percentage of interview mode goes through it, so a
// summary and the stats never disagree over the same answers (2 of 3 is
// 67% on both).
func Percent(score float64) int { return int(math.Round(score * 100)) }

// ratio is n of d as a whole percentage (Percent); 0 of nothing.
func ratio(n, d int) int {
	if d == 0 {
		return 0
	}
	return Percent(float64(n) / float64(d))
}
