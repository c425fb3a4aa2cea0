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
	return s.NewRefreshFamily(ctx, &RefreshFamily{LearnerID: learnerID}, hash, expires)
}

// NewRefreshFamily records a sign-in: fam (LearnerID, UserAgent, Addr
// set by the caller) and its first refresh token, by hash. It fills in
// fam.ID, the sid claim of the access tokens issued in the family.
func (s *Store) NewRefreshFamily(ctx context.Context, fam *RefreshFamily, hash string, expires time.Time) error {
	now := s.now()
	fam.ID, fam.CreatedAt, fam.LastUsed, fam.ExpiresAt, fam.RevokedAt = newID(), now, now, expires.UTC(), nil
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(fam).Error; err != nil {
			return err
		}
		return tx.Create(&RefreshToken{Hash: hash, FamilyID: fam.ID, LearnerID: fam.LearnerID, ExpiresAt: expires.UTC()}).Error
	})
	if err != nil {
		return fmt.Errorf("progress: issue refresh token: %w", err)
	}
	return nil
}

// RotateRefresh is RotateRefreshFamily without the family ID.
func (s *Store) RotateRefresh(ctx context.Context, oldHash, newHash string, expires time.Time) (learnerID string, err error) {
	learnerID, _, err = s.RotateRefreshFamily(ctx, oldHash, newHash, expires)
	return learnerID, err
}

// RotateRefreshFamily spends the refresh token oldHash and stores
// newHash in its family. It returns the learner the token belongs to and
// the family's ID. A token that is unknown, expired or revoked is
// ErrNotFound. A token that was already spent is ErrReused, and its
// whole family is revoked first: someone holds a copy, and we cannot
// tell the thief from the owner.
func (s *Store) RotateRefreshFamily(ctx context.Context, oldHash, newHash string, expires time.Time) (learnerID, familyID string, err error) {
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
		// Updating the family row first takes its lock, which revocation
		// also takes: a rotation racing a revocation either sees the
		// family revoked here, or commits its new token before the
		// revocation's token update runs (and so revokes it too).
		fam := tx.Model(&RefreshFamily{}).Where("id = ? AND revoked_at IS NULL", old.FamilyID).
			Updates(map[string]any{"last_used": now, "expires_at": expires.UTC()})
		if fam.Error != nil {
			return fam.Error
		}
		if fam.RowsAffected == 0 {
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
		learnerID, familyID = old.LearnerID, old.FamilyID
		return tx.Create(&RefreshToken{Hash: newHash, FamilyID: old.FamilyID, LearnerID: old.LearnerID, ExpiresAt: expires.UTC()}).Error
	})
	if errors.Is(err, ErrNotFound) {
		return "", "", ErrNotFound
	}
	if err != nil {
		return "", "", fmt.Errorf("progress: rotate refresh token: %w", err)
	}
	if reusedFamily != "" {
		if err := s.revokeFamily(ctx, reusedFamily); err != nil {
			return "", "", err
		}
		return "", "", ErrReused
	}
	return learnerID, familyID, nil
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

// revokeFamily marks the family revoked, which refuses its access tokens
// (AccessRevoked), then revokes its refresh tokens.
func (s *Store) revokeFamily(ctx context.Context, family string) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&RefreshFamily{}).Where("id = ? AND revoked_at IS NULL", family).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return tx.Model(&RefreshToken{}).Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", now).Error
	})
	if err != nil {
		return fmt.Errorf("progress: revoke refresh family: %w", err)
	}
	return nil
}

// LearnerRefreshFamilies lists a learner's live API sign-ins (not
// revoked, refresh token not expired), most recently used first.
func (s *Store) LearnerRefreshFamilies(ctx context.Context, learnerID string) ([]RefreshFamily, error) {
	var out []RefreshFamily
	err := s.db.WithContext(ctx).Where("learner_id = ? AND revoked_at IS NULL AND expires_at > ?", learnerID, s.now()).
		Order("last_used DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("progress: list refresh families: %w", err)
	}
	return out, nil
}

// RevokeLearnerRefreshFamily revokes one of the learner's live families.
// A family that is not theirs, or no longer live, is ErrNotFound.
func (s *Store) RevokeLearnerRefreshFamily(ctx context.Context, learnerID, familyID string) (*RefreshFamily, error) {
	var fam RefreshFamily
	err := s.db.WithContext(ctx).Take(&fam, "id = ? AND learner_id = ? AND revoked_at IS NULL AND expires_at > ?",
		familyID, learnerID, s.now()).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &fam, s.revokeFamily(ctx, fam.ID)
}

