package quiz

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// at returns the value node of a top-level field, or nil when absent, so
// an error lands on the field when there is one and on the block if not.
func (p *parser) at(name string) *yaml.Node {
	if kv, ok := p.fields[name]; ok {
		return kv[1]
	}
	return nil
}

// key returns the key node of a top-level field (nil when absent).
func (p *parser) key(name string) *yaml.Node {
	if kv, ok := p.fields[name]; ok {
		return kv[0]
	}
	return nil
}

// entry returns the node of the i-th entry of a list field.
func (p *parser) entry(name string, i int) *yaml.Node {
	if v := p.at(name); v != nil && i < len(v.Content) {
		return v.Content[i]
	}
	return p.key(name)
}

// validate applies the content format's rules (docs/content.md) to a
// decoded question and sets the option keys (checking they are unique
// within the question).
func (p *parser) validate(q *Question) error {
	if q.ID == "" {
		return p.errorf(p.at("id"), "missing field \"id\"")
	}
	if !isSlug(q.ID) {
		return p.errorf(p.at("id"), "id %q must be lowercase letters, digits and dashes, starting with a letter or digit", q.ID)
	}
	for i, t := range q.Topics {
		if !isSlug(t) {
			return p.errorf(p.entry("topics", i), "topic %q must be lowercase letters, digits and dashes", t)
		}
	}
	for i, f := range q.FollowUps {
		if !isSlug(f) {
			return p.errorf(p.entry("follow_ups", i), "follow-up %q is not a question id", f)
		}
		if f == q.ID {
			return p.errorf(p.entry("follow_ups", i), "question %q lists itself as a follow-up", f)
		}
	}
	if q.Type == TrueFalse {
		if q.Statement == "" {
			return p.errorf(p.at("statement"), "a truefalse question needs a non-empty \"statement\"")
		}
		if p.at("answer") == nil {
			return p.errorf(nil, "a truefalse question needs \"answer: true\" or \"answer: false\"")
		}
	} else if q.Prompt == "" {
		return p.errorf(p.at("prompt"), "a %s question needs a non-empty \"prompt\"", q.Type)
	}
	switch q.Type {
	case Single, Multi:
		return p.validateChoices(q)
	case Order:
		return p.validateItems(q)
	case Match:
		return p.validatePairs(q)
	case Text:
		return p.validateText(q)
	case Open:
		if q.Model == "" {
			return p.errorf(p.at("model"), "an open question needs a model answer (\"model\")")
		}
		if len(q.Rubric) < 2 {
			return p.errorf(p.key("rubric"), "an open question needs at least two rubric points, has %d", len(q.Rubric))
		}
	}
	return nil
}

func (p *parser) validateChoices(q *Question) error {
	if len(q.Choices) < 2 {
		return p.errorf(p.key("choices"), "a %s question needs at least two choices, has %d", q.Type, len(q.Choices))
	}
	correct := 0
	seen := make(map[string]bool, len(q.Choices))
	for i := range q.Choices {
		c := &q.Choices[i]
		c.Key = optionKey(q.ID, "choice", c.Text)
		if seen[c.Key] {
			return p.errorf(p.entry("choices", i), "choice %q appears twice", c.Text)
		}
		seen[c.Key] = true
		if c.Correct {
			correct++
		}
	}
	switch {
	case q.Type == Single && correct != 1:
		return p.errorf(p.key("choices"), "a single question needs exactly one correct choice, has %d", correct)
	case q.Type == Multi && correct == 0:
		return p.errorf(p.key("choices"), "a multi question needs at least one correct choice")
	}
	return nil
}

func (p *parser) validateItems(q *Question) error {
	if len(q.Items) < 2 {
		return p.errorf(p.key("items"), "an order question needs at least two items, has %d", len(q.Items))
	}
	q.ItemKeys = make([]string, len(q.Items))
	seen := make(map[string]bool, len(q.Items))
	for i, it := range q.Items {
		k := optionKey(q.ID, "item", it)
		if seen[k] {
			return p.errorf(p.entry("items", i), "item %q appears twice", it)
		}
		seen[k] = true
		q.ItemKeys[i] = k
	}
	return p.validateAnyOrder(q)
}

// validateAnyOrder refuses alternatives that are not a consistent partial
// order of the simple kind the grader knows: each group is a run of two or
// more consecutive items, no item is in two groups, and not every item is
// in one group (then there would be nothing to order).
func (p *parser) validateAnyOrder(q *Question) error {
	used := make([]bool, len(q.Items))
	for gi, run := range q.AnyOrder {
		at := p.entry("any_order", gi)
		if len(run) < 2 {
			return p.errorf(at, "an any_order group names at least two items, this one %d", len(run))
		}
		r := slices.Clone(run)
		slices.Sort(r)
		for i, n := range r {
			if n < 0 || n >= len(q.Items) {
				return p.errorf(at, "any_order names item %d; the question has items 1 to %d", n+1, len(q.Items))
			}
			if i > 0 && n != r[i-1]+1 {
				return p.errorf(at, "an any_order group is a run of neighbouring items (like 3, 4, 5); %v leaves a gap, and the items between would have to move too", plusOne(r))
			}
			if used[n] {
				return p.errorf(at, "item %d is in two any_order groups; merge them into one run", n+1)
			}
			used[n] = true
		}
		q.AnyOrder[gi] = r
		if len(r) == len(q.Items) {
			return p.errorf(at, "any_order lets every item go anywhere: then this is not an order question")
		}
	}
	return nil
}

