package lessons

import "io/fs"

var _ Source = (*Pending)(nil)

// Pending is a course that is still loading: LoadInBackground starts
// rendering it and returns at once, so a server can open its database,
// parse its templates and listen meanwhile (rendering the lessons is
// most of the start-up time). Catalog waits for the load; a request that
// comes early is answered late, never with an error or a partial course.
type Pending struct {
	done chan struct{}
	cat  *Catalog
	err  error
}

// LoadInBackground loads the course from fsys, as Load does, in a
// goroutine of its own.
func LoadInBackground(fsys fs.FS) *Pending {
	p := &Pending{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.cat, p.err = Load(fsys)
	}()
	return p
}

// Catalog implements Source: it waits until the course has loaded and
// returns it, or Load's error.
func (p *Pending) Catalog() (*Catalog, error) {
	<-p.done
	return p.cat, p.err
}

// Loaded is closed once the load has finished, either way.
func (p *Pending) Loaded() <-chan struct{} { return p.done }
