package quiz

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func allSamples(tb testing.TB) []*Question {
	tb.Helper()
	var qs []*Question
	for _, src := range [][]byte{singleSrc, multiSrc, tfSrc, orderSrc, matchSrc, textSrc, openSrc} {
		qs = append(qs, mustParse(tb, src))
	}
	return qs
}

// answerData lists the strings of q that must not reach a browser before
// it answers.
func answerData(q *Question) []string {
	var secret []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				secret = append(secret, s)
			}
		}
	}
	for _, c := range q.Choices {
		add(c.Why, string(c.WhyHTML))
	}
	for _, r := range q.Reject {
		add(r.Text, r.Why)
	}
	add(q.Accept...)
	add(q.Rubric...)
	add(q.Why, q.Model, q.Explain, string(q.ModelHTML), string(q.ExplainHTML), string(q.WhyHTML))
	add(`"correct"`, `"answer"`, `"why"`, `"model"`, `"rubric"`, `"explain"`, `"accept"`)
	return secret
}

func TestPublicGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	for _, q := range allSamples(t) {
		pub := q.Public(Seed("learner-1", q.ID))
		b, err := json.MarshalIndent(pub, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range answerData(q) {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s: public view contains answer data %q", q.ID, s)
			}
		}
		if q.Type == Order {
			for i, o := range pub.Options {
				if o.Key != q.ItemKeys[i] {
					break
				}
				if i == len(pub.Options)-1 {
					t.Errorf("%s: items shown in the right order", q.ID)
				}
			}
		}
		fmt.Fprintf(&buf, "%s\n", b)
	}
	golden := filepath.Join("testdata", "public.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./quiz -run Golden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("public views differ from %s (go test ./quiz -run Golden -update):\n%s", golden, buf.String())
	}
}

func TestPublicShowsWhatIsNeeded(t *testing.T) {
	t.Parallel()
	for _, q := range allSamples(t) {
		p := q.Public(1)
		if p.ID != q.ID || p.Type != q.Type || p.Level != q.Level {
			t.Errorf("%s: header %+v", q.ID, p)
		}
		var want int
		switch q.Type {
		case Single, Multi:
			want = len(q.Choices)
		case Order:
			want = len(q.Items)
		}
		if len(p.Options) != want {
			t.Errorf("%s: %d options, want %d", q.ID, len(p.Options), want)
		}
	}
	m := mustParse(t, matchSrc).Public(7)
	if len(m.Lefts) != 3 || len(m.Rights) != 3 {
		t.Errorf("match: %d lefts, %d rights", len(m.Lefts), len(m.Rights))
	}
	o := mustParse(t, openSrc).Public(7)
	if o.Rubric != 3 {
		t.Errorf("open: rubric points %d, want 3", o.Rubric)
	}
	s := mustParse(t, singleSrc).Public(7)
	if s.Hint == "" {
		t.Error("single: no hint")
	}
}

func TestPublicMatchSharedRights(t *testing.T) {
	t.Parallel()
	q := mustParse(t, block("id: kinds", "type: match", "prompt: Which is stateful?", "pairs:",
		"  - {left: Session cookie, right: Server state}",
		"  - {left: Redis session, right: Server state}",
		"  - {left: JWT, right: Self-contained}"))
	p := q.Public(3)
	if len(p.Rights) != 2 {
		t.Fatalf("%d rights, want each distinct right once: %+v", len(p.Rights), p.Rights)
	}
	res, err := Grade(q, Answer{Match: map[string]string{
		q.Pairs[0].LeftKey: q.Pairs[1].RightKey, q.Pairs[1].LeftKey: q.Pairs[0].RightKey, q.Pairs[2].LeftKey: q.Pairs[2].RightKey}})
	if err != nil || !res.Correct {
		t.Errorf("shared right graded %+v, %v", res, err)
	}
}

func keys(os []Option) string {
	var ks []string
	for _, o := range os {
		ks = append(ks, o.Key)
	}
	return strings.Join(ks, ",")
}

func TestShuffleDeterminism(t *testing.T) {
	t.Parallel()
	for _, q := range allSamples(t) {
		if q.Type != Single && q.Type != Multi && q.Type != Order && q.Type != Match {
			continue
		}
		view := func(seed uint64) string {
			p := q.Public(seed)
			return keys(p.Options) + "|" + keys(p.Rights)
		}
		seed := Seed("alice", q.ID)
		if view(seed) != view(seed) {
			t.Errorf("%s: same seed, different orders", q.ID)
		}
		orders := map[string]bool{}
		for l := range 20 {
			orders[view(Seed(fmt.Sprintf("learner-%d", l), q.ID))] = true
		}
		if len(orders) < 2 {
			t.Errorf("%s: 20 learners all see one order", q.ID)
		}
	}
	if Seed("alice", "q1") == Seed("bob", "q1") || Seed("alice", "q1") == Seed("alice", "q2") || Seed("a", "bq") == Seed("ab", "q") {
		t.Error("Seed collides for different learners or questions")
	}
}

func TestShuffleNeverIdentityForOrder(t *testing.T) {
	t.Parallel()
	q := mustParse(t, block("id: two", "type: order", "prompt: p", "items: [first, second]"))
	for seed := range uint64(50) {
		if p := q.Public(seed); p.Options[0].Key == q.ItemKeys[0] {
			t.Fatalf("seed %d shows the items in the right order", seed)
		}
	}
	m := mustParse(t, block("id: two-m", "type: match", "prompt: p", "pairs:", "  - {left: a, right: x}", "  - {left: b, right: y}"))
	for seed := range uint64(50) {
		if p := m.Public(seed); p.Rights[0].Key == m.Pairs[0].RightKey {
			t.Fatalf("seed %d lines the rights up with their lefts", seed)
		}
	}
}

func TestReveal(t *testing.T) {
	t.Parallel()
	qs := allSamples(t)
	single, multi, tf, order, match, text, open := qs[0], qs[1], qs[2], qs[3], qs[4], qs[5], qs[6]
	if s := single.Reveal(); !slices.Equal(s.Choices, []string{single.Choices[0].Key}) || len(s.Why) != 3 || s.Explain == "" {
		t.Errorf("single: %+v", s)
	}
	if s := multi.Reveal(); len(s.Choices) != 3 {
		t.Errorf("multi: %+v", s)
	}
	if s := tf.Reveal(); s.Answer == nil || !*s.Answer || s.Reason == "" {
		t.Errorf("truefalse: %+v", s)
	}
	if s := order.Reveal(); !slices.Equal(s.Order, order.ItemKeys) {
		t.Errorf("order: %+v", s)
	}
	if s := match.Reveal(); s.Match[match.Pairs[1].LeftKey] != match.Pairs[1].RightKey {
		t.Errorf("match: %+v", s)
	}
	if s := text.Reveal(); !slices.Equal(s.Accept, []string{"DELETE"}) {
		t.Errorf("text: %+v", s)
	}
	if s := open.Reveal(); s.Model == "" || len(s.Rubric) != 3 {
		t.Errorf("open: %+v", s)
	}
}
