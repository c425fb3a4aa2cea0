package lessons

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/quiz"
)

// Chroma styles for the two site themes.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// makeHighlightCSS is highlight.css made from chroma's styles: light
// applies everywhere; dark applies under [data-theme="dark"] on an
// ancestor, and also, for pages without JavaScript, when the OS prefers
// dark and no data-theme="light" is set. Light comes first. Every dark
// rule first resets what a light rule of the same class may set, so no
// light colour shows through on a dark page. Neither sets a background on
// the block: code keeps the site's own.
func makeHighlightCSS() string {
	lightRules, darkRules := chromaRules(lightStyle), chromaRules(darkStyle)
	var l strings.Builder
	for _, r := range lightRules {
		l.WriteString(r.selector + " " + r.body + "\n")
	}
	// Dark rules: every selector of either style, light's order first.
	bodies := map[string]string{}
	var order []string
	for _, r := range lightRules {
		order = append(order, r.selector)
	}
	for _, r := range darkRules {
		if _, ok := bodies[r.selector]; !ok && !slices.Contains(order, r.selector) {
			order = append(order, r.selector)
		}
		bodies[r.selector] = r.body
	}
	darkCSS := func(scope string) string {
		var b strings.Builder
		for _, sel := range order {
			body := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(bodies[sel]), "{"), "}")
			b.WriteString(scope + sel + " { " + resetCSS + strings.TrimSpace(body) + " }\n")
		}
		return b.String()
	}
	return "/* Made from chroma's " + lightStyle + " and " + darkStyle + " styles by lessons/highlight_test.go; do not edit. */\n" +
		l.String() + "\n" + darkCSS(`[data-theme="dark"] `) +
		"@media (prefers-color-scheme: dark) {\n" + darkCSS(`:root:not([data-theme="light"]) `) + "}\n"
}

// resetCSS undoes what a light token rule may set.
const resetCSS = "color: inherit; background-color: transparent; font-weight: inherit; font-style: inherit; text-decoration: inherit; "

// cssRule matches one rule of chroma's WriteCSS output:
// "/* Keyword */ .chroma .k { color: #ff7b72 }".
var cssRule = regexp.MustCompile(`^/\* (\w+) \*/ ([^{]+)(\{.*)$`)

type chromaRule struct{ selector, body string }

// chromaRules is a chroma style as CSS rules, without the rules that paint
// the block's own background.
func chromaRules(style string) []chromaRule {
	var buf bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	if err := f.WriteCSS(&buf, styles.Get(style)); err != nil {
		return nil
	}
	var rules []chromaRule
	for _, line := range strings.Split(buf.String(), "\n") {
		m := cssRule.FindStringSubmatch(line)
		if m == nil || m[1] == "Background" || m[1] == "PreWrapper" {
			continue
		}
		rules = append(rules, chromaRule{selector: strings.TrimSpace(m[2]), body: strings.TrimSpace(m[3])})
	}
	return rules
}

// TestHighlightCSSIsCurrent: highlight.css is what chroma's styles make
// today (-update writes it), and it holds what the pages need.
func TestHighlightCSSIsCurrent(t *testing.T) {
	t.Parallel()
	want := makeHighlightCSS()
	if *update {
		if err := os.WriteFile("highlight.css", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := HighlightCSS(); got != want {
		t.Fatal("highlight.css is not what chroma's styles make: run go test ./lessons -run TestHighlightCSSIsCurrent -update")
	}
	css := HighlightCSS()
	light, dark, ok := strings.Cut(css, "\n\n")
	if !ok {
		t.Fatal("no blank line between the light and the dark rules")
	}
	for _, want := range []string{".chroma .k {", ".chroma .line {"} {
		if !strings.Contains(light, want) {
			t.Errorf("light CSS lacks %q", want)
		}
	}
	for _, want := range []string{`[data-theme="dark"] .chroma .k {`, "@media (prefers-color-scheme: dark)", `:root:not([data-theme="light"]) .chroma .k {`} {
		if !strings.Contains(dark, want) {
			t.Errorf("dark CSS lacks %q", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(dark), "\n") {
		if !strings.HasPrefix(line, "[data-theme") && !strings.HasPrefix(line, ":root") && !strings.HasPrefix(line, "@media") && line != "}" {
			t.Errorf("unscoped dark rule %q", line)
		}
	}
	// A class light colours and dark leaves alone must not keep its light
	// colour on a dark page.
	if !strings.Contains(dark, `[data-theme="dark"] .chroma .p { color: inherit;`) {
		t.Error("dark CSS does not reset the light punctuation colour")
	}
	if strings.Contains(css, "background-color: #fff") || strings.Contains(dark, ".bg ") {
		t.Error("highlight CSS sets a page background")
	}
}

// TestHighlightNeedsNoStyle: the pages' code is the same bytes whether
// chroma is given the site's style or classStyle, the empty style the
// server uses so as not to load chroma's styles. Class-based output names
// token classes only; if chroma ever made it depend on the style, this
// fails.
func TestHighlightNeedsNoStyle(t *testing.T) {
	t.Parallel()
	site := styles.Get(lightStyle)
	if site == styles.Fallback {
		t.Fatalf("chroma has no style %q", lightStyle)
	}
	a, errA := buildWith(content.FS, newPipeline())
	b, errB := buildWith(content.FS, newPipelineLike(&pipeline{parseQuiz: quiz.ParseBlock, direct: directLexers(), style: site}))
	if len(errA) > 0 || len(errB) > 0 {
		t.Fatalf("course: %v %v", errA, errB)
	}
	blocks := 0
	for i, l := range a.Lessons {
		got, want := dump(l), dump(b.Lessons[i])
		if got != want {
			t.Errorf("lesson %s differs with the site's style", l.Slug)
		}
		blocks += strings.Count(got, `class="chroma"`)
	}
	for i, p := range a.Interview {
		var got, want strings.Builder
		for j, seg := range p.Body {
			got.WriteString(string(seg.HTML))
			want.WriteString(string(b.Interview[i].Body[j].HTML))
		}
		if got.String() != want.String() {
			t.Errorf("interview page %s differs with the site's style", p.Slug)
		}
		blocks += strings.Count(got.String(), `class="chroma"`)
	}
	t.Logf("%d highlighted blocks compared", blocks)
	if blocks < 10 {
		t.Errorf("only %d highlighted blocks in the course: the comparison shows little", blocks)
	}
}
