package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decodeStrict decodes YAML into v, rejecting unknown fields, and returns
// the document's node tree too (for the lines of individual values). Each
// problem's line is a line of the file: firstLine is the file line of the
// YAML's first line.
func decodeStrict(src []byte, v any, file string, firstLine int) (*yaml.Node, []Problem) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, clampLines(yamlProblems(err, file, firstLine), firstLine, src)
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return &root, clampLines(yamlProblems(err, file, firstLine), firstLine, src)
	}
	return &root, nil
}

// clampLines keeps problems inside the YAML's own lines: yaml.v3 also
// counts a lone \r as a line break, and reports errors at end of input one
// line past the text.
func clampLines(ps []Problem, firstLine int, src []byte) []Problem {
	last := firstLine + bytes.Count(src, []byte("\n"))
	for i := range ps {
		ps[i].Line = min(max(ps[i].Line, firstLine), last)
	}
	return ps
}

// yamlLine finds the "line N:" that yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlProblems turns a yaml.v3 error into problems with file lines and
// messages an author can act on (no Go type names).
func yamlProblems(err error, file string, firstLine int) []Problem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	ps := make([]Problem, 0, len(msgs))
	for _, m := range msgs {
		line := 1
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			line, _ = strconv.Atoi(sub[1])
			m = sub[2]
		}
		ps = append(ps, Problem{File: file, Line: firstLine + line - 1, Msg: friendlyYAML(strings.TrimPrefix(m, "yaml: "))})
	}
	return ps
}

var (
	yamlUnknown = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	yamlType    = regexp.MustCompile("^cannot unmarshal !!(\\w+) (`.*`) into (\\S+)$")
)

func friendlyYAML(m string) string {
	if sub := yamlUnknown.FindStringSubmatch(m); sub != nil {
		return fmt.Sprintf("unknown field %q", sub[1])
	}
	if sub := yamlType.FindStringSubmatch(m); sub != nil {
		want := "a mapping"
		switch t := sub[3]; {
		case strings.HasPrefix(t, "[]"):
			want = "a list"
		case t == "string":
			want = "text"
		case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint") || strings.HasPrefix(t, "float"):
			want = "a number"
		case t == "bool":
			want = "true or false"
		}
		got := sub[1]
		switch got {
		case "seq":
			got = "a list"
		case "map":
			got = "a mapping"
		case "str":
			got = "text"
		case "int", "float":
			got = "a number"
		case "bool":
			got = "true or false"
		}
		return fmt.Sprintf("expected %s, got %s %s", want, got, sub[2])
	}
	return m
}

// lookup returns the value node at a path of mapping keys and sequence
// indexes (ints) below root, or nil.
func lookup(root *yaml.Node, path ...any) *yaml.Node {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		if n == nil {
			return nil
		}
		switch k := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return nil
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					next = n.Content[i+1]
				}
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || k >= len(n.Content) {
				return nil
			}
			n = n.Content[k]
		}
	}
	return n
}

// lineAt is the file line of the value at path, or fallback.
func lineAt(root *yaml.Node, firstLine, fallback int, path ...any) int {
	if n := lookup(root, path...); n != nil && n.Line > 0 {
		return firstLine + n.Line - 1
	}
	return fallback
}
