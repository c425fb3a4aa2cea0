package lessons

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func FuzzFrontMatter(f *testing.F) {
	f.Add([]byte(*lesson("alpha", "labs: [csrf]\nobjectives:\n  - one\n", "\nBody.\n")))
	f.Add([]byte("---\nslug: alpha\ntitle: [\n---\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nlevel: !!binary AAAA\nminutes: 1e9999\n---"))
	f.Add([]byte("\ufeff---\r\nslug: alpha\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := strings.Count(string(src), "\n") + 1
		_, body, bodyLine, ps := parseFrontMatter(src, "lessons/01-alpha.md", "alpha")
		for _, p := range ps {
			if p.File != "lessons/01-alpha.md" || p.Line < 1 || p.Line > lines+1 || p.Msg == "" {
				t.Fatalf("bad problem %#v for %d lines", p, lines)
			}
		}
		if bodyLine < 1 || bodyLine > lines+1 || len(body) > len(src) {
			t.Fatalf("body at line %d of %d, %d bytes of %d", bodyLine, lines, len(body), len(src))
		}
	})
}

// FuzzLessonBody runs any Markdown through the whole pipeline (blocks,
// callouts, links, segments): no panic, every problem located in a real
// line, and the segments account for every quiz and lab block.
func FuzzLessonBody(f *testing.F) {
	f.Add("\n## A\n\n> **Myth:** x\n\n```sequence\nA -> B: x\n```\n")
	f.Add("\n```lab\nname: csrf\nsteps: [\"[x](/lessons/beta#first)\"]\n```\n\n```curl\ncurl $BASE\n```\n")
	f.Add("\n- ```quiz\n  id: x\n  ```\n\n> **Fact**: y\n<b>raw</b>\n[a](#a)\n")
	f.Fuzz(func(t *testing.T, body string) {
		src := *lesson("alpha", "", body)
		lines := strings.Count(src, "\n") + 1
		pipe := newPipeline()
		pipe.parseQuiz = fakeQuiz
		cat, ps := buildWith(course(map[string]*string{"lessons/01-alpha.md": &src}), pipe)
		for _, p := range ps {
			if p.File == "lessons/01-alpha.md" && (p.Line < 1 || p.Line > lines+1) {
				t.Fatalf("problem outside the file (%d lines): %v", lines, p)
			}
		}
		if cat == nil {
			return
		}
		l, _ := cat.Lesson("alpha")
		blocks, quizzes := 0, 0
		for _, s := range l.Body {
			if s.Quiz != nil || s.Lab != nil {
				blocks++
			}
			if s.Quiz != nil {
				quizzes++
			}
			if strings.Contains(string(s.HTML), blockMarker) {
				t.Fatal("a block marker leaked into the HTML")
			}
		}
		if blocks != len(l.Body)-1 || quizzes != len(l.Quizzes) {
			t.Fatalf("%d segments with %d blocks, %d quiz segments for %d quizzes", len(l.Body), blocks, quizzes, len(l.Quizzes))
		}
	})
}

func TestSplitFrontMatter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src                string
		fm, body           string
		yamlLine, bodyLine int
		ok                 bool
	}{
		{"---\na: 1\n---\nbody\n", "a: 1\n", "body\n", 2, 4, true},
		{"---\n---\n", "", "", 2, 3, true},
		{"---\na: 1\n---", "a: 1\n", "", 2, 4, true},
		{"--- \na: 1\n---  \n\nx", "a: 1\n", "\nx", 2, 4, true},
		{"# title\n---\n", "", "# title\n---\n", 0, 1, false},
		{"---\na: 1\n", "", "---\na: 1\n", 0, 1, false},
	}
	for _, tt := range tests {
		fm, yl, body, bl, ok := splitFrontMatter([]byte(tt.src))
		if string(fm) != tt.fm || string(body) != tt.body || ok != tt.ok || bl != tt.bodyLine || (ok && yl != tt.yamlLine) {
			t.Errorf("split(%q) = %q, %d, %q, %d, %v", tt.src, fm, yl, body, bl, ok)
		}
	}
}

func TestWatchReloads(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fsys := &lockedFS{fs: course(nil)}
	live := Watch(ctx, fsys, 5*time.Millisecond, nil)
	first, err := live.Catalog()
	if err != nil || first == nil {
		t.Fatalf("initial load: %v", err)
	}

	// A broken edit keeps the last good catalog and reports the error.
	fsys.set("lessons/01-alpha.md", *lesson("alpha", "oops: 1\n", ""))
	cat, err := waitFor(t, live, func(c *Catalog, err error) bool { return err != nil })
	var ps *Problems
	if cat != first || !errors.As(err, &ps) || !strings.Contains(err.Error(), `lessons/01-alpha.md:7: unknown field "oops"`) {
		t.Fatalf("after a broken edit: catalog %p (want %p), err %v", cat, first, err)
	}

	// A fix loads a new catalog and clears the error.
	fsys.set("lessons/01-alpha.md", strings.Replace(*lesson("alpha", "", "\n## Fixed\n"), "title: T", "title: Fixed", 1))
	cat, _ = waitFor(t, live, func(c *Catalog, err error) bool { return err == nil })
	if cat == first || cat.Lessons[0].Title != "Fixed" {
		t.Errorf("after the fix: %q", cat.Lessons[0].Title)
	}
}

func waitFor(t *testing.T, live *Live, ok func(*Catalog, error) bool) (*Catalog, error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := live.Catalog()
		if ok(c, err) {
			return c, err
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reload within 5s (last error %v)", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lockedFS is a MapFS a test may change while Watch reads it. Each change
// bumps the file's ModTime, as an editor's save does.
type lockedFS struct {
	mu sync.Mutex
	fs fstest.MapFS
	n  int
}

func (l *lockedFS) set(name, data string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	l.fs[name] = &fstest.MapFile{Data: []byte(data), ModTime: time.Unix(int64(l.n), 0)}
}

func (l *lockedFS) snapshot() fstest.MapFS {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(fstest.MapFS, len(l.fs))
	for k, v := range l.fs {
		c[k] = v
	}
	return c
}

func (l *lockedFS) Open(name string) (fs.File, error) { return l.snapshot().Open(name) }

func TestStatic(t *testing.T) {
	t.Parallel()
	c := &Catalog{}
	if got, err := Static(c).Catalog(); got != c || err != nil {
		t.Error("Static does not hand out its catalog")
	}
}

func BenchmarkLoadFixture(b *testing.B) {
	fsys := os.DirFS("testdata/course")
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadContent loads the shipped course (../content, the files
// content.FS embeds). It reads the directory rather than importing the
// content package so this package's tests never depend on it.
func BenchmarkLoadContent(b *testing.B) {
	fsys := os.DirFS("../content")
	if _, err := os.Stat("../content/course.yaml"); err != nil {
		b.Skip("no ../content/course.yaml")
	}
	if _, err := Load(fsys); err != nil {
		b.Skipf("the shipped content does not load yet:\n%v", err)
	}
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
