package pageset

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"
)

// PersonalPrefix begins the name of every template that differs between
// viewers.
const PersonalPrefix = "personal:"

// Markers in a frame: U+E000 (private use) around a slot, U+E001
// between its template name and key. Content never holds them; a frame
// that does fails to build rather than rendering wrongly.
const (
	markEdge = "\uE000"
	markSep  = "\uE001"
)

// Part is the data of a personal template called with part: the page and
// a key within it.
type Part struct {
	Data any
	Key  string
}

// NewPart is the template function "part", which builds a Part.
func NewPart(data any, key string) Part { return Part{Data: data, Key: key} }

// frameMark is the frame set's stand-in for every personal template.
func frameMark(name string, data any) template.HTML {
	key, keyed := "", false
	if p, ok := data.(Part); ok {
		key, keyed = p.Key, true
	}
	if keyed {
		name += markSep + key
	}
	return template.HTML(markEdge + name + markEdge)
}

// FrameSet copies page's templates (before any has run: html/template
// clones only unexecuted sets) with every personal template replaced by
// its marker; nil for a page without personal templates, which is
// rendered in full.
func FrameSet(t *template.Template) (*template.Template, error) {
	f, err := t.Clone()
	if err != nil {
		return nil, err
	}
	f.Funcs(template.FuncMap{"mark": frameMark})
	n := 0
	for _, p := range t.Templates() {
		if name := p.Name(); strings.HasPrefix(name, PersonalPrefix) {
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

// Frame is one page cut at its slots: static[i] comes before slots[i],
// and the last static part after the last slot.
type Frame struct {
	static [][]byte
	slots  []Slot
}

// Slot is where a personal template goes in a frame.
type Slot struct {
	Name, Key string
	Keyed     bool // called with part: the template gets a Part
}

// Cut splits the frame set's output at its markers.
func Cut(out string) (*Frame, error) {
	pieces := strings.Split(out, markEdge)
	if len(pieces)%2 == 0 {
		return nil, fmt.Errorf("pageset: frame has an unpaired slot marker")
	}
	f := &Frame{}
	for i, p := range pieces {
		if i%2 == 0 {
			f.static = append(f.static, []byte(p))
			continue
		}
		name, key, keyed := strings.Cut(p, markSep)
		if !strings.HasPrefix(name, PersonalPrefix) {
			return nil, fmt.Errorf("pageset: frame has a stray marker before %q", name)
		}
		f.slots = append(f.slots, Slot{Name: name, Key: key, Keyed: keyed})
	}
	return f, nil
}

// MaxFrames bounds the frames a Cache keeps for one version: in authlab
// a page's frame per lesson, and a quiz's per order of its options
// (web/lesson_compose.go), which is at most a few thousand for the whole
// course. Past it, parts are rendered in full.
const MaxFrames = 4096

// MaxParts bounds the rendered personal parts a Cache keeps for one
// version (see Composition.PartKey): a part's key names its state, and
// most parts have a handful of states per page, but some name a viewer
// (a username). Past it the cache starts over.
const MaxParts = 16384

// Cache holds the frames of one version (in authlab: a template set and
// a course version), and the personal parts rendered in it; frames and
// parts of an older version are dropped when one of a newer version is
// put.
type Cache struct {
	Off bool // benchmarks turn it off to measure the full render
	// Verify renders every personal part whose rendering is reused again,
	// and fails the page when the two differ: tests turn it on to catch a
	// part key that leaves out something its template shows.
	Verify  bool
	mu      sync.RWMutex
	version any
	frames  map[string]*Frame
	parts   map[string][]byte
}

// get is the frame under key; full reports that no new one would be kept.
func (fc *Cache) get(version any, key string) (f *Frame, full bool) {
	fc.mu.RLock()
	defer fc.mu.RUnlock()
	if fc.version != version {
		return nil, false
	}
	return fc.frames[key], len(fc.frames) >= MaxFrames
}

func (fc *Cache) put(version any, key string, f *Frame) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.at(version)
	if len(fc.frames) < MaxFrames {
		fc.frames[key] = f
	}
}

// at starts the cache over for version when it holds another: new
// templates or new data. fc.mu must be held for writing.
func (fc *Cache) at(version any) {
	if fc.version != version {
		fc.version, fc.frames, fc.parts = version, map[string]*Frame{}, map[string][]byte{}
	}
}

// part is the rendering of a personal part under key, if kept.
func (fc *Cache) part(version any, key string) ([]byte, bool) {
	fc.mu.RLock()
	defer fc.mu.RUnlock()
	if fc.version != version {
		return nil, false
	}
	b, ok := fc.parts[key]
	return b, ok
}

func (fc *Cache) putPart(version any, key string, b []byte) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.at(version)
	if len(fc.parts) >= MaxParts {
		fc.parts = map[string][]byte{}
	}
	fc.parts[key] = b
}

// Composition is one page being put together for one request.
type Composition struct {
	Cache   *Cache
	Version any                // comparable; a frame is reused only within one version
	Frames  *template.Template // the page's frame set (FrameSet)
	Page    *template.Template // the page's ordinary templates, for the slots
	Buf     *bytes.Buffer      // where Write writes
	// Fill, if not nil, may write a slot itself (from a frame of its
	// own); it reports whether it did.
	Fill func(c *Composition, s Slot, arg any) (bool, error)
	// PartKey, if not nil, names the state of a slot's template for arg:
	// everything the template shows, so that two args with one key
	// render the same bytes. The rendering is then made once per key and
	// version and reused. ok false renders the slot for this request
	// only (a state too rare or too large to keep).
	PartKey func(s Slot, arg any) (key string, ok bool)
}

// Frame is the frame of template tmpl of the page under key, rendered
// from impersonal the first time; nil when the cache is full and the
// frame is not in it.
func (c *Composition) Frame(tmpl, key string, impersonal func() any) (*Frame, error) {
	f, full := c.Cache.get(c.Version, key)
	if f != nil || full {
		return f, nil
	}
	var b strings.Builder
	if err := c.Frames.ExecuteTemplate(&b, tmpl, impersonal()); err != nil {
		return nil, fmt.Errorf("pageset: render the frame of %s: %w", tmpl, err)
	}
	f, err := Cut(b.String())
	if err != nil {
		return nil, err
	}
	c.Cache.put(c.Version, key, f)
	return f, nil
}

// Write writes f to Buf with each slot's template executed for data.
func (c *Composition) Write(f *Frame, data any) error {
	for i, s := range f.slots {
		c.Buf.Write(f.static[i])
		var arg any = data
		if s.Keyed {
			arg = Part{Data: data, Key: s.Key}
		}
		if c.Fill != nil {
			done, err := c.Fill(c, s, arg)
			if err != nil {
				return err
			}
			if done {
				continue
			}
		}
		if err := c.part(s, arg); err != nil {
			return err
		}
	}
	c.Buf.Write(f.static[len(f.slots)])
	return nil
}

// part writes slot s for arg: its rendering kept under its key if there
// is one, else its template executed.
func (c *Composition) part(s Slot, arg any) error {
	key, keep := "", false
	if c.PartKey != nil {
		key, keep = c.PartKey(s, arg)
		key = s.Name + "\x00" + key
	}
	if keep {
		if b, ok := c.Cache.part(c.Version, key); ok {
			if c.Cache.Verify {
				return c.verify(s, arg, key, b)
			}
			c.Buf.Write(b)
			return nil
		}
	}
	start := c.Buf.Len()
	if err := c.Page.ExecuteTemplate(c.Buf, s.Name, arg); err != nil {
		return fmt.Errorf("pageset: render %s: %w", s.Name, err)
	}
	if keep {
		c.Cache.putPart(c.Version, key, bytes.Clone(c.Buf.Bytes()[start:]))
	}
	return nil
}

// verify renders s again and compares it with its kept rendering b.
func (c *Composition) verify(s Slot, arg any, key string, b []byte) error {
	start := c.Buf.Len()
	if err := c.Page.ExecuteTemplate(c.Buf, s.Name, arg); err != nil {
		return fmt.Errorf("pageset: render %s: %w", s.Name, err)
	}
	if got := c.Buf.Bytes()[start:]; !bytes.Equal(got, b) {
		return fmt.Errorf("pageset: the part key %q of %s leaves out something it shows: kept %q, rendered %q", key, s.Name, b, got)
	}
	return nil
}
