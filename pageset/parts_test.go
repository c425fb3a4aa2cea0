package pageset

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// TestPartsKeptByState: a personal part with a key is rendered once per
// key and version and then written from its kept bytes, which are the
// template's; with Verify on, a key that leaves out something the part
// shows fails the page instead of showing one viewer's part to another;
// a new version drops the parts of the old one.
func TestPartsKeptByState(t *testing.T) {
	pages, err := Parse(testFS(), template.FuncMap{"part": NewPart})
	if err != nil {
		t.Fatal(err)
	}
	frames, err := FrameSet(pages["page"])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		key    func(Slot, any) (string, bool)
		verify bool
		fails  bool
	}{
		{"by name", func(s Slot, arg any) (string, bool) {
			if s.Name == "personal:who" {
				return arg.(data).Name, true
			}
			return "", false
		}, true, false},
		{"key leaves the name out", func(s Slot, arg any) (string, bool) { return "", s.Name == "personal:who" }, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := &Cache{Verify: tc.verify}
			var failed error
			for _, d := range []data{{Title: "T", Name: "Ann"}, {Title: "T", Name: "<Bob>"}, {Title: "T", Name: "Ann"}} {
				var full bytes.Buffer
				if err := pages["page"].ExecuteTemplate(&full, "layout", d); err != nil {
					t.Fatal(err)
				}
				c := &Composition{Cache: cache, Version: 1, Frames: frames, Page: pages["page"], Buf: &bytes.Buffer{}, PartKey: tc.key}
				f, err := c.Frame("layout", "page", func() any { return data{Title: "T"} })
				if err != nil {
					t.Fatal(err)
				}
				if err := c.Write(f, d); err != nil {
					failed = err
					continue
				}
				if c.Buf.String() != full.String() {
					t.Errorf("composed %q, full %q", c.Buf.String(), full.String())
				}
			}
			if tc.fails != (failed != nil) || (failed != nil && !strings.Contains(failed.Error(), "leaves out")) {
				t.Errorf("err = %v, want a failure: %v", failed, tc.fails)
			}
			if !tc.fails {
				if b, ok := cache.part(1, "personal:who\x00Ann"); !ok || string(b) != "<p>Ann</p>" {
					t.Errorf("kept part %q, %v", b, ok)
				}
				if len(cache.parts) != 2 {
					t.Errorf("%d parts kept, want 2 (one per name)", len(cache.parts))
				}
				cache.putPart(2, "personal:who\x00x", []byte("x"))
				if _, ok := cache.part(1, "personal:who\x00Ann"); ok {
					t.Error("a new version keeps the parts of the old one")
				}
			}
		})
	}
}
