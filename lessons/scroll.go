package lessons

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Code blocks and tables scroll sideways on a phone. A region that
// scrolls must be reachable by keyboard (WCAG 2.1.1; axe's
// scrollable-region-focusable), so each gets tabindex="0" and, for a
// table, a named region around it to scroll.

// focusablePre is chroma's <pre> wrapper with a tab stop.
type focusablePre struct{}

func (focusablePre) Start(code bool, styleAttr string) string {
	if code {
		return `<pre tabindex="0"` + styleAttr + `><code>`
	}
	return `<pre tabindex="0"` + styleAttr + `>`
}

func (focusablePre) End(code bool) string {
	if code {
		return "</code></pre>"
	}
	return "</pre>"
}

// scrollExtension wraps every table in a focusable scrolling region.
type scrollExtension struct{}

func (scrollExtension) Extend(m goldmark.Markdown) {
	// Priority 100 registers after GFM's table renderer (500), so this
	// one renders the table element; rows and cells stay GFM's.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(scrollRenderer{}, 100)))
}

type scrollRenderer struct{}

func (scrollRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="table-scroll" tabindex="0" role="region" aria-label="Table">` + "\n<table>\n")
		} else {
			_, _ = w.WriteString("</table>\n</div>\n")
		}
		return ast.WalkContinue, nil
	})
}
