package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/authlab/authlab/lessons"
)

// A composed page is a personal page put together from parts made once.
//
// Whatever differs from one viewer to the next is in templates named
// "personal:…" (the layout's account links and notes, a lesson's sidebar
// states, quizzes, lab progress and completion section); everything
// outside them is the same for every viewer of a page in one course
// version. For a composed page the renderer keeps a second copy of the
// page's templates, its frame set, in which every personal template is
// redefined to print a marker naming itself (and the key it was called
// with, see part). The frame set is executed once per page, course
// version and template set with data that holds nothing personal; the
// output, cut at the markers, is the page's frame: static bytes between
// slots. A request then writes the static bytes and, in each slot,
// executes only that personal template with the viewer's data, from
// the ordinary template set. The result is the very page the full
// render of the same data produces (TestComposedPageIsTheFullRender),
// with a template walk over a few small parts instead of the whole page.
//
// A personal template is called in HTML text context, so it escapes the
// same whether it runs inside the page or on its own; one that needs
// more than the page (a quiz, by ID) is called with part $ key.

// personalPrefix begins the name of every template that differs between
// viewers.
const personalPrefix = "personal:"

// composedPages are the pages served composed; each gets a frame set.
var composedPages = []string{"lesson"}

// Markers in a frame: U+E000 (private use) around a slot, U+E001
// between its template name and key. Content never holds them; a frame
// that does fails to build rather than rendering wrongly.
const (
	markEdge = "\uE000"
	markSep  = "\uE001"
)

// templatePart is the data of a personal template called with part: the
// page and a key within it.
type templatePart struct {
	Data any
	Key  string
}

// part is the template function that builds a templatePart.
func part(data any, key string) templatePart { return templatePart{Data: data, Key: key} }

// frameMark is the frame set's stand-in for every personal template.
func frameMark(name string, data any) template.HTML {
	key, keyed := "", false
	if p, ok := data.(templatePart); ok {
		key, keyed = p.Key, true
	}
	if keyed {
		name += markSep + key
	}
	return template.HTML(markEdge + name + markEdge)
}

