package lessons

import (
	"bytes"
	_ "embed"
	"html/template"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/authlab/authlab/quiz"
)

// pipeline holds the Markdown converters of one Load. Raw HTML never
// passes (html.WithUnsafe is off): authors write Markdown, not markup.
type pipeline struct {
	full   goldmark.Markdown // lessons and interview pages: every block and callout
	inline goldmark.Markdown // lab steps and glossary definitions: plain GFM
	// parseQuiz parses a quiz block's body; quiz.ParseBlock outside tests.
	parseQuiz func(src []byte, file string, line int) (*quiz.Question, error)
	// direct holds every chroma lexer name and alias, lowercased: a code
	// block in one of these is highlighted by that lexer. For any other
	// language chroma would try every lexer's file-name globs, about 9 ms
	// a block, so lexerFor maps a few extensions and the rest is plain.
	direct map[string]bool
	// style is what chroma's formatter is given: classStyle outside tests.
	style *chroma.Style
}

func newPipeline() *pipeline {
	return newPipelineLike(&pipeline{parseQuiz: quiz.ParseBlock, direct: directLexers(), style: classStyle})
}

// newPipelineLike builds fresh goldmark instances around p's quiz parser
// and lexer set (read-only, so shared), for another rendering goroutine.
func newPipelineLike(p *pipeline) *pipeline {
	return &pipeline{
		full: goldmark.New(
			goldmark.WithExtensions(
				extension.GFM,
				scrollExtension{},
				&blockExtension{style: p.style},
				&calloutExtension{},
			),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		),
		inline:    goldmark.New(goldmark.WithExtensions(extension.GFM)),
		parseQuiz: p.parseQuiz,
		direct:    p.direct,
		style:     p.style,
	}
}

func directLexers() map[string]bool {
	names := lexers.Names(true)
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = true
	}
	return m
}

// page is the state of rendering one file. The block transformer finds it
// in the parser context and records what it finds.
type page struct {
	file    string
	lines   lineIndex
	pipe    *pipeline
	report  *report
	blocks  []Segment // one per marker, in document order: Quiz or Lab set
	quizzes []*quiz.Question
	labs    []*LabBlock
	curls   []Curl
	links   []link
	diagram int // sequence diagrams so far, for unique SVG ids
	idBase  string
}

// link is an internal link to check once every page is known.
type link struct {
	dest string
	line int
}

// rendered is one rendered page.
type rendered struct {
	body    []Segment
	toc     []Heading
	anchors map[string]bool
	words   int
}

// pageKey finds the page in a parser context. Context keys are allocated
// from a process-wide counter and every context sizes its store by it, so
// the key is made once rather than per Load.
var pageKey = parser.NewContextKey()

// render converts one Markdown body into segments split at quiz and lab
// blocks, a table of contents and the set of anchors.
func (pg *page) render(body []byte) rendered {
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(pageKey, pg)
	doc := pg.pipe.full.Parser().Parse(text.NewReader(body), parser.WithContext(pc))

	out := rendered{anchors: map[string]bool{}}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			ids, _ := id.([]byte)
			if len(ids) == 0 {
				break
			}
			out.anchors[string(ids)] = true
			if n.Level == 2 || n.Level == 3 {
				out.toc = append(out.toc, Heading{Level: n.Level, ID: string(ids), Text: plainText(n, body)})
			}
		case *ast.Text:
			out.words += len(bytes.Fields(n.Segment.Value(body)))
		case *ast.Link:
			pg.links = append(pg.links, link{dest: string(n.Destination), line: pg.inlineLine(n)})
		case *ast.RawHTML:
			if n.Segments.Len() > 0 {
				pg.rawHTML(n.Segments.At(0).Start)
			}
		case *ast.HTMLBlock:
			if n.Lines().Len() > 0 {
				pg.rawHTML(n.Lines().At(0).Start)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, q := range pg.quizzes {
		out.anchors["quiz-"+q.ID] = true
	}

	var buf bytes.Buffer
	if err := pg.pipe.full.Renderer().Render(&buf, body, doc); err != nil {
		pg.report.add(pg.file, pg.lines.base, "rendering: %v", err)
		return out
	}
	parts := strings.Split(buf.String(), blockMarker)
	if len(parts) != len(pg.blocks)+1 {
		pg.report.add(pg.file, pg.lines.base, "rendering: %d block markers for %d quiz and lab blocks", len(parts)-1, len(pg.blocks))
		return out
	}
	for i, p := range parts {
		seg := Segment{HTML: template.HTML(p)}
		if i < len(pg.blocks) {
			seg.Quiz, seg.Lab = pg.blocks[i].Quiz, pg.blocks[i].Lab
		}
		out.body = append(out.body, seg)
	}
	return out
}

// rawHTML reports raw HTML, which the renderer drops: say so rather than
// lose the author's text silently.
func (pg *page) rawHTML(offset int) {
	pg.report.add(pg.file, pg.lines.line(offset), "raw HTML is not rendered: write Markdown (use a fenced code block to show markup)")
}

// inlineLine is the file line where an inline node starts: its first
// text's, or its block's first line.
func (pg *page) inlineLine(n ast.Node) int {
	var line int
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			line = pg.lines.line(t.Segment.Start)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if line > 0 {
		return line
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return pg.lines.line(p.Lines().At(0).Start)
		}
	}
	return pg.lines.base
}

// renderInline renders a short Markdown text (a lab step, a definition),
// dropping the paragraph around a single line, and records its links.
func (pg *page) renderInline(src string, line int) template.HTML {
	source := []byte(src)
	doc := pg.pipe.inline.Parser().Parse(text.NewReader(source))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			pg.links = append(pg.links, link{dest: string(l.Destination), line: line})
		}
		return ast.WalkContinue, nil
	})
	var buf bytes.Buffer
	if err := pg.pipe.inline.Renderer().Render(&buf, source, doc); err != nil {
		pg.report.add(pg.file, line, "rendering: %v", err)
	}
	out := strings.TrimSpace(buf.String())
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		out = out[len("<p>") : len(out)-len("</p>")]
	}
	return template.HTML(out)
}

// plainText is the text of an inline tree, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// HighlightCSS returns the stylesheet for highlighted code (chroma's
// class-based output). It is made from chroma's styles when the code is
// built, not when the server starts: chroma's style package parses all of
// its styles when it is loaded, 8–10 ms of every start. The test
// TestHighlightCSSIsCurrent makes it again and compares; go test ./lessons
// -run TestHighlightCSSIsCurrent -update writes it.
func HighlightCSS() string { return highlightCSS }

//go:embed highlight.css
var highlightCSS string
