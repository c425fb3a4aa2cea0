// Package sequence draws sequence diagrams as inline SVG, on the server,
// with no JavaScript.
//
// A Diagram is a list of participants (in order of first mention) and a
// list of steps: requests (solid arrows), replies (dashed arrows) and notes
// over one or more participants. Lessons build one with Parse from the text
// of a `sequence` fenced block; the sandbox builds one from code (New,
// Request, Reply, Note) to draw a learner's live trace with the same look.
//
// The SVG carries no colours of its own: strokes and text use currentColor
// and every shape has a class (seq-participant, seq-lifeline, seq-request,
// seq-reply, seq-note, …), so the site stylesheet themes it in light and
// dark. It is accessible: role="img", a <title> and a <desc> that lists
// every message in order, and a <title> on any label that had to be cut.
package sequence
