package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Bank is every question of the course, by id.
type Bank struct {
	byID  map[string]*Question
	order []*Question
}

// NewBank indexes questions in course order. It fails with an *Error on a
// duplicate id (naming both places) or a follow-up that is no question of
// the bank.
func NewBank(qs []*Question) (*Bank, error) {
	b := &Bank{byID: make(map[string]*Question, len(qs))}
	for _, q := range qs {
		if prev, ok := b.byID[q.ID]; ok {
			return nil, &Error{File: q.File, Line: q.Line, Msg: fmt.Sprintf("duplicate quiz id %q (first at %s:%d)", q.ID, prev.File, prev.Line)}
		}
		b.byID[q.ID] = q
		b.order = append(b.order, q)
	}
	for _, q := range b.order {
		for _, f := range q.FollowUps {
			if _, ok := b.byID[f]; !ok {
				return nil, &Error{File: q.File, Line: q.Line, Msg: fmt.Sprintf("%s: follow-up %q is not a question id", q.ID, f)}
			}
		}
	}
	return b, nil
}

// Question returns the question with that id.
func (b *Bank) Question(id string) (*Question, bool) { q, ok := b.byID[id]; return q, ok }

// All returns every question in course order.
func (b *Bank) All() []*Question { return b.order }

// Topics returns every topic of the bank, sorted, each once.
func (b *Bank) Topics() []string {
	var ts []string
	for _, q := range b.order {
		ts = append(ts, q.Topics...)
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// Filter narrows the bank for a drill. An empty list does not filter; a
// question passes Topics when it has any of them.
type Filter struct {
	Topics        []string
	Levels        []int
	Types         []Type
	InterviewOnly bool // only questions in the interview bank
}

// Select returns the questions that pass f, in course order.
func (b *Bank) Select(f Filter) []*Question {
	var out []*Question
	for _, q := range b.order {
		if f.InterviewOnly && !q.Interview {
			continue
		}
		if len(f.Levels) > 0 && !slices.Contains(f.Levels, q.Level) {
			continue
		}
		if len(f.Types) > 0 && !slices.Contains(f.Types, q.Type) {
			continue
		}
		if len(f.Topics) > 0 && !slices.ContainsFunc(q.Topics, func(t string) bool { return slices.Contains(f.Topics, t) }) {
			continue
		}
		out = append(out, q)
	}
	return out
}

// Drill draws up to n distinct questions from pool in random order:
// questions not in recent first, then recent ones when the fresh ones
// run out (a small pool still gives a full drill). The same rng seed
// gives the same drill. A question listed twice in pool counts once.
func Drill(pool []*Question, n int, recent map[string]bool, rng *rand.Rand) []*Question {
	if n <= 0 {
		return []*Question{}
	}
	var fresh, seen []*Question
	ids := make(map[string]bool, len(pool))
	for _, q := range pool {
		if ids[q.ID] {
			continue
		}
		ids[q.ID] = true
		if recent[q.ID] {
			seen = append(seen, q)
		} else {
			fresh = append(fresh, q)
		}
	}
	rng.Shuffle(len(fresh), func(i, j int) { fresh[i], fresh[j] = fresh[j], fresh[i] })
	rng.Shuffle(len(seen), func(i, j int) { seen[i], seen[j] = seen[j], seen[i] })
	out := append(fresh, seen...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}
