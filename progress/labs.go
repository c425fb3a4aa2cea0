package progress

import (
	"context"
	"database/sql"
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
	owner, _, blob, err := l.LoadStamped(ctx, id)
	return owner, blob, err
}

// SaveLab stores a lab's snapshot, with no stamp.
func (l Labs) SaveLab(ctx context.Context, id, owner string, blob []byte, expires time.Time) error {
	return l.SaveStamped(ctx, id, owner, 0, blob, expires)
}

// The stamp is the sandbox's mark of one saved version of a lab (the
// sandbox's StampedPersister): a number its writer draws at random for
// each save, stored beside the snapshot. A replica holding the decoded
// snapshot of stamp s asks LabStamp, a read of two short columns, and
// loads the snapshot again only when the stamp (or the owner: a sign-in
// moves a guest's labs to the account, merge.go) is not the one it holds.
// A row written without a stamp has 0, which matches nothing.

// LoadStamped returns a live lab's owner, stamp and snapshot.
func (l Labs) LoadStamped(ctx context.Context, id string) (string, int64, []byte, error) {
	var st LabState
	err := l.s.db.WithContext(ctx).Take(&st, "id = ? AND expires_at > ?", id, l.s.now()).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", 0, nil, fmt.Errorf("progress: lab %s: %w", id, fs.ErrNotExist)
	}
	if err != nil {
		return "", 0, nil, fmt.Errorf("progress: load lab: %w", err)
	}
	return st.Owner, st.Stamp, st.Blob, nil
}

// SaveStamped stores a lab's snapshot under the writer's stamp.
func (l Labs) SaveStamped(ctx context.Context, id, owner string, stamp int64, blob []byte, expires time.Time) error {
	st := LabState{ID: id, Owner: owner, Blob: blob, ExpiresAt: expires.UTC(), UpdatedAt: l.s.now(), Stamp: stamp}
	err := l.s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"owner", "blob", "expires_at", "updated_at", "stamp"}),
	}).Create(&st).Error
	if err != nil {
		return fmt.Errorf("progress: save lab: %w", err)
	}
	return nil
}

const labStampSQL = "SELECT owner, COALESCE(stamp, 0) FROM lab_states WHERE id = ? AND expires_at > ?"

// LabStamp returns a live lab's owner and stamp, without its snapshot.
// It is asked on every lab request, so it goes straight to the pool's
// prepared statement, past gorm's statement building (a third of the
// cost of so small a read).
func (l Labs) LabStamp(ctx context.Context, id string) (string, int64, error) {
	var owner string
	var stamp int64
	err := l.s.db.ConnPool.QueryRowContext(l.s.shortRead(ctx), l.s.bind(labStampSQL), id, l.s.now()).Scan(&owner, &stamp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("progress: lab %s: %w", id, fs.ErrNotExist)
	}
	if err != nil {
		return "", 0, fmt.Errorf("progress: lab stamp: %w", err)
	}
	return owner, stamp, nil
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
