package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"
)

// The owner index lists an owner's labs, oldest first, so that
// MaxLabsPerOwner holds across replicas. It is stored through the same
// Persister under a key no lab ID can take ("owner:" + a hash of the
// owner, 38 characters). It lives 30 days; a lab outliving its index is
// still bounded by its own idle expiry.
const indexTTL = 30 * 24 * time.Hour

type indexedLab struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	Panel   string    `json:"panel,omitempty"` // the lab's panel, so ForPanel reads only likely labs
}

func indexKey(owner string) string {
	sum := sha256.Sum256([]byte(owner))
	return "owner:" + hex.EncodeToString(sum[:16])
}

// makeRoom deletes the owner's oldest labs until one more fits, and
// forgets index entries whose lab is gone.
func (m *Manager) makeRoom(ctx context.Context, owner string) error {
	idx, err := m.loadIndex(ctx, owner)
	if err != nil {
		return err
	}
	live := idx[:0]
	for _, l := range idx {
		snap, _, err := m.read(ctx, l.ID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if snap.owner == owner && !m.now().After(snap.st.Expires) {
			live = append(live, l)
		}
	}
	slices.SortStableFunc(live, func(a, b indexedLab) int { return a.Created.Compare(b.Created) })
	for len(live) >= m.maxLabs {
		if err := m.persist.DeleteLab(ctx, live[0].ID); err != nil {
			return m.storeError(ctx, "evict lab", err)
		}
		m.forget(live[0].ID)
		live = live[1:]
	}
	return m.saveIndex(ctx, owner, live)
}

func (m *Manager) indexLab(ctx context.Context, owner string, l indexedLab) error {
	idx, err := m.loadIndex(ctx, owner)
	if err != nil {
		return err
	}
	// withMovedLabs may have listed it already: the lab is saved first.
	idx = slices.DeleteFunc(idx, func(x indexedLab) bool { return x.ID == l.ID })
	return m.saveIndex(ctx, owner, append(idx, l))
}

func (m *Manager) loadIndex(ctx context.Context, owner string) ([]indexedLab, error) {
	_, blob, err := m.persist.LoadLab(ctx, indexKey(owner))
	if errors.Is(err, fs.ErrNotExist) {
		return m.withMovedLabs(ctx, owner, nil)
	}
	if err != nil {
		return nil, m.storeError(ctx, "load owner index", err)
	}
	var idx []indexedLab
	if err := json.Unmarshal(blob, &idx); err != nil {
		// A damaged index only weakens the per-owner limit: start again.
		m.log.WarnContext(ctx, "sandbox: owner index unreadable, rebuilt", "err", err)
		idx = nil
	}
	return m.withMovedLabs(ctx, owner, idx)
}

// withMovedLabs adds to idx the owner's labs the index does not list:
// those the store moved to this owner (a guest's, at sign-in), found
// through OwnerLister when the Persister has it.
func (m *Manager) withMovedLabs(ctx context.Context, owner string, idx []indexedLab) ([]indexedLab, error) {
	ol, ok := m.persist.(OwnerLister)
	if !ok {
		return idx, nil
	}
	ids, err := ol.LabsOf(ctx, owner)
	if err != nil {
		return nil, m.storeError(ctx, "list owner's labs", err)
	}
	for _, id := range ids {
		if !validID(id) || slices.ContainsFunc(idx, func(l indexedLab) bool { return l.ID == id }) {
			continue
		}
		snap, _, err := m.read(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		idx = append(idx, indexedLab{ID: id, Created: snap.st.Created, Panel: snap.st.Panel})
	}
	return idx, nil
}

func (m *Manager) saveIndex(ctx context.Context, owner string, idx []indexedLab) error {
	blob, err := json.Marshal(idx)
	if err != nil {
		return fmt.Errorf("sandbox: encode owner index: %w", err)
	}
	if err := m.persist.SaveLab(ctx, indexKey(owner), owner, blob, m.now().Add(indexTTL)); err != nil {
		return m.storeError(ctx, "save owner index", err)
	}
	return nil
}
