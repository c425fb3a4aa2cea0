package quiz

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

func TestNewChoice(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		id      string
		prompt  string
		options []string
		correct []int
		typ     Type
		err     string // a part of the reason; "" when accepted
	}{
		{name: "single", id: "live-question", prompt: "Which dies at once?", options: []string{"A session", "A JWT"}, correct: []int{0}, typ: Single},
		{name: "multi", id: "q", prompt: "Which?", options: []string{"a", "b", "c"}, correct: []int{2, 0}, typ: Multi},
		{name: "every option right", id: "q", prompt: "Which?", options: []string{"a", "b"}, correct: []int{0, 1}, typ: Multi},
		{name: "trimmed", id: "q", prompt: "  Which?\n", options: []string{" a ", "\tb"}, correct: []int{1}, typ: Single},
		{name: "bad id", id: "Live Question", prompt: "Which?", options: []string{"a", "b"}, correct: []int{0}, err: "lowercase letters"},
		{name: "empty id", id: "", prompt: "Which?", options: []string{"a", "b"}, correct: []int{0}, err: "lowercase letters"},
		{name: "no prompt", id: "q", prompt: " \n", options: []string{"a", "b"}, correct: []int{0}, err: "non-empty prompt"},
		{name: "one option", id: "q", prompt: "Which?", options: []string{"a"}, correct: []int{0}, err: "at least two options, has 1"},
		{name: "no options", id: "q", prompt: "Which?", correct: []int{0}, err: "at least two options, has 0"},
		{name: "none right", id: "q", prompt: "Which?", options: []string{"a", "b"}, err: "at least one right option"},
		{name: "empty option", id: "q", prompt: "Which?", options: []string{"a", "  "}, correct: []int{0}, err: "option 2 is empty"},
		{name: "same text twice", id: "q", prompt: "Which?", options: []string{"a", " a"}, correct: []int{0}, err: `option "a" appears twice`},
		{name: "index past the end", id: "q", prompt: "Which?", options: []string{"a", "b"}, correct: []int{2}, err: "right option 3 does not exist"},
		{name: "negative index", id: "q", prompt: "Which?", options: []string{"a", "b"}, correct: []int{-1}, err: "right option 0 does not exist"},
		{name: "index twice", id: "q", prompt: "Which?", options: []string{"a", "b"}, correct: []int{1, 1}, err: "option 2 is marked right twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := NewChoice(tt.id, tt.prompt, tt.options, tt.correct)
			if tt.err != "" {
				var ce *ChoiceError
				if q != nil || !errors.As(err, &ce) || !strings.Contains(ce.Reason, tt.err) {
					t.Fatalf("NewChoice = %v, %v; want a *ChoiceError saying %q", q, err, tt.err)
				}
				if !strings.HasPrefix(err.Error(), "quiz: ") {
					t.Errorf("error %q lacks the package prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Type != tt.typ || q.ID != tt.id || q.Level != 1 || !q.Interview || q.Prompt != strings.TrimSpace(tt.prompt) || q.PromptHTML == "" {
				t.Errorf("question %+v", q)
			}
			for i, c := range q.Choices {
				if c.Text != strings.TrimSpace(tt.options[i]) || c.Key == "" || c.HTML == "" || c.Correct != slices.Contains(tt.correct, i) {
					t.Errorf("choice %d: %+v", i, c)
				}
			}
			checkChoice(t, q, tt.correct)
		})
	}
}

