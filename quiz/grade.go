package quiz

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// ErrInvalidAnswer means an answer does not fit its question: an unknown
// key, a duplicate, a missing part or a field of another type. The web
// layer maps it to a 4xx; Grade wraps it with the reason.
var ErrInvalidAnswer = errors.New("invalid answer")

// MaxTextAnswer is the longest text answer Grade accepts, in characters
// (as an input's maxlength counts them; it counts UTF-16 units, never
// fewer than runes).
const MaxTextAnswer = 1000

// Answer is what a learner submitted. Only the field of the question's
// type may be set; keys are the Key fields of the question's options. It
// is stored as JSON (progress.Attempt.Answer): enough to grade it again
// and to show it back.
type Answer struct {
	Choices []string          `json:"choices,omitempty"` // single (one key), multi (one or more keys)
	Order   []string          `json:"order,omitempty"`   // order: every item key, in the learner's order
	Match   map[string]string `json:"match,omitempty"`   // match: left key -> right key, for every left
	TF      *bool             `json:"tf,omitempty"`      // truefalse
	Text    string            `json:"text,omitempty"`    // text
	Rubric  []int             `json:"rubric,omitempty"`  // open: indexes of the rubric points ticked
	// Open is what the learner wrote to an open question before comparing
	// it with the model answer; kept to show back, never graded.
	Open string `json:"open,omitempty"`
}

// Result is a graded answer with the feedback the learner may now see.
type Result struct {
	QuestionID string
	Type       Type
	Score      float64 // in [0, 1]
	Correct    bool
	Tally      Tally // what Score was counted from, for Summary

	// Choices has feedback for each chosen choice and, when a single is
	// answered wrong, for the correct one (Chosen false). Missed counts
	// the correct choices of a multi that were not picked, without
	// saying which: the learner may try again before seeing the answer.
	Choices []ChoiceFeedback
	Missed  int

	Positions []bool          // order: whether each submitted position is right
	Pairs     map[string]bool // match: left key -> whether its right is right

	Reject  template.HTML // text: feedback for a known wrong answer
	Why     template.HTML // truefalse: why the statement is true or false
	Model   template.HTML // open: the model answer
	Explain template.HTML
}

// ChoiceFeedback is what a learner learns about one choice after answering.
type ChoiceFeedback struct {
	Key     string
	HTML    template.HTML
	Chosen  bool
	Correct bool
	Why     template.HTML
}

// OpenPassMark is the share of rubric points an open answer must tick to
// count as correct: two thirds, so a four-point rubric needs three and a
// three-point rubric two — most, not all, of the key points.
const OpenPassMark = 2.0 / 3.0

// Grade scores an answer. Scores:
//
//   - single, truefalse, text: 1 or 0.
//   - multi: (correct picks − wrong picks) / number of correct choices,
//     floored at 0, so picking everything earns nothing; 1 only for all
//     and only the correct choices.
//   - order: items in their right position / number of items; an item of
//     an any_order group is right anywhere inside its group's run.
//   - match: lefts given their right right / number of pairs.
//   - text: right if the answer equals an accepted form after normalising
//     both (case, inner whitespace, surrounding quotes and backticks,
//     trailing punctuation).
//   - open: self-assessed, ticked rubric points / rubric points; Correct
//     from OpenPassMark rather than from a perfect score.
//
// Correct is Score == 1 for every type but open. An answer that does not
// fit the question returns an error wrapping ErrInvalidAnswer.
func Grade(q *Question, a Answer) (Result, error) {
	if err := shape(q, a); err != nil {
		return Result{}, fmt.Errorf("quiz: grade %s: %w", q.ID, err)
	}
	res := Result{QuestionID: q.ID, Type: q.Type, Explain: q.ExplainHTML}
	var err error
	switch q.Type {
	case Single, Multi:
		err = gradeChoices(q, a.Choices, &res)
	case TrueFalse:
		res.Why = q.WhyHTML
		if *a.TF == q.Answer {
			res.Score = 1
		}
	case Order:
		err = gradeOrder(q, a.Order, &res)
	case Match:
		err = gradeMatch(q, a.Match, &res)
	case Text:
		gradeText(q, a.Text, &res)
	case Open:
		err = gradeOpen(q, a.Rubric, &res)
	default:
		err = fmt.Errorf("%w: unknown question type %q", ErrInvalidAnswer, q.Type)
	}
	if err != nil {
		return Result{}, fmt.Errorf("quiz: grade %s: %w", q.ID, err)
	}
	if q.Type != Open {
		res.Correct = res.Score == 1
	}
	return res, nil
}

