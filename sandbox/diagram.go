package sandbox

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The sequence diagram of a trace uses the look of the lessons' diagrams
// (lessons/sequence): the same classes and currentColor, so the site
// stylesheet themes both. It is drawn here because sandbox imports no
// other package of ours.
const (
	dgFont     = 13
	dgCharW    = 7.0
	dgLineH    = 16
	dgColW     = 180
	dgMargin   = 16
	dgBoxH     = 34
	dgBoxTop   = 8
	dgRowGap   = 14
	dgMaxSteps = 30 // exchanges drawn: the most recent ones
)

// dgLanes are the diagram's participants, by index.
func dgLanes() [4]string { return [4]string{"Browser", "Mallory", "Lab server", "Store"} }

type dgStep struct {
	from, to int
	reply    bool
	note     bool
	lines    []string
}

// GET diagram: the trace as an SVG sequence diagram.
func (m *Manager) diagram(c *call) {
	xs := c.e.trace.list()
	if len(xs) > dgMaxSteps {
		xs = xs[len(xs)-dgMaxSteps:]
	}
	var steps []dgStep
	for _, x := range xs {
		steps = append(steps, exchangeSteps(x)...)
	}
	svg := renderDiagram(steps, len(xs))
	h := c.w.Header()
	h.Set("Content-Type", "image/svg+xml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write([]byte(svg))
}

func exchangeSteps(x *Exchange) []dgStep {
	who := 0
	if x.Actor == actorAttacker {
		who = 1
	}
	req := []string{x.Method + " " + labRelative(x.Path)}
	for _, h := range x.RequestHeaders {
		switch h.Name {
		case "Cookie":
			req = append(req, "Cookie: "+cut(h.Value, 22))
		case "Authorization":
			req = append(req, "Authorization: "+cut(h.Value, 18))
		}
	}
	steps := []dgStep{{from: who, to: 2, lines: req[:min(len(req), 2)]}}
	switch {
	case x.storeOp != "":
		steps = append(steps, dgStep{from: 2, to: 3, lines: []string{x.storeOp}}, dgStep{from: 3, to: 2, reply: true, lines: []string{x.storeRes}})
	case x.Side == "token" && x.AuthorizationBytes > 0:
		steps = append(steps, dgStep{from: 2, to: 2, note: true, lines: []string{"check signature and exp: no store"}})
	}
	res := []string{fmt.Sprint(x.Status) + " " + http.StatusText(x.Status)}
	for _, h := range x.ResponseHeaders {
		if h.Name == "Set-Cookie" {
			res = append(res, "Set-Cookie: "+cut(h.Value, 24))
		}
	}
	if len(res) == 1 && x.Verdict != "" {
		res = append(res, x.Verdict)
	}
	return append(steps, dgStep{from: 2, to: who, reply: true, lines: res[:min(len(res), 2)]})
}

// labRelative shortens "/lab/{id}/api/me" to "/api/me".
func labRelative(p string) string {
	if _, rest, ok := splitLabPath(p); ok {
		return "/" + rest
	}
	return p
}

func renderDiagram(steps []dgStep, exchanges int) string {
	width := dgMargin*2 + len(dgLanes())*dgColW
	var body strings.Builder
	var desc []string
	y := dgBoxTop + dgBoxH + 18
	if len(steps) == 0 {
		steps = []dgStep{{from: 0, to: 3, note: true, lines: []string{"No exchanges yet: log in to draw the first one."}}}
	}
	for _, s := range steps {
		desc = append(desc, dgLanes()[s.from]+" → "+dgLanes()[s.to]+": "+strings.Join(s.lines, "; "))
		y = drawStep(&body, s, y)
	}
	height := y + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="seq" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="lab-seq-title" aria-describedby="lab-seq-desc" font-size="%d" text-anchor="middle" fill="currentColor">`,
		width, height, width, height, dgFont)
	fmt.Fprintf(&b, `<title id="lab-seq-title">The lab's last %d exchanges</title><desc id="lab-seq-desc">%s</desc>`, exchanges, esc(strings.Join(desc, "\n")))
	b.WriteString(`<defs><marker id="lab-seq-solid" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker>`)
	b.WriteString(`<marker id="lab-seq-open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" fill="none" stroke="currentColor" stroke-width="1.5"/></marker></defs>`)
	for i, name := range dgLanes() {
		x := dgCenter(i)
		fmt.Fprintf(&b, `<line class="seq-lifeline" x1="%d" y1="%d" x2="%d" y2="%d" stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="4 4"/>`, x, dgBoxTop+dgBoxH, x, height-4)
		fmt.Fprintf(&b, `<g class="seq-participant"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="none" stroke="currentColor"/>`, x-60, dgBoxTop, 120, dgBoxH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="600">%s</text></g>`, x, dgBoxTop+dgBoxH/2+5, esc(name))
	}
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return b.String()
}

func drawStep(b *strings.Builder, s dgStep, y int) int {
	x1, x2 := dgCenter(s.from), dgCenter(s.to)
	if s.note {
		left, right := min(x1, x2)-dgColW/2+10, max(x1, x2)+dgColW/2-10
		h := len(s.lines)*dgLineH + 12
		fmt.Fprintf(b, `<g class="seq-note"><rect x="%d" y="%d" width="%d" height="%d" rx="4" fill="none" stroke="currentColor" stroke-opacity="0.6"/>`, left, y, right-left, h)
		writeText(b, s.lines, (left+right)/2, y+dgLineH+2, (right-left-16)/int(dgCharW))
		b.WriteString(`</g>`)
		return y + h + dgRowGap
	}
	class, marker, dash := "seq-request", "solid", ""
	if s.reply {
		class, marker, dash = "seq-reply", "open", ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(b, `<g class="seq-step %s">`, class)
	span := max(x1-x2, x2-x1, dgColW) + 20
	writeText(b, s.lines, (x1+x2)/2, y+dgLineH-4, span/int(dgCharW))
	ay := y + len(s.lines)*dgLineH + 4
	end := x2 - 2
	if x2 < x1 {
		end = x2 + 2
	}
	fmt.Fprintf(b, `<line class="seq-arrow" x1="%d" y1="%d" x2="%d" y2="%d" stroke="currentColor" stroke-width="1.5"%s marker-end="url(#lab-seq-%s)"/></g>`, x1, ay, end, ay, dash, marker)
	return ay + dgRowGap
}

func writeText(b *strings.Builder, lines []string, x, y, maxRunes int) {
	fmt.Fprintf(b, `<text class="seq-label" x="%d" y="%d">`, x, y)
	for i, l := range lines {
		dy := 0
		if i > 0 {
			dy = dgLineH
		}
		fmt.Fprintf(b, `<tspan x="%d" dy="%d">%s</tspan>`, x, dy, esc(cut(l, maxRunes)))
	}
	b.WriteString(`</text>`)
}

func dgCenter(i int) int { return dgMargin + i*dgColW + dgColW/2 }

// cut keeps the first n runes of s, marking a cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n-1 {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// esc escapes text for SVG and replaces what XML forbids with U+FFFD.
func esc(s string) string {
	return html.EscapeString(strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff {
			return '\uFFFD'
		}
		return r
	}, s))
}
