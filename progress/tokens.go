package progress

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IssueRefresh stores a new refresh token (by hash) in a new family.
func (s *Store) IssueRefresh(ctx context.Context, learnerID, hash string, expires time.Time) error {
	rt := &RefreshToken{Hash: hash, FamilyID: newID(), LearnerID: learnerID, ExpiresAt: expires.UTC()}
	if err := s.db.WithContext(ctx).Create(rt).Error; err != nil {
		return fmt.Errorf("progress: issue refresh token: %w", err)
	}
	return nil
}

// RotateRefresh spends the refresh token oldHash and stores newHash in
// its family. It returns the learner the token belongs to. A token that
// is unknown, expired or revoked is ErrNotFound. A token that was
// already spent is ErrReused, and its whole family is revoked first:
// someone holds a copy, and we cannot tell the thief from the owner.
func (s *Store) RotateRefresh(ctx context.Context, oldHash, newHash string, expires time.Time) (learnerID string, err error) {
	now := s.now()
	var reusedFamily string
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old RefreshToken
		if err := tx.Take(&old, "hash = ?", oldHash).Error; err != nil {
			return notFound(err)
		}
		if old.RevokedAt != nil || !old.ExpiresAt.After(now) {
			return ErrNotFound
		}
		// The conditional update is the race guard: of two concurrent
		// uses, exactly one sees RowsAffected == 1.
		res := tx.Model(&RefreshToken{}).Where("hash = ? AND used_at IS NULL", oldHash).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			reusedFamily = old.FamilyID
			return nil
		}
		learnerID = old.LearnerID
		return tx.Create(&RefreshToken{Hash: newHash, FamilyID: old.FamilyID, LearnerID: old.LearnerID, ExpiresAt: expires.UTC()}).Error
	})
	if err != nil {
		return "", fmt.Errorf("progress: rotate refresh token: %w", err)
	}
	if reusedFamily != "" {
		if err := s.revokeFamily(ctx, reusedFamily); err != nil {
			return "", err
		}
		return "", ErrReused
	}
	return learnerID, nil
}

// RevokeRefreshFamily revokes the family of the token with this hash
// (logout). An unknown token is ErrNotFound.
func (s *Store) RevokeRefreshFamily(ctx context.Context, hash string) error {
	var rt RefreshToken
	if err := s.db.WithContext(ctx).Take(&rt, "hash = ?", hash).Error; err != nil {
		return notFound(err)
	}
	return s.revokeFamily(ctx, rt.FamilyID)
}

func (s *Store) revokeFamily(ctx context.Context, family string) error {
	err := s.db.WithContext(ctx).Model(&RefreshToken{}).
		Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", s.now()).Error
	if err != nil {
		return fmt.Errorf("progress: revoke refresh family: %w", err)
	}
	return nil
}

// RefreshFamilyRevoked reports whether the family of hash is revoked
// (for tests and the audit view).
func (s *Store) RefreshFamilyRevoked(ctx context.Context, hash string) (bool, error) {
	var rt RefreshToken
	if err := s.db.WithContext(ctx).Take(&rt, "hash = ?", hash).Error; err != nil {
		return false, notFound(err)
	}
	var live int64
	err := s.db.WithContext(ctx).Model(&RefreshToken{}).Where("family_id = ? AND revoked_at IS NULL", rt.FamilyID).Count(&live).Error
	return live == 0, err
}

// Deny puts an access token's jti on the deny-list until it expires.
func (s *Store) Deny(ctx context.Context, jti string, expires time.Time) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&DeniedToken{JTI: jti, ExpiresAt: expires.UTC()}).Error
	if err != nil {
		return fmt.Errorf("progress: deny token: %w", err)
	}
	return nil
}

// Denied reports whether jti is on the deny-list.
func (s *Store) Denied(ctx context.Context, jti string) (bool, error) {
	var d DeniedToken
	err := s.db.WithContext(ctx).Take(&d, "jti = ?", jti).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("progress: deny-list: %w", err)
	}
	return true, nil
}