// shape checks that exactly the answer field of q's type is set (an open
// answer may tick nothing) and that a text answer is not oversized.
func shape(q *Question, a Answer) error {
	parts := [...]struct {
		name  string
		set   bool
		types string
	}{
		{"choices", len(a.Choices) > 0, "single multi"},
		{"order", len(a.Order) > 0, "order"},
		{"match", len(a.Match) > 0, "match"},
		{"true/false", a.TF != nil, "truefalse"},
		{"text", a.Text != "", "text"},
		{"rubric", len(a.Rubric) > 0, "open"},
	}
	for _, p := range parts {
		owns := strings.Contains(" "+p.types+" ", " "+string(q.Type)+" ")
		if p.set && !owns {
			return fmt.Errorf("%w: a %s question takes no %s answer", ErrInvalidAnswer, q.Type, p.name)
		}
		if owns && !p.set && q.Type != Open {
			return fmt.Errorf("%w: no answer given", ErrInvalidAnswer)
		}
	}
	if utf8.RuneCountInString(a.Text) > MaxTextAnswer {
		return fmt.Errorf("%w: text answer longer than %d characters", ErrInvalidAnswer, MaxTextAnswer)
	}
	return nil
}

func gradeChoices(q *Question, keys []string, res *Result) error {
	if q.Type == Single && len(keys) != 1 {
		return fmt.Errorf("%w: a single question takes one choice, got %d", ErrInvalidAnswer, len(keys))
	}
	picked := make([]bool, len(q.Choices))
	for _, k := range keys {
		i := choiceIndex(q, k)
		if i < 0 {
			return fmt.Errorf("%w: unknown choice %q", ErrInvalidAnswer, k)
		}
		if picked[i] {
			return fmt.Errorf("%w: choice %q given twice", ErrInvalidAnswer, k)
		}
		picked[i] = true
	}
	right, wrong, total := 0, 0, 0
	for i, c := range q.Choices {
		if c.Correct {
			total++
		}
		if !picked[i] {
			continue
		}
		if c.Correct {
			right++
		} else {
			wrong++
		}
		res.Choices = append(res.Choices, ChoiceFeedback{Key: c.Key, HTML: c.HTML, Chosen: true, Correct: c.Correct, Why: c.WhyHTML})
	}
	switch {
	case q.Type == Multi && right > 0:
		// Each choice is judged, as each pair of a match and each place of
		// an order question is: a right choice picked and a wrong one left
		// alone both count. A pick of nothing but wrong choices earns
		// nothing, however many wrong choices it left alone.
		res.Score = float64(right+(len(q.Choices)-total-wrong)) / float64(len(q.Choices))
	case q.Type == Single && total > 0:
		res.Score = max(0, float64(right-wrong)/float64(total))
	}
	if q.Type == Single && wrong > 0 {
		for _, c := range q.Choices {
			if c.Correct {
				res.Choices = append(res.Choices, ChoiceFeedback{Key: c.Key, HTML: c.HTML, Correct: true, Why: c.WhyHTML})
			}
		}
	}
	if q.Type == Multi {
		res.Missed = total - right
		res.Tally = Tally{Right: right, Wrong: wrong, Of: total, Judged: right + len(q.Choices) - total - wrong, Parts: len(q.Choices)}
	}
	return nil
}

