package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned for a lab that does not exist, has expired or
// belongs to someone else: the three are deliberately indistinguishable.
var ErrNotFound = errors.New("sandbox: lab not found")

// Options configure a Manager. The zero value works: memory only, real
// time, two hours of idle life, sixteen labs per owner (one per panel,
// with room to spare).
type Options struct {
	Persist         Persister                          // nil = memory only
	Now             func() time.Time                   // nil = time.Now; each lab adds its own clock offset
	IdleTTL         time.Duration                      // a lab expires after this inactivity (default 2h)
	MaxLabsPerOwner int                                // default 16; one more evicts that owner's oldest
	Logger          *slog.Logger                       // never given lab secrets
	OnMilestone     func(owner, lab, milestone string) // called once per lab and milestone
	CostProbes      []CostProbe                        // extra lookups the cost lab times (a Redis read)
	EvilBaseURL     string                             // the CSRF lab's "other site"; "" = swap localhost and 127.0.0.1
	SecureCookies   bool                               // lab cookies always Secure (--secure-cookies, behind a TLS proxy)
}

// Manager creates labs, finds them again and serves their endpoints. Lab
// state lives in the Persister, so several Managers (replicas) sharing one
// agree on it; traces and event streams are per process.
type Manager struct {
	persist     Persister
	stamped     StampedPersister // persist, when it keeps stamps; else nil
	now         func() time.Time
	idleTTL     time.Duration
	maxLabs     int
	log         *slog.Logger
	onMilestone func(owner, lab, milestone string)
	routes      map[string]route
	xprefix     string
	xseq        atomic.Uint64
	createMu    sync.Mutex // serialises owner-index updates in this process
	cost        costKeys   // the cost lab's keys and memory store, made on first use
	costMu      sync.Mutex // one cost measurement at a time
	probes      []CostProbe
	evilBase    string
	secure      bool                             // every lab cookie Secure, even when TLS ends before us
	sameSite    atomic.Pointer[sameSiteListener] // the CSRF lab's second port (csrf.go)

	mu      sync.Mutex
	entries map[string]*entry
}

// Lab is a snapshot of a lab's identity and lifetime.
type Lab struct {
	ID      string    `json:"id"`
	Owner   string    `json:"-"`
	Panel   string    `json:"panel,omitempty"` // the one panel it serves; "" = any
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Path is the lab's URL path, with its trailing slash.
func (l *Lab) Path() string { return "/lab/" + l.ID + "/" }

// New builds a Manager.
func New(o Options) *Manager {
	m := &Manager{
		persist:     o.Persist,
		now:         o.Now,
		idleTTL:     o.IdleTTL,
		maxLabs:     o.MaxLabsPerOwner,
		log:         o.Logger,
		onMilestone: o.OnMilestone,
		probes:      o.CostProbes,
		evilBase:    o.EvilBaseURL,
		secure:      o.SecureCookies,
		xprefix:     randHex(3),
		entries:     map[string]*entry{},
	}
	if m.persist == nil {
		m.persist = NewMemoryPersister()
	}
	m.stamped, _ = m.persist.(StampedPersister)
	if m.now == nil {
		m.now = time.Now
	}
	if m.idleTTL <= 0 {
		m.idleTTL = 2 * time.Hour
	}
	if m.maxLabs <= 0 {
		m.maxLabs = 16
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.routes = m.buildRoutes()
	return m
}

// Create makes a fresh lab for owner (a site learner ID) that serves
// every panel: steps of any panel tick in it. When the owner already has
// MaxLabsPerOwner labs, the oldest is deleted first.
func (m *Manager) Create(ctx context.Context, owner string) (*Lab, error) {
	return m.create(ctx, owner, "")
}

// CreateFor makes a fresh lab for owner bound to one panel (one of
// Panels): only that panel's steps tick in it, and its settings are that
// panel's alone. This is how the site gives each panel its own lab.
func (m *Manager) CreateFor(ctx context.Context, owner, panel string) (*Lab, error) {
	if !slices.Contains(Panels(), panel) {
		return nil, fmt.Errorf("sandbox: create lab: no panel %q", panel)
	}
	return m.create(ctx, owner, panel)
}

// ForPanel returns owner's most recent live lab bound to panel,
// extending its idle life, or ErrNotFound.
func (m *Manager) ForPanel(ctx context.Context, owner, panel string) (*Lab, error) {
	if owner == "" || panel == "" {
		return nil, ErrNotFound
	}
	idx, err := m.loadIndex(ctx, owner)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(idx, func(a, b indexedLab) int { return b.Created.Compare(a.Created) })
	for _, l := range idx {
		if l.Panel != "" && l.Panel != panel {
			continue // an index entry written before panels were recorded has none
		}
		e, snap, err := m.open(ctx, owner, l.ID, false)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if snap.st.Panel != panel {
			continue
		}
		if snap, err = m.touch(ctx, e, snap); err != nil {
			return nil, err
		}
		return snap.lab(l.ID), nil
	}
	return nil, ErrNotFound
}

func (m *Manager) create(ctx context.Context, owner, panel string) (*Lab, error) {
	if owner == "" {
		return nil, errors.New("sandbox: create lab: no owner")
	}
	m.sweep(ctx)
	id := randHex(16)
	st := newState(m.now())
	st.Panel, st.Settings = panel, panelSettings(panel)
	m.createMu.Lock()
	defer m.createMu.Unlock()
	if err := m.makeRoom(ctx, owner); err != nil {
		return nil, err
	}
	snap, err := m.save(ctx, m.entry(id, true), id, owner, st)
	if err != nil {
		m.forget(id)
		return nil, err
	}
	if err := m.indexLab(ctx, owner, indexedLab{ID: id, Created: st.Created, Panel: panel}); err != nil {
		return nil, err
	}
	return snap.lab(id), nil
}

// Get returns owner's lab id, extending its idle life. It returns
// ErrNotFound when the lab is missing, expired or someone else's.
func (m *Manager) Get(ctx context.Context, owner, id string) (*Lab, error) {
	e, snap, err := m.open(ctx, owner, id, false)
	if err != nil {
		return nil, err
	}
	if snap, err = m.touch(ctx, e, snap); err != nil {
		return nil, err
	}
	return snap.lab(id), nil
}

// Close ends every open event stream of this Manager, so a graceful
// shutdown does not wait for browsers to hang up.
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		e.trace.closeAll()
	}
}

