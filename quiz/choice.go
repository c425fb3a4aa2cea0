package quiz

import (
	"fmt"
	"slices"
	"strings"
)

// ChoiceError is NewChoice's refusal: Reason says what is wrong, in a
// sentence that can be shown to whoever wrote the question.
type ChoiceError struct{ Reason string }

func (e *ChoiceError) Error() string { return "quiz: " + e.Reason }

// NewChoice builds a choice question from its parts, for questions that
// are not written as a quiz block (a live round's question typed on the
// spot): options in the order given, correct holding the 0-based indexes
// of the right ones. One right option makes a single question, more make
// a multi ("choose all that apply").
//
// It applies the rules ParseBlock applies to the same question written
// as a block with id, type, prompt and choices (texts trimmed; a slug
// id; a non-empty prompt; at least two options, none empty and no text
// twice; at least one right option) and returns it finished as
// ParseBlock would: keys set, Markdown rendered, Level 1, in the
// interview bank. Every refusal is a *ChoiceError.
func NewChoice(id, prompt string, options []string, correct []int) (*Question, error) {
	q := &Question{ID: id, Type: Single, Level: 1, Interview: true, Prompt: strings.TrimSpace(prompt)}
	if !isSlug(id) {
		return nil, choiceErr("id %q must be lowercase letters, digits and dashes, starting with a letter or digit", id)
	}
	if q.Prompt == "" {
		return nil, choiceErr("the question needs a non-empty prompt")
	}
	if len(options) < 2 {
		return nil, choiceErr("a choice question needs at least two options, has %d", len(options))
	}
	if len(correct) == 0 {
		return nil, choiceErr("a choice question needs at least one right option")
	}
	if len(correct) > 1 {
		q.Type = Multi
	}
	q.Choices = make([]Choice, len(options))
	seen := make(map[string]bool, len(options))
	for i, o := range options {
		c := Choice{Text: strings.TrimSpace(o)}
		if c.Text == "" {
			return nil, choiceErr("option %d is empty", i+1)
		}
		c.Key = optionKey(q.ID, "choice", c.Text)
		if seen[c.Key] {
			return nil, choiceErr("option %q appears twice", c.Text)
		}
		seen[c.Key] = true
		q.Choices[i] = c
	}
	for i, n := range correct {
		if n < 0 || n >= len(options) {
			return nil, choiceErr("right option %d does not exist: the options are 1 to %d", n+1, len(options))
		}
		if slices.Contains(correct[:i], n) {
			return nil, choiceErr("option %d is marked right twice", n+1)
		}
		q.Choices[n].Correct = true
	}
	finish(q)
	return q, nil
}

func choiceErr(format string, args ...any) error {
	return &ChoiceError{Reason: fmt.Sprintf(format, args...)}
}