// checkChoice: a question NewChoice built can be shown, revealed and
// graded: the right options are right, a wrong one (or, for a multi,
// every option) is not.
func checkChoice(t *testing.T, q *Question, correct []int) {
	t.Helper()
	var right, wrong []string
	for i, c := range q.Choices {
		if slices.Contains(correct, i) {
			right = append(right, c.Key)
		} else {
			wrong = append(wrong, c.Key)
		}
	}
	if keys := q.Public(Seed("t", q.ID)).Options; len(keys) != len(q.Choices) {
		t.Errorf("public view has %d options, want %d", len(keys), len(q.Choices))
	}
	if got := q.Reveal().Choices; !sameSet(got, right) {
		t.Errorf("reveal %v, want %v", got, right)
	}
	res, err := Grade(q, Answer{Choices: right})
	if err != nil || !res.Correct || res.Score != 1 {
		t.Errorf("grading the right options: %+v, %v", res, err)
	}
	if len(wrong) == 0 {
		return
	}
	answer := wrong[:1]
	if q.Type == Multi {
		answer = append(wrong, right...)
	}
	res, err = Grade(q, Answer{Choices: answer})
	if err != nil || res.Correct {
		t.Errorf("grading a wrong answer %v: %+v, %v", answer, res, err)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}

// TestNewChoiceAsParsed: NewChoice and ParseBlock agree on the same
// question: the same keys (so an answer given to one grades against the
// other) and the same rendered text.
func TestNewChoiceAsParsed(t *testing.T) {
	t.Parallel()
	options := []string{"The `session` cookie", "A *JWT*", "<b>A deny-listed JWT</b>"}
	built, err := NewChoice("live-question", "Which one dies at once on **revoke**?", options, []int{0, 2})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseBlock(choiceBlock(t, "live-question", "Which one dies at once on **revoke**?", options, []int{0, 2}), "workshop", 1)
	if err != nil {
		t.Fatal(err)
	}
	sameQuestion(t, built, parsed)
}

func sameQuestion(t *testing.T, built, parsed *Question) {
	t.Helper()
	if built.Type != parsed.Type || built.Prompt != parsed.Prompt || built.PromptHTML != parsed.PromptHTML || len(built.Choices) != len(parsed.Choices) {
		t.Fatalf("built %+v\nparsed %+v", built, parsed)
	}
	for i := range built.Choices {
		if built.Choices[i] != parsed.Choices[i] {
			t.Errorf("choice %d: built %+v, parsed %+v", i, built.Choices[i], parsed.Choices[i])
		}
	}
}

// choiceBlock writes the quiz block ParseBlock would read for the same
// question.
func choiceBlock(tb testing.TB, id, prompt string, options []string, correct []int) []byte {
	tb.Helper()
	type choice struct {
		Text    string `yaml:"text"`
		Correct bool   `yaml:"correct,omitempty"`
	}
	typ := Single
	if len(correct) > 1 {
		typ = Multi
	}
	cs := make([]choice, len(options))
	for i, o := range options {
		cs[i] = choice{Text: o, Correct: slices.Contains(correct, i)}
	}
	b, err := yaml.Marshal(map[string]any{"id": id, "type": string(typ), "prompt": prompt, "choices": cs})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzNewChoice: NewChoice either refuses with a *ChoiceError or builds
// a question that can be shown, revealed and graded; and where the same
// question written as a block parses, the two agree.
func FuzzNewChoice(f *testing.F) {
	f.Add("live-question", "Which one?", "A session\nA JWT", []byte{0})
	f.Add("q", "Which?", "a\nb\nc", []byte{0, 2})
	f.Add("q", "`code` and <script>", "*a*\n\nb", []byte{1, 1})
	f.Add("Q!", "", "a", []byte{9})
	f.Fuzz(func(t *testing.T, id, prompt, opts string, picks []byte) {
		options := strings.Split(opts, "\n")
		correct := make([]int, len(picks))
		for i, b := range picks {
			correct[i] = int(int8(b))
		}
		q, err := NewChoice(id, prompt, options, correct)
		if err != nil {
			var ce *ChoiceError
			if q != nil || !errors.As(err, &ce) || ce.Reason == "" {
				t.Fatalf("NewChoice = %v, %v: want only a *ChoiceError", q, err)
			}
			return
		}
		if (q.Type == Single) != (len(correct) == 1) || len(q.Choices) != len(options) {
			t.Fatalf("type %s, %d choices for %d options and %d right", q.Type, len(q.Choices), len(options), len(correct))
		}
		checkChoice(t, q, correct)
		// The same question as a block: where the parser reads it,
		// it reads the same question. (YAML cannot carry every
		// string: invalid UTF-8 and some control characters.)
		if !utf8.ValidString(prompt) || !utf8.ValidString(opts) {
			return
		}
		parsed, err := ParseBlock(choiceBlock(t, id, prompt, options, correct), "fuzz", 1)
		if err == nil {
			sameQuestion(t, q, parsed)
		}
	})
}
