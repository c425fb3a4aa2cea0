package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/authlab/authlab/lessons/sequence"
	"github.com/authlab/authlab/quiz"
)

// blockMarker stands where a quiz or lab block was; render splits the
// page's HTML there. Authors cannot forge it: raw HTML never passes, and
// text or code "<!--" comes out escaped.
const blockMarker = "<!--authlab:block-->"

// The custom fenced blocks, by info string.
const (
	infoQuiz     = "quiz"
	infoLab      = "lab"
	infoSequence = "sequence"
	infoCurl     = "curl"
)

// kindMarker is a quiz or lab block: a place the web layer fills per learner.
var kindMarker = ast.NewNodeKind("AuthlabMarker")

// kindSequence is a sequence diagram, drawn at parse time.
var kindSequence = ast.NewNodeKind("AuthlabSequence")

// kindCurl is a shell command block.
var kindCurl = ast.NewNodeKind("AuthlabCurl")

// markerNode marks where a quiz or lab block goes.
type markerNode struct{ ast.BaseBlock }

// Kind implements ast.Node.
func (n *markerNode) Kind() ast.NodeKind { return kindMarker }

// Dump implements ast.Node.
func (n *markerNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// sequenceNode holds a drawn diagram.
type sequenceNode struct {
	ast.BaseBlock
	svg template.HTML
}

// Kind implements ast.Node.
func (n *sequenceNode) Kind() ast.NodeKind { return kindSequence }

// Dump implements ast.Node.
func (n *sequenceNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// curlNode holds a shell command.
type curlNode struct {
	ast.BaseBlock
	command string
}

// Kind implements ast.Node.
func (n *curlNode) Kind() ast.NodeKind { return kindCurl }

// Dump implements ast.Node.
func (n *curlNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

var (
	_ goldmark.Extender     = (*blockExtension)(nil)
	_ parser.ASTTransformer = (*blockTransformer)(nil)
	_ renderer.NodeRenderer = (*blockRenderer)(nil)
	_ ast.Node              = (*markerNode)(nil)
	_ ast.Node              = (*sequenceNode)(nil)
	_ ast.Node              = (*curlNode)(nil)
)

// blockExtension turns `quiz`, `lab`, `sequence` and `curl` fenced blocks
// into nodes of their own.
type blockExtension struct {
	style *chroma.Style // for the highlighter
}

// Extend implements goldmark.Extender.
func (e *blockExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&blockTransformer{}, 100)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&blockRenderer{code: newHighlighter(e.style)}, 100)))
}

// blockTransformer collects the custom fenced blocks, then replaces them
// (replacing during the walk would skip siblings).
type blockTransformer struct{}

// Transform implements parser.ASTTransformer.
func (t *blockTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	pg, _ := pc.Get(pageKey).(*page)
	if pg == nil {
		return
	}
	src := reader.Source()
	var found []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			found = append(found, fb)
		}
		return ast.WalkContinue, nil
	})
	for _, fb := range found {
		lang := string(fb.Language(src))
		var repl ast.Node
		switch lang {
		case infoQuiz, infoLab, infoSequence, infoCurl:
			if repl = pg.block(fb, src); repl == nil {
				// Reported; show the block's text rather than drop it.
				repl = &codeNode{lang: lang, code: blockText(fb, src)}
			}
		case "": // goldmark's plain <pre><code>
		default:
			lexer := lexerFor(lang)
			if pg.pipe.direct[strings.ToLower(lang)] {
				lexer = lexers.Get(lang)
			}
			repl = &codeNode{lang: lang, code: blockText(fb, src), lexer: lexer}
		}
		if repl != nil {
			fb.Parent().ReplaceChild(fb.Parent(), fb, repl)
		}
	}
}

// block turns one fenced block into its node, or reports a problem and
// returns nil (the block then shows as code).
func (pg *page) block(fb *ast.FencedCodeBlock, src []byte) ast.Node {
	lang := string(fb.Language(src))
	fence := pg.lines.line(fb.Info.Segment.Start)
	first := fence + 1
	if fb.Lines().Len() > 0 {
		first = pg.lines.line(fb.Lines().At(0).Start)
	}
	body := bytes.NewBufferString(blockText(fb, src))
	topLevel := fb.Parent() != nil && fb.Parent().Kind() == ast.KindDocument
	switch lang {
	case infoQuiz:
		if !topLevel {
			pg.report.add(pg.file, fence, "a quiz block must stand on its own, not inside a list or quote")
			return nil
		}
		q, err := pg.pipe.parseQuiz(body.Bytes(), pg.file, first)
		if err != nil {
			pg.quizProblem(err, first)
			return nil
		}
		pg.quizzes = append(pg.quizzes, q)
		pg.blocks = append(pg.blocks, Segment{Quiz: q})
		return &markerNode{}
	case infoLab:
		if !topLevel {
			pg.report.add(pg.file, fence, "a lab block must stand on its own, not inside a list or quote")
			return nil
		}
		lab := pg.labBlock(body.Bytes(), fence, first)
		if lab == nil {
			return nil
		}
		pg.labs = append(pg.labs, lab)
		pg.blocks = append(pg.blocks, Segment{Lab: lab})
		return &markerNode{}
	case infoSequence:
		d, err := sequence.Parse(body.String())
		if err != nil {
			var se *sequence.Error
			if errors.As(err, &se) {
				pg.report.add(pg.file, first+se.Line-1, "sequence: %s", se.Msg)
			} else {
				pg.report.add(pg.file, fence, "sequence: %v", err)
			}
			return nil
		}
		pg.diagram++
		d.ID = fmt.Sprintf("seq-%s-%d", pg.idBase, pg.diagram)
		return &sequenceNode{svg: d.SVG()}
	case infoCurl:
		cmd := strings.TrimRight(body.String(), "\n")
		if strings.TrimSpace(cmd) == "" {
			pg.report.add(pg.file, fence, "empty curl block")
			return nil
		}
		pg.curls = append(pg.curls, Curl{Line: first, Command: cmd})
		return &curlNode{command: cmd}
	}
	return nil
}

// quizProblem records a quiz.ParseBlock error with its own location when
// it has one.
func (pg *page) quizProblem(err error, line int) {
	var qe *quiz.Error
	if errors.As(err, &qe) {
		file := qe.File
		if file == "" {
			file = pg.file
		}
		pg.report.list = append(pg.report.list, Problem{File: file, Line: max(qe.Line, 1), Msg: qe.Msg})
		return
	}
	pg.report.add(pg.file, line, "quiz: %v", err)
}

// blockRenderer writes the custom nodes.
type blockRenderer struct {
	code *highlighter // this pipeline's: a renderer serves one goroutine
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMarker, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(blockMarker)
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindSequence, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<figure class="sequence">`)
			_, _ = w.WriteString(string(n.(*sequenceNode).svg))
			_, _ = w.WriteString("</figure>\n")
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindCurl, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="curl">`)
			if err := r.code.write(w, lexers.Get("bash"), n.(*curlNode).command+"\n"); err != nil {
				return ast.WalkStop, err
			}
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindCode, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		c := n.(*codeNode)
		if c.lexer != nil {
			return ast.WalkSkipChildren, r.code.write(w, c.lexer, c.code)
		}
		_, _ = w.WriteString(`<pre tabindex="0"><code class="language-` + html.EscapeString(c.lang) + `">`)
		_, _ = w.WriteString(html.EscapeString(c.code))
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	})
}
