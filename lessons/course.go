package lessons

import (
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

const courseFile = "course.yaml"

// courseYAML is course.yaml (docs/content.md).
type courseYAML struct {
	Title   string       `yaml:"title"`
	Modules []moduleYAML `yaml:"modules"`
	Tracks  yaml.Node    `yaml:"tracks"` // reserved by the content format; not used yet
}

type moduleYAML struct {
	Title   string      `yaml:"title"`
	Lessons []yaml.Node `yaml:"lessons"` // nodes, for each slug's line
	Check   []yaml.Node `yaml:"check"`   // the mastery check's question ids (mastery.go)
}

// moduleOutline is one module of course.yaml: its title, where it
// starts, and its mastery check's question ids with their lines.
type moduleOutline struct {
	title string
	line  int
	check []listed // slug holds the question id
}

// listed is one slug of course.yaml, where it stands.
type listed struct {
	slug   string
	module int
	line   int
}

// readCourse parses course.yaml into its title, module titles and the
// slugs in course order.
func readCourse(src []byte, r *report) (title string, modules []moduleOutline, slugs []listed) {
	var c courseYAML
	root, ps := decodeStrict(src, &c, courseFile, 1)
	if len(ps) > 0 {
		r.addAll(ps)
		return "", nil, nil
	}
	if strings.TrimSpace(c.Title) == "" {
		r.add(courseFile, lineAt(root, 1, 1, "title"), "missing title")
	}
	if len(c.Modules) == 0 {
		r.add(courseFile, lineAt(root, 1, 1, "modules"), "no modules: list at least one module with its lessons")
	}
	first := map[string]int{}
	for i, m := range c.Modules {
		mline := lineAt(root, 1, 1, "modules", i)
		if strings.TrimSpace(m.Title) == "" {
			r.add(courseFile, mline, "module %d has no title", i+1)
		}
		if len(m.Lessons) == 0 {
			r.add(courseFile, mline, "module %d (%s) lists no lessons", i+1, m.Title)
		}
		mo := moduleOutline{title: m.Title, line: mline}
		for _, n := range m.Check {
			if n.Kind != yaml.ScalarNode || n.Value == "" {
				r.add(courseFile, n.Line, "expected a question id in module %d's check", i+1)
				continue
			}
			mo.check = append(mo.check, listed{slug: n.Value, module: i, line: n.Line})
		}
		modules = append(modules, mo)
		for _, n := range m.Lessons {
			if n.Kind != yaml.ScalarNode || n.Value == "" {
				r.add(courseFile, n.Line, "expected a lesson slug")
				continue
			}
			if at, dup := first[n.Value]; dup {
				r.add(courseFile, n.Line, "lesson %q is listed twice (first at line %d)", n.Value, at)
				continue
			}
			first[n.Value] = n.Line
			slugs = append(slugs, listed{slug: n.Value, module: i, line: n.Line})
		}
	}
	return c.Title, modules, slugs
}

// lessonName is a lesson file name: NN-slug.md.
var lessonName = regexp.MustCompile(`^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

// slugOfFile returns the slug a lesson file name gives, or "".
func slugOfFile(name string) string {
	m := lessonName.FindStringSubmatch(path.Base(name))
	if m == nil {
		return ""
	}
	return m[2]
}