func plusOne(r []int) []int {
	out := make([]int, len(r))
	for i, n := range r {
		out[i] = n + 1
	}
	return out
}

// span is the range of positions item i may take: its own, or its
// any_order group's.
func (q *Question) span(i int) (lo, hi int) {
	for _, run := range q.AnyOrder {
		if i >= run[0] && i <= run[len(run)-1] {
			return run[0], run[len(run)-1]
		}
	}
	return i, i
}

// anyOrderNote is the sentence the feedback adds for each group.
func (q *Question) anyOrderNote() string {
	var b strings.Builder
	for _, run := range q.AnyOrder {
		var names []string
		for _, i := range run {
			names = append(names, fmt.Sprintf("“%s”", strings.TrimSuffix(q.Items[i], ".")))
		}
		last := names[len(names)-1]
		list := strings.Join(names[:len(names)-1], ", ") + " and " + last
		if len(names) == 2 {
			fmt.Fprintf(&b, " %s may come in either order.", list)
		} else {
			fmt.Fprintf(&b, " %s may come in any order.", list)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "More than one order is right:" + b.String()
}

func (p *parser) validatePairs(q *Question) error {
	if len(q.Pairs) < 2 {
		return p.errorf(p.key("pairs"), "a match question needs at least two pairs, has %d", len(q.Pairs))
	}
	seen := make(map[string]bool, len(q.Pairs))
	rights := make(map[string]bool, len(q.Pairs))
	for i := range q.Pairs {
		pr := &q.Pairs[i]
		pr.LeftKey = optionKey(q.ID, "left", pr.Left)
		pr.RightKey = optionKey(q.ID, "right", pr.Right)
		if seen[pr.LeftKey] {
			return p.errorf(p.entry("pairs", i), "left side %q appears twice", pr.Left)
		}
		seen[pr.LeftKey] = true
		rights[pr.RightKey] = true
	}
	if len(rights) < 2 {
		return p.errorf(p.key("pairs"), "a match question needs at least two different right sides")
	}
	// One right side that begins another ("Session" and "Session (or
	// opaque token)") offers two options where the learner sees one
	// answer, and only one of them is marked right.
	for i, a := range q.Pairs {
		for _, b := range q.Pairs {
			if a.Right != b.Right && strings.HasPrefix(normalize(b.Right), normalize(a.Right)) {
				return p.errorf(p.entry("pairs", i), "right side %q begins another, %q: use one wording for one answer", a.Right, b.Right)
			}
		}
	}
	return nil
}

func (p *parser) validateText(q *Question) error {
	if len(q.Accept) == 0 {
		return p.errorf(p.key("accept"), "a text question needs at least one accepted answer (\"accept\")")
	}
	accepted := make(map[string]bool, len(q.Accept))
	for i, a := range q.Accept {
		n := normalize(a)
		if n == "" {
			return p.errorf(p.entry("accept", i), "accepted answer %q is empty once normalised", a)
		}
		accepted[n] = true
	}
	for i, r := range q.Reject {
		if accepted[normalize(r.Text)] {
			return p.errorf(p.entry("reject", i), "rejected answer %q is also accepted", r.Text)
		}
	}
	return nil
}

// isSlug reports whether s has the form [a-z0-9][a-z0-9-]*.
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// finish renders every text field once, at parse time.
func finish(q *Question) {
	md := markdowns.Get().(*markdown)
	defer markdowns.Put(md)
	q.PromptHTML = md.render(q.Prompt)
	q.StatementHTML = md.render(q.Statement)
	q.WhyHTML = md.render(q.Why)
	q.HintHTML = md.render(q.Hint)
	explain := q.Explain
	if note := q.anyOrderNote(); note != "" {
		// Said in the feedback, so a learner who swapped two of them
		// learns why that still counts.
		explain = strings.TrimSpace(explain + "\n\n" + note)
	}
	q.ExplainHTML = md.render(explain)
	q.ModelHTML = md.render(q.Model)
	q.ItemsHTML = md.renderAll(q.Items)
	q.RubricHTML = md.renderAll(q.Rubric)
	for i := range q.Choices {
		q.Choices[i].HTML = md.render(q.Choices[i].Text)
		q.Choices[i].WhyHTML = md.render(q.Choices[i].Why)
	}
	for i := range q.Pairs {
		q.Pairs[i].LeftHTML = md.render(q.Pairs[i].Left)
		q.Pairs[i].RightHTML = md.render(q.Pairs[i].Right)
	}
	for i := range q.Reject {
		q.Reject[i].WhyHTML = md.render(q.Reject[i].Why)
	}
}
