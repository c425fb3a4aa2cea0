package quiz

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders the text fields of one block. Building one (a goldmark
// parser and renderer with all their block and inline parsers) cost
// about as much as rendering a short block's fields, so parsing a course
// of a few hundred blocks reuses them through a pool; one is used by one
// goroutine at a time.
type markdown struct {
	md  goldmark.Markdown
	buf bytes.Buffer
	w   *bufio.Writer // over buf: goldmark wraps any other writer in a new 4 KB one per call
}

var markdowns = sync.Pool{New: func() any { return newMarkdown() }}

func newMarkdown() *markdown {
	m := &markdown{md: goldmark.New(
		// goldmark's default (unsafe off) drops raw HTML and dangerous
		// link destinations; escapeHTML shows raw HTML as text instead,
		// since questions about XSS quote tags on purpose.
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapeHTML{}, 100))),
	)}
	m.w = bufio.NewWriter(&m.buf)
	return m
}

// render turns Markdown into HTML. A field that is one paragraph (the
// usual prompt, choice or hint) comes back without its <p> so it can sit
// inside a label or legend; longer text keeps its blocks.
func (m *markdown) render(src string) template.HTML {
	if src == "" {
		return ""
	}
	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	m.buf.Reset()
	m.w.Reset(&m.buf)
	err := m.md.Renderer().Render(m.w, source, doc)
	if err == nil {
		err = m.w.Flush()
	}
	if err != nil {
		// The renderer writes to memory and cannot fail in practice;
		// plain escaped text is the safe fallback if it ever does.
		return template.HTML(template.HTMLEscapeString(src))
	}
	out := bytes.TrimSpace(m.buf.Bytes())
	if p := doc.FirstChild(); p != nil && p == doc.LastChild() && p.Kind() == ast.KindParagraph {
		// One paragraph renders as exactly <p>…</p>: keep what is inside.
		out = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(out, []byte("<p>")), []byte("</p>")))
	}
	return template.HTML(out)
}

func (m *markdown) renderAll(srcs []string) []template.HTML {
	out := make([]template.HTML, len(srcs))
	for i, s := range srcs {
		out[i] = m.render(s)
	}
	return out
}

// escapeHTML renders raw inline HTML and HTML blocks as escaped text.
type escapeHTML struct{}

var _ renderer.NodeRenderer = escapeHTML{}

// RegisterFuncs implements renderer.NodeRenderer.
func (escapeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := range segs.Len() {
				s := segs.At(i)
				template.HTMLEscape(w, s.Value(source))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			b := n.(*ast.HTMLBlock)
			_, _ = w.WriteString("<p>")
			lines := b.Lines()
			for i := range lines.Len() {
				s := lines.At(i)
				template.HTMLEscape(w, s.Value(source))
			}
			if b.HasClosure() {
				template.HTMLEscape(w, b.ClosureLine.Value(source))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}

// optionKey is the form value of a choice, item or match side: a short
// hash of the question id, the kind of option and its text. It is stable
// across restarts and reorderings, and says nothing about correctness
// (an index would: authors tend to write the right choice first).
func optionKey(questionID, kind, text string) string {
	h := sha256.New()
	h.Write([]byte(questionID))
	h.Write([]byte{0})
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil)[:5])
}
