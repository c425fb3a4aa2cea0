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
// milestone the step completes.
type labYAML struct {
	Name  string      `yaml:"name"`
	Mode  string      `yaml:"mode"`
	Steps []yaml.Node `yaml:"steps"`
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
