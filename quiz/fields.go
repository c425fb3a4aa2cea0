package quiz

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// field decodes one top-level field into q.
func (p *parser) field(q *Question, name string, v *yaml.Node) error {
	var err error
	switch name {
	case "id":
		q.ID, err = p.str(v, name)
	case "type": // read by question
	case "level":
		q.Level, err = p.level(v)
	case "topics":
		q.Topics, err = p.strs(v, name)
	case "prompt":
		q.Prompt, err = p.str(v, name)
	case "hint":
		q.Hint, err = p.str(v, name)
	case "explain":
		q.Explain, err = p.str(v, name)
	case "interview":
		q.Interview, err = p.bool(v, name)
	case "follow_ups":
		q.FollowUps, err = p.strs(v, name)
	case "choices":
		q.Choices, err = p.choices(v)
	case "statement":
		q.Statement, err = p.str(v, name)
	case "answer":
		q.Answer, err = p.bool(v, name)
	case "why":
		q.Why, err = p.str(v, name)
	case "items":
		q.Items, err = p.strs(v, name)
	case "any_order":
		q.AnyOrder, err = p.runs(v)
	case "pairs":
		q.Pairs, err = p.pairs(v)
	case "accept":
		q.Accept, err = p.strs(v, name)
	case "reject":
		q.Reject, err = p.rejects(v)
	case "model":
		q.Model, err = p.str(v, name)
	case "rubric":
		q.Rubric, err = p.strs(v, name)
	}
	return err
}

// runs reads any_order: a list of lists of 1-based item numbers, stored
// 0-based. validateAnyOrder checks what they mean.
func (p *parser) runs(v *yaml.Node) ([][]int, error) {
	const shape = "field \"any_order\" is a list of groups of item numbers, like [[3, 4], [5, 6]]"
	if v.Kind != yaml.SequenceNode {
		return nil, p.errorf(v, shape)
	}
	out := make([][]int, 0, len(v.Content))
	for _, g := range v.Content {
		if g.Kind != yaml.SequenceNode {
			return nil, p.errorf(g, shape)
		}
		run := make([]int, 0, len(g.Content))
		for _, e := range g.Content {
			n, err := strconv.Atoi(e.Value)
			if e.Kind != yaml.ScalarNode || err != nil {
				return nil, p.errorf(e, "%s; %q is not an item number", shape, e.Value)
			}
			run = append(run, n-1)
		}
		out = append(out, run)
	}
	return out, nil
}

// str reads a scalar as text. Numbers and booleans count as their text
// (`accept: [401]`); a null is the empty string.
func (p *parser) str(v *yaml.Node, name string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", p.errorf(v, "field %q must be text, not a %s", name, kindName(v))
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(v.Value), nil
}

// strs reads a sequence of scalars.
func (p *parser) strs(v *yaml.Node, name string) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, p.errorf(v, "field %q must be a list", name)
	}
	out := make([]string, 0, len(v.Content))
	for _, e := range v.Content {
		s, err := p.str(e, name+" entry")
		if err != nil {
			return nil, err
		}
		if s == "" {
			return nil, p.errorf(e, "field %q has an empty entry", name)
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) bool(v *yaml.Node, name string) (bool, error) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		return false, p.errorf(v, "field %q must be true or false", name)
	}
	return strconv.ParseBool(v.Value)
}

func (p *parser) level(v *yaml.Node) (int, error) {
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || n < 1 || n > 3 {
		return 0, p.errorf(v, "level must be 1, 2 or 3, got %q", v.Value)
	}
	return n, nil
}

// mapping reads a list entry that is a mapping with only the given keys
// and returns its values by key.
func (p *parser) mapping(e *yaml.Node, list string, keys ...string) (map[string]*yaml.Node, error) {
	if e.Kind != yaml.MappingNode {
		return nil, p.errorf(e, "each entry of %q is a mapping with %s", list, strings.Join(keys, ", "))
	}
	out := make(map[string]*yaml.Node, len(keys))
	for i := 0; i+1 < len(e.Content); i += 2 {
		k, v := e.Content[i], e.Content[i+1]
		known := false
		for _, want := range keys {
			known = known || k.Value == want
		}
		if !known {
			return nil, p.errorf(k, "unknown field %q in %s (want %s)", k.Value, list, strings.Join(keys, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, p.errorf(k, "field %q appears twice in one entry of %s", k.Value, list)
		}
		out[k.Value] = v
	}
	return out, nil
}

// entries checks that v is a list and returns its entries.
func (p *parser) entries(v *yaml.Node, name string) ([]*yaml.Node, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, p.errorf(v, "field %q must be a list", name)
	}
	return v.Content, nil
}

// required reads a text field of a list entry that must be present and
// non-empty.
func (p *parser) required(m map[string]*yaml.Node, e *yaml.Node, key, list string) (string, error) {
	v, ok := m[key]
	if !ok {
		return "", p.errorf(e, "an entry of %q has no %q", list, key)
	}
	s, err := p.str(v, key)
	if err == nil && s == "" {
		err = p.errorf(v, "an entry of %q has an empty %q", list, key)
	}
	return s, err
}

func (p *parser) choices(v *yaml.Node) ([]Choice, error) {
	es, err := p.entries(v, "choices")
	if err != nil {
		return nil, err
	}
	out := make([]Choice, 0, len(es))
	for _, e := range es {
		m, err := p.mapping(e, "choices", "text", "correct", "why")
		if err != nil {
			return nil, err
		}
		var c Choice
		if c.Text, err = p.required(m, e, "text", "choices"); err != nil {
			return nil, err
		}
		if n, ok := m["correct"]; ok {
			if c.Correct, err = p.bool(n, "correct"); err != nil {
				return nil, err
			}
		}
		if n, ok := m["why"]; ok {
			if c.Why, err = p.str(n, "why"); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func (p *parser) pairs(v *yaml.Node) ([]Pair, error) {
	es, err := p.entries(v, "pairs")
	if err != nil {
		return nil, err
	}
	out := make([]Pair, 0, len(es))
	for _, e := range es {
		m, err := p.mapping(e, "pairs", "left", "right")
		if err != nil {
			return nil, err
		}
		var pr Pair
		if pr.Left, err = p.required(m, e, "left", "pairs"); err != nil {
			return nil, err
		}
		if pr.Right, err = p.required(m, e, "right", "pairs"); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

func (p *parser) rejects(v *yaml.Node) ([]Reject, error) {
	es, err := p.entries(v, "reject")
	if err != nil {
		return nil, err
	}
	out := make([]Reject, 0, len(es))
	for _, e := range es {
		m, err := p.mapping(e, "reject", "text", "why")
		if err != nil {
			return nil, err
		}
		var r Reject
		if r.Text, err = p.required(m, e, "text", "reject"); err != nil {
			return nil, err
		}
		if n, ok := m["why"]; ok {
			if r.Why, err = p.str(n, "why"); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func kindName(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}
