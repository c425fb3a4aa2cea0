package interview

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/authlab/authlab/lessons"
	"go.yaml.in/yaml/v3"
)

// TopicsFile is the course's topic vocabulary, at the root of the course
// beside course.yaml: every topic a question or an interview page names
// is one of its keys, each with a line saying what it covers. Interview
// mode filters by topic, so two names for one idea ("same-site" and
// "samesite") would be two filters for the same questions; `authlab
// check` refuses a topic not in the list, and two names in the list that
// differ only by dashes.
const TopicsFile = "topics.yaml"

// Topic is one entry of the vocabulary.
type Topic struct {
	Name  string
	About string
	Line  int
}

// ReadTopics reads the vocabulary of the course in fsys. A missing file
// is fs.ErrNotExist; a malformed one is one or more problems.
func ReadTopics(fsys fs.FS) ([]Topic, []lessons.Problem, error) {
	src, err := fs.ReadFile(fsys, TopicsFile)
	if err != nil {
		return nil, nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, []lessons.Problem{{File: TopicsFile, Line: 1, Msg: fmt.Sprintf("malformed YAML: %v", err)}}, nil
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, []lessons.Problem{{File: TopicsFile, Line: 1, Msg: "the topic vocabulary is a mapping of topic: what it covers"}}, nil
	}
	var (
		topics   []Topic
		problems []lessons.Problem
		byKey    = map[string]Topic{}
	)
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		bad := func(format string, args ...any) {
			problems = append(problems, lessons.Problem{File: TopicsFile, Line: k.Line, Msg: fmt.Sprintf(format, args...)})
		}
		t := Topic{Name: k.Value, Line: k.Line}
		if v.Kind == yaml.ScalarNode {
			t.About = strings.TrimSpace(v.Value)
		}
		switch prev, dup := byKey[dashless(t.Name)]; {
		case k.Kind != yaml.ScalarNode || !isSlug(t.Name):
			bad("topic %q must be lowercase letters, digits and dashes", t.Name)
			continue
		case dup && prev.Name == t.Name:
			bad("topic %q is listed twice (first on line %d)", t.Name, prev.Line)
			continue
		case dup:
			bad("topic %q and %q (line %d) differ only by dashes: one idea, one name", t.Name, prev.Name, prev.Line)
			continue
		case t.About == "":
			bad("topic %q: say in a line what it covers", t.Name)
		}
		byKey[dashless(t.Name)] = t
		topics = append(topics, t)
	}
	return topics, problems, nil
}

// CheckTopics checks that every topic of the course in fsys — of each
// question and each interview page — is in its vocabulary, and that the
// vocabulary itself is sound. Each problem is at the line that names the
// topic.
func CheckTopics(fsys fs.FS, cat *lessons.Catalog) []lessons.Problem {
	topics, problems, err := ReadTopics(fsys)
	if errors.Is(err, fs.ErrNotExist) {
		for _, q := range cat.Bank.All() {
			if len(q.Topics) > 0 {
				return []lessons.Problem{{File: TopicsFile, Line: 1, Msg: fmt.Sprintf(
					"missing: the course's topic vocabulary, every topic its questions use (%s:%d names %q) with a line saying what it covers",
					q.File, q.Line, q.Topics[0])}}
			}
		}
		return nil
	} else if err != nil {
		return []lessons.Problem{{File: TopicsFile, Line: 1, Msg: err.Error()}}
	}
	if topics == nil && len(problems) > 0 {
		return problems // not a vocabulary at all: the course's topics cannot be checked against it
	}
	known := map[string]bool{}
	near := map[string]string{}
	for _, t := range topics {
		known[t.Name] = true
		near[dashless(t.Name)] = t.Name
	}
	files := map[string][]string{} // file lines, read once
	lines := func(file string) []string {
		if ls, ok := files[file]; ok {
			return ls
		}
		src, _ := fs.ReadFile(fsys, file)
		ls := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
		files[file] = ls
		return ls
	}
	unknown := func(file string, from int, names []string) {
		for _, name := range names {
			if known[name] {
				continue
			}
			msg := fmt.Sprintf("topic %q is not in %s", name, TopicsFile)
			if n, ok := near[dashless(name)]; ok {
				msg += fmt.Sprintf(" (did you mean %q?)", n)
			} else {
				msg += ": use a listed topic, or add it there with a line saying what it covers"
			}
			problems = append(problems, lessons.Problem{File: file, Line: topicsLine(lines(file), from), Msg: msg})
		}
	}
	for _, p := range cat.Interview {
		unknown(p.File, 1, p.Topics)
	}
	for _, q := range cat.Bank.All() {
		unknown(q.File, q.Line, q.Topics)
	}
	slices.SortStableFunc(problems, func(a, b lessons.Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return problems
}

// topicsLine is the line of the first "topics:" at or after line from
// (1-based) of a file, or from itself when there is none.
func topicsLine(lines []string, from int) int {
	for i := max(from-1, 0); i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "topics:") {
			return i + 1
		}
	}
	return from
}

// dashless is a topic name without its dashes: two names equal so are
// one idea spelled two ways.
func dashless(s string) string { return strings.ReplaceAll(s, "-", "") }

func isSlug(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}
