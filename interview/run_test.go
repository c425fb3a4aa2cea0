package interview

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/quiz"
)

func TestRunURLRoundTrip(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	r := Run{Kind: KindMock, ID: "ABCDEFGH234567", Qs: []*quiz.Question{question(t, bank, "c"), question(t, bank, "a")}, Timer: 600, Whole: true,
		Start: time.Unix(1741600000, 0).UTC()}
	for _, link := range []string{r.URL(1), r.SummaryURL(), r.AnswerURL(0)} {
		u, _ := url.Parse(link)
		got, err := ParseRun(u.Query(), bank, time.Unix(1741600100, 0))
		if err != nil || got.Kind != r.Kind || got.ID != r.ID || !slices.Equal(ids(got.Qs), []string{"c", "a"}) || got.Timer != 600 ||
			!got.Whole || !got.Start.Equal(r.Start) {
			t.Errorf("round trip of %s: %+v (%v)", link, got, err)
		}
	}
	if !r.Deadline().Equal(r.Start.Add(10 * time.Minute)) {
		t.Errorf("deadline %v", r.Deadline())
	}
	if r.NextURL(0) != r.URL(1) || r.NextURL(1) != r.SummaryURL() {
		t.Errorf("next of 0: %s, of 1: %s", r.NextURL(0), r.NextURL(1))
	}
	if f := r.FollowUpOf(1); f != nil { // a lists c as a follow-up, not the other way round
		t.Errorf("a follows up %s", f.ID)
	}
}

// TestParseRun: every malformed link is refused with a reason; one that
// names a question the course no longer has is Gone.
func TestParseRun(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	now := time.Unix(1741600100, 0)
	for _, tc := range []struct {
		query string
		want  string // in the message; "" for a good link
		gone  bool
	}{
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a,b", "", false},
		{"kind=due&id=abcdefgh12&at=1700000000&q=a&timer=60", "", false},
		{"", "kind is drill, mock, due or module", false},
		{"kind=quiz&id=abcdefgh12&at=1700000000&q=a", "kind is drill, mock, due or module", false},
		{"kind=drill&id=short&at=1&q=a", "8 to 32 letters", false},
		{"kind=drill&id=abc-defgh12&at=1&q=a", "8 to 32 letters", false},
		{"kind=drill&id=abcdefgh12&at=99999999999&q=a", "not in the future", false},
		{"kind=drill&id=abcdefgh12&at=0&q=a", "in Unix seconds", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a&timer=99999", "seconds from 0 to 3600", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a&whole=yes", "whole is 1", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=", "1 to 50 question ids", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=" + strings.Repeat("a,", 50) + "a", "1 to 50 question ids", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a,a", "listed twice", false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a&kind=mock", `"kind" twice`, false},
		{"kind=drill&id=abcdefgh12&at=1700000000&q=a,gone", "not in the course any more", true},
	} {
		v, _ := url.ParseQuery(tc.query)
		_, err := ParseRun(v, bank, now)
		var le *LinkError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.query, err)
		case tc.want == "":
		case !errors.As(err, &le) || !strings.Contains(le.Msg, tc.want) || le.Gone != tc.gone:
			t.Errorf("%s: %v (gone %v), want %q (gone %v)", tc.query, err, le != nil && le.Gone, tc.want, tc.gone)
		}
	}
}

func TestParseIndex(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	r := Run{Qs: []*quiz.Question{question(t, bank, "a"), question(t, bank, "b")}}
	for _, tc := range []struct {
		raw   string
		atEnd bool
		want  int
		ok    bool
	}{
		{"", false, 0, true}, {"1", false, 1, true}, {"2", false, 0, false}, {"2", true, 2, true},
		{"3", true, 0, false}, {"-1", true, 0, false}, {"x", false, 0, false},
	} {
		got, err := r.ParseIndex(tc.raw, tc.atEnd)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("i=%q atEnd=%v: %d %v", tc.raw, tc.atEnd, got, err)
		}
	}
}

// TestRunLate: an answer is late after a whole-run deadline, or when it
// took longer than a per-question timer; an untimed run is never late.
func TestRunLate(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		timer   int
		whole   bool
		at      time.Duration // after the start
		elapsed time.Duration
		late    bool
	}{
		{"no timer", 0, false, 10 * time.Hour, 10 * time.Hour, false},
		{"per question, in time", 60, false, time.Hour, 59 * time.Second, false},
		{"per question, on the second", 60, false, time.Hour, 60 * time.Second, false},
		{"per question, over", 60, false, 2 * time.Minute, 61 * time.Second, true},
		{"per question, unknown elapsed", 60, false, time.Hour, 0, false},
		{"whole run, in time", 600, true, 9 * time.Minute, time.Hour, false},
		{"whole run, at the deadline", 600, true, 10 * time.Minute, 0, false},
		{"whole run, past it", 600, true, 10*time.Minute + time.Second, 0, true},
	} {
		r := Run{Timer: tc.timer, Whole: tc.whole, Start: start}
		if got := r.Late(start.Add(tc.at), tc.elapsed); got != tc.late {
			t.Errorf("%s: late %v, want %v", tc.name, got, tc.late)
		}
	}
}

