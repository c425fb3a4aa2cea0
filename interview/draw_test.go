package interview

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/authlab/authlab/quiz"
)

func TestMockChain(t *testing.T) {
	t.Parallel()
	bank := testBank(t)
	for _, tc := range []struct {
		candidates []string
		n          int
		want       []string
	}{
		{[]string{"a", "b", "c", "d"}, 3, []string{"a", "b", "c"}},
		{[]string{"d", "b", "a", "c"}, 2, []string{"b", "c"}},           // the first with follow-ups opens
		{[]string{"d", "b", "a", "c"}, 1, []string{"d"}},                // one prompt: the first
		{[]string{"d", "c", "b", "a"}, 4, []string{"b", "c", "d", "a"}}, // a new chain when one runs dry
		{[]string{"a"}, 3, []string{"a", "b", "c"}},                     // follow-ups come from the bank
		{[]string{"a", "b"}, 0, nil},
		{nil, 3, nil},
	} {
		var cands []*quiz.Question
		for _, id := range tc.candidates {
			cands = append(cands, question(t, bank, id))
		}
		if got := ids(MockChain(bank, cands, tc.n)); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("MockChain(%v, %d) = %v, want %v", tc.candidates, tc.n, got, tc.want)
		}
	}
	chain := Run{Qs: MockChain(bank, []*quiz.Question{question(t, bank, "a"), question(t, bank, "d")}, 3)}
	if f := chain.FollowUpOf(1); f == nil || f.ID != "a" {
		t.Errorf("b follows up %v", f)
	}
	if f := chain.FollowUpOf(0); f != nil {
		t.Errorf("the first prompt follows up %v", f.ID)
	}
}

// TestDraw: a drill draws graded questions of the filter, fresh ones
// first; a mock interview chains open prompts; an empty pool is said;
// the due round lists due cards, most overdue first.
func TestDraw(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	now := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	st := newFakeStore(func() time.Time { return now })
	svc := New(st).WithClock(func() time.Time { return now })
	ctx := context.Background()

	qs, err := svc.Drill(ctx, "", cat.Bank, Filter{Topics: []string{"sessions"}, N: 10, Seeded: true})
	if err != nil || !sameSet(ids(qs), []string{"s-one", "s-two"}) {
		t.Errorf("drill on sessions: %v %v", ids(qs), err)
	}
	if _, err := svc.Drill(ctx, "", cat.Bank, Filter{Topics: []string{"tokens"}, Levels: []int{3}, N: 5}); !errors.Is(err, EmptyPool{KindDrill}) {
		t.Errorf("an empty drill: %v", err)
	}
	if _, err := svc.Mock(ctx, "", cat.Bank, Filter{Topics: []string{"cookies"}, N: 5}); !errors.As(err, new(EmptyPool)) || err.Error() == (EmptyPool{KindDrill}).Error() {
		t.Errorf("an empty mock interview: %v", err)
	}
	mock, err := svc.Mock(ctx, "", cat.Bank, Filter{Topics: []string{"sessions"}, N: 2, Seeded: true})
	if err != nil || !slices.Equal(ids(mock), []string{"iv-session-life", "iv-session-end"}) {
		t.Errorf("mock on sessions: %v %v", ids(mock), err)
	}

	// A learner who answered s-one in a recent run meets s-two first.
	r := NewRun(KindDrill, []*quiz.Question{question(t, cat.Bank, "s-one")}, Filter{}, now)
	if _, _, err := svc.Record(ctx, "ann", r, 0, Graded{Answer: `{"run":"` + r.ID + `"}`, Meta: Meta{Run: r.ID}, Rating: quiz.Good}); err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(5) {
		qs, _ := svc.Drill(ctx, "ann", cat.Bank, Filter{Topics: []string{"sessions"}, N: 1, Seed: seed, Seeded: true})
		if !slices.Equal(ids(qs), []string{"s-two"}) {
			t.Errorf("seed %d: drew %v, want the fresh s-two", seed, ids(qs))
		}
	}

	// Due: s-one is due in a day; make t-one overdue and s-three due tonight.
	st.cards["ann/t-one"] = cardDue("ann", "t-one", now.Add(-48*time.Hour))
	st.cards["ann/s-three"] = cardDue("ann", "s-three", now.Add(5*time.Hour))
	st.cards["ann/gone"] = cardDue("ann", "gone", now.Add(-time.Hour))
	due, err := svc.DueQuestions(ctx, "ann", cat.Bank, 10, now)
	if err != nil || !slices.Equal(ids(due), []string{"t-one", "s-three"}) {
		t.Errorf("due: %v %v", ids(due), err)
	}
	if due, _ := svc.DueQuestions(ctx, "ann", cat.Bank, 1, now); !slices.Equal(ids(due), []string{"t-one"}) {
		t.Errorf("one due: %v", ids(due))
	}
	if due, _ := svc.DueQuestions(ctx, "", cat.Bank, 10, now); len(due) != 0 {
		t.Errorf("a visitor has due cards: %v", ids(due))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
