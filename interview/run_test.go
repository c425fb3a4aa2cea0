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
		{"per question", Run{Timer: 60, Start: start}, false, time.Hour, &Timer{Seconds: 60, Remaining: 60, Label: "1:00 per question", Clock: "1:00"}},
		{"per question, answered", Run{Timer: 60, Start: start}, true, 0, nil},
		{"whole run", Run{Timer: 600, Whole: true, Start: start}, false, 90*time.Second + time.Millisecond,
			&Timer{Seconds: 600, Remaining: 510, Whole: true, Label: "10:00 for the whole run", Clock: "8:30"}},
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