// TestRunLateAfterReload: a question's clock runs from when it was first
// shown (Shown), not from when its page was last loaded, so an answer 35
// s after a 30-second question first appeared is late even though the
// reloaded page measured 5 s; and the time kept is the 35 s, rounded up
// to the millisecond so that it is over the limit whenever it is late.
func TestRunLateAfterReload(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	shown := start.Add(2 * time.Minute)
	r := Run{Timer: 30, Start: start, Shown: shown}
	for _, tc := range []struct {
		name   string
		since  time.Duration // from Shown to the answer
		page   time.Duration // what the page measured
		millis int
		late   bool
	}{
		{"reloaded at 30 s, sent at 35 s", 35 * time.Second, 5 * time.Second, 35000, true},
		{"in time", 29 * time.Second, 29 * time.Second, 29000, false},
		{"on the limit", 30 * time.Second, 0, 30000, false},
		{"a fraction over", 30*time.Second + 400*time.Microsecond, 0, 30001, true},
		{"the page measured more (another replica's clock)", time.Second, 40 * time.Second, 40000, true},
	} {
		millis, late := r.Timing(shown.Add(tc.since), tc.page)
		if millis != tc.millis || late != tc.late {
			t.Errorf("%s: %d ms, late %v; want %d ms, late %v", tc.name, millis, late, tc.millis, tc.late)
		}
		if m := (Meta{Millis: millis, Late: late}); late && m.Time() <= Clock(r.Timer) {
			t.Errorf("%s: a late answer shows %s, not over the limit %s", tc.name, m.Time(), Clock(r.Timer))
		}
	}
	// Without Shown (a page from before, or a client of its own), the
	// page's measure is all there is.
	if millis, late := (Run{Timer: 30, Start: start}).Timing(shown.Add(time.Hour), 12*time.Second); millis != 12000 || late {
		t.Errorf("without Shown: %d ms, late %v", millis, late)
	}
}

// TestShownURL: a question's first showing travels in its own URL and its
// answer's, not in the links to other questions or the summary.
func TestShownURL(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	now := time.UnixMilli(1741600100123)
	r := Run{Kind: KindDrill, ID: "ABCDEFGH234567", Qs: []*quiz.Question{question(t, bank, "a"), question(t, bank, "b")}, Timer: 30,
		Start: time.Unix(1741600000, 0).UTC()}
	if !r.NeedsClock() {
		t.Error("a run with a timer per question does not start the question's clock")
	}
	u, _ := url.Parse(r.ShownURL(0, now))
	got, err := ParseRun(u.Query(), bank, now)
	if err != nil || !got.Shown.Equal(now) || got.NeedsClock() {
		t.Fatalf("%s: shown %v (%v)", u, got.Shown, err)
	}
	if a := got.AnswerURL(0); !strings.HasSuffix(a, "&i=0&shown=1741600100123") {
		t.Errorf("answer URL %s", a)
	}
	if strings.Contains(got.NextURL(0), "shown=") || strings.Contains(got.SummaryURL(), "shown=") {
		t.Errorf("the next question or the summary keeps this question's clock: %s %s", got.NextURL(0), got.SummaryURL())
	}
	for _, run := range []Run{{Timer: 600, Whole: true}, {}} {
		if run.NeedsClock() {
			t.Errorf("%+v needs a clock of its own", run)
		}
	}
	for _, bad := range []string{"0", "-5", "x", "99999999999999"} {
		v := u.Query()
		v.Set("shown", bad)
		if _, err := ParseRun(v, bank, now); err == nil || !strings.Contains(err.Error(), "Unix milliseconds") {
			t.Errorf("shown=%s: %v", bad, err)
		}
	}
	v := u.Query()
	v.Add("shown", "1741600100000")
	if _, err := ParseRun(v, bank, now); err == nil || !strings.Contains(err.Error(), `"shown" twice`) {
		t.Errorf("shown twice: %v", err)
	}
}

