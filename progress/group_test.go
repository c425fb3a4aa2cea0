package progress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeCommit records the groups it is given. Before each it waits on
// hold (when set); it fails a group holding a negative number and panics
// on -13.
type fakeCommit struct {
	mu      sync.Mutex
	groups  [][]int
	hold    chan struct{}
	entered chan struct{} // a value each time commit starts
}

func newFakeCommit(hold bool) *fakeCommit {
	f := &fakeCommit{entered: make(chan struct{}, 1000)}
	if hold {
		f.hold = make(chan struct{})
	}
	return f
}

func (f *fakeCommit) commit(ins []int) ([]string, error) {
	f.entered <- struct{}{}
	if f.hold != nil {
		<-f.hold
	}
	f.mu.Lock()
	f.groups = append(f.groups, slices.Clone(ins))
	f.mu.Unlock()
	out := make([]string, len(ins))
	for i, n := range ins {
		switch {
		case n == -13:
			panic("minus thirteen")
		case n < 0:
			return nil, fmt.Errorf("bad item %d", n)
		}
		out[i] = fmt.Sprint("stored ", n)
	}
	return out, nil
}

func (f *fakeCommit) seen() [][]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.groups)
}

// waitQueued waits until n items wait in g's queue.
func waitQueued[In, Out any](t *testing.T, g *groupCommitter[In, Out], n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(g.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d items queued, want %d", len(g.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

type submitted struct {
	out string
	err error
}

// submitAll submits each of ins from its own goroutine; the results come
// on the returned channels, in the same order.
func submitAll(ctx context.Context, g *groupCommitter[int, string], ins ...int) []chan submitted {
	chans := make([]chan submitted, len(ins))
	for i, n := range ins {
		chans[i] = make(chan submitted, 1)
		go func() {
			out, err := g.submit(ctx, n)
			chans[i] <- submitted{out, err}
		}()
	}
	return chans
}

// A lone item is written at once, in a group of its own.
func TestGroupCommitLoneItem(t *testing.T) {
	t.Parallel()
	f := newFakeCommit(false)
	g := newGroupCommitter(f.commit)
	defer g.close()
	for i := 1; i <= 3; i++ {
		out, err := g.submit(context.Background(), i)
		if err != nil || out != fmt.Sprint("stored ", i) {
			t.Fatalf("submit %d: %q, %v", i, out, err)
		}
	}
	if got := f.seen(); !slices.EqualFunc(got, [][]int{{1}, {2}, {3}}, slices.Equal) {
		t.Errorf("groups %v, want one per sequential item", got)
	}
}

// What queues while a group is written goes in the next group, up to
// maxGroup items each, and every submitter gets its own result.
func TestGroupCommitGroupsWhatQueued(t *testing.T) {
	t.Parallel()
	f := newFakeCommit(true)
	g := newGroupCommitter(f.commit)
	defer g.close()
	first := submitAll(context.Background(), g, 0)
	<-f.entered // the writer has taken the first item and waits in commit
	n := maxGroup + 10
	ins := make([]int, n)
	for i := range ins {
		ins[i] = i + 1
	}
	rest := submitAll(context.Background(), g, ins...)
	waitQueued(t, g, n)
	close(f.hold)
	for i, ch := range append(first, rest...) {
		if r := <-ch; r.err != nil || r.out != fmt.Sprint("stored ", i) {
			t.Errorf("item %d: %q, %v", i, r.out, r.err)
		}
	}
	groups := f.seen()
	sizes := make([]int, len(groups))
	for i, gr := range groups {
		sizes[i] = len(gr)
	}
	if !slices.Equal(sizes, []int{1, maxGroup, 10}) {
		t.Errorf("group sizes %v, want [1 %d 10]", sizes, maxGroup)
	}
	if st := g.stats(); st.Groups != 3 || st.Items != int64(n+1) || st.Alone != 0 {
		t.Errorf("stats %+v", st)
	}
}

// A group that fails is written again item by item: only the bad item
// reports an error; a panic in commit is an error, and the writer lives.
func TestGroupCommitFailureIsolation(t *testing.T) {
	t.Parallel()
	f := newFakeCommit(true)
	g := newGroupCommitter(f.commit)
	defer g.close()
	block := submitAll(context.Background(), g, 100)
	<-f.entered // the writer has taken the first item and waits in commit
	chans := submitAll(context.Background(), g, 1, -2, 3, -13, 5)
	waitQueued(t, g, 5)
	close(f.hold)
	if r := <-block[0]; r.err != nil {
		t.Fatal(r.err)
	}
	want := map[int]bool{1: true, -2: false, 3: true, -13: false, 5: true}
	for i, n := range []int{1, -2, 3, -13, 5} {
		r := <-chans[i]
		if ok := r.err == nil && r.out == fmt.Sprint("stored ", n); ok != want[n] {
			t.Errorf("item %d: %q, %v; want stored: %v", n, r.out, r.err, want[n])
		}
	}
	if st := g.stats(); st.Alone != 5 {
		t.Errorf("%d items retried alone, want 5", st.Alone)
	}
	if out, err := g.submit(context.Background(), 7); err != nil || out != "stored 7" {
		t.Errorf("after the failures: %q, %v", out, err)
	}
}

// An item whose context ends while it waits is not written and not
// acknowledged; one whose context ends during its commit is not
// acknowledged either.
func TestGroupCommitCancelled(t *testing.T) {
	t.Parallel()
	f := newFakeCommit(true)
	g := newGroupCommitter(f.commit)
	defer g.close()
	inCommit, cancelInCommit := context.WithCancel(context.Background())
	during := submitAll(inCommit, g, 1)
	<-f.entered // the writer has taken the first item and waits in commit
	queued, cancelQueued := context.WithCancel(context.Background())
	waiting := submitAll(queued, g, 2)
	waitQueued(t, g, 1)
	cancelQueued()
	cancelInCommit()
	for _, ch := range []chan submitted{during[0], waiting[0]} {
		if r := <-ch; !errors.Is(r.err, context.Canceled) {
			t.Errorf("cancelled submit: %q, %v; want context.Canceled", r.out, r.err)
		}
	}
	close(f.hold)
	if out, err := g.submit(context.Background(), 3); err != nil || out != "stored 3" {
		t.Fatalf("after: %q, %v", out, err)
	}
	for _, gr := range f.seen() {
		if slices.Contains(gr, 2) {
			t.Errorf("item 2 was written after its context ended: groups %v", f.seen())
		}
	}
	if _, err := g.submit(queued, 4); !errors.Is(err, context.Canceled) {
		t.Errorf("submit with a done context: %v", err)
	}
}

// close writes everything queued before it returns, then refuses more.
func TestGroupCommitCloseDrains(t *testing.T) {
	t.Parallel()
	f := newFakeCommit(true)
	g := newGroupCommitter(f.commit)
	chans := submitAll(context.Background(), g, 0)
	<-f.entered // the writer has taken the first item and waits in commit
	chans = append(chans, submitAll(context.Background(), g, 1, 2, 3)...)
	waitQueued(t, g, 3)
	closed := make(chan struct{})
	go func() { g.close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("close returned with items still queued")
	case <-time.After(20 * time.Millisecond):
	}
	close(f.hold)
	<-closed
	for i, ch := range chans {
		if r := <-ch; r.err != nil || r.out != fmt.Sprint("stored ", i) {
			t.Errorf("item %d: %q, %v", i, r.out, r.err)
		}
	}
	if _, err := g.submit(context.Background(), 9); !errors.Is(err, ErrClosed) {
		t.Errorf("submit after close: %v, want ErrClosed", err)
	}
	g.close() // twice is fine
}
