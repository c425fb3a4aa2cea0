package lessons

import (
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// kindCode is a code block this package highlights itself.
var kindCode = ast.NewNodeKind("AuthlabCode")

// codeNode is a code block with a language: highlighted with the lexer
// of that name, or of a file extension (lexerFor), or shown plain; or a
// custom block that failed to parse, shown plain.
type codeNode struct {
	ast.BaseBlock
	lang  string
	code  string
	lexer chroma.Lexer // nil: plain
}

// Kind implements ast.Node.
func (n *codeNode) Kind() ast.NodeKind { return kindCode }

// Dump implements ast.Node.
func (n *codeNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// lexerFor returns the lexer for a language that is no chroma name or
// alias: a few file extensions authors write out of habit, else nil (the
// block is shown plain). It never falls back to chroma's glob matching.
func lexerFor(lang string) chroma.Lexer {
	switch strings.ToLower(lang) {
	case "yml":
		return lexers.Get("yaml")
	case "sh", "shell", "console", "terminal":
		return lexers.Get("bash")
	case "js", "mjs":
		return lexers.Get("javascript")
	case "ts":
		return lexers.Get("typescript")
	case "py":
		return lexers.Get("python")
	case "txt":
		return lexers.Get("plaintext")
	}
	return nil
}

// blockText is the content of a fenced block.
func blockText(fb *ast.FencedCodeBlock, src []byte) string {
	var b strings.Builder
	for i := 0; i < fb.Lines().Len(); i++ {
		seg := fb.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// highlighter writes code blocks as chroma's class-based HTML. One
// formatter serves every block of a pipeline: chroma's formatter compiles
// the style's classes once and keeps them, where a formatter per block
// compiled them again for each block.
type highlighter struct {
	format *chromahtml.Formatter
	style  *chroma.Style
}

func newHighlighter(style *chroma.Style) *highlighter {
	return &highlighter{
		format: chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithPreWrapper(focusablePre{})),
		style:  style,
	}
}

// classStyle is the style the formatter is given. Class-based output names
// each token's class whatever the style (the colours are in highlight.css),
// so an empty style does, and chroma's styles package, which parses all of
// its styles when loaded, stays out of the server (TestHighlightNeedsNoStyle).
var classStyle = chroma.MustNewStyle("authlab-classes", chroma.StyleEntries{})

// write highlights code with lexer (chroma's fallback, plain text, when nil).
func (h *highlighter) write(w util.BufWriter, lexer chroma.Lexer, code string) error {
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return fmt.Errorf("lessons: highlight: %w", err)
	}
	if err := h.format.Format(w, h.style, it); err != nil {
		return fmt.Errorf("lessons: highlight: %w", err)
	}
	_ = w.WriteByte('\n')
	return nil
}
