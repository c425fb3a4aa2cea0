package interview

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/quiz"
)

// Run is one practice run, as its URL holds it (see the package comment).
type Run struct {
	Kind  string
	ID    string
	Qs    []*quiz.Question
	Timer int  // seconds; 0 for none
	Whole bool // Timer is for the whole run, else for each question
	Start time.Time
	// Shown is when the question of this URL was first shown, for a timer
	// per question (ShownURL); zero before. Its clock counts from then, so
	// a reload neither restarts it nor forgets that it ran out.
	Shown time.Time
}

var runIDRe = regexp.MustCompile(`^[A-Za-z0-9]{8,32}$`)

// query is the run's part of its URLs.
func (r Run) query() string {
	q := "kind=" + r.Kind + "&id=" + r.ID + "&at=" + strconv.FormatInt(r.Start.Unix(), 10)
	if r.Timer > 0 {
		q += "&timer=" + strconv.Itoa(r.Timer)
		if r.Whole {
			q += "&whole=1"
		}
	}
	return q + "&q=" + joinIDs(r.Qs)
}

// URL is the page of question i.
func (r Run) URL(i int) string {
	return "/interview/practice?" + r.query() + "&i=" + strconv.Itoa(i)
}

// SummaryURL is the run's summary page.
func (r Run) SummaryURL() string { return "/interview/summary?" + r.query() }

// ShownURL is the page of question i once its clock started at shown.
// Only the question's own page and its answer carry it (AnswerURL): the
// next question's clock starts when that one is shown.
func (r Run) ShownURL(i int, shown time.Time) string {
	return r.URL(i) + shownParam(shown)
}

// shownParam is the URL parameter that keeps when a question was first
// shown (ParseRun reads it back).
func shownParam(shown time.Time) string {
	return "&shown=" + strconv.FormatInt(shown.UnixMilli(), 10)
}

// NeedsClock reports whether a question of the run has a clock of its
// own that has not started yet: the page should be sent to ShownURL
// first (an answered question no longer shows its clock).
func (r Run) NeedsClock() bool { return r.Timer > 0 && !r.Whole && r.Shown.IsZero() }

// AnswerURL is where the answer to question i is posted, with when it was
// first shown (Shown) if it has a clock of its own.
func (r Run) AnswerURL(i int) string {
	u := "/interview/practice/answer?" + r.query() + "&i=" + strconv.Itoa(i)
	if !r.Shown.IsZero() {
		u += shownParam(r.Shown)
	}
	return u
}

// NextURL is where question i leads once answered or skipped: the next
// question, or the summary after the last.
func (r Run) NextURL(i int) string {
	if i+1 >= len(r.Qs) {
		return r.SummaryURL()
	}
	return r.URL(i + 1)
}

// Deadline is when a whole-run timer runs out (zero without one).
func (r Run) Deadline() time.Time {
	if r.Timer == 0 || !r.Whole {
		return time.Time{}
	}
	return r.Start.Add(time.Duration(r.Timer) * time.Second)
}

// Took is how long an answer sent at now took, given what the page
// measured (elapsed; 0 when unknown): the longer of that and the time
// since the question was first shown (Shown), since a reload restarts
// the page's own count but not the question's.
func (r Run) Took(now time.Time, elapsed time.Duration) time.Duration {
	if r.Shown.IsZero() {
		return elapsed
	}
	return max(elapsed, now.Sub(r.Shown))
}

// Late reports whether an answer sent at now, after elapsed on its
// question as the page measured it (see Took), came after the timer ran
// out: past the deadline of a whole-run timer, or longer than a
// per-question one. An untimed run is never late.
func (r Run) Late(now time.Time, elapsed time.Duration) bool {
	switch {
	case r.Timer == 0:
		return false
	case r.Whole:
		return now.After(r.Deadline())
	}
	return r.Took(now, elapsed) > r.limit()
}

// Timing is the time part of the Meta of an answer sent at now, after
// elapsed as the page measured it: how long it took (Took) in
// milliseconds, rounded up so that a late answer never comes out at the
// limit itself, and whether it was late.
func (r Run) Timing(now time.Time, elapsed time.Duration) (millis int, late bool) {
	took := r.Took(now, elapsed)
	return int((took + time.Millisecond - 1) / time.Millisecond), r.Late(now, elapsed)
}

// limit is the timer as a duration.
func (r Run) limit() time.Duration { return time.Duration(r.Timer) * time.Second }

// LinkError is a run URL that cannot be followed, said for the learner.
// Gone: it names a question the course no longer has (anything else is
// malformed).
type LinkError struct {
	Msg  string
	Gone bool
}

func (e *LinkError) Error() string { return e.Msg }

func broken(format string, args ...any) (Run, error) {
	return Run{}, &LinkError{Msg: fmt.Sprintf(format, args...)}
}

