package lessons

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// labYAML is the body of a `lab` block. Each step is either plain text (a
// narrative step) or a mapping {text, check} naming the lab panel's
// milestone the step completes. The optional goal {text, check, proved}
// is the lab's one challenge (see LabGoal); one block in the course sets
// it.
type labYAML struct {
	Name  string      `yaml:"name"`
	Mode  string      `yaml:"mode"`
	Goal  yaml.Node   `yaml:"goal"`
	Steps []yaml.Node `yaml:"steps"`
}

// LabGoal is a lab's goal: what the learner must achieve, in one
// sentence, shown before the steps (which become its hints); the goal
// milestone of the lab panel that says it was met, judged on the server
// from what happened; and what meeting it proved, shown once it is met.
type LabGoal struct {
	Text   template.HTML
	Check  string // the panel's goal milestone id
	Proved template.HTML
	Line   int // line of the goal key
}

// LabStep is one step of a lab block: its rendered text and, when the
// step completes one, the id of the panel milestone that ticks for it.
type LabStep struct {
	Text  template.HTML
	Check string // a milestone id of the lab's panel, or "" for a narrative step
	Line  int
}

func (pg *page) labBlock(src []byte, fence, first int) *LabBlock {
	var y labYAML
	root, ps := decodeStrict(src, &y, pg.file, first)
	if len(ps) > 0 {
		pg.report.addAll(ps)
		return nil
	}
	at := func(path ...any) int { return lineAt(root, first, fence, path...) }
	ok := true
	switch {
	case y.Name == "":
		pg.report.add(pg.file, fence, "lab: missing name")
		ok = false
	case !slices.Contains(LabNames(), y.Name):
		pg.report.add(pg.file, at("name"), "lab: unknown lab %q (labs: %s)", y.Name, strings.Join(LabNames(), ", "))
		ok = false
	}
	if y.Mode != "" && !slices.Contains(LabModes(), y.Mode) {
		pg.report.add(pg.file, at("mode"), "lab: unknown mode %q (modes: %s)", y.Mode, strings.Join(LabModes(), ", "))
		ok = false
	}
	if !ok {
		return nil
	}
	lab := &LabBlock{Name: y.Name, Mode: y.Mode, Line: fence}
	if !y.Goal.IsZero() {
		key := keyLine(root, first, fence, "goal")
		line := key
		f, msg := labGoal(&y.Goal, first, &line)
		if msg != "" {
			pg.report.add(pg.file, line, "lab: goal: %s", msg)
		} else {
			lab.Goal = &LabGoal{Text: pg.renderInline(f["text"], at("goal", "text")), Check: f["check"], Proved: pg.renderInline(f["proved"], at("goal", "proved")), Line: key}
		}
	}
	checked := map[string]int{}
	for i := range y.Steps {
		line := at("steps", i)
		text, check, msg := labStep(&y.Steps[i], first, &line)
		switch {
		case msg != "":
			pg.report.add(pg.file, line, "lab: %s", msg)
			continue
		case strings.TrimSpace(text) == "":
			pg.report.add(pg.file, line, "lab: empty step")
			continue
		case check != "" && checked[check] > 0:
			pg.report.add(pg.file, line, "lab: check %q is already named by the step on line %d", check, checked[check])
			continue
		}
		if check != "" {
			checked[check] = line
		}
		lab.Steps = append(lab.Steps, LabStep{Text: pg.renderInline(text, line), Check: check, Line: line})
	}
	return lab
}

// labStep reads one entry of steps: text, or a mapping with text and an
// optional check. msg is the problem, if any, at *line (moved to the
// offending key).
func labStep(n *yaml.Node, first int, line *int) (text, check, msg string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag != "!!str" {
			return "", "", fmt.Sprintf("expected text or a mapping {text, check}, got %q", n.Value)
		}
		return n.Value, "", ""
	case yaml.MappingNode:
	default:
		return "", "", "expected text or a mapping {text, check}"
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		*line = first + k.Line - 1
		if seen[k.Value] {
			return "", "", fmt.Sprintf("step: duplicate field %q", k.Value)
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			return "", "", fmt.Sprintf("step: %s must be text", k.Value)
		}
		switch k.Value {
		case "text":
			text = v.Value
		case "check":
			check = strings.TrimSpace(v.Value)
			if check == "" {
				return "", "", "step: empty check"
			}
		default:
			return "", "", fmt.Sprintf("step: unknown field %q (fields: text, check)", k.Value)
		}
	}
	*line = first + n.Line - 1
	if !seen["text"] {
		return "", "", "step: missing text"
	}
	return text, check, ""
}

// keyLine is the file line of a top-level key of root, or fallback.
func keyLine(root *yaml.Node, first, fallback int, key string) int {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return fallback
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return first + n.Content[i].Line - 1
		}
	}
	return fallback
}

// labGoal reads a goal: a mapping of text, check and proved, each
// non-empty text. msg is the problem, if any, at *line.
func labGoal(n *yaml.Node, first int, line *int) (map[string]string, string) {
	if n.Kind != yaml.MappingNode {
		return nil, "expected a mapping {text, check, proved}"
	}
	out, at := map[string]string{}, *line
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		*line = first + k.Line - 1
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Sprintf("duplicate field %q", k.Value)
		}
		switch k.Value {
		case "text", "check", "proved":
		default:
			return nil, fmt.Sprintf("unknown field %q (fields: text, check, proved)", k.Value)
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			return nil, fmt.Sprintf("%s must be text", k.Value)
		}
		if strings.TrimSpace(v.Value) == "" {
			return nil, fmt.Sprintf("empty %s", k.Value)
		}
		out[k.Value] = strings.TrimSpace(v.Value)
	}
	*line = at
	for _, f := range []string{"text", "check", "proved"} {
		if out[f] == "" {
			return nil, "missing " + f
		}
	}
	return out, ""
}

