package lessons

import (
	"os"
	"reflect"
	"testing"
	"testing/fstest"
)

// TestLoadInBackground: the pending course hands out what Load makes,
// to every caller, however early they ask; a broken course hands out
// Load's error.
func TestLoadInBackground(t *testing.T) {
	fsys := os.DirFS("testdata/course")
	want, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p := LoadInBackground(fsys)
	got := make(chan *Catalog, 3)
	for range 3 { // asked before the load can have finished
		go func() {
			c, err := p.Catalog()
			if err != nil {
				t.Error(err)
			}
			got <- c
		}()
	}
	first := <-got
	if first == nil || len(first.Lessons) != len(want.Lessons) {
		t.Fatalf("early caller got %v, want the %d lessons Load makes", first, len(want.Lessons))
	}
	for _, w := range want.Lessons {
		l, err := first.Lesson(w.Slug)
		if err != nil || !reflect.DeepEqual(l.Body, w.Body) || !reflect.DeepEqual(l.TOC, w.TOC) {
			t.Errorf("lesson %s differs from Load's", w.Slug)
		}
	}
	for range 2 {
		if c := <-got; c != first {
			t.Error("callers got different catalogs")
		}
	}
	select {
	case <-p.Loaded():
	default:
		t.Error("Loaded not closed after Catalog returned")
	}

	broken := fstest.MapFS{"course.yaml": {Data: []byte("title: [\n")}}
	if c, err := LoadInBackground(broken).Catalog(); c != nil || err == nil {
		t.Errorf("broken course: got %v, %v; want nil and Load's error", c, err)
	}
}
