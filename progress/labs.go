package progress

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Labs keeps lab snapshots in the database; it satisfies the sandbox
// package's Persister. A missing lab is an error matching fs.ErrNotExist.
type Labs struct{ s *Store }

// Labs returns the lab persister over this store.
func (s *Store) Labs() Labs { return Labs{s} }

// LoadLab returns a live lab's owner and snapshot.
func (l Labs) LoadLab(ctx context.Context, id string) (string, []byte, error) {
	var st LabState
	err := l.s.db.WithContext(ctx).Take(&st, "id = ? AND expires_at > ?", id, l.s.now()).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil, fmt.Errorf("progress: lab %s: %w", id, fs.ErrNotExist)
	}
	if err != nil {
		return "", nil, fmt.Errorf("progress: load lab: %w", err)
	}
	return st.Owner, st.Blob, nil
}

// SaveLab stores a lab's snapshot.
func (l Labs) SaveLab(ctx context.Context, id, owner string, blob []byte, expires time.Time) error {
	st := LabState{ID: id, Owner: owner, Blob: blob, ExpiresAt: expires.UTC(), UpdatedAt: l.s.now()}
	err := l.s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"owner", "blob", "expires_at", "updated_at"}),
	}).Create(&st).Error
	if err != nil {
		return fmt.Errorf("progress: save lab: %w", err)
	}
	return nil
}

// DeleteLab forgets a lab.
func (l Labs) DeleteLab(ctx context.Context, id string) error {
	return l.s.db.WithContext(ctx).Delete(&LabState{}, "id = ?", id).Error
}

// LabsOf lists the IDs of an owner's live labs (the sandbox's
// OwnerLister): after a sign-in moved a guest's labs to the account, the
// sandbox finds them again by this column. The sandbox's own index rows
// ("owner:…") are not labs.
func (l Labs) LabsOf(ctx context.Context, owner string) ([]string, error) {
	var ids []string
	err := l.s.db.WithContext(ctx).Model(&LabState{}).
		Where("owner = ? AND expires_at > ? AND id NOT LIKE ?", owner, l.s.now(), "owner:%").
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("progress: labs of owner: %w", err)
	}
	return ids, nil
}

// CountLabs counts live labs (for metrics).
func (l Labs) CountLabs(ctx context.Context) (int64, error) {
	var n int64
	err := l.s.db.WithContext(ctx).Model(&LabState{}).Where("expires_at > ?", l.s.now()).Count(&n).Error
	return n, err
}