// frameSet copies page's templates (before any has run: html/template
// clones only unexecuted sets) with every personal template replaced by
// its marker; nil for a page without personal templates, which is
// rendered in full.
func frameSet(t *template.Template) (*template.Template, error) {
	f, err := t.Clone()
	if err != nil {
		return nil, err
	}
	f.Funcs(template.FuncMap{"mark": frameMark})
	n := 0
	for _, p := range t.Templates() {
		if name := p.Name(); strings.HasPrefix(name, personalPrefix) {
			if _, err := f.New(name).Parse(`{{mark "` + name + `" .}}`); err != nil {
				return nil, err
			}
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	return f, nil
}

// frame is one page cut at its slots: static[i] comes before slots[i],
// and the last static part after the last slot.
type frame struct {
	static [][]byte
	slots  []slot
}

type slot struct {
	name, key string
	keyed     bool // called with part: the template gets a templatePart
}

// cutFrame splits the frame set's output at its markers.
func cutFrame(out string) (*frame, error) {
	pieces := strings.Split(out, markEdge)
	if len(pieces)%2 == 0 {
		return nil, fmt.Errorf("web: frame has an unpaired slot marker")
	}
	f := &frame{}
	for i, p := range pieces {
		if i%2 == 0 {
			f.static = append(f.static, []byte(p))
			continue
		}
		name, key, keyed := strings.Cut(p, markSep)
		if !strings.HasPrefix(name, personalPrefix) {
			return nil, fmt.Errorf("web: frame has a stray marker before %q", name)
		}
		f.slots = append(f.slots, slot{name: name, key: key, keyed: keyed})
	}
	return f, nil
}

// maxFrames bounds the frames kept for one template set and course
// version: a page's frame per lesson, and a quiz's per order of its
// options (lesson_compose.go), which is at most a few thousand for the
// whole course. Past it, parts are rendered in full.
const maxFrames = 4096

// frameCache holds the frames of one template set and course version.
type frameCache struct {
	off    bool // benchmarks turn it off to measure the full render
	mu     sync.RWMutex
	set    *uiSet
	cat    *lessons.Catalog
	frames map[string]*frame
}

// get is the frame under key; full reports that no new one would be kept.
func (fc *frameCache) get(set *uiSet, cat *lessons.Catalog, key string) (f *frame, full bool) {
	fc.mu.RLock()
	defer fc.mu.RUnlock()
	if fc.set != set || fc.cat != cat {
		return nil, false
	}
	return fc.frames[key], len(fc.frames) >= maxFrames
}

func (fc *frameCache) put(set *uiSet, cat *lessons.Catalog, key string, f *frame) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.set != set || fc.cat != cat { // new templates or a new course: start over
		fc.set, fc.cat, fc.frames = set, cat, map[string]*frame{}
	}
	if len(fc.frames) < maxFrames {
		fc.frames[key] = f
	}
}

// composition is one page being put together for one request.
type composition struct {
	r    *renderer
	fc   *frameCache
	set  *uiSet
	cat  *lessons.Catalog
	page string
	t    *template.Template // the page's ordinary templates, for the slots
	buf  *bytes.Buffer
	// fill, if not nil, may write a slot itself (from a frame of its
	// own); it reports whether it did.
	fill func(c *composition, s slot, arg any) (bool, error)
}

// frame is the frame of template tmpl of the page under key, rendered
// from impersonal the first time; nil when the cache is full and the
// frame is not in it.
func (c *composition) frame(tmpl, key string, impersonal func() any) (*frame, error) {
	f, full := c.fc.get(c.set, c.cat, key)
	if f != nil || full {
		return f, nil
	}
	ft := c.set.frames[c.page]
	var b strings.Builder
	if err := ft.ExecuteTemplate(&b, tmpl, impersonal()); err != nil {
		return nil, fmt.Errorf("web: render the frame of %s: %w", tmpl, err)
	}
	f, err := cutFrame(b.String())
	if err != nil {
		return nil, err
	}
	c.fc.put(c.set, c.cat, key, f)
	return f, nil
}

// write writes f with each slot's template executed for data.
func (c *composition) write(f *frame, data any) error {
	for i, s := range f.slots {
		c.buf.Write(f.static[i])
		var arg any = data
		if s.keyed {
			arg = templatePart{Data: data, Key: s.key}
		}
		if c.fill != nil {
			done, err := c.fill(c, s, arg)
			if err != nil {
				return err
			}
			if done {
				continue
			}
		}
		if err := c.t.ExecuteTemplate(c.buf, s.name, arg); err != nil {
			return fmt.Errorf("web: render %s: %w", s.name, err)
		}
	}
	c.buf.Write(f.static[len(f.slots)])
	return nil
}

// compose renders page for data through its frame, which is made from
// impersonal (data without anything personal) the first time key is
// asked for in this template set and course version; fill may write
// slots itself. A page without a frame set is rendered in full. Only a
// complete page is returned, as with execute.
func (r *renderer) compose(fc *frameCache, cat *lessons.Catalog, page, key string, data any, impersonal func() any,
	fill func(c *composition, s slot, arg any) (bool, error)) (*bytes.Buffer, error) {
	set := r.set()
	if set.frames[page] == nil {
		return r.execute(page, data)
	}
	c := &composition{r: r, fc: fc, set: set, cat: cat, page: page, t: set.pages[page], fill: fill}
	f, err := c.frame("layout", key, impersonal)
	if err != nil {
		return nil, err
	}
	if f == nil { // the cache is full of quiz frames
		return r.execute(page, data)
	}
	c.buf = r.bufs.Get().(*bytes.Buffer)
	c.buf.Reset()
	if err := c.write(f, data); err != nil {
		r.bufs.Put(c.buf)
		return nil, err
	}
	return c.buf, nil
}
