package sequence

import "fmt"

// Kind is what a Step draws.
type Kind int

// The kinds of step.
const (
	Request Kind = iota // solid arrow, A -> B
	Reply               // dashed arrow, A --> B
	Note                // a box over one or more participants
)

func (k Kind) String() string {
	switch k {
	case Request:
		return "request"
	case Reply:
		return "reply"
	case Note:
		return "note"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Limits keep a diagram readable and bound the work a hostile block can cause.
const (
	MaxParticipants = 12
	MaxSteps        = 300
	MaxTextLen      = 500 // bytes of one label
)

// Step is one row of the diagram. For a note, From and To are the
// leftmost and rightmost participants it covers (equal for one).
type Step struct {
	Kind Kind
	From string
	To   string
	Text string
	Line int // line in the source text, 0 when built from code
}

// Diagram is a sequence diagram. Build one with Parse or New; the zero
// value is an empty diagram.
type Diagram struct {
	// ID prefixes the ids of the SVG's elements (title, desc, markers), so
	// several diagrams can share a page. When empty, SVG derives one from
	// the content.
	ID string
	// Title is the SVG's accessible name. When empty, SVG names the
	// participants.
	Title        string
	Participants []string
	Steps        []Step
}

// New returns a diagram with these participants, left to right. More are
// added, in order of first mention, by Request, Reply and Note.
func New(participants ...string) *Diagram {
	d := &Diagram{}
	for _, p := range participants {
		d.add(p)
	}
	return d
}

// Request adds a solid arrow from → to labelled text.
func (d *Diagram) Request(from, to, text string) *Diagram {
	return d.arrow(Request, from, to, text, 0)
}

// Reply adds a dashed arrow from → to labelled text.
func (d *Diagram) Reply(from, to, text string) *Diagram {
	return d.arrow(Reply, from, to, text, 0)
}

// Note adds a note over the given participants (one or more; the note
// spans from the leftmost to the rightmost).
func (d *Diagram) Note(text string, over ...string) *Diagram {
	d.note(text, over, 0)
	return d
}

func (d *Diagram) arrow(k Kind, from, to, text string, line int) *Diagram {
	d.add(from)
	d.add(to)
	d.Steps = append(d.Steps, Step{Kind: k, From: from, To: to, Text: text, Line: line})
	return d
}

func (d *Diagram) note(text string, over []string, line int) {
	if len(over) == 0 {
		return
	}
	for _, p := range over {
		d.add(p)
	}
	lo, hi := d.index(over[0]), d.index(over[0])
	for _, p := range over[1:] {
		i := d.index(p)
		lo, hi = min(lo, i), max(hi, i)
	}
	d.Steps = append(d.Steps, Step{Kind: Note, From: d.Participants[lo], To: d.Participants[hi], Text: text, Line: line})
}

// add appends p to the participants unless it is already there.
func (d *Diagram) add(p string) {
	if d.index(p) < 0 {
		d.Participants = append(d.Participants, p)
	}
}

// index is p's column, or -1.
func (d *Diagram) index(p string) int {
	for i, q := range d.Participants {
		if q == p {
			return i
		}
	}
	return -1
}

// Describe lists every step in order, one per line, as the SVG's <desc>
// says it: "1. Browser to Server: POST /login".
func (d *Diagram) Describe() []string {
	out := make([]string, 0, len(d.Steps))
	for i, s := range d.Steps {
		var line string
		switch {
		case s.Kind == Note && s.From == s.To:
			line = fmt.Sprintf("%d. Note over %s: %s", i+1, s.From, s.Text)
		case s.Kind == Note:
			line = fmt.Sprintf("%d. Note over %s to %s: %s", i+1, s.From, s.To, s.Text)
		case s.Kind == Reply:
			line = fmt.Sprintf("%d. %s replies to %s: %s", i+1, s.From, s.To, s.Text)
		default:
			line = fmt.Sprintf("%d. %s to %s: %s", i+1, s.From, s.To, s.Text)
		}
		out = append(out, line)
	}
	return out
}
