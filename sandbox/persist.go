package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
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

// StampedPersister is an optional Persister that keeps, beside each
// snapshot, the stamp its writer drew for that save, and reads the stamp
// alone cheaply. With one, a Manager holding the decoded snapshot of a lab
// asks the store only for the stamp on each request, and loads and
// decodes the snapshot again only when another writer (another replica,
// or this one) has saved since: a revocation saved anywhere is still seen
// by the very next request, for the price of a two-column read. SaveLab
// (the owner index, owners.go) stores stamp 0, which matches nothing.
type StampedPersister interface {
	Persister
	LoadStamped(ctx context.Context, id string) (owner string, stamp int64, blob []byte, err error)
	SaveStamped(ctx context.Context, id, owner string, stamp int64, blob []byte, expires time.Time) error
	LabStamp(ctx context.Context, id string) (owner string, stamp int64, err error)
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
	stamp int64
	blob  []byte
}

// NewMemoryPersister returns an empty in-memory store. Two Managers given
// the same one behave like two replicas over a shared database.
func NewMemoryPersister() *MemoryPersister {
	return &MemoryPersister{labs: map[string]memoryLab{}}
}

// LoadLab returns the stored snapshot. The returned slice is shared and
// must not be modified.
func (p *MemoryPersister) LoadLab(ctx context.Context, id string) (string, []byte, error) {
	owner, _, blob, err := p.LoadStamped(ctx, id)
	return owner, blob, err
}

// LoadStamped returns the stored snapshot and its stamp. The returned
// slice is shared and must not be modified.
func (p *MemoryPersister) LoadStamped(_ context.Context, id string) (string, int64, []byte, error) {
	p.mu.RLock()
	l, ok := p.labs[id]
	p.mu.RUnlock()
	if !ok {
		return "", 0, nil, fmt.Errorf("sandbox: memory store: lab %s: %w", short(id), fs.ErrNotExist)
	}
	return l.owner, l.stamp, l.blob, nil
}

// LabStamp returns the stored owner and stamp.
func (p *MemoryPersister) LabStamp(ctx context.Context, id string) (string, int64, error) {
	owner, stamp, _, err := p.LoadStamped(ctx, id)
	return owner, stamp, err
}

// SaveLab stores a copy of blob, with no stamp.
func (p *MemoryPersister) SaveLab(ctx context.Context, id, owner string, blob []byte, expires time.Time) error {
	return p.SaveStamped(ctx, id, owner, 0, blob, expires)
}

// SaveStamped stores a copy of blob under stamp.
func (p *MemoryPersister) SaveStamped(_ context.Context, id, owner string, stamp int64, blob []byte, _ time.Time) error {
	b := bytes.Clone(blob)
	p.mu.Lock()
	p.labs[id] = memoryLab{owner: owner, stamp: stamp, blob: b}
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
	stamp int64 // the store's stamp of this version (StampedPersister); 0 = unknown
	blob  []byte
	st    *labState

	tokens  sync.Map     // raw access token -> tokenCheck, verified under st's keys (verify.go)
	nTokens atomic.Int32 // how many were offered to tokens
}

// read asks the store about a lab on every call (another replica may
// have revoked something a moment ago). With a StampedPersister that is
// the stamp alone, and the decoded snapshot this process holds is used
// while the stamp and owner are still the stored ones; otherwise (or when
// they changed) the snapshot is loaded, and decoded only when its bytes
// differ from the copy held.
func (m *Manager) read(ctx context.Context, id string) (*snapshot, *entry, error) {
	if m.stamped != nil {
		owner, stamp, err := m.stamped.LabStamp(ctx, id)
		if errors.Is(err, fs.ErrNotExist) {
			m.forget(id)
			return nil, nil, ErrNotFound
		}
		if err != nil {
			return nil, nil, m.storeError(ctx, "load lab", err)
		}
		if e := m.entry(id, false); e != nil {
			if s := e.snap.Load(); s != nil && stamp != 0 && s.stamp == stamp && s.owner == owner {
				return s, e, nil
			}
		}
	}
	owner, stamp, blob, err := m.load(ctx, id)
	if errors.Is(err, fs.ErrNotExist) {
		m.forget(id)
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, m.storeError(ctx, "load lab", err)
	}
	e := m.entry(id, true)
	if old := e.snap.Load(); old != nil && old.owner == owner && bytes.Equal(old.blob, blob) {
		if old.stamp == stamp {
			return old, e, nil
		}
		// The same bytes under another stamp (a row saved before stamps):
		// no need to decode, but hold the stored stamp from now on.
		s := &snapshot{owner: owner, stamp: stamp, blob: blob, st: old.st}
		e.publish(s)
		return s, e, nil
	}
	st, err := decodeState(blob)
	if err != nil {
		return nil, nil, m.storeError(ctx, "decode lab", err)
	}
	s := &snapshot{owner: owner, stamp: stamp, blob: blob, st: st}
	e.publish(s)
	return s, e, nil
}

// load reads a lab's owner, stamp (0 without a StampedPersister) and
// snapshot.
func (m *Manager) load(ctx context.Context, id string) (string, int64, []byte, error) {
	if m.stamped != nil {
		return m.stamped.LoadStamped(ctx, id)
	}
	owner, blob, err := m.persist.LoadLab(ctx, id)
	return owner, 0, blob, err
}

// newStamp draws the stamp of one save: random, so that two replicas
// saving the same lab at once never write the same one, and never 0.
func newStamp() int64 { return int64(rand.Uint64()>>1) | 1 }

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
	owner, stamp, blob, err := m.load(ctx, e.id)
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
		return &snapshot{owner: owner, stamp: stamp, blob: blob, st: st}, nil
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
	var stamp int64
	if m.stamped != nil {
		stamp = newStamp()
		err = m.stamped.SaveStamped(ctx, id, owner, stamp, blob, st.Expires)
	} else {
		err = m.persist.SaveLab(ctx, id, owner, blob, st.Expires)
	}
	if err != nil {
		return nil, m.storeError(ctx, "save lab", err)
	}
	s := &snapshot{owner: owner, stamp: stamp, blob: blob, st: st}
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
