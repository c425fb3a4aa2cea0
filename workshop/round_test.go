package workshop

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

func TestCustomQuestion(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, prompt, options string
		typ                   quiz.Type
		right                 []string // texts of the right options
		err                   string
	}{
		{name: "single", prompt: "Which dies at once?", options: "*A session\nA JWT", typ: quiz.Single, right: []string{"A session"}},
		{name: "multi, blank lines and spaces", prompt: "  Which?  ", options: "\n * A session \n\nA JWT\n*A deny-listed JWT\n", typ: quiz.Multi, right: []string{"A session", "A deny-listed JWT"}},
		{name: "six options", prompt: "Which?", options: "*a\nb\nc\nd\ne\nf", typ: quiz.Single, right: []string{"a"}},
		{name: "no prompt", prompt: "  ", options: "*a\nb", err: "Write a question of 1 to 500 characters."},
		{name: "prompt too long", prompt: strings.Repeat("x", 501), options: "*a\nb", err: "Write a question of 1 to 500 characters."},
		{name: "one option", prompt: "Which?", options: "*a\n\n", err: "Give 2 to 6 options, one per line."},
		{name: "seven options", prompt: "Which?", options: "*a\nb\nc\nd\ne\nf\ng", err: "Give 2 to 6 options, one per line."},
		{name: "a star alone", prompt: "Which?", options: "*a\n*\nb", err: "Each option needs 1 to 200 characters."},
		{name: "option too long", prompt: "Which?", options: "*a\n" + strings.Repeat("b", 201), err: "Each option needs 1 to 200 characters."},
		{name: "none marked right", prompt: "Which?", options: "a\nb", err: "Mark the right option(s) with a * at the start of the line."},
		{name: "the same option twice", prompt: "Which?", options: "*a\na", err: `The question does not work: option "a" appears twice.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, q, err := customQuestion(tt.prompt, tt.options)
			if tt.err != "" {
				var re *Error
				if q != nil || src != "" || !errors.As(err, &re) || re.Kind != Invalid || re.Msg != tt.err {
					t.Fatalf("customQuestion = %q, %v, %v; want %q", src, q, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var right []string
			for _, c := range q.Choices {
				if c.Correct {
					right = append(right, c.Text)
				}
			}
			if q.Type != tt.typ || q.ID != customID || q.Interview || strings.Join(right, "|") != strings.Join(tt.right, "|") {
				t.Errorf("question %+v", q)
			}
			// Every replica reads the stored question back the same:
			// this version, and one that reads Source as a quiz block.
			for reader, read := range map[string]func(string) (*quiz.Question, error){
				"readCustom":      readCustom,
				"quiz.ParseBlock": func(s string) (*quiz.Question, error) { return quiz.ParseBlock([]byte(s), "workshop", 1) },
			} {
				back, err := read(src)
				if err != nil {
					t.Fatalf("%s: %v\n%s", reader, err, src)
				}
				if back.Type != q.Type || back.Prompt != q.Prompt || back.PromptHTML != q.PromptHTML || back.Interview || len(back.Choices) != len(q.Choices) {
					t.Fatalf("%s: %+v, want %+v", reader, back, q)
				}
				for i := range q.Choices {
					if back.Choices[i] != q.Choices[i] {
						t.Errorf("%s: choice %d %+v, want %+v", reader, i, back.Choices[i], q.Choices[i])
					}
				}
			}
		})
	}
}

// TestReadCustomLegacy: a round stored before questions were built by
// quiz.NewChoice holds a YAML quiz block; it still reads, with the same
// option keys as the answers stored with it.
func TestReadCustomLegacy(t *testing.T) {
	t.Parallel()
	legacy := "choices:\n    - text: A session\n      correct: true\n    - text: A JWT\ninterview: false\nprompt: Which dies at once?\ntype: single\nid: live-question\n"
	q, err := readCustom(legacy)
	if err != nil {
		t.Fatal(err)
	}
	_, now, err := customQuestion("Which dies at once?", "*A session\nA JWT")
	if err != nil {
		t.Fatal(err)
	}
	if q.Type != quiz.Single || q.Choices[0].Key != now.Choices[0].Key || q.Choices[1].Key != now.Choices[1].Key || !q.Choices[0].Correct {
		t.Errorf("legacy question %+v", q)
	}
	if _, err := readCustom("{not json, and not a quiz block"); err == nil {
		t.Error("a broken source reads")
	}
}

func TestRoundView(t *testing.T) {
	t.Parallel()
	cat := course(t)
	single, _ := cat.Bank.Question("alpha-single")
	tf, _ := cat.Bank.Question("alpha-tf")
	started := start
	r := func(closed, revealed bool) *progress.Round {
		rd := &progress.Round{ID: "r1", Seq: 3, Seconds: 20, StartedAt: started, Deadline: started.Add(20 * time.Second)}
		if closed {
			rd.ClosedAt = &started
		}
		if revealed {
			rd.RevealedAt = &started
		}
		return rd
	}
	for _, tt := range []struct {
		name             string
		q                *quiz.Question
		round            *progress.Round
		now              time.Time
		closed, revealed bool
		correct          []string
	}{
		{name: "running", q: single, round: r(false, false), now: started.Add(19 * time.Second)},
		{name: "past its deadline, close not recorded", q: single, round: r(false, false), now: started.Add(20 * time.Second), closed: true},
		{name: "closed early", q: single, round: r(true, false), now: started.Add(time.Second), closed: true},
		{name: "revealed", q: single, round: r(true, true), now: started.Add(time.Minute), closed: true, revealed: true, correct: []string{single.Choices[0].Key}},
		{name: "true/false revealed", q: tf, round: r(true, true), now: started.Add(time.Minute), closed: true, revealed: true, correct: []string{"false"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rv := roundView(tt.q, tt.round, tt.now)
			if rv.ID != "r1" || rv.Seq != 3 || rv.Seconds != 20 || rv.Deadline != started.Add(20*time.Second).UnixMilli() || rv.Now != tt.now.UnixMilli() ||
				rv.Closed != tt.closed || rv.Revealed != tt.revealed || strings.Join(rv.Correct, " ") != strings.Join(tt.correct, " ") {
				t.Errorf("view %+v", rv)
			}
			if (rv.Explain != "") != (tt.revealed && tt.q.ExplainHTML != "") {
				t.Errorf("explain %q", rv.Explain)
			}
		})
	}
	// True/false: the statement is the prompt, the options are fixed.
	rv := roundView(tf, r(false, false), started)
	if rv.Prompt != tf.StatementHTML || len(rv.Options) != 2 || rv.Options[0].Key != "true" || rv.Options[1].Key != "false" {
		t.Errorf("true/false view %+v", rv)
	}
	// One order for the whole room: the same for every view of a round.
	a, b := roundView(single, r(false, false), started), roundView(single, r(false, false), started.Add(time.Second))
	for i := range a.Options {
		if a.Options[i].Key != b.Options[i].Key {
			t.Fatal("the options move between two views of one round")
		}
	}
}

func TestHistogram(t *testing.T) {
	t.Parallel()
	options := []quiz.Option{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	got := histogram(options, []progress.RoundAnswer{{Answer: "a"}, {Answer: "a b"}, {Answer: "zz"}, {Answer: ""}})
	if len(got) != 3 || got["a"] != 2 || got["b"] != 1 || got["c"] != 0 {
		t.Errorf("histogram %v", got)
	}
}

func TestCanBeRound(t *testing.T) {
	t.Parallel()
	for typ, want := range map[quiz.Type]bool{quiz.Single: true, quiz.Multi: true, quiz.TrueFalse: true, quiz.Order: false, quiz.Match: false, quiz.Text: false, quiz.Open: false} {
		if CanBeRound(&quiz.Question{Type: typ}) != want {
			t.Errorf("%s: %v", typ, !want)
		}
	}
}
