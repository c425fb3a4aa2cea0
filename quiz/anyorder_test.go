package quiz

import (
	"fmt"
	"strings"
	"testing"
)

// anyOrderSrc is the password-change order with steps 3 and 4 free to
// swap, plus the any_order line given.
func anyOrderSrc(anyOrder string) []byte {
	lines := []string{
		"id: password-change",
		"type: order",
		"prompt: Put the steps in order.",
		"items:",
		"  - Re-authenticate",
		"  - Store the new hash",
		"  - Delete other sessions",
		"  - Rotate the current ID",
		"  - Tell the user",
	}
	if anyOrder != "" {
		lines = append(lines, "any_order: "+anyOrder)
	}
	return block(lines...)
}

func TestGradeAnyOrder(t *testing.T) {
	t.Parallel()
	q := mustParse(t, anyOrderSrc("[[3, 4, 5]]"))
	k := q.ItemKeys
	for _, tt := range []struct {
		name    string
		order   []string
		score   float64
		correct bool
	}{
		{"the written order", []string{k[0], k[1], k[2], k[3], k[4]}, 1, true},
		{"the group reversed", []string{k[0], k[1], k[4], k[3], k[2]}, 1, true},
		{"the group rotated", []string{k[0], k[1], k[3], k[4], k[2]}, 1, true},
		{"a fixed item swapped into the group", []string{k[0], k[2], k[1], k[3], k[4]}, 0.6, false},
		{"the fixed pair swapped", []string{k[1], k[0], k[2], k[3], k[4]}, 0.6, false},
		{"the group before the fixed items (only the group item that lands inside the run counts)", []string{k[2], k[3], k[4], k[0], k[1]}, 0.2, false},
	} {
		res, err := Grade(q, Answer{Order: tt.order})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Score != tt.score || res.Correct != tt.correct {
			t.Errorf("%s: score %v correct %v, want %v %v", tt.name, res.Score, res.Correct, tt.score, tt.correct)
		}
	}
	if !strings.Contains(string(q.ExplainHTML), "More than one order is right") || !strings.Contains(string(q.ExplainHTML), "“Tell the user” may come in any order") {
		t.Errorf("the feedback does not say which steps may swap: %s", q.ExplainHTML)
	}
	// Without any_order, the same swap is wrong: the field is what allows it.
	strict := mustParse(t, anyOrderSrc(""))
	k = strict.ItemKeys
	if res, _ := Grade(strict, Answer{Order: []string{k[0], k[1], k[3], k[2], k[4]}}); res.Correct {
		t.Error("a swap counts as right without any_order")
	}
}

func TestAnyOrderRefusesInconsistentGroups(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ anyOrder, want string }{
		{"[[3]]", "at least two items"},
		{"[[3, 6]]", "items 1 to 5"},
		{"[[0, 1]]", "items 1 to 5"},
		{"[[2, 4]]", "leaves a gap"},
		{"[[2, 3], [3, 4]]", "in two any_order groups"},
		{"[[1, 2, 3, 4, 5]]", "not an order question"},
		{"[3, 4]", "list of groups"},
		{"[[three, 4]]", "not an item number"},
		{"yes", "list of groups"},
	} {
		_, err := ParseBlock(anyOrderSrc(tt.anyOrder), "lesson.md", 10)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("any_order: %s: error %v, want one saying %q", tt.anyOrder, err, tt.want)
		}
	}
	if _, err := ParseBlock(block("id: x", "type: single", "prompt: P", "choices:", "  - text: a", "    correct: true", "  - text: b", "any_order: [[1, 2]]"), "lesson.md", 10); err == nil {
		t.Error("any_order accepted on a single question")
	}
}

// FuzzGradeAnyOrder: for whatever groups parse and whatever order is
// sent, a score is in [0, 1], and a perfect score means every item sits
// inside its own group's run.
func FuzzGradeAnyOrder(f *testing.F) {
	f.Add(3, 4, 0, 0, []byte{0, 1, 3, 2, 4})
	f.Add(1, 2, 4, 5, []byte{1, 0, 2, 4, 3})
	f.Add(2, 4, 0, 0, []byte{4, 3, 2, 1, 0})
	f.Fuzz(func(t *testing.T, a, b, c, d int, perm []byte) {
		groups := fmt.Sprintf("[[%d, %d]]", a, b)
		if c != 0 || d != 0 {
			groups = fmt.Sprintf("[[%d, %d], [%d, %d]]", a, b, c, d)
		}
		q, err := ParseBlock(anyOrderSrc(groups), "lesson.md", 10)
		if err != nil {
			return
		}
		order := make([]string, 0, len(perm))
		for _, p := range perm {
			order = append(order, q.ItemKeys[int(p)%len(q.ItemKeys)])
		}
		res, err := Grade(q, Answer{Order: order})
		if err != nil {
			return // a duplicate or missing item: refused, not scored
		}
		if res.Score < 0 || res.Score > 1 {
			t.Fatalf("score %v", res.Score)
		}
		if res.Correct {
			for i, key := range order {
				j := indexOf(q.ItemKeys, key)
				if lo, hi := q.span(j); i < lo || i > hi {
					t.Fatalf("%s: item %d at position %d is outside its run [%d, %d] but the answer is right", groups, j, i, lo, hi)
				}
			}
		}
	})
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}
