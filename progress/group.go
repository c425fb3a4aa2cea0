package progress

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit. SQLite has one writer at a time, and a commit costs far
// more than the statements before it; many goroutines each committing
// their own small transaction mostly wait for one another (in SQLite's
// busy handler, a sleep of a millisecond or more). A groupCommitter
// instead has one goroutine write what has arrived since its last
// commit in one transaction:
//
//   - It waits for the first item, yields once (runtime.Gosched: the
//     goroutines already running may submit theirs), then takes whatever
//     else is queued, up to maxGroup, without waiting for more: there is
//     no timer, so a lone item is written at once, and under load groups
//     grow by themselves while the previous one commits.
//   - A submitter returns only after the transaction holding its item
//     committed (or failed): an acknowledged item is durable.
//   - One bad item must not fail the others: when a group's transaction
//     fails, each item is written again alone, and only the ones that
//     fail alone report an error.
//   - An item whose context is done before its group is written is left
//     out and reports the context's error; a submitter whose context ends
//     while its group is being written returns that error too, so it is
//     never acknowledged (the item may still be stored: a retry with its
//     key stores it once).
//   - close stops taking items and returns once everything queued has
//     been written.

// maxGroup bounds one transaction: a larger group commits less often but
// keeps the database's write lock (and the first member's reply) longer.
// 128 is past the point where a bigger group gained anything in
// BenchmarkQuizAnswer (docs/benchmarks.md).
const maxGroup = 128

// groupQueue is how many items may wait for the writer before
// submitters block: a few groups' worth.
const groupQueue = 4 * maxGroup

// ErrClosed: the store is closing and takes no more writes.
var ErrClosed = errors.New("progress: store closed")

type groupCommitter[In, Out any] struct {
	// commit writes ins in one transaction and returns one Out per
	// item, or an error and nothing written.
	commit func(ins []In) ([]Out, error)
	queue  chan *groupItem[In, Out]
	mu     sync.RWMutex // held to send on queue; written to close it
	closed bool
	done   chan struct{} // closed when the writer has drained the queue
	// groups, items and alone count transactions tried, the items in
	// them, and items retried alone after their group failed.
	groups, items, alone atomic.Int64
	busy                 atomic.Int64 // nanoseconds spent in commit
}

// GroupStats counts a group writer's work since the store opened.
type GroupStats struct {
	Groups int64 // transactions tried for whole groups
	Items  int64 // items in them: Items/Groups is the mean group size
	Alone  int64 // items written again alone after their group failed
	// Busy is the time spent writing: over a run's duration, how much of
	// it the writer was the bottleneck.
	Busy time.Duration
}

func (g *groupCommitter[In, Out]) stats() GroupStats {
	return GroupStats{Groups: g.groups.Load(), Items: g.items.Load(), Alone: g.alone.Load(), Busy: time.Duration(g.busy.Load())}
}

type groupItem[In, Out any] struct {
	ctx  context.Context
	in   In
	out  Out
	err  error
	done chan struct{}
}

func newGroupCommitter[In, Out any](commit func([]In) ([]Out, error)) *groupCommitter[In, Out] {
	g := &groupCommitter[In, Out]{
		commit: commit,
		queue:  make(chan *groupItem[In, Out], groupQueue),
		done:   make(chan struct{}),
	}
	go g.run()
	return g
}

// submit queues in and waits for the transaction that holds it.
func (g *groupCommitter[In, Out]) submit(ctx context.Context, in In) (Out, error) {
	var zero Out
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	it := &groupItem[In, Out]{ctx: ctx, in: in, done: make(chan struct{})}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return zero, ErrClosed
	}
	select {
	case g.queue <- it:
		g.mu.RUnlock()
	case <-ctx.Done():
		g.mu.RUnlock()
		return zero, ctx.Err()
	}
	select {
	case <-it.done:
	case <-ctx.Done():
		select {
		case <-it.done: // committed just as the context ended
		default:
			return zero, ctx.Err()
		}
	}
	return it.out, it.err
}

// close stops taking items, waits until every queued one is written and
// stops the writer. It is safe to call more than once.
func (g *groupCommitter[In, Out]) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.queue)
	}
	g.mu.Unlock()
	<-g.done
}

func (g *groupCommitter[In, Out]) run() {
	defer close(g.done)
	group := make([]*groupItem[In, Out], 0, maxGroup)
	for first := range g.queue {
		// Let the goroutines that are about to submit do so first: with
		// nothing else runnable this returns at once (a lone item waits
		// for nothing); under load the group grows and commits less often.
		runtime.Gosched()
		group = append(group[:0], first)
	fill:
		for len(group) < maxGroup {
			select {
			case it, ok := <-g.queue:
				if !ok {
					break fill
				}
				group = append(group, it)
			default:
				break fill
			}
		}
		g.write(group)
		clear(group) // let finished items go
	}
}

// write commits a group, or on failure each of its items alone.
func (g *groupCommitter[In, Out]) write(group []*groupItem[In, Out]) {
	live := group[:0:0]
	for _, it := range group {
		if err := it.ctx.Err(); err != nil {
			it.err = err
			close(it.done)
			continue
		}
		live = append(live, it)
	}
	if len(live) == 0 {
		return
	}
	g.groups.Add(1)
	g.items.Add(int64(len(live)))
	outs, err := g.try(live)
	if err == nil {
		for i, it := range live {
			it.out = outs[i]
			close(it.done)
		}
		return
	}
	if len(live) == 1 {
		live[0].err = err
		close(live[0].done)
		return
	}
	for _, it := range live {
		if it.err = it.ctx.Err(); it.err == nil {
			g.alone.Add(1)
			var outs []Out
			if outs, it.err = g.try([]*groupItem[In, Out]{it}); it.err == nil {
				it.out = outs[0]
			}
		}
		close(it.done)
	}
}

// try calls commit, turning a panic (a bug in one item's callback) into
// an error rather than a dead writer.
func (g *groupCommitter[In, Out]) try(items []*groupItem[In, Out]) (outs []Out, err error) {
	defer func() {
		if p := recover(); p != nil {
			outs, err = nil, fmt.Errorf("progress: group commit: panic: %v", p)
		}
	}()
	start := time.Now()
	defer func() { g.busy.Add(int64(time.Since(start))) }()
	ins := make([]In, len(items))
	for i, it := range items {
		ins[i] = it.in
	}
	outs, err = g.commit(ins)
	if err == nil && len(outs) != len(ins) {
		err = fmt.Errorf("progress: group commit: %d results for %d items", len(outs), len(ins))
	}
	return outs, err
}