func choiceIndex(q *Question, key string) int {
	for i, c := range q.Choices {
		if c.Key == key {
			return i
		}
	}
	return -1
}

func gradeOrder(q *Question, order []string, res *Result) error {
	if len(order) != len(q.ItemKeys) {
		return fmt.Errorf("%w: an order answer lists all %d items, got %d", ErrInvalidAnswer, len(q.ItemKeys), len(order))
	}
	// An item is in a right position anywhere inside its any_order run.
	pos := make(map[string]int, len(q.ItemKeys))
	for i, k := range q.ItemKeys {
		pos[k] = i
	}
	seen := make(map[string]bool, len(order))
	res.Positions = make([]bool, len(order))
	right := 0
	for i, k := range order {
		want, ok := pos[k]
		if !ok {
			return fmt.Errorf("%w: unknown item %q", ErrInvalidAnswer, k)
		}
		if seen[k] {
			return fmt.Errorf("%w: item %q given twice", ErrInvalidAnswer, k)
		}
		seen[k] = true
		if lo, hi := q.span(want); lo <= i && i <= hi {
			res.Positions[i] = true
			right++
		}
	}
	res.Score = float64(right) / float64(len(order))
	res.Tally = Tally{Right: right, Of: len(order)}
	return nil
}

func gradeMatch(q *Question, m map[string]string, res *Result) error {
	rights := make(map[string]bool, len(q.Pairs))
	for _, p := range q.Pairs {
		rights[p.RightKey] = true
	}
	if len(m) != len(q.Pairs) {
		return fmt.Errorf("%w: a match answer pairs all %d left sides, got %d", ErrInvalidAnswer, len(q.Pairs), len(m))
	}
	res.Pairs = make(map[string]bool, len(q.Pairs))
	right := 0
	for _, p := range q.Pairs {
		r, ok := m[p.LeftKey]
		if !ok {
			return fmt.Errorf("%w: left side %q has no answer", ErrInvalidAnswer, p.LeftKey)
		}
		if !rights[r] {
			return fmt.Errorf("%w: unknown right side %q", ErrInvalidAnswer, r)
		}
		res.Pairs[p.LeftKey] = r == p.RightKey
		if r == p.RightKey {
			right++
		}
	}
	res.Score = float64(right) / float64(len(q.Pairs))
	res.Tally = Tally{Right: right, Of: len(q.Pairs)}
	return nil
}

func gradeText(q *Question, text string, res *Result) {
	n := normalize(text)
	for _, a := range q.Accept {
		if normalize(a) == n {
			res.Score = 1
			return
		}
	}
	for _, r := range q.Reject {
		if normalize(r.Text) == n {
			res.Reject = r.WhyHTML
			return
		}
	}
}

func gradeOpen(q *Question, ticked []int, res *Result) error {
	seen := make(map[int]bool, len(ticked))
	for _, i := range ticked {
		if i < 0 || i >= len(q.Rubric) {
			return fmt.Errorf("%w: rubric point %d out of range (%d points)", ErrInvalidAnswer, i, len(q.Rubric))
		}
		if seen[i] {
			return fmt.Errorf("%w: rubric point %d ticked twice", ErrInvalidAnswer, i)
		}
		seen[i] = true
	}
	if len(q.Rubric) > 0 {
		res.Score = float64(len(ticked)) / float64(len(q.Rubric))
	}
	res.Tally = Tally{Right: len(ticked), Of: len(q.Rubric)}
	res.Correct = res.Score >= OpenPassMark-1e-9
	res.Model = q.ModelHTML
	return nil
}

// normalize folds a text answer for comparison: lower case, inner
// whitespace collapsed, surrounding quotes and backticks and trailing
// punctuation removed ("`DELETE`." and "delete" are the same answer).
func normalize(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	for {
		t := strings.TrimSpace(strings.Trim(strings.TrimRight(s, ".!?,;:"), "`\"'“”‘’"))
		if t == s {
			return s
		}
		s = t
	}
}
