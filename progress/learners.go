package progress

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// UsernameKey is what must be unique among usernames, and what a
// username is looked up by: NFKC-normalised and case-folded, so that
// "Alice", "ALICE" and "ａｌｉｃｅ" (full-width) are one account. The
// username as typed at sign-up stays the display form.
func UsernameKey(name string) string {
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(strings.TrimSpace(name))))
}

// ErrInstructorExists means the site already has an instructor, so the
// first-start setup link can no longer create one.
var ErrInstructorExists = errors.New("progress: an instructor already exists")

// NewGuest creates an anonymous learner.
func (s *Store) NewGuest(ctx context.Context) (*Learner, error) {
	l := &Learner{ID: newID()}
	if err := s.db.WithContext(ctx).Create(l).Error; err != nil {
		return nil, fmt.Errorf("progress: new guest: %w", err)
	}
	return l, nil
}

// NewAccount creates an account with an already-hashed password.
// A taken username (in any case or Unicode form: see UsernameKey) is
// ErrConflict.
func (s *Store) NewAccount(ctx context.Context, username, email, passwordHash string, instructor bool) (*Learner, error) {
	return newAccount(s.db.WithContext(ctx), username, email, passwordHash, instructor)
}

func newAccount(db *gorm.DB, username, email, passwordHash string, instructor bool) (*Learner, error) {
	name := strings.TrimSpace(username)
	key := UsernameKey(name)
	l := &Learner{ID: newID(), Username: &name, UsernameKey: &key, Email: strings.TrimSpace(email), PasswordHash: passwordHash, Instructor: instructor}
	if err := db.Create(l).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, ErrConflict
		}
		return nil, fmt.Errorf("progress: new account: %w", err)
	}
	return l, nil
}

// setupLockID names the Postgres advisory lock that serialises
// NewFirstInstructor across replicas (any constant of our own will do).
const setupLockID = 0x617574686c6162 // "authlab"

// NewFirstInstructor creates the first instructor account, only while
// the site has none: the check and the insert are one transaction that
// replicas take in turn (a Postgres advisory lock; SQLite transactions
// begin IMMEDIATE and so already run one at a time). Of two setup links
// used at once, on any replicas, one wins; the other gets
// ErrInstructorExists.
func (s *Store) NewFirstInstructor(ctx context.Context, username, email, passwordHash string) (*Learner, error) {
	var l *Learner
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", setupLockID).Error; err != nil {
				return fmt.Errorf("progress: first instructor: %w", err)
			}
		}
		var n int64
		if err := tx.Model(&Learner{}).Where("instructor = ?", true).Count(&n).Error; err != nil {
			return fmt.Errorf("progress: first instructor: %w", err)
		}
		if n > 0 {
			return ErrInstructorExists
		}
		var err error
		l, err = newAccount(tx, username, email, passwordHash, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Learner loads one learner by ID.
func (s *Store) Learner(ctx context.Context, id string) (*Learner, error) {
	var l Learner
	if err := s.db.WithContext(ctx).Take(&l, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	return &l, nil
}

// LearnerByUsername loads an account by username, compared by
// UsernameKey. An account whose key collided with an older one's when
// keys were introduced (see backfillUsernameKeys) has none, and is found
// by its exact name first, so both keep signing in until an operator
// renames one.
func (s *Store) LearnerByUsername(ctx context.Context, username string) (*Learner, error) {
	var l Learner
	db := s.db.WithContext(ctx)
	err := db.Take(&l, "username = ? AND username_key IS NULL", strings.TrimSpace(username)).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		err = db.Take(&l, "username_key = ?", UsernameKey(username)).Error
	}
	if err != nil {
		return nil, notFound(err)
	}
	return &l, nil
}

// backfillUsernameKeys gives every account made before UsernameKey its
// key, oldest first. An account whose key is already taken (an older
// "Alice" beside a newer "alice") keeps none and is logged for the
// operator: starting never fails over it, and both can still sign in
// (see LearnerByUsername).
func (s *Store) backfillUsernameKeys(ctx context.Context) error {
	var todo []Learner
	if err := s.db.WithContext(ctx).Where("username IS NOT NULL AND username_key IS NULL").
		Order("created_at, id").Find(&todo).Error; err != nil {
		return fmt.Errorf("progress: username keys: %w", err)
	}
	for _, l := range todo {
		key := UsernameKey(*l.Username)
		err := s.db.WithContext(ctx).Model(&Learner{}).Where("id = ? AND username_key IS NULL", l.ID).
			Update("username_key", key).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			var owner Learner
			_ = s.db.WithContext(ctx).Take(&owner, "username_key = ?", key).Error
			s.log.Warn("username collision: two accounts differ only in case or Unicode form; the newer one signs in only by its exact name until renamed",
				"username", *l.Username, "id", l.ID, "older", owner.Name(), "older_id", owner.ID)
			continue
		}
		if err != nil {
			return fmt.Errorf("progress: username keys: %w", err)
		}
	}
	return nil
}

// SetInstructor grants or removes the instructor role.
func (s *Store) SetInstructor(ctx context.Context, id string, on bool) error {
	res := s.db.WithContext(ctx).Model(&Learner{}).Where("id = ?", id).Update("instructor", on)
	if res.Error != nil {
		return fmt.Errorf("progress: set instructor: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id, hash string) error {
	return s.db.WithContext(ctx).Model(&Learner{}).Where("id = ?", id).Update("password_hash", hash).Error
}

// CountInstructors counts instructor accounts.
func (s *Store) CountInstructors(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Learner{}).Where("instructor = ?", true).Count(&n).Error
	return n, err
}

// DeleteLearner removes a learner and everything recorded for them.
func (s *Store) DeleteLearner(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Deleting the refresh families also refuses their access tokens
		// (Store.AccessRevoked treats a missing family as revoked).
		for _, m := range []any{&SessionRecord{}, &RefreshToken{}, &RefreshFamily{}, &LessonProgress{}, &Attempt{}, &Card{}, &Milestone{}} {
			if err := tx.Where("learner_id = ?", id).Delete(m).Error; err != nil {
				return fmt.Errorf("progress: delete learner: %w", err)
			}
		}
		if err := tx.Where("owner = ?", id).Delete(&LabState{}).Error; err != nil {
			return fmt.Errorf("progress: delete learner: %w", err)
		}
		return tx.Delete(&Learner{}, "id = ?", id).Error
	})
}

// PurgeIdleGuests deletes guests created before cutoff that have nothing
// to keep: no lesson progress, answer, review card, lab milestone, lab or
// workshop seat, and no session row. Sessions kept elsewhere (Redis) are
// invisible here, so the caller passes a cutoff older than the longest a
// session can live. It returns how many it deleted.
func (s *Store) PurgeIdleGuests(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("username IS NULL AND created_at < ?", cutoff.UTC()).
		Where("NOT EXISTS (SELECT 1 FROM site_sessions t WHERE t.learner_id = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM lesson_progresses t WHERE t.learner_id = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM attempts t WHERE t.learner_id = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM cards t WHERE t.learner_id = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM milestones t WHERE t.learner_id = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM lab_states t WHERE t.owner = learners.id)").
		Where("NOT EXISTS (SELECT 1 FROM participants t WHERE t.learner_id = learners.id)").
		Delete(&Learner{})
	if res.Error != nil {
		return 0, fmt.Errorf("progress: purge guests: %w", res.Error)
	}
	return res.RowsAffected, nil
}
