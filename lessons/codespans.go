package lessons

import (
	"html"
	"html/template"
	"strings"
)

// CodeSpans renders plain text that marks code with backticks (a
// lesson's objectives are plain strings, not Markdown): the text is
// escaped and each `…` pair becomes <code>…</code>. An unpaired
// backtick stays as it is.
func CodeSpans(s string) template.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 0:
			b.WriteString(html.EscapeString(p))
		case i == len(parts)-1: // an opening backtick without its pair
			b.WriteString("`" + html.EscapeString(p))
		default:
			b.WriteString("<code>" + html.EscapeString(p) + "</code>")
		}
	}
	return template.HTML(b.String())
}
