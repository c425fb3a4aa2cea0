package sequence

import (
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Layout, in SVG user units. charW is an average glyph width at fontSize
// for a sans-serif face; labels are wrapped and cut by it, so it errs wide.
const (
	fontSize   = 13
	charW      = 7.0
	lineH      = 16
	colW       = 190
	margin     = 16
	boxH       = 34
	boxTop     = 8
	arrowGap   = 8  // between a label's last line and its arrow
	rowGap     = 14 // below an arrow
	selfLoopW  = 34
	selfLoopH  = 18
	noteLines  = 3
	labelLines = 2
)

// SVG draws the diagram. The result is safe to embed in HTML: every piece
// of text is escaped.
func (d *Diagram) SVG() template.HTML {
	id := d.ID
	if id == "" {
		id = d.contentID()
	}
	id = esc(id)
	n := max(len(d.Participants), 1)
	width := margin*2 + n*colW
	var body strings.Builder
	y := boxTop + boxH + 18
	for _, s := range d.Steps {
		y = d.drawStep(&body, s, y, id)
	}
	height := y + 8

	var b strings.Builder
	b.Grow(body.Len() + 1024)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="seq" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title" aria-describedby="%s-desc" font-size="%d" text-anchor="middle" fill="currentColor">`,
		width, height, width, height, id, id, fontSize)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, id, esc(d.title()))
	fmt.Fprintf(&b, `<desc id="%s-desc">%s</desc>`, id, esc(strings.Join(d.Describe(), "\n")))
	fmt.Fprintf(&b, `<defs><marker id="%s-solid" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker>`, id)
	fmt.Fprintf(&b, `<marker id="%s-open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" fill="none" stroke="currentColor" stroke-width="1.5"/></marker></defs>`, id)
	for i, p := range d.Participants {
		x := center(i)
		w := min(colW-16, max(80, textWidth(p)+24))
		fmt.Fprintf(&b, `<line class="seq-lifeline" x1="%d" y1="%d" x2="%d" y2="%d" stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="4 4"/>`, x, boxTop+boxH, x, height-4)
		fmt.Fprintf(&b, `<g class="seq-participant"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="none" stroke="currentColor"/>`, x-w/2, boxTop, w, boxH)
		label, cut := fit(p, colW-28)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="600">%s%s</text></g>`, x, boxTop+boxH/2+5, titleIf(cut, p), esc(label))
	}
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// drawStep writes one step whose top is at y and returns the next top.
func (d *Diagram) drawStep(b *strings.Builder, s Step, y int, id string) int {
	from, to := d.index(s.From), d.index(s.To)
	x1, x2 := center(from), center(to)
	if s.Kind == Note {
		left, right := x1-colW/2+10, x2+colW/2-10
		lines, cut := wrap(s.Text, right-left-16, noteLines)
		h := len(lines)*lineH + 12
		fmt.Fprintf(b, `<g class="seq-note"><rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="none" stroke="currentColor" stroke-opacity="0.6"/>`, left, y, right-left, h)
		writeLines(b, lines, (left+right)/2, y+lineH+2, cut, s.Text)
		b.WriteString(`</g>`)
		return y + h + rowGap
	}
	class, marker, dash := "seq-request", "solid", ""
	if s.Kind == Reply {
		class, marker, dash = "seq-reply", "open", ` stroke-dasharray="6 4"`
	}
	self := from == to
	// A label may run a little past its arrow's ends: it is centred over
	// the arrow and crosses lifelines anyway.
	avail := max(abs(x2-x1), colW) + 14
	if self {
		avail = colW - 24
	}
	lines, cut := wrap(s.Text, avail, labelLines)
	fmt.Fprintf(b, `<g class="seq-step %s">`, class)
	ay := y + len(lines)*lineH + arrowGap - 4
	if self {
		writeLinesAt(b, lines, x1+8, y+lineH-4, cut, s.Text, "start")
		fmt.Fprintf(b, `<path class="seq-arrow" d="M%d,%d h%d v%d h%d" fill="none" stroke="currentColor" stroke-width="1.5"%s marker-end="url(#%s-%s)"/>`,
			x1, ay, selfLoopW, selfLoopH, -selfLoopW, dash, id, marker)
		b.WriteString(`</g>`)
		return ay + selfLoopH + rowGap
	}
	writeLines(b, lines, (x1+x2)/2, y+lineH-4, cut, s.Text)
	end := x2 - 2
	if x2 < x1 {
		end = x2 + 2
	}
	fmt.Fprintf(b, `<line class="seq-arrow" x1="%d" y1="%d" x2="%d" y2="%d" stroke="currentColor" stroke-width="1.5"%s marker-end="url(#%s-%s)"/>`,
		x1, ay, end, ay, dash, id, marker)
	b.WriteString(`</g>`)
	return ay + rowGap
}

func writeLines(b *strings.Builder, lines []string, x, y int, cut bool, full string) {
	writeLinesAt(b, lines, x, y, cut, full, "")
}

// writeLinesAt writes a multi-line label; when it was cut, the full text
// goes in a <title> so a pointer or a screen reader still gets it.
func writeLinesAt(b *strings.Builder, lines []string, x, y int, cut bool, full, anchor string) {
	if anchor != "" {
		anchor = ` text-anchor="` + anchor + `"`
	}
	fmt.Fprintf(b, `<text class="seq-label" x="%d" y="%d"%s>%s`, x, y, anchor, titleIf(cut, full))
	for i, l := range lines {
		dy := 0
		if i > 0 {
			dy = lineH
		}
		fmt.Fprintf(b, `<tspan x="%d" dy="%d">%s</tspan>`, x, dy, esc(l))
	}
	b.WriteString(`</text>`)
}

// esc escapes text for SVG inside HTML, and replaces what XML forbids
// (control characters, invalid UTF-8) with U+FFFD.
func esc(s string) string {
	clean := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff {
			return '\uFFFD'
		}
		return r
	}, s)
	return html.EscapeString(clean)
}

func titleIf(cut bool, full string) string {
	if !cut {
		return ""
	}
	return "<title>" + esc(full) + "</title>"
}

// wrap breaks text into at most maxLines lines of about width units,
// at spaces where it can; cut reports that text was dropped.
func wrap(text string, width, maxLines int) (lines []string, cut bool) {
	perLine := max(int(float64(width)/charW), 4)
	rest := strings.Join(strings.Fields(text), " ")
	for rest != "" {
		if len(lines) == maxLines-1 {
			last, c := truncate(rest, perLine)
			return append(lines, last), c
		}
		if utf8.RuneCountInString(rest) <= perLine {
			return append(lines, rest), false
		}
		head := prefix(rest, perLine)
		if i := strings.LastIndexByte(head, ' '); i > 0 {
			head = head[:i]
		}
		lines = append(lines, head)
		rest = strings.TrimLeft(rest[len(head):], " ")
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines, false
}

func fit(text string, width int) (string, bool) {
	return truncate(text, max(int(float64(width)/charW), 4))
}

func truncate(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	return prefix(s, n-1) + "…", true
}

// prefix is the first n runes of s.
func prefix(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func textWidth(s string) int { return int(float64(utf8.RuneCountInString(s)) * charW) }

func center(i int) int { return margin + i*colW + colW/2 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (d *Diagram) title() string {
	if d.Title != "" {
		return d.Title
	}
	return "Sequence diagram: " + strings.Join(d.Participants, ", ")
}

// contentID derives a stable id from the diagram's content.
func (d *Diagram) contentID() string {
	h := fnv.New64a()
	for _, p := range d.Participants {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	for _, s := range d.Steps {
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00", s.Kind, s.From, s.To, s.Text)
	}
	return fmt.Sprintf("seq-%x", h.Sum64())[:16]
}
