package lessons

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs makes heading ids: lowercase words joined by single hyphens
// ("Why HTTP forgets you" → "why-http-forgets-you"), unique on the page
// by a -2, -3… suffix. An id depends only on the headings before it, so it
// stays put while the text below changes, and links keep working.
type headingIDs struct {
	used map[string]bool
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	// The lesson page template uses these ids itself.
	return &headingIDs{used: map[string]bool{"main": true, "lesson-title": true, "objectives-title": true}}
}

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 2; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// slugify lowercases letters and digits and joins runs of them with single
// hyphens; Markdown punctuation such as backticks disappears.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "don't" → "dont", not "don-t"
		default:
			dash = true
		}
	}
	return b.String()
}
