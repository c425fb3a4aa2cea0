package sequence

import (
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

const login = `# a session login flow
Browser -> Server: POST /login (alice, ••••)
Server -> Store: create session 7f3a…
note over Server,Store: the record lives here
Server --> Browser: 200 Set-Cookie: sid=7f3a…; HttpOnly; SameSite=Lax; Path=/; Secure; Max-Age=3600 and a very long tail that must be cut somewhere
Browser -> Server: GET /me  Cookie: sid=7f3a…
Server -> Server: look up <sid> & check "expiry"
Server --> Browser: 200 {"user":"alice"}
`

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it)\n got: %s", path, got)
	}
}

func TestSVGGolden(t *testing.T) {
	d, err := Parse(login)
	if err != nil {
		t.Fatal(err)
	}
	d.ID = "seq-login"
	svg := string(d.SVG())
	golden(t, "login.svg", []byte(svg+"\n"))

	// Well-formed XML, escaped text, accessible.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	for _, want := range []string{
		`role="img"`, `aria-labelledby="seq-login-title"`, `<desc id="seq-login-desc">1. Browser to Server: POST /login (alice, ••••)`,
		"7. Server replies to Browser: 200 {&#34;user&#34;:&#34;alice&#34;}", "look up &lt;sid&gt; &amp; check",
		`stroke-dasharray="6 4"`, `<title>200 Set-Cookie: sid=7f3a…; HttpOnly`, "3. Note over Server to Store: the record lives here",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "<sid>") || strings.Contains(svg, "#fff") {
		t.Error("SVG has unescaped text or a hard-coded colour")
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	d, err := Parse("participant Store\nA -> B: x\nB --> A: y\nnote over A: n\nnote over B, A: m\n// comment\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Participants, ","); got != "Store,A,B" {
		t.Errorf("participants %q", got)
	}
	kinds := []Kind{Request, Reply, Note, Note}
	for i, s := range d.Steps {
		if s.Kind != kinds[i] {
			t.Errorf("step %d: %v, want %v", i, s.Kind, kinds[i])
		}
	}
	if s := d.Steps[3]; s.From != "A" || s.To != "B" || s.Line != 5 {
		t.Errorf("note over B, A: %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"empty", "\n# nothing\n", 1, "empty diagram"},
		{"no colon", "A -> B: ok\nA -> B\n", 2, "expected"},
		{"no arrow", "A: hello", 1, "no arrow"},
		{"two arrows", "A -> B -> C: x", 1, "arrow"},
		{"no from", " -> B: x", 1, "missing participant"},
		{"note left", "A -> B: x\n\nnote left of A: y", 3, "only `note over"},
		{"note no colon", "note over A", 1, "colon"},
		{"empty note", "note over A:   ", 1, "empty note"},
		{"bad name", "A<b> -> B: x", 1, "may not contain"},
		{"too many", strings.Repeat("A -> B: x\n", MaxSteps+1), MaxSteps + 1, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.src)
			var pe *Error
			if !errors.As(err, &pe) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v, want *Error", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", pe.Line, pe.Msg, tt.line, tt.msg)
			}
		})
	}
}

func TestBuildFromCode(t *testing.T) {
	t.Parallel()
	d := New("Browser", "Lab").
		Request("Browser", "Lab", "POST /lab/x/session/login").
		Reply("Lab", "Browser", "200").
		Note("attacker has no cookie", "Attacker")
	if got := strings.Join(d.Participants, ","); got != "Browser,Lab,Attacker" {
		t.Errorf("participants %q", got)
	}
	want := []string{"1. Browser to Lab: POST /lab/x/session/login", "2. Lab replies to Browser: 200", "3. Note over Attacker: attacker has no cookie"}
	if got := d.Describe(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Describe = %q", got)
	}
	a, b := d.SVG(), New("Browser", "Lab").Request("Browser", "Lab", "other").SVG()
	if a == d.SVG() && idOf(string(a)) == idOf(string(b)) {
		t.Error("different diagrams got the same element ids")
	}
}

func idOf(svg string) string {
	_, rest, _ := strings.Cut(svg, `aria-labelledby="`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

func TestWrap(t *testing.T) {
	t.Parallel()
	lines, cut := wrap("one two three four five six seven eight", 70, 2)
	if len(lines) != 2 || !cut || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("wrap = %q, %v", lines, cut)
	}
	lines, cut = wrap("short", 200, 2)
	if len(lines) != 1 || cut {
		t.Errorf("wrap = %q, %v", lines, cut)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(login)
	f.Add("note over A,B,C: x\nA --> A: self")
	f.Add("participant X\nX -> Y:")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := Parse(src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > strings.Count(src, "\n")+1 {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		svg := string(d.SVG())
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("SVG not well-formed: %v\n%s", err, svg)
			}
		}
	})
}

func BenchmarkSVG(b *testing.B) {
	d, err := Parse(login)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = d.SVG()
	}
}
