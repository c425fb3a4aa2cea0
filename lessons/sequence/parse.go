package sequence

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax is wrapped by every *Error of Parse.
var ErrSyntax = errors.New("sequence: syntax error")

// Error is a problem on one line of a diagram's source.
type Error struct {
	Line int // 1-based line in the text given to Parse
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *Error) Unwrap() error { return ErrSyntax }

// Parse reads a diagram, one statement per line:
//
//	participant Browser          (optional: fixes the left-to-right order)
//	Browser -> Server: POST /login    (request, solid arrow)
//	Server --> Browser: 200 OK        (reply, dashed arrow)
//	note over Server: creates a session
//	note over Browser,Server: TLS everywhere
//
// Blank lines and lines starting with # or // are ignored. The first
// problem is returned as an *Error with its line number.
func Parse(src string) (*Diagram, error) {
	d := &Diagram{}
	for i, raw := range strings.Split(src, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "//") {
			continue
		}
		if err := d.parseLine(line, n); err != nil {
			return nil, err
		}
		if len(d.Participants) > MaxParticipants {
			return nil, &Error{n, fmt.Sprintf("more than %d participants", MaxParticipants)}
		}
		if len(d.Steps) > MaxSteps {
			return nil, &Error{n, fmt.Sprintf("more than %d steps", MaxSteps)}
		}
	}
	if len(d.Steps) == 0 {
		return nil, &Error{1, "empty diagram: write at least one `A -> B: message` line"}
	}
	return d, nil
}

func (d *Diagram) parseLine(line string, n int) error {
	lower := strings.ToLower(line)
	switch {
	case strings.HasPrefix(lower, "participant "):
		name := strings.TrimSpace(line[len("participant "):])
		if err := checkName(name, n); err != nil {
			return err
		}
		d.add(name)
		return nil
	case strings.HasPrefix(lower, "note "):
		return d.parseNote(line, n)
	}
	head, text, ok := strings.Cut(line, ":")
	if !ok {
		return &Error{n, fmt.Sprintf("expected `A -> B: message`, `A --> B: message` or `note over A: text`, got %q", line)}
	}
	kind, sep := Request, "->"
	if strings.Contains(head, "-->") {
		kind, sep = Reply, "-->"
	}
	from, to, ok := strings.Cut(head, sep)
	if !ok {
		return &Error{n, fmt.Sprintf("no arrow before the colon: write `A -> B: message` (request) or `A --> B: message` (reply)")}
	}
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if strings.Contains(to, "->") {
		return &Error{n, "one arrow per line"}
	}
	if err := checkName(from, n); err != nil {
		return err
	}
	if err := checkName(to, n); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if len(text) > MaxTextLen {
		return &Error{n, fmt.Sprintf("message longer than %d bytes", MaxTextLen)}
	}
	d.arrow(kind, from, to, text, n)
	return nil
}

func (d *Diagram) parseNote(line string, n int) error {
	rest := strings.TrimSpace(line[len("note "):])
	if !strings.HasPrefix(strings.ToLower(rest), "over ") {
		return &Error{n, "only `note over A: text` and `note over A,B: text` are supported"}
	}
	who, text, ok := strings.Cut(rest[len("over "):], ":")
	if !ok {
		return &Error{n, "a note needs a colon: `note over A: text`"}
	}
	var over []string
	for _, p := range strings.Split(who, ",") {
		p = strings.TrimSpace(p)
		if err := checkName(p, n); err != nil {
			return err
		}
		over = append(over, p)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return &Error{n, "empty note"}
	}
	if len(text) > MaxTextLen {
		return &Error{n, fmt.Sprintf("note longer than %d bytes", MaxTextLen)}
	}
	d.note(text, over, n)
	return nil
}

func checkName(name string, n int) error {
	switch {
	case name == "":
		return &Error{n, "missing participant name"}
	case len(name) > 40:
		return &Error{n, fmt.Sprintf("participant name %.20q… is longer than 40 bytes", name)}
	case strings.ContainsAny(name, ",:<>"):
		return &Error{n, fmt.Sprintf("participant name %q may not contain , : < or >", name)}
	}
	return nil
}
