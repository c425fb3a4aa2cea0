package quiz

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestGrade(t *testing.T) {
	t.Parallel()
	single := mustParse(t, singleSrc)
	multi := mustParse(t, multiSrc)
	tf := mustParse(t, tfSrc)
	order := mustParse(t, orderSrc)
	match := mustParse(t, matchSrc)
	text := mustParse(t, textSrc)
	open := mustParse(t, openSrc)
	ck := func(q *Question, i int) string { return q.Choices[i].Key }
	ik := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, order.ItemKeys[i])
		}
		return out
	}
	mk := func(rights ...int) map[string]string {
		m := map[string]string{}
		for l, r := range rights {
			m[match.Pairs[l].LeftKey] = match.Pairs[r].RightKey
		}
		return m
	}
	tests := []struct {
		name    string
		q       *Question
		a       Answer
		score   float64
		correct bool
		check   func(t *testing.T, r Result)
	}{
		{"single right", single, Answer{Choices: []string{ck(single, 0)}}, 1, true, func(t *testing.T, r Result) {
			if len(r.Choices) != 1 || !r.Choices[0].Chosen || !r.Choices[0].Correct || r.Choices[0].Why == "" {
				t.Errorf("feedback %+v", r.Choices)
			}
			if r.Explain == "" {
				t.Error("no explanation")
			}
		}},
		{"single wrong reveals the right one", single, Answer{Choices: []string{ck(single, 1)}}, 0, false, func(t *testing.T, r Result) {
			if len(r.Choices) != 2 || r.Choices[0].Key != ck(single, 1) || r.Choices[0].Correct ||
				r.Choices[1].Key != ck(single, 0) || r.Choices[1].Chosen || !r.Choices[1].Correct {
				t.Errorf("feedback %+v", r.Choices)
			}
			if !strings.Contains(string(r.Choices[0].Why), "<code>exp</code>") {
				t.Errorf("chosen why = %q", r.Choices[0].Why)
			}
		}},
		{"multi all right", multi, Answer{Choices: []string{ck(multi, 2), ck(multi, 0), ck(multi, 1)}}, 1, true, nil},
		{"multi two of three", multi, Answer{Choices: []string{ck(multi, 0), ck(multi, 1)}}, 4.0 / 5, false, func(t *testing.T, r Result) {
			if r.Missed != 1 || len(r.Choices) != 2 {
				t.Errorf("missed %d, feedback %+v", r.Missed, r.Choices)
			}
		}},
		{"multi right and wrong", multi, Answer{Choices: []string{ck(multi, 0), ck(multi, 1), ck(multi, 3)}}, 3.0 / 5, false, func(t *testing.T, r Result) {
			if len(r.Choices) != 3 || r.Choices[2].Correct || r.Choices[2].Why == "" {
				t.Errorf("feedback %+v", r.Choices)
			}
		}},
		{"multi one right two wrong", multi, Answer{Choices: []string{ck(multi, 0), ck(multi, 3), ck(multi, 4)}}, 1.0 / 5, false, nil},
		{"multi everything picked", multi, Answer{Choices: []string{ck(multi, 0), ck(multi, 1), ck(multi, 2), ck(multi, 3), ck(multi, 4)}}, 3.0 / 5, false, nil},
		{"multi only wrong", multi, Answer{Choices: []string{ck(multi, 3), ck(multi, 4)}}, 0, false, nil},
		{"truefalse right", tf, Answer{TF: ptr(true)}, 1, true, func(t *testing.T, r Result) {
			if r.Why == "" {
				t.Error("no why")
			}
		}},
		{"truefalse wrong", tf, Answer{TF: ptr(false)}, 0, false, nil},
		{"order right", order, Answer{Order: ik(0, 1, 2, 3)}, 1, true, nil},
		{"order two swapped", order, Answer{Order: ik(0, 2, 1, 3)}, 0.5, false, func(t *testing.T, r Result) {
			want := []bool{true, false, false, true}
			for i := range want {
				if r.Positions[i] != want[i] {
					t.Errorf("positions %v, want %v", r.Positions, want)
					break
				}
			}
		}},
		{"order reversed", order, Answer{Order: ik(3, 2, 1, 0)}, 0, false, nil},
		{"match right", match, Answer{Match: mk(0, 1, 2)}, 1, true, nil},
		{"match one right", match, Answer{Match: mk(0, 2, 1)}, 1.0 / 3, false, func(t *testing.T, r Result) {
			if !r.Pairs[match.Pairs[0].LeftKey] || r.Pairs[match.Pairs[1].LeftKey] || r.Pairs[match.Pairs[2].LeftKey] {
				t.Errorf("pairs %v", r.Pairs)
			}
		}},
		{"match same right twice", match, Answer{Match: mk(0, 0, 0)}, 1.0 / 3, false, nil},
		{"text exact", text, Answer{Text: "DELETE"}, 1, true, nil},
		{"text case and space", text, Answer{Text: "  delete "}, 1, true, nil},
		{"text quoted with punctuation", text, Answer{Text: "`Delete`."}, 1, true, nil},
		{"text wrong", text, Answer{Text: "PUT"}, 0, false, func(t *testing.T, r Result) {
			if r.Reject != "" {
				t.Errorf("reject feedback %q for an unknown answer", r.Reject)
			}
		}},
		{"text known wrong", text, Answer{Text: " post"}, 0, false, func(t *testing.T, r Result) {
			if !strings.Contains(string(r.Reject), "<code>DELETE /sessions/{sid}</code>") {
				t.Errorf("reject feedback %q", r.Reject)
			}
		}},
		{"open all points", open, Answer{Rubric: []int{2, 0, 1}}, 1, true, func(t *testing.T, r Result) {
			if r.Model == "" {
				t.Error("no model answer")
			}
		}},
		{"open two of three passes", open, Answer{Rubric: []int{0, 2}}, 2.0 / 3, true, nil},
		{"open one of three", open, Answer{Rubric: []int{1}}, 1.0 / 3, false, nil},
		{"open nothing ticked", open, Answer{}, 0, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Grade(tt.q, tt.a)
			if err != nil {
				t.Fatalf("Grade: %v", err)
			}
			if math.Abs(r.Score-tt.score) > 1e-9 || r.Correct != tt.correct {
				t.Errorf("score %v correct %v, want %v %v", r.Score, r.Correct, tt.score, tt.correct)
			}
			if r.QuestionID != tt.q.ID {
				t.Errorf("QuestionID %q", r.QuestionID)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"DELETE", "delete"},
		{"  Http   Only\t", "http only"},
		{"\"SameSite=Lax\".", "samesite=lax"},
		{"`401`!?", "401"},
		{"e.g. this", "e.g. this"},
		{"...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The limit counts characters as the input's maxlength does: the
// longest answer a browser lets through is graded, whatever its script.
func TestTextAnswerLimitCountsCharacters(t *testing.T) {
	t.Parallel()
	text := mustParse(t, textSrc)
	if _, err := Grade(text, Answer{Text: strings.Repeat("é", MaxTextAnswer)}); err != nil {
		t.Errorf("%d two-byte characters: %v", MaxTextAnswer, err)
	}
}

func TestGradeInvalid(t *testing.T) {
	t.Parallel()
	single := mustParse(t, singleSrc)
	multi := mustParse(t, multiSrc)
	tf := mustParse(t, tfSrc)
	order := mustParse(t, orderSrc)
	match := mustParse(t, matchSrc)
	text := mustParse(t, textSrc)
	open := mustParse(t, openSrc)
	c0, c1 := single.Choices[0].Key, single.Choices[1].Key
	i := order.ItemKeys
	l, r := match.Pairs[0].LeftKey, match.Pairs[0].RightKey
	tests := []struct {
		name   string
		q      *Question
		a      Answer
		reason string
	}{
		{"single empty", single, Answer{}, "no answer"},
		{"single two choices", single, Answer{Choices: []string{c0, c1}}, "takes one choice"},
		{"single unknown key", single, Answer{Choices: []string{"0"}}, "unknown choice"},
		{"single key of another question", single, Answer{Choices: []string{multi.Choices[0].Key}}, "unknown choice"},
		{"multi duplicate", multi, Answer{Choices: []string{multi.Choices[0].Key, multi.Choices[0].Key}}, "twice"},
		{"multi with text", multi, Answer{Choices: []string{multi.Choices[0].Key}, Text: "x"}, "takes no text"},
		{"truefalse missing", tf, Answer{}, "no answer"},
		{"truefalse with choices", tf, Answer{TF: ptr(true), Choices: []string{c0}}, "takes no choices"},
		{"order short", order, Answer{Order: i[:3]}, "all 4 items"},
		{"order duplicate", order, Answer{Order: []string{i[0], i[0], i[1], i[2]}}, "twice"},
		{"order unknown", order, Answer{Order: []string{i[0], i[1], i[2], "zz"}}, "unknown item"},
		{"match missing left", match, Answer{Match: map[string]string{l: r}}, "all 3 left sides"},
		{"match unknown left", match, Answer{Match: map[string]string{l: r, "a": r, "b": r}}, "has no answer"},
		{"match unknown right", match, Answer{Match: map[string]string{l: "zz", match.Pairs[1].LeftKey: r, match.Pairs[2].LeftKey: r}}, "unknown right"},
		{"text empty", text, Answer{}, "no answer"},
		{"text oversized", text, Answer{Text: strings.Repeat("é", MaxTextAnswer+1)}, "longer than 1000 characters"},
		{"open out of range", open, Answer{Rubric: []int{3}}, "out of range"},
		{"open negative", open, Answer{Rubric: []int{-1}}, "out of range"},
		{"open duplicate", open, Answer{Rubric: []int{1, 1}}, "twice"},
		{"open with text", open, Answer{Text: "my answer"}, "takes no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Grade(tt.q, tt.a)
			if !errors.Is(err, ErrInvalidAnswer) {
				t.Fatalf("Grade = %+v, %v; want ErrInvalidAnswer", res, err)
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.HasPrefix(err.Error(), "quiz: grade "+tt.q.ID+": ") {
				t.Errorf("error %q, want the reason %q", err, tt.reason)
			}
		})
	}
}

// TestTypeTask: every type says what it asks for, no two alike.
func TestTypeTask(t *testing.T) {
	t.Parallel()
	seen := map[string]Type{}
	for _, ty := range Types() {
		task := ty.Task()
		if task == "" || seen[task] != "" {
			t.Errorf("%s: task %q (also %q's)", ty, task, seen[task])
		}
		seen[task] = ty
	}
}
