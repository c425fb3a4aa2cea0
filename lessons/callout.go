package lessons

import (
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// calloutClass maps the bold label that opens a callout blockquote to its
// CSS modifier: `> **Myth:** …` becomes <aside class="callout callout-myth">.
func calloutClass(label string) (string, bool) {
	switch strings.ToLower(label) {
	case "myth", "fact", "warning":
		return strings.ToLower(label), true
	case "try it":
		return "try-it", true
	case "interview tip":
		return "interview-tip", true
	}
	return "", false
}

// kindCallout is a styled callout; kindCalloutLabel its label.
var (
	kindCallout      = ast.NewNodeKind("AuthlabCallout")
	kindCalloutLabel = ast.NewNodeKind("AuthlabCalloutLabel")
)

// calloutNode is a blockquote that opened with a known bold label.
type calloutNode struct {
	ast.BaseBlock
	class string
}

// Kind implements ast.Node.
func (n *calloutNode) Kind() ast.NodeKind { return kindCallout }

// Dump implements ast.Node.
func (n *calloutNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"class": n.class}, nil)
}

// calloutLabel is the label itself, e.g. "Myth".
type calloutLabel struct {
	ast.BaseInline
	label string
}

// Kind implements ast.Node.
func (n *calloutLabel) Kind() ast.NodeKind { return kindCalloutLabel }

// Dump implements ast.Node.
func (n *calloutLabel) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"label": n.label}, nil)
}

var (
	_ goldmark.Extender     = (*calloutExtension)(nil)
	_ parser.ASTTransformer = (*calloutTransformer)(nil)
	_ renderer.NodeRenderer = (*calloutRenderer)(nil)
)

// calloutExtension turns labelled blockquotes into callouts.
type calloutExtension struct{}

// Extend implements goldmark.Extender.
func (e *calloutExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&calloutTransformer{}, 200)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&calloutRenderer{}, 100)))
}

type calloutTransformer struct{}

// Transform implements parser.ASTTransformer.
func (t *calloutTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		para, ok := q.FirstChild().(*ast.Paragraph)
		if !ok {
			continue
		}
		em, ok := para.FirstChild().(*ast.Emphasis)
		if !ok || em.Level != 2 {
			continue
		}
		label := plainText(em, src)
		next, _ := em.NextSibling().(*ast.Text)
		colonOutside := false
		if !strings.HasSuffix(label, ":") {
			// Also accept `**Myth**: …`.
			if next == nil || !strings.HasPrefix(string(next.Segment.Value(src)), ":") {
				continue
			}
			colonOutside = true
		}
		name := strings.TrimSpace(strings.TrimSuffix(label, ":"))
		class, ok := calloutClass(name)
		if !ok {
			continue
		}
		if colonOutside {
			next.Segment = next.Segment.WithStart(next.Segment.Start + 1)
		}
		para.ReplaceChild(para, em, &calloutLabel{label: name})
		c := &calloutNode{class: class}
		for child := q.FirstChild(); child != nil; {
			following := child.NextSibling()
			c.AppendChild(c, child)
			child = following
		}
		q.Parent().ReplaceChild(q.Parent(), q, c)
	}
}

type calloutRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *calloutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCallout, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<aside class="callout callout-` + n.(*calloutNode).class + `" role="note">` + "\n")
		} else {
			_, _ = w.WriteString("</aside>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindCalloutLabel, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<strong class="callout-label">` + html.EscapeString(n.(*calloutLabel).label) + `</strong>`)
		}
		return ast.WalkSkipChildren, nil
	})
}