// CheckSteps holds the course's lab steps to the labs' own milestones:
// milestones returns the milestone ids of a lab panel (in the server, the
// sandbox's), in order. Every step's check must be a milestone of its
// lab, and every milestone of a lab some lesson uses must be named by a
// step, so each checklist line the lab panel shows has its text in a
// lesson.
func (c *Catalog) CheckSteps(milestones func(lab string) []string) []Problem {
	rep := &report{}
	named := map[string]map[string]bool{}
	where := map[string]Problem{} // first block of each lab
	for _, l := range c.Lessons {
		for _, seg := range l.Body {
			lab := seg.Lab
			if lab == nil {
				continue
			}
			ids := milestones(lab.Name)
			if named[lab.Name] == nil {
				named[lab.Name] = map[string]bool{}
				where[lab.Name] = Problem{File: l.File, Line: lab.Line}
			}
			for _, st := range lab.Steps {
				if st.Check == "" {
					continue
				}
				if !slices.Contains(ids, st.Check) {
					rep.add(l.File, st.Line, "lab %s: check %q is not a step of this lab (steps: %s)", lab.Name, st.Check, strings.Join(ids, ", "))
					continue
				}
				named[lab.Name][st.Check] = true
			}
		}
	}
	for _, name := range LabNames() {
		at, ok := where[name]
		if !ok {
			continue
		}
		for _, id := range milestones(name) {
			if !named[name][id] {
				rep.add(at.File, at.Line, "lab %s: no step of any lesson names check %q: add `check: %s` to the step that completes it", name, id, id)
			}
		}
	}
	return rep.sorted()
}

// LabSteps is the steps of the course that name a milestone of lab: for
// each milestone the first step, in course order, that names it; in that
// order (the order a learner following the lessons meets them).
func (c *Catalog) LabSteps(lab string) []LabStep {
	var out []LabStep
	for _, l := range c.Lessons {
		for _, seg := range l.Body {
			if seg.Lab == nil || seg.Lab.Name != lab {
				continue
			}
			for _, st := range seg.Lab.Steps {
				if st.Check != "" && !slices.ContainsFunc(out, func(o LabStep) bool { return o.Check == st.Check }) {
					out = append(out, st)
				}
			}
		}
	}
	return out
}

// StepText is the text of the first step, in course order, that names
// check in a block of the lab, or "" when none does.
func (c *Catalog) StepText(lab, check string) template.HTML {
	for _, st := range c.LabSteps(lab) {
		if st.Check == check {
			return st.Text
		}
	}
	return ""
}

// LabGoal is the goal of lab: the one a block of the course sets (the
// first, in course order, should a broken course set two), or nil.
func (c *Catalog) LabGoal(lab string) *LabGoal {
	g, _ := c.goalOf(lab)
	return g
}

// GoalLesson is the lesson whose block sets lab's goal, or nil.
func (c *Catalog) GoalLesson(lab string) *Lesson {
	_, l := c.goalOf(lab)
	return l
}

func (c *Catalog) goalOf(lab string) (*LabGoal, *Lesson) {
	for _, l := range c.Lessons {
		for _, seg := range l.Body {
			if seg.Lab != nil && seg.Lab.Name == lab && seg.Lab.Goal != nil {
				return seg.Lab.Goal, l
			}
		}
	}
	return nil, nil
}

// Goals lists the labs whose goal the lesson sets, each once, in order.
func (l *Lesson) Goals() []string {
	var out []string
	for _, seg := range l.Body {
		if seg.Lab != nil && seg.Lab.Goal != nil && !slices.Contains(out, seg.Lab.Name) {
			out = append(out, seg.Lab.Name)
		}
	}
	return out
}

// CheckGoals holds the course's lab goals to the labs' own: goal returns
// the goal milestone id of a lab panel (in the server, the sandbox's).
// Every lab some lesson uses has exactly one goal, set in one block of
// the whole course, and its check is that lab's goal milestone.
func (c *Catalog) CheckGoals(goal func(lab string) string) []Problem {
	rep := &report{}
	first := map[string]Problem{} // first block of each lab
	set := map[string]Problem{}   // the block that sets its goal
	for _, l := range c.Lessons {
		for _, seg := range l.Body {
			lab := seg.Lab
			if lab == nil {
				continue
			}
			if _, ok := first[lab.Name]; !ok {
				first[lab.Name] = Problem{File: l.File, Line: lab.Line}
			}
			g := lab.Goal
			if g == nil {
				continue
			}
			if at, ok := set[lab.Name]; ok {
				rep.add(l.File, g.Line, "lab %s: its goal is already set at %s:%d: a lab has one goal, set in one lesson", lab.Name, at.File, at.Line)
				continue
			}
			set[lab.Name] = Problem{File: l.File, Line: g.Line}
			if want := goal(lab.Name); g.Check != want {
				rep.add(l.File, g.Line, "lab %s: goal check %q is not this lab's goal (%s)", lab.Name, g.Check, orNone(want))
			}
		}
	}
	for _, name := range LabNames() {
		at, used := first[name]
		if _, ok := set[name]; used && !ok {
			rep.add(at.File, at.Line, "lab %s: no lesson sets its goal: add goal: {text, check: %s, proved} to one of its blocks", name, orNone(goal(name)))
		}
	}
	return rep.sorted()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Checks lists the milestones the block's steps check, in order; a
// narrative step checks none.
func (b *LabBlock) Checks() []string {
	var out []string
	for _, s := range b.Steps {
		if s.Check != "" {
			out = append(out, s.Check)
		}
	}
	return out
}
