package web

import (
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"slices"
	"strconv"

	"github.com/authlab/authlab/quiz"
)

// gradedTypes are the question types a quick drill draws: the ones the
// server can mark at once.
var gradedTypes = []quiz.Type{quiz.Single, quiz.Multi, quiz.TrueFalse, quiz.Order, quiz.Match, quiz.Text}

// practiceFilter is what the learner chose on /interview.
type practiceFilter struct {
	Topics []string
	Levels []int
	N      int
	Timer  int  // seconds; 0 for none
	Whole  bool // Timer is for the whole run, not each question
	Seed   uint64
	Seeded bool
}

// readFilter reads the start form (a GET query). A bad value is a
// sentence for a 400; nothing is guessed.
func readFilter(q url.Values, bank *quiz.Bank, n, nMax int, timer string) (practiceFilter, string) {
	f := practiceFilter{N: n}
	topics := interviewTopics(bank)
	for _, t := range q["topic"] {
		if t == "" {
			continue
		}
		if !slices.Contains(topics, t) {
			return f, fmt.Sprintf("There is no interview topic %q. Choose topics from the list on /interview.", truncate(t, 60))
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
	if f.Timer, f.Whole, ok = parseTimer(timer); !ok {
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

// parseTimer reads "none", "q60" (per question) or "d600" (whole run).
func parseTimer(v string) (secs int, whole, ok bool) {
	if v == "" || v == "none" {
		return 0, false, true
	}
	if len(v) < 2 || (v[0] != 'q' && v[0] != 'd') {
		return 0, false, false
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil || n < 10 || n > maxTimer {
		return 0, false, false
	}
	return n, v[0] == 'd', true
}

// rng is the run's random source: seeded for a reproducible draw.
func (f practiceFilter) rng() *mrand.Rand {
	if f.Seeded {
		return mrand.New(mrand.NewPCG(f.Seed, 0x5eed))
	}
	return mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
}

// interviewTopics lists the topics of the interview bank, sorted.
func interviewTopics(bank *quiz.Bank) []string {
	var ts []string
	for _, q := range bank.All() {
		if q.Interview {
			ts = append(ts, q.Topics...)
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}
