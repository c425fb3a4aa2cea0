package web

import (
	"bytes"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/pageset"
)

// A composed page is a personal page put together from parts made once
// (package pageset, whose doc describes how): what differs from one
// viewer to the next is in templates named "personal:…" (the layout's
// account links and notes, a lesson's sidebar states, quizzes, lab
// progress and completion section); the rest is the page's frame, made
// once per page, course version and template set.

// composedPages are the pages served composed; each gets a frame set.
var composedPages = []string{"lesson"}

// partKeys name the states of a composed page's personal parts, by page
// (pageset.Composition.PartKey): a part with a key is rendered once per
// state and version.
var partKeys = map[string]func(pageset.Slot, any) (string, bool){"lesson": lessonPartKey}

// frameVersion is what a frame is made for: frames of another template
// set or course version are dropped.
type frameVersion struct {
	set *pageset.Set
	cat *lessons.Catalog
}

// compose renders page for data through its frame, which is made from
// impersonal (data without anything personal) the first time key is
// asked for in this template set and course version; fill may write
// slots itself. A page without a frame set is rendered in full. Only a
// complete page is returned, as with execute.
func (r *renderer) compose(fc *pageset.Cache, cat *lessons.Catalog, page, key string, data any, impersonal func() any,
	fill func(c *pageset.Composition, s pageset.Slot, arg any) (bool, error)) (*bytes.Buffer, error) {
	set := r.set()
	if set.Frames[page] == nil {
		return r.execute(page, data)
	}
	c := &pageset.Composition{Cache: fc, Version: frameVersion{set, cat}, Frames: set.Frames[page], Page: set.Pages[page], Fill: fill,
		PartKey: partKeys[page]}
	f, err := c.Frame("layout", key, impersonal)
	if err != nil {
		return nil, err
	}
	if f == nil { // the cache is full of quiz frames
		return r.execute(page, data)
	}
	c.Buf = r.bufs.Get().(*bytes.Buffer)
	c.Buf.Reset()
	if err := c.Write(f, data); err != nil {
		r.bufs.Put(c.Buf)
		return nil, err
	}
	return c.Buf, nil
}
