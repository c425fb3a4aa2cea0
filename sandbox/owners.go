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
	return m.saveIndex(ctx, owner, append(idx, l))
}

func (m *Manager) loadIndex(ctx context.Context, owner string) ([]indexedLab, error) {
	_, blob, err := m.persist.LoadLab(ctx, indexKey(owner))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, m.storeError(ctx, "load owner index", err)
	}
	var idx []indexedLab
	if err := json.Unmarshal(blob, &idx); err != nil {
		// A damaged index only weakens the per-owner limit: start again.
		m.log.WarnContext(ctx, "sandbox: owner index unreadable, rebuilt", "err", err)
		return nil, nil
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