func TestNewTimer(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		run      Run
		answered bool
		at       time.Duration
		want     *Timer
	}{
		{"none", Run{Start: start}, false, 0, nil},
		{"per question, not shown yet", Run{Timer: 60, Start: start}, false, time.Hour,
			&Timer{Seconds: 60, Remaining: 60, RemainingMS: 60000, Label: "1:00 per question", Clock: "1:00"}},
		// Shown a minute after the start: 8.5 s later (a reload, say),
		// 51.5 s are left, shown as 0:52.
		{"per question, shown 8.5 s ago", Run{Timer: 60, Start: start, Shown: start.Add(time.Minute)}, false, time.Minute + 8500*time.Millisecond,
			&Timer{Seconds: 60, Remaining: 52, RemainingMS: 51500, Label: "1:00 per question", Clock: "0:52"}},
		{"per question, shown long ago", Run{Timer: 60, Start: start, Shown: start}, false, time.Hour,
			&Timer{Seconds: 60, Remaining: 0, RemainingMS: 0, Label: "1:00 per question", Clock: "0:00"}},
		{"per question, answered", Run{Timer: 60, Start: start}, true, 0, nil},
		{"whole run", Run{Timer: 600, Whole: true, Start: start}, false, 90*time.Second + time.Millisecond,
			&Timer{Seconds: 600, Remaining: 510, RemainingMS: 509999, Whole: true, Label: "10:00 for the whole run", Clock: "8:30"}},
		{"whole run, answered, over", Run{Timer: 600, Whole: true, Start: start}, true, time.Hour,
			&Timer{Seconds: 600, Remaining: 0, Whole: true, Label: "10:00 for the whole run", Clock: "0:00"}},
	} {
		got := tc.run.NewTimer(tc.answered, start.Add(tc.at))
		if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	for _, tc := range []struct {
		query string
		want  Filter
		msg   string
	}{
		{"", Filter{N: 10}, ""},
		{"topic=tokens&topic=sessions&topic=tokens&topic=&level=3&level=1&n=5", Filter{Topics: []string{"tokens", "sessions"}, Levels: []int{3, 1}, N: 5}, ""},
		{"timer=q60", Filter{N: 10, Timer: 60}, ""},
		{"timer=d600&seed=7", Filter{N: 10, Timer: 600, Whole: true, Seed: 7, Seeded: true}, ""},
		{"timer=none", Filter{N: 10}, ""},
		{"topic=nope", Filter{}, "no interview topic"},
		{"level=4", Filter{}, "A level is 1"},
		{"n=0", Filter{}, "from 1 to 30"},
		{"n=31", Filter{}, "from 1 to 30"},
		{"timer=q5", Filter{}, "The timer is"},
		{"timer=x60", Filter{}, "The timer is"},
		{"timer=d3601", Filter{}, "The timer is"},
		{"seed=-1", Filter{}, "seed"},
	} {
		v, _ := url.ParseQuery(tc.query)
		got, msg := ParseFilter(v, bank, 10, 30, "none")
		if tc.msg != "" {
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("%q: message %q, want %q", tc.query, msg, tc.msg)
			}
			continue
		}
		if msg != "" || !slices.Equal(got.Topics, tc.want.Topics) || !slices.Equal(got.Levels, tc.want.Levels) || got.N != tc.want.N ||
			got.Timer != tc.want.Timer || got.Whole != tc.want.Whole || got.Seed != tc.want.Seed || got.Seeded != tc.want.Seeded {
			t.Errorf("%q: %+v %q, want %+v", tc.query, got, msg, tc.want)
		}
	}
	// The default timer applies when the form leaves it out.
	if f, _ := ParseFilter(url.Values{}, bank, 3, 6, "q120"); f.Timer != 120 || f.Whole {
		t.Errorf("default timer: %+v", f)
	}
	// A seed gives the same random source.
	a, _ := ParseFilter(url.Values{"seed": {"42"}}, bank, 1, 1, "none")
	if a.Rand().Uint64() != a.Rand().Uint64() {
		t.Error("a seeded filter draws differently twice")
	}
}

func TestTopics(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	if got := Topics(cat.Bank); !slices.Equal(got, []string{"cookies", "revocation", "sessions", "tokens"}) {
		t.Errorf("topics %v", got)
	}
	graded, n := KindTopics(cat.Bank, GradedTypes)
	if n != 5 || !slices.Equal(graded, []TopicCount{{"cookies", 2}, {"revocation", 1}, {"sessions", 2}, {"tokens", 2}}) {
		t.Errorf("drill topics %v (%d questions)", graded, n)
	}
	open, n := KindTopics(cat.Bank, OpenTypes)
	if n != 3 || !slices.Equal(open, []TopicCount{{"revocation", 1}, {"sessions", 2}, {"tokens", 1}}) {
		t.Errorf("mock topics %v (%d prompts)", open, n)
	}
	if got := ids(CheatSheet(cat.Bank, Filter{Topics: []string{"revocation"}})); !slices.Equal(got, []string{"iv-session-end"}) {
		t.Errorf("cheat sheet for revocation: %v", got)
	}
}
