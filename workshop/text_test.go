package workshop

import (
	"html/template"
	"testing"

	"github.com/authlab/authlab/quiz"
)

func TestPlainText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   template.HTML
		want string
	}{
		{"", ""},
		{"<p>Which cookie flag stops <code>document.cookie</code>?</p>", "Which cookie flag stops document.cookie?"},
		{"<p><em>Why</em> is <code>alg: none</code> &amp; <code>kid</code> dangerous?</p>\n", "Why is alg: none & kid dangerous?"},
		{"<p>a &lt;script&gt; tag</p>", "a <script> tag"},
		{"<p>two</p>\n<p>paragraphs</p>", "two paragraphs"},
	} {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A prompt with code spans reads without backticks wherever markup
// cannot be shown (the question picker, the CSV).
func TestPlainPromptHasNoBackticks(t *testing.T) {
	t.Parallel()
	q, err := quiz.NewChoice("q", "Which claim is `exp`, and is **it** checked?", []string{"a", "b"}, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if got := plainPrompt(q); got != "Which claim is exp, and is it checked?" {
		t.Errorf("plainPrompt = %q", got)
	}
	if got := promptHTML(q); got != "Which claim is <code>exp</code>, and is <strong>it</strong> checked?" && got != "<p>Which claim is <code>exp</code>, and is <strong>it</strong> checked?</p>\n" {
		t.Errorf("promptHTML = %q", got)
	}
}
