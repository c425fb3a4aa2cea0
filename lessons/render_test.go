package lessons

import (
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name; -update rewrites the file.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it; review with git diff):\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\nwant: " + a + "\n got: " + b
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

// dump writes a lesson's body as the web layer would see it, with the
// quiz and lab blocks spelled out where they stand.
func dump(l *Lesson) string {
	var b strings.Builder
	for _, s := range l.Body {
		b.WriteString(string(s.HTML))
		if s.Lab != nil {
			b.WriteString("\n[[lab " + s.Lab.Name + " mode=" + s.Lab.Mode + " line=" + itoa(s.Lab.Line) + "]]\n")
			for _, st := range s.Lab.Steps {
				b.WriteString("  - " + string(st.Text) + "\n")
			}
		}
		if s.Quiz != nil {
			b.WriteString("\n[[quiz " + s.Quiz.ID + "]]\n")
		}
	}
	return b.String()
}

func loadFixture(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load(os.DirFS("testdata/course"))
	if err != nil {
		t.Fatalf("fixture course: %v", err)
	}
	return c
}

// TestRenderGolden covers heading ids, highlighting, sequence SVG,
// callouts, curl blocks and a lab block, one golden file per lesson.
func TestRenderGolden(t *testing.T) {
	c := loadFixture(t)
	for _, l := range c.Lessons {
		golden(t, "golden/"+l.Slug+".html", dump(l))
	}
}

func TestCatalogShape(t *testing.T) {
	t.Parallel()
	c := loadFixture(t)
	if c.Title != "Fixture course" || len(c.Modules) != 2 || len(c.Lessons) != 3 {
		t.Fatalf("catalog: %q, %d modules, %d lessons", c.Title, len(c.Modules), len(c.Lessons))
	}
	intro, err := c.Lesson("intro")
	if err != nil {
		t.Fatal(err)
	}
	sessions, _ := c.Lesson("sessions")
	tokens, _ := c.Lesson("tokens")
	if intro.Prev != nil || intro.Next != sessions || sessions.Prev != intro || tokens.Next != nil || tokens.Prev != sessions {
		t.Error("prev/next do not follow course order")
	}
	if tokens.Module != c.Modules[1] || tokens.Index != 2 || c.Modules[0].Lessons[1] != sessions {
		t.Error("modules or indexes are wrong")
	}
	if _, err := c.Lesson("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Lesson(nope) = %v, want ErrNotFound", err)
	}
	wantTOC := []Heading{{2, "requests-stand-alone", "Requests stand alone"}, {3, "what-a-request-carries", "What a request carries"}, {2, "requests-stand-alone-2", "Requests stand alone"}, {2, "summary", "Summary"}}
	if len(intro.TOC) != len(wantTOC) {
		t.Fatalf("TOC = %v", intro.TOC)
	}
	for i, h := range wantTOC {
		if intro.TOC[i] != h {
			t.Errorf("TOC[%d] = %v, want %v", i, intro.TOC[i], h)
		}
	}
	if len(sessions.Curls) != 1 || sessions.Curls[0].Line != 41 || !strings.HasPrefix(sessions.Curls[0].Command, "curl -i -X POST") {
		t.Errorf("Curls = %+v", sessions.Curls)
	}
	if len(sessions.Body) != 2 || sessions.Body[0].Lab == nil || sessions.Body[1].Lab != nil {
		t.Errorf("sessions body: %d segments, want the lab between two", len(sessions.Body))
	}
	if sessions.ReadingMinutes < 1 || len(c.Glossary) != 2 || c.Glossary[0].ID != "samesite" || len(c.Interview) != 1 {
		t.Errorf("reading %d, glossary %v, interview %d", sessions.ReadingMinutes, c.Glossary, len(c.Interview))
	}
	if c.Bank == nil {
		t.Error("no question bank")
	}
}

func TestRenderSafety(t *testing.T) {
	t.Parallel()
	c := loadFixture(t)
	sessions, _ := c.Lesson("sessions")
	html := dump(sessions)
	for _, bad := range []string{"<script>", "<secret>", `"<hi>"`} {
		if strings.Contains(html, bad) {
			t.Errorf("unescaped %q in output", bad)
		}
	}
	// Every SVG is well-formed XML with unique ids on the page.
	for _, part := range strings.Split(html, "<svg")[1:] {
		svg := "<svg" + part[:strings.Index(part, "</svg>")+len("</svg>")]
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("SVG: %v", err)
			}
		}
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Why HTTP forgets you":     "why-http-forgets-you",
		"`Set-Cookie`: the header": "set-cookie-the-header",
		"Don't trust the client!":  "dont-trust-the-client",
		"  Sessions & tokens  ":    "sessions-tokens",
		"Überblick – Zustände":     "überblick-zustände",
		"!!!":                      "",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
