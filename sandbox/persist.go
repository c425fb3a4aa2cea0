package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"
)

// Persister stores lab snapshots (blob is this package's own JSON). The
// progress package implements it over SQL; NewMemoryPersister is the
// in-process one. LoadLab must return an error matching fs.ErrNotExist
// for an absent lab, never ("", nil, nil).
type Persister interface {
	LoadLab(ctx context.Context, id string) (owner string, blob []byte, err error)
	SaveLab(ctx context.Context, id, owner string, blob []byte, expires time.Time) error
	DeleteLab(ctx context.Context, id string) error
}

// OwnerLister is an optional method of a Persister: the IDs of an
// owner's live labs, by the store's owner column. The owner index is
// written by this package only; with OwnerLister it also finds labs the
// store moved to another owner (a guest's labs, at sign-in).
type OwnerLister interface {
	LabsOf(ctx context.Context, owner string) ([]string, error)
}

// MemoryPersister keeps snapshots in process memory. Expiry is the
// Manager's business (it knows the clock); this store only forgets on
// DeleteLab.
type MemoryPersister struct {
	mu   sync.RWMutex
	labs map[string]memoryLab
}

type memoryLab struct {
	owner string
	blob  []byte
}

// NewMemoryPersister returns an empty in-memory store. Two Managers given
// the same one behave like two replicas over a shared database.
func NewMemoryPersister() *MemoryPersister {
	return &MemoryPersister{labs: map[string]memoryLab{}}
}

// LoadLab returns the stored snapshot. The returned slice is shared and
// must not be modified.
func (p *MemoryPersister) LoadLab(_ context.Context, id string) (string, []byte, error) {
	p.mu.RLock()
	l, ok := p.labs[id]
	p.mu.RUnlock()
	if !ok {
		return "", nil, fmt.Errorf("sandbox: memory store: lab %s: %w", short(id), fs.ErrNotExist)
	}
	return l.owner, l.blob, nil
}

// SaveLab stores a copy of blob.
func (p *MemoryPersister) SaveLab(_ context.Context, id, owner string, blob []byte, _ time.Time) error {
	b := bytes.Clone(blob)
	p.mu.Lock()
	p.labs[id] = memoryLab{owner: owner, blob: b}
	p.mu.Unlock()
	return nil
}

// DeleteLab forgets a lab; forgetting an absent one is not an error.
func (p *MemoryPersister) DeleteLab(_ context.Context, id string) error {
	p.mu.Lock()
	delete(p.labs, id)
	p.mu.Unlock()
	return nil
}

// entry is the process-local side of a lab: the decoded snapshot last
// seen, a lock for this process's writers, parsed keys, and the trace.
type entry struct {
	id    string
	mu    sync.Mutex
	snap  atomic.Pointer[snapshot]
	keys  sync.Map // kid -> parsed key
	trace trace
}

// snapshot is one decoded version of a lab. It is never modified once
// published: writers decode a fresh copy, change it and publish that.
type snapshot struct {
	owner string
	blob  []byte
	st    *labState
}

// read loads a lab through the Persister on every call (another replica
// may have revoked something a moment ago) but decodes only when the
// bytes differ from the copy this process already holds.
func (m *Manager) read(ctx context.Context, id string) (*snapshot, *entry, error) {
	owner, blob, err := m.persist.LoadLab(ctx, id)
	if errors.Is(err, fs.ErrNotExist) {
		m.forget(id)
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, m.storeError(ctx, "load lab", err)
	}
	e := m.entry(id, true)
	if s := e.snap.Load(); s != nil && s.owner == owner && bytes.Equal(s.blob, blob) {
		return s, e, nil
	}
	st, err := decodeState(blob)
	if err != nil {
		return nil, nil, m.storeError(ctx, "decode lab", err)
	}
	s := &snapshot{owner: owner, blob: blob, st: st}
	e.publish(s)
	return s, e, nil
}

// errNoChange, returned by an update's fn, means "nothing to save": the
// update succeeds with the state as loaded.
var errNoChange = errors.New("sandbox: nothing changed")

// update is load-modify-save: fn changes a fresh copy of the stored state
// at the lab's clock time; if it returns an error nothing is saved. The
// Persister has no compare-and-swap, so two replicas writing the same lab
// in the same instant can lose one write; each write is one learner's
// click, so that is accepted.
func (m *Manager) update(ctx context.Context, e *entry, fn func(st *labState, now time.Time) error) (*snapshot, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	owner, blob, err := m.persist.LoadLab(ctx, e.id)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, m.storeError(ctx, "load lab", err)
	}
	st, err := decodeState(blob)
	if err != nil {
		return nil, m.storeError(ctx, "decode lab", err)
	}
	if m.now().After(st.Expires) {
		return nil, ErrNotFound
	}
	now := m.now().Add(st.Offset)
	if err := fn(st, now); errors.Is(err, errNoChange) {
		return &snapshot{owner: owner, blob: blob, st: st}, nil
	} else if err != nil {
		return nil, err
	}
	st.prune(now)
	return m.save(ctx, e, e.id, owner, st)
}

// save stamps a new version and idle deadline, stores and publishes st.
func (m *Manager) save(ctx context.Context, e *entry, id, owner string, st *labState) (*snapshot, error) {
	st.V++
	st.Expires = m.now().Add(m.idleTTL)
	blob, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("sandbox: encode lab: %w", err)
	}
	if err := m.persist.SaveLab(ctx, id, owner, blob, st.Expires); err != nil {
		return nil, m.storeError(ctx, "save lab", err)
	}
	s := &snapshot{owner: owner, blob: blob, st: st}
	e.publish(s)
	return s, nil
}

// publish makes s the snapshot this process reads from, unless a newer
// version got there first (a slow reader must not undo a write).
func (e *entry) publish(s *snapshot) {
	for {
		old := e.snap.Load()
		if old != nil && old.st.V > s.st.V {
			return
		}
		if e.snap.CompareAndSwap(old, s) {
			if old != nil && old.st.Gen != s.st.Gen {
				e.trace.clear() // the lab was reset (maybe by another replica)
			}
			return
		}
	}
}

func decodeState(blob []byte) (*labState, error) {
	var st labState
	if err := json.Unmarshal(blob, &st); err != nil {
		return nil, err
	}
	if st.Keys.HSKid == "" {
		return nil, errors.New("snapshot has no keys")
	}
	return &st, nil
}
