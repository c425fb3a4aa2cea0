package lessons

import "testing"

func TestCodeSpans(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":                      "plain",
		"Record `acr` and `amr` <b>": "Record <code>acr</code> and <code>amr</code> &lt;b&gt;",
		"one ` unpaired":             "one ` unpaired",
		"`<script>`":                 "<code>&lt;script&gt;</code>",
		"a `b` c ` d":                "a <code>b</code> c ` d",
		"":                           "",
	} {
		if got := string(CodeSpans(in)); got != want {
			t.Errorf("CodeSpans(%q) = %q, want %q", in, got, want)
		}
	}
}