type ownerKey struct{}

// WithOwner returns a context carrying the lab owner (the site learner ID)
// that Handler checks every lab against.
func WithOwner(ctx context.Context, owner string) context.Context {
	return context.WithValue(ctx, ownerKey{}, owner)
}

func ownerFrom(ctx context.Context) string {
	s, _ := ctx.Value(ownerKey{}).(string)
	return s
}

// Handler serves /lab/{id}/… for the owner in the request's context.
func (m *Manager) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, actorLearner)
	})
}

// open loads a lab for its owner (for anyone when anyOwner is set),
// mapping every kind of absence to ErrNotFound.
func (m *Manager) open(ctx context.Context, owner, id string, anyOwner bool) (*entry, *snapshot, error) {
	if !validID(id) || (owner == "" && !anyOwner) {
		return nil, nil, ErrNotFound
	}
	snap, e, err := m.read(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !anyOwner && snap.owner != owner {
		return nil, nil, ErrNotFound
	}
	if m.now().After(snap.st.Expires) {
		m.expire(ctx, id)
		return nil, nil, ErrNotFound
	}
	return e, snap, nil
}

// touch extends the lab's idle life, at most once per slack interval so
// that reads stay reads.
func (m *Manager) touch(ctx context.Context, e *entry, snap *snapshot) (*snapshot, error) {
	slack := min(m.idleTTL/20, time.Minute)
	if snap.st.Expires.Sub(m.now()) > m.idleTTL-slack {
		return snap, nil
	}
	return m.update(ctx, e, func(*labState, time.Time) error { return nil })
}

func (m *Manager) expire(ctx context.Context, id string) {
	if err := m.persist.DeleteLab(ctx, id); err != nil {
		m.log.WarnContext(ctx, "sandbox: delete expired lab", "err", err)
	}
	m.forget(id)
}

// entry returns the process-local part of a lab, creating it if asked.
func (m *Manager) entry(id string, create bool) *entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[id]
	if e == nil && create {
		e = &entry{id: id}
		m.entries[id] = e
	}
	return e
}

func (m *Manager) forget(id string) {
	m.mu.Lock()
	e := m.entries[id]
	delete(m.entries, id)
	m.mu.Unlock()
	if e != nil {
		e.trace.closeAll()
	}
}

// sweep drops the labs this process knows that have expired, so a
// long-running process with a memory store does not grow for ever.
func (m *Manager) sweep(ctx context.Context) {
	now := m.now()
	var stale []string
	m.mu.Lock()
	for id, e := range m.entries {
		if s := e.snap.Load(); s != nil && now.After(s.st.Expires) {
			stale = append(stale, id)
		}
	}
	m.mu.Unlock()
	for _, id := range stale {
		// Another replica may have kept it alive: look before deleting.
		if snap, _, err := m.read(ctx, id); errors.Is(err, ErrNotFound) || (err == nil && now.After(snap.st.Expires)) {
			m.expire(ctx, id)
		}
	}
}

func (s *snapshot) lab(id string) *Lab {
	return &Lab{ID: id, Owner: s.owner, Panel: s.st.Panel, Created: s.st.Created, Expires: s.st.Expires}
}

func (m *Manager) storeError(ctx context.Context, op string, err error) error {
	m.log.ErrorContext(ctx, "sandbox: lab store", "op", op, "err", err)
	return fmt.Errorf("sandbox: %s: %w", op, err)
}