// RevokeLearnerRefreshFamilies revokes every live family of the learner
// (sign out everywhere) and returns how many live ones it revoked: the
// sign-ins the sessions page listed (LearnerRefreshFamilies). Expired
// ones are revoked too, but a learner was never shown them, so "3 API
// sign-ins ended" must not count them.
func (s *Store) RevokeLearnerRefreshFamilies(ctx context.Context, learnerID string) (int, error) {
	var fams []RefreshFamily
	err := s.db.WithContext(ctx).Select("id", "expires_at").Where("learner_id = ? AND revoked_at IS NULL", learnerID).
		Find(&fams).Error
	if err != nil {
		return 0, fmt.Errorf("progress: revoke refresh families: %w", err)
	}
	now, n := s.now(), 0
	for _, f := range fams {
		if err := s.revokeFamily(ctx, f.ID); err != nil {
			return n, err
		}
		if f.ExpiresAt.After(now) {
			n++
		}
	}
	return n, nil
}

// TouchRefreshFamily records that the family's access token was used.
func (s *Store) TouchRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&RefreshFamily{}).Where("id = ? AND revoked_at IS NULL AND last_used < ?", familyID, at.UTC()).
		Update("last_used", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("progress: touch refresh family: %w", err)
	}
	return nil
}

// AccessRevoked reports whether an access token must be refused: its
// jti is on the deny-list, or it belongs to a family (its sid claim)
// that is revoked or gone. An empty familyID (a token from before
// families) checks the jti alone.
func (s *Store) AccessRevoked(ctx context.Context, jti, familyID string) (bool, error) {
	st, err := s.AccessState(ctx, jti, familyID, "")
	return st == AccessRefused, err
}

// AccessState is what Store.AccessState found about an access token.
type AccessState int

// The states of an access token that verified.
const (
	AccessOK        AccessState = iota
	AccessRefused               // jti denied, or its family revoked or gone
	AccessNoAccount             // its subject's account no longer exists
)

// AccessState checks an access token that verified against the
// database every replica shares, in one query of primary-key lookups,
// so a revocation on one replica holds on all of them from the next
// request: the jti on the deny-list, the family named by its sid claim
// (revoked or deleted: refused; empty familyID skips it), and the
// subject's account (empty subject skips it).
func (s *Store) AccessState(ctx context.Context, jti, familyID, subject string) (AccessState, error) {
	var denied, live, learners int64
	err := s.db.WithContext(ctx).Raw("SELECT (SELECT COUNT(*) FROM denied_tokens WHERE jti = ?), "+
		"(SELECT COUNT(*) FROM refresh_families WHERE id = ? AND revoked_at IS NULL), "+
		"(SELECT COUNT(*) FROM learners WHERE id = ?)", jti, familyID, subject).
		Row().Scan(&denied, &live, &learners)
	switch {
	case err != nil:
		return AccessRefused, fmt.Errorf("progress: deny-list: %w", err)
	case denied > 0 || (familyID != "" && live == 0):
		return AccessRefused, nil
	case subject != "" && learners == 0:
		return AccessNoAccount, nil
	}
	return AccessOK, nil
}

// migrateRefreshFamilies gives refresh tokens issued before families
// had rows a family row each, so their sign-ins stay valid and listed.
func (s *Store) migrateRefreshFamilies() error {
	var toks []RefreshToken
	err := s.db.Where("revoked_at IS NULL AND family_id NOT IN (?)", s.db.Model(&RefreshFamily{}).Select("id")).
		Order("created_at").Find(&toks).Error
	if err != nil {
		return fmt.Errorf("progress: migrate refresh families: %w", err)
	}
	fams := map[string]*RefreshFamily{}
	var order []string
	for _, t := range toks {
		f := fams[t.FamilyID]
		if f == nil {
			f = &RefreshFamily{ID: t.FamilyID, LearnerID: t.LearnerID, CreatedAt: t.CreatedAt.UTC()}
			fams[t.FamilyID] = f
			order = append(order, t.FamilyID)
		}
		f.LastUsed = t.CreatedAt.UTC()
		if t.ExpiresAt.After(f.ExpiresAt) {
			f.ExpiresAt = t.ExpiresAt.UTC()
		}
	}
	for _, id := range order {
		if err := s.db.Clauses(clause.OnConflict{DoNothing: true}).Create(fams[id]).Error; err != nil {
			return fmt.Errorf("progress: migrate refresh families: %w", err)
		}
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
