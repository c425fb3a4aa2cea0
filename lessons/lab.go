package lessons

import (
	"slices"
	"strings"
)

// labYAML is the body of a `lab` block.
type labYAML struct {
	Name  string   `yaml:"name"`
	Mode  string   `yaml:"mode"`
	Steps []string `yaml:"steps"`
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
	for i, s := range y.Steps {
		if strings.TrimSpace(s) == "" {
			pg.report.add(pg.file, at("steps", i), "lab: empty step")
			continue
		}
		lab.Steps = append(lab.Steps, pg.renderInline(s, at("steps", i)))
	}
	return lab
}
