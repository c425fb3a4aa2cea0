package quiz

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func q(id string, typ Type, level int, interview bool, topics ...string) *Question {
	return &Question{ID: id, Type: typ, Level: level, Interview: interview, Topics: topics, File: "f.md", Line: 1}
}

func ids(qs []*Question) []string {
	out := []string{}
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

func testBank(t *testing.T) *Bank {
	t.Helper()
	b, err := NewBank([]*Question{
		q("a", Single, 1, true, "sessions", "cookies"),
		q("b", Multi, 2, true, "jwt"),
		q("c", Open, 3, true, "jwt", "revocation"),
		q("d", TrueFalse, 1, false, "cookies"),
		q("e", Text, 2, true),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewBank(t *testing.T) {
	t.Parallel()
	b := testBank(t)
	if got, ok := b.Question("c"); !ok || got.ID != "c" {
		t.Errorf("Question(c) = %v, %v", got, ok)
	}
	if _, ok := b.Question("zz"); ok {
		t.Error("Question(zz) found")
	}
	if got := ids(b.All()); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("All = %v", got)
	}
	if got := b.Topics(); !slices.Equal(got, []string{"cookies", "jwt", "revocation", "sessions"}) {
		t.Errorf("Topics = %v", got)
	}

	dup := &Question{ID: "a", File: "g.md", Line: 7}
	_, err := NewBank([]*Question{q("a", Single, 1, true), dup})
	var qe *Error
	if !errors.As(err, &qe) || qe.File != "g.md" || qe.Line != 7 || !strings.Contains(qe.Msg, "f.md:1") {
		t.Errorf("duplicate id: %v", err)
	}

	follow := q("x", Open, 1, true)
	follow.FollowUps = []string{"a", "missing"}
	_, err = NewBank([]*Question{q("a", Open, 1, true), follow})
	if !errors.As(err, &qe) || !strings.Contains(qe.Msg, `"missing"`) {
		t.Errorf("unknown follow-up: %v", err)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	b := testBank(t)
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"everything", Filter{}, []string{"a", "b", "c", "d", "e"}},
		{"one topic", Filter{Topics: []string{"jwt"}}, []string{"b", "c"}},
		{"any of two topics", Filter{Topics: []string{"cookies", "revocation"}}, []string{"a", "c", "d"}},
		{"levels", Filter{Levels: []int{2, 3}}, []string{"b", "c", "e"}},
		{"types", Filter{Types: []Type{Open, Text}}, []string{"c", "e"}},
		{"interview only", Filter{InterviewOnly: true}, []string{"a", "b", "c", "e"}},
		{"combined", Filter{Topics: []string{"cookies"}, Levels: []int{1}, InterviewOnly: true}, []string{"a"}},
		{"nothing matches", Filter{Topics: []string{"oauth"}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ids(b.Select(tt.f)); !slices.Equal(got, tt.want) {
				t.Errorf("Select = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDrill(t *testing.T) {
	t.Parallel()
	var pool []*Question
	for i := range 20 {
		pool = append(pool, q(fmt.Sprintf("q%02d", i), Single, 1, true))
	}
	recent := map[string]bool{}
	for i := range 15 {
		recent[fmt.Sprintf("q%02d", i)] = true
	}
	rng := func(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

	t.Run("no repeats and fresh first", func(t *testing.T) {
		t.Parallel()
		got := Drill(pool, 10, recent, rng(1))
		if len(got) != 10 {
			t.Fatalf("%d questions, want 10", len(got))
		}
		seen := map[string]bool{}
		for i, q := range got {
			if seen[q.ID] {
				t.Errorf("%s twice", q.ID)
			}
			seen[q.ID] = true
			if i < 5 && recent[q.ID] {
				t.Errorf("position %d is recent (%s) while 5 fresh questions exist", i, q.ID)
			}
			if i >= 5 && !recent[q.ID] {
				t.Errorf("position %d is fresh (%s) after the fresh ones ran out", i, q.ID)
			}
		}
	})
	t.Run("only fresh when enough", func(t *testing.T) {
		t.Parallel()
		for _, q := range Drill(pool, 5, recent, rng(2)) {
			if recent[q.ID] {
				t.Errorf("recent %s drawn while fresh ones remain", q.ID)
			}
		}
	})
	t.Run("small pool", func(t *testing.T) {
		t.Parallel()
		got := Drill(append(pool[:3:3], pool[0]), 10, recent, rng(3))
		if len(got) != 3 {
			t.Errorf("%v: want the 3 distinct questions", ids(got))
		}
	})
	t.Run("deterministic per seed", func(t *testing.T) {
		t.Parallel()
		a, b := ids(Drill(pool, 10, recent, rng(4))), ids(Drill(pool, 10, recent, rng(4)))
		if !slices.Equal(a, b) {
			t.Errorf("same seed: %v then %v", a, b)
		}
		if c := ids(Drill(pool, 10, nil, rng(5))); slices.Equal(c, ids(Drill(pool, 10, nil, rng(6)))) {
			t.Errorf("seeds 5 and 6 draw the same drill %v", c)
		}
	})
	t.Run("pool untouched", func(t *testing.T) {
		t.Parallel()
		before := ids(pool)
		Drill(pool, 10, recent, rng(7))
		if !slices.Equal(before, ids(pool)) {
			t.Error("Drill reordered its pool")
		}
	})
	t.Run("zero", func(t *testing.T) {
		t.Parallel()
		if got := Drill(pool, 0, nil, rng(8)); got == nil || len(got) != 0 {
			t.Errorf("Drill(n=0) = %v", got)
		}
	})
}
