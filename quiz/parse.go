package quiz

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

// Error is a problem found in a quiz block, located in its file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ParseBlock parses and validates the YAML body of one `quiz` fenced block.
// file and line locate the block's first body line, so errors can name
// the line inside the lesson. Every error is an *Error pointing at the
// offending field (or at the block when a field is missing).
//
// Parsing is strict: unknown fields, fields of another type, YAML aliases
// and a second YAML document are all errors, so a typo never silently
// drops part of a question.
func ParseBlock(src []byte, file string, line int) (q *Question, err error) {
	p := &parser{file: file, base: line}
	defer func() {
		// The block is author input and the fuzz target feeds it
		// anything: a panic deep in the YAML decoder must surface as a
		// located error, not take the loader down.
		if r := recover(); r != nil {
			q, err = nil, p.errorf(nil, "malformed YAML (%v)", r)
		}
	}()
	root, err := p.document(src)
	if err != nil {
		return nil, err
	}
	q, err = p.question(root)
	if err != nil {
		return nil, err
	}
	if err := p.validate(q); err != nil {
		return nil, err
	}
	finish(q)
	return q, nil
}

// parser carries the block's location; fields maps each key to its nodes.
type parser struct {
	file   string
	base   int
	fields map[string][2]*yaml.Node // key node, value node
}

// errorf returns an *Error at node n's line in the lesson (the block's
// first line when n is nil).
func (p *parser) errorf(n *yaml.Node, format string, args ...any) *Error {
	line := p.base
	if n != nil && n.Line > 0 {
		line = p.base + n.Line - 1
	}
	return &Error{File: p.file, Line: line, Msg: "quiz: " + fmt.Sprintf(format, args...)}
}

// yamlLine finds the "line N" that yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`line (\d+)`)

func (p *parser) yamlError(err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	n := &yaml.Node{}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n.Line, _ = strconv.Atoi(m[1])
		// yaml.v3 reports its parser errors (not its scanner errors) at
		// the 0-based line of the construct being parsed.
		for _, what := range []string{"key", "node content", "'-' indicator", "',' or ']'", "',' or '}'", "<document start>"} {
			if strings.Contains(msg, "did not find expected "+what) {
				n.Line++
				break
			}
		}
		msg = strings.TrimSpace(strings.Replace(msg, m[0]+":", "", 1))
	}
	return p.errorf(n, "invalid YAML: %s", msg)
}

// document decodes the block into one YAML mapping and indexes its keys.
func (p *parser) document(src []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, p.errorf(nil, "empty quiz block")
		}
		return nil, p.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, p.yamlError(err)
		}
		return nil, p.errorf(&extra, "a quiz block holds one YAML document, found a second")
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, p.errorf(&doc, "a quiz block is a YAML mapping of fields (id, type, prompt, …)")
	}
	root := doc.Content[0]
	if a := findAlias(root); a != nil {
		return nil, p.errorf(a, "YAML aliases are not allowed in quiz blocks")
	}
	p.fields = make(map[string][2]*yaml.Node, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, p.errorf(k, "field names must be plain words")
		}
		if _, dup := p.fields[k.Value]; dup {
			return nil, p.errorf(k, "field %q appears twice", k.Value)
		}
		p.fields[k.Value] = [2]*yaml.Node{k, v}
	}
	return root, nil
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// question reads every field of root into a Question, checking that each
// belongs to the question's type.
func (p *parser) question(root *yaml.Node) (*Question, error) {
	q := &Question{File: p.file, Line: p.base, Level: 1, Interview: true}
	tf, ok := p.fields["type"]
	if !ok {
		return nil, p.errorf(nil, "missing field \"type\" (one of %s)", typeList())
	}
	t, err := p.str(tf[1], "type")
	if err != nil {
		return nil, err
	}
	q.Type = Type(t)
	if !q.Type.Valid() {
		return nil, p.errorf(tf[1], "unknown type %q (want one of %s)", t, typeList())
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if owner := fieldOwner(k.Value); owner == "" {
			return nil, p.errorf(k, "unknown field %q", k.Value)
		} else if owner != "*" && !strings.Contains(" "+owner+" ", " "+string(q.Type)+" ") {
			return nil, p.errorf(k, "field %q does not belong to a %s question (it is for %s)", k.Value, q.Type, owner)
		}
		if err := p.field(q, k.Value, v); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// fieldOwner names the types a field belongs to: "*" for every type, a
// space-separated list otherwise, "" for an unknown field.
func fieldOwner(name string) string {
	switch name {
	case "id", "type", "level", "topics", "prompt", "hint", "explain", "interview", "follow_ups":
		return "*"
	case "choices":
		return "single multi"
	case "statement", "answer", "why":
		return "truefalse"
	case "items", "any_order":
		return "order"
	case "pairs":
		return "match"
	case "accept", "reject":
		return "text"
	case "model", "rubric":
		return "open"
	}
	return ""
}

func typeList() string {
	var names []string
	for _, t := range Types() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}
