package progress

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// NewGuest creates an anonymous learner.
func (s *Store) NewGuest(ctx context.Context) (*Learner, error) {
	l := &Learner{ID: newID()}
	if err := s.db.WithContext(ctx).Create(l).Error; err != nil {
		return nil, fmt.Errorf("progress: new guest: %w", err)
	}
	return l, nil
}

// NewAccount creates an account with an already-hashed password.
// A taken username is ErrConflict.
func (s *Store) NewAccount(ctx context.Context, username, email, passwordHash string, instructor bool) (*Learner, error) {
	name := strings.TrimSpace(username)
	l := &Learner{ID: newID(), Username: &name, Email: strings.TrimSpace(email), PasswordHash: passwordHash, Instructor: instructor}
	if err := s.db.WithContext(ctx).Create(l).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, ErrConflict
		}
		return nil, fmt.Errorf("progress: new account: %w", err)
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

// LearnerByUsername loads an account by username.
func (s *Store) LearnerByUsername(ctx context.Context, username string) (*Learner, error) {
	var l Learner
	if err := s.db.WithContext(ctx).Take(&l, "username = ?", strings.TrimSpace(username)).Error; err != nil {
		return nil, notFound(err)
	}
	return &l, nil
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
		for _, m := range []any{&SessionRecord{}, &RefreshToken{}, &LessonProgress{}, &Attempt{}, &Card{}, &Milestone{}} {
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
