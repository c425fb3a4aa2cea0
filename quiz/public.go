package quiz

import (
	"hash/fnv"
	"html/template"
	"math/rand/v2"
	"slices"
)

// Public is the view of a question that may reach a browser before the
// learner answers: the prompt, the options in a per-learner order, their
// keys and the hint. It holds no correct flags, no per-choice why, no
// model answer, no rubric and no accepted text; Reveal gives those once
// the learner has answered.
type Public struct {
	ID        string        `json:"id"`
	Type      Type          `json:"type"`
	Level     int           `json:"level"`
	Topics    []string      `json:"topics,omitempty"`
	Prompt    template.HTML `json:"prompt,omitempty"`
	Statement template.HTML `json:"statement,omitempty"` // truefalse
	Options   []Option      `json:"options,omitempty"`   // single, multi: choices; order: items
	Lefts     []Option      `json:"lefts,omitempty"`     // match, in authored order
	Rights    []Option      `json:"rights,omitempty"`    // match, each distinct right once
	Hint      template.HTML `json:"hint,omitempty"`      // shown behind a button
	Rubric    int           `json:"rubricPoints,omitempty"`
}

// Option is one choice, item or match side as the browser sees it.
type Option struct {
	Key  string        `json:"key"`
	HTML template.HTML `json:"html"`
}

// Seed is the shuffle seed for one learner and question: stable across
// reloads and restarts, different between learners.
func Seed(learner, questionID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(learner))
	h.Write([]byte{0})
	h.Write([]byte(questionID))
	return h.Sum64()
}

// Public returns the question as the browser sees it before an answer,
// with options shuffled by seed (see Seed). An order question never shows
// its items in the right order, and a match question never lines its
// rights up with their lefts: either would give the answer away.
func (q *Question) Public(seed uint64) Public {
	p := Public{ID: q.ID, Type: q.Type, Level: q.Level, Topics: slices.Clone(q.Topics),
		Prompt: q.PromptHTML, Statement: q.StatementHTML, Hint: q.HintHTML}
	rng := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	switch q.Type {
	case Single, Multi:
		p.Options = make([]Option, len(q.Choices))
		for i, c := range q.Choices {
			p.Options[i] = Option{Key: c.Key, HTML: c.HTML}
		}
		shuffle(rng, p.Options, false)
	case Order:
		p.Options = make([]Option, len(q.ItemKeys))
		for i, k := range q.ItemKeys {
			p.Options[i] = Option{Key: k, HTML: q.ItemsHTML[i]}
		}
		shuffle(rng, p.Options, true)
	case Match:
		for _, pr := range q.Pairs {
			p.Lefts = append(p.Lefts, Option{Key: pr.LeftKey, HTML: pr.LeftHTML})
			if !slices.ContainsFunc(p.Rights, func(o Option) bool { return o.Key == pr.RightKey }) {
				p.Rights = append(p.Rights, Option{Key: pr.RightKey, HTML: pr.RightHTML})
			}
		}
		shuffle(rng, p.Rights, true)
	case Open:
		p.Rubric = len(q.Rubric)
	}
	return p
}

// shuffle is Fisher–Yates on PCG output, written out rather than taken
// from math/rand so the order a learner sees can never change with a Go
// release. With notIdentity, an order equal to the authored one is
// rotated by one so it differs.
func shuffle(src *rand.PCG, s []Option, notIdentity bool) {
	orig := slices.Clone(s)
	for i := len(s) - 1; i > 0; i-- {
		j := int(src.Uint64() % uint64(i+1))
		s[i], s[j] = s[j], s[i]
	}
	if notIdentity && len(s) > 1 && slices.Equal(s, orig) {
		first := s[0]
		copy(s, s[1:])
		s[len(s)-1] = first
	}
}

// Solution is everything about a question's answer: shown after an
// attempt ("show answer"), and for open questions once the learner has
// written their answer, so they can tick the rubric.
type Solution struct {
	ID      string                   `json:"id"`
	Choices []string                 `json:"choices,omitempty"` // keys of the correct choices
	Why     map[string]template.HTML `json:"why,omitempty"`     // choice key -> its why
	Order   []string                 `json:"order,omitempty"`   // item keys in the right order
	Match   map[string]string        `json:"match,omitempty"`   // left key -> right key
	Answer  *bool                    `json:"answer,omitempty"`  // truefalse
	Accept  []string                 `json:"accept,omitempty"`  // text: accepted forms
	Model   template.HTML            `json:"model,omitempty"`
	Rubric  []template.HTML          `json:"rubric,omitempty"`
	Explain template.HTML            `json:"explain,omitempty"`
	Reason  template.HTML            `json:"reason,omitempty"` // truefalse why
}

// Reveal returns the question's solution. Call it only after the learner
// has answered (or, for open questions, written an answer).
func (q *Question) Reveal() Solution {
	s := Solution{ID: q.ID, Explain: q.ExplainHTML}
	switch q.Type {
	case Single, Multi:
		s.Why = make(map[string]template.HTML, len(q.Choices))
		for _, c := range q.Choices {
			if c.Correct {
				s.Choices = append(s.Choices, c.Key)
			}
			if c.WhyHTML != "" {
				s.Why[c.Key] = c.WhyHTML
			}
		}
	case TrueFalse:
		answer := q.Answer
		s.Answer = &answer
		s.Reason = q.WhyHTML
	case Order:
		s.Order = slices.Clone(q.ItemKeys)
	case Match:
		s.Match = make(map[string]string, len(q.Pairs))
		for _, p := range q.Pairs {
			s.Match[p.LeftKey] = p.RightKey
		}
	case Text:
		s.Accept = slices.Clone(q.Accept)
	case Open:
		s.Model = q.ModelHTML
		s.Rubric = slices.Clone(q.RubricHTML)
	}
	return s
}
