package workshop

// Question text for places that cannot show markup: the board's
// question picker (an <option> holds text only) and the CSV. The text
// is taken from the Markdown as rendered, so a code span reads as its
// code, not as `backticks`, and an entity as its character.

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"github.com/authlab/authlab/quiz"
)

// A block's tag separates words; an inline one (code, em) does not.
var (
	blockTag = regexp.MustCompile(`(?i)</?(p|br|li|ul|ol|div|h[1-6]|pre|blockquote|table|tr|td|th)\b[^>]*>`)
	tag      = regexp.MustCompile(`<[^>]*>`)
)

// plainText is rendered Markdown as one line of text.
func plainText(h template.HTML) string {
	s := tag.ReplaceAllString(blockTag.ReplaceAllString(string(h), " "), "")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// promptHTML is a question's prompt (or statement) as rendered.
func promptHTML(q *quiz.Question) template.HTML {
	if q == nil {
		return ""
	}
	if q.PromptHTML != "" {
		return q.PromptHTML
	}
	return q.StatementHTML
}

// plainPrompt is a question's prompt (or statement) as short plain text.
func plainPrompt(q *quiz.Question) string {
	if q == nil {
		return ""
	}
	t := plainText(promptHTML(q))
	if t == "" {
		t = strings.TrimSpace(q.Prompt + q.Statement)
	}
	if r := []rune(t); len(r) > 140 {
		t = string(r[:139]) + "…"
	}
	return t
}
