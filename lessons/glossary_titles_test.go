package lessons

import (
	"strings"
	"testing"
)

// A lesson's link to a glossary term carries the term's definition as
// its title (the tooltip the content contract promises), as plain text
// with its quotes escaped; a link with a title of its own keeps it.
func TestGlossaryLinksHaveTheDefinitionAsTitle(t *testing.T) {
	t.Parallel()
	c, err := Load(course(map[string]*string{
		"glossary.yaml": s("- term: SameSite\n  definition: 'A cookie attribute: `Lax`, \"Strict\" or *None*.'\n"),
		"lessons/01-alpha.md": lesson("alpha", "", "\n## One\n\nSet [SameSite](/glossary#samesite) on the cookie, "+
			"or [read on](/glossary#samesite \"The author's own\").\n"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	body := string(c.Lessons[0].Body[0].HTML)
	want := `<a href="/glossary#samesite" title="SameSite: A cookie attribute: Lax, &#34;Strict&#34; or None.">SameSite</a>`
	if !strings.Contains(body, want) {
		t.Errorf("the term's link:\n%s\nwant %s", body, want)
	}
	if !strings.Contains(body, `<a href="/glossary#samesite" title="The author`) {
		t.Errorf("a link with its own title lost it:\n%s", body)
	}
}
