package interview

import (
	"cmp"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"slices"
	"strconv"

	"github.com/authlab/authlab/quiz"
)

// Filter is what the learner chose on /interview: the topics, levels,
// size and timer of a run.
type Filter struct {
	Topics []string
	Levels []int
	N      int
	Timer  int  // seconds; 0 for none
	Whole  bool // Timer is for the whole run, not each question
	Seed   uint64
	Seeded bool
}

// ParseFilter reads the start form (a GET query): n is the default size
// and nMax the largest, timer the default timer (see ParseTimer). A bad
// value is a sentence for the learner; nothing is guessed.
func ParseFilter(q url.Values, bank *quiz.Bank, n, nMax int, timer string) (Filter, string) {
	f := Filter{N: n}
	topics := Topics(bank)
	for _, t := range q["topic"] {
		if t == "" {
			continue
		}
		if !slices.Contains(topics, t) {
			return f, fmt.Sprintf("There is no interview topic %q. Choose topics from the list on /interview.", clip(t, 60))
		}
		if !slices.Contains(f.Topics, t) {
			f.Topics = append(f.Topics, t)
		}
	}
	for _, l := range q["level"] {
		if l == "" {
			continue
		}
		v, err := strconv.Atoi(l)
		if err != nil || v < 1 || v > 3 {
			return f, "A level is 1 (basics), 2 (practitioner) or 3 (deep dive)."
		}
		if !slices.Contains(f.Levels, v) {
			f.Levels = append(f.Levels, v)
		}
	}
	if v := q.Get("n"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 || k > nMax {
			return f, fmt.Sprintf("The number of questions is a whole number from 1 to %d.", nMax)
		}
		f.N = k
	}
	if q.Has("timer") {
		timer = q.Get("timer")
	}
	var ok bool
	if f.Timer, f.Whole, ok = ParseTimer(timer); !ok {
		return f, "The timer is “none”, q followed by seconds per question (q60) or d followed by seconds for the whole run (d600), at most 3600."
	}
	if v := q.Get("seed"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return f, "The seed is a whole number."
		}
		f.Seed, f.Seeded = s, true
	}
	return f, ""
}

// ParseTimer reads "none", "q60" (per question) or "d600" (whole run):
// 10 to MaxTimer seconds.
func ParseTimer(v string) (secs int, whole, ok bool) {
	if v == "" || v == "none" {
		return 0, false, true
	}
	if len(v) < 2 || (v[0] != 'q' && v[0] != 'd') {
		return 0, false, false
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil || n < 10 || n > MaxTimer {
		return 0, false, false
	}
	return n, v[0] == 'd', true
}

// Rand is the run's random source: seeded for a reproducible draw.
func (f Filter) Rand() *mrand.Rand {
	if f.Seeded {
		return mrand.New(mrand.NewPCG(f.Seed, 0x5eed))
	}
	return mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
}

// Topics lists the topics of the interview bank, sorted.
func Topics(bank *quiz.Bank) []string {
	var ts []string
	for _, q := range bank.All() {
		if q.Interview {
			ts = append(ts, q.Topics...)
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// TopicCount is a topic and how many questions have it.
type TopicCount struct {
	Name  string
	Count int
}

// KindTopics lists, sorted, the topics of the interview questions of the
// given types — the pool a drill (GradedTypes) or a mock interview and
// the cheat sheet (OpenTypes) draw from — each with its number of
// questions, and how many such questions there are. A topic none of them
// has is left out, so no choice on /interview leads to an empty run.
func KindTopics(bank *quiz.Bank, types []quiz.Type) ([]TopicCount, int) {
	qs := bank.Select(quiz.Filter{Types: types, InterviewOnly: true})
	counts := map[string]int{}
	for _, q := range qs {
		for _, t := range q.Topics {
			counts[t]++
		}
	}
	out := make([]TopicCount, 0, len(counts))
	for t, n := range counts {
		out = append(out, TopicCount{Name: t, Count: n})
	}
	slices.SortFunc(out, func(a, b TopicCount) int { return cmp.Compare(a.Name, b.Name) })
	return out, len(qs)
}

// CheatSheet is every open prompt of the filter's topics and levels,
// basics first, for the printable sheet of model answers.
func CheatSheet(bank *quiz.Bank, f Filter) []*quiz.Question {
	qs := bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: OpenTypes, InterviewOnly: true})
	slices.SortStableFunc(qs, func(a, b *quiz.Question) int { return cmp.Compare(a.Level, b.Level) })
	return qs
}

// clip keeps the first n bytes of s, for messages that quote what the
// learner sent (%q shows a cut rune as an escape).
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
