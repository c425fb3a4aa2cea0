package pageset

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"templates/_layout.html": {Data: []byte(`{{define "layout"}}<h1>{{.Title}}</h1>{{template "personal:who" .}}{{block "content" .}}{{end}}{{end}}` +
			`{{define "personal:who"}}<p>{{.Name}}</p>{{end}}`)},
		"templates/_quiz.html":   {Data: []byte(`{{define "quiz"}}<q>{{.}}</q>{{end}}`)},
		"templates/_unused.html": {Data: []byte(`{{define "unused"}}{{.Missing.Field}}{{end}}`)},
		"templates/page.html": {Data: []byte(`{{define "content"}}{{template "quiz" "q1"}}{{template "personal:score" part . "q1"}}{{end}}` +
			`{{define "personal:score"}}<b>{{.Key}}={{index .Data.Scores .Key}}</b>{{end}}`)},
		"templates/plain.html": {Data: []byte(`{{define "content"}}plain{{end}}`)},
	}
}

type data struct {
	Title, Name string
	Scores      map[string]int
}

// TestParseFollowsUses: a page gets the layout and the shared files it
// calls, not the others.
func TestParseFollowsUses(t *testing.T) {
	pages, err := Parse(testFS(), template.FuncMap{"part": NewPart})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("pages: %v", pages)
	}
	if pages["page"].Lookup("quiz") == nil || pages["page"].Lookup("unused") != nil {
		t.Error("page: want quiz parsed and unused not")
	}
	broken := testFS()
	broken["templates/broken.html"] = &fstest.MapFile{Data: []byte(`{{template "nowhere"}}`)}
	if _, err := Parse(broken, template.FuncMap{"part": NewPart}); err == nil || !strings.Contains(err.Error(), `uses template "nowhere"`) {
		t.Errorf("broken: err = %v", err)
	}
}

// TestComposedIsFull: a page written through its frame is the page the
// full render gives, for two viewers from one frame; a page without
// personal templates has no frame set.
func TestComposedIsFull(t *testing.T) {
	pages, err := Parse(testFS(), template.FuncMap{"part": NewPart})
	if err != nil {
		t.Fatal(err)
	}
	plain := template.Must(template.New("layout").Parse(`plain`))
	if fs, err := FrameSet(plain); err != nil || fs != nil {
		t.Errorf("plain: frame set %v, %v; want none", fs, err)
	}
	frames, err := FrameSet(pages["page"])
	if err != nil || frames == nil {
		t.Fatalf("page: frame set %v, %v", frames, err)
	}
	cache := &Cache{}
	for _, d := range []data{{Title: "T", Name: "Ann", Scores: map[string]int{"q1": 3}}, {Title: "T", Name: "<Bob>", Scores: map[string]int{"q1": 5}}} {
		var full bytes.Buffer
		if err := pages["page"].ExecuteTemplate(&full, "layout", d); err != nil {
			t.Fatal(err)
		}
		c := &Composition{Cache: cache, Version: 1, Frames: frames, Page: pages["page"], Buf: &bytes.Buffer{}}
		f, err := c.Frame("layout", "page", func() any { return data{Title: "T"} })
		if err != nil {
			t.Fatal(err)
		}
		if len(f.slots) != 2 || f.slots[1] != (Slot{Name: "personal:score", Key: "q1", Keyed: true}) {
			t.Fatalf("slots: %+v", f.slots)
		}
		if err := c.Write(f, d); err != nil {
			t.Fatal(err)
		}
		if c.Buf.String() != full.String() {
			t.Errorf("composed %q, full %q", c.Buf.String(), full.String())
		}
	}
	if len(cache.frames) != 1 {
		t.Errorf("cache holds %d frames, want 1", len(cache.frames))
	}
	cache.put(2, "other", &Frame{})
	if f, _ := cache.get(1, "page"); f != nil {
		t.Error("a new version keeps the frames of the old one")
	}
}

// TestCutRefusesStrayMarkers: content holding a marker fails to cut
// rather than rendering wrongly.
func TestCutRefusesStrayMarkers(t *testing.T) {
	for _, out := range []string{"a" + markEdge + "personal:x", "a" + markEdge + "other" + markEdge + "b"} {
		if _, err := Cut(out); err == nil {
			t.Errorf("Cut(%q): no error", out)
		}
	}
	f, err := Cut("a" + markEdge + "personal:x" + markEdge + "b")
	if err != nil || len(f.static) != 2 || f.slots[0].Keyed {
		t.Errorf("Cut: %+v, %v", f, err)
	}
}