// ParseRun reads a run from a URL query; a *LinkError says what is wrong
// with it.
func ParseRun(v url.Values, bank *quiz.Bank, now time.Time) (Run, error) {
	var r Run
	for _, name := range []string{"kind", "id", "at", "q", "timer", "whole", "i", "shown"} {
		if len(v[name]) > 1 {
			return broken("The link gives %q twice.", name)
		}
	}
	switch r.Kind = v.Get("kind"); r.Kind {
	case KindDrill, KindMock, KindDue, KindModule:
	default:
		return broken("This practice link is broken: kind is drill, mock, due or module. Start a new run from /interview.")
	}
	if r.ID = v.Get("id"); !runIDRe.MatchString(r.ID) {
		return broken("This practice link is broken: its id is 8 to 32 letters and digits. Start a new run from /interview.")
	}
	at, err := strconv.ParseInt(v.Get("at"), 10, 64)
	if err != nil || at <= 0 || at > now.Add(time.Hour).Unix() {
		return broken("This practice link is broken: at is when the run started, in Unix seconds, not in the future.")
	}
	r.Start = time.Unix(at, 0).UTC()
	if t := v.Get("timer"); t != "" {
		r.Timer, err = strconv.Atoi(t)
		if err != nil || r.Timer < 0 || r.Timer > MaxTimer {
			return broken("The timer is a number of seconds from 0 to %d.", MaxTimer)
		}
	}
	switch v.Get("whole") {
	case "":
	case "1":
		r.Whole = true
	default:
		return broken("whole is 1 (one timer for the whole run) or left out.")
	}
	if s := v.Get("shown"); s != "" {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms <= 0 || ms > now.Add(time.Hour).UnixMilli() {
			return broken("shown is when the question was first shown, in Unix milliseconds, not in the future.")
		}
		r.Shown = time.UnixMilli(ms).UTC()
	}
	ids := strings.Split(v.Get("q"), ",")
	if v.Get("q") == "" || len(ids) > PracticeMax {
		return broken("A run lists 1 to %d question ids.", PracticeMax)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		q, ok := bank.Question(id)
		if !ok {
			return Run{}, &LinkError{Msg: fmt.Sprintf("The question %q is not in the course any more. Start a new run from /interview.", clip(id, 100)), Gone: true}
		}
		if seen[id] {
			return broken("The question %q is listed twice.", clip(id, 100))
		}
		seen[id] = true
		r.Qs = append(r.Qs, q)
	}
	return r, nil
}

// ParseIndex reads the question's place in the run (the "i" of its
// URLs, 0 when absent); it may be len(Qs), the end, only when atEnd.
func (r Run) ParseIndex(raw string, atEnd bool) (int, error) {
	if raw == "" {
		return 0, nil
	}
	limit := len(r.Qs) - 1
	if atEnd {
		limit++
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > limit {
		return 0, &LinkError{Msg: fmt.Sprintf("i is the question's place in the run, from 0 to %d.", limit)}
	}
	return n, nil
}

// FollowUpOf returns the earlier question of the run that lists Qs[i] as
// a follow-up, if any.
func (r Run) FollowUpOf(i int) *quiz.Question {
	for j := i - 1; j >= 0; j-- {
		if slices.Contains(r.Qs[j].FollowUps, r.Qs[i].ID) {
			return r.Qs[j]
		}
	}
	return nil
}

// Timer is a run's visible countdown on one question's page.
type Timer struct {
	Seconds     int   // the limit
	Remaining   int   // seconds left at the time given to NewTimer, rounded up as the clock shows them
	RemainingMS int64 // the same to the millisecond, so the page's clock runs out when the server's does
	Whole       bool
	Label       string
	Clock       string
}

// NewTimer is the countdown of question's page at now: nil without a
// timer, and once a question with its own timer is answered. A whole-run
// timer counts down from the run's start and goes on after an answer; a
// per-question one from when the question was first shown (Shown; in
// full before that).
func (r Run) NewTimer(answered bool, now time.Time) *Timer {
	if r.Timer == 0 || (answered && !r.Whole) {
		return nil
	}
	left := r.limit()
	switch {
	case r.Whole:
		left = r.Deadline().Sub(now)
	case !r.Shown.IsZero():
		left -= now.Sub(r.Shown)
	}
	left = max(0, min(left, r.limit()))
	t := &Timer{Seconds: r.Timer, Remaining: int(math.Ceil(left.Seconds())), RemainingMS: left.Milliseconds(), Whole: r.Whole,
		Label: TimerLabel(r.Timer, r.Whole)}
	t.Clock = Clock(t.Remaining)
	return t
}

// joinIDs writes question ids for a run URL; ids are slugs, so commas
// need no escaping.
func joinIDs(qs []*quiz.Question) string {
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	return strings.Join(ids, ",")
}
