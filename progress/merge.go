package progress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MergeSummary says what a merge kept, for the learner to see.
type MergeSummary struct {
	Lessons    int  `json:"lessons"`
	Completed  int  `json:"completed"`
	Attempts   int  `json:"attempts"`
	Cards      int  `json:"cards"`
	Milestones int  `json:"milestones"`
	Labs       int  `json:"labs"`
	Repeated   bool `json:"-"` // the merge had already happened
}

// Empty reports whether nothing was carried over.
func (m MergeSummary) Empty() bool {
	return m.Lessons+m.Attempts+m.Cards+m.Milestones+m.Labs == 0
}

// Merge moves a guest's progress into an account, in one transaction,
// and deletes the guest. The conflict rule: for a lesson both have, the
// earliest first visit and completion, the latest position and the sum
// of time spent are kept; every attempt is kept (so the better score
// wins), except a retried submission already stored under the same
// idempotency key; for a review card both have, the one reviewed last
// wins; milestones are a union. Merging the same guest again does
// nothing and returns the first summary.
func (s *Store) Merge(ctx context.Context, guestID, accountID string) (MergeSummary, error) {
	var sum MergeSummary
	if guestID == "" || guestID == accountID {
		return sum, nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var done Merge
		err := tx.Take(&done, "guest_id = ?", guestID).Error
		if err == nil {
			if done.AccountID != accountID {
				return fmt.Errorf("progress: guest %s was merged into another account: %w", guestID, ErrConflict)
			}
			sum.Repeated = true
			return json.Unmarshal([]byte(done.Summary), &sum)
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		var guest Learner
		if err := tx.Take(&guest, "id = ?", guestID).Error; err != nil {
			return notFound(err)
		}
		if !guest.IsGuest() {
			return fmt.Errorf("progress: %s is an account, not a guest: %w", guestID, ErrConflict)
		}
		steps := []func(*gorm.DB, string, string, *MergeSummary) error{mergeLessons, mergeAttempts, mergeCards, mergeMilestones, s.mergeLabs, mergeParticipants}
		for _, step := range steps {
			if err := step(tx, guestID, accountID, &sum); err != nil {
				return err
			}
		}
		if err := tx.Where("learner_id = ?", guestID).Delete(&SessionRecord{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Learner{}, "id = ?", guestID).Error; err != nil {
			return err
		}
		b, _ := json.Marshal(sum)
		return tx.Create(&Merge{GuestID: guestID, AccountID: accountID, Summary: string(b)}).Error
	})
	if err != nil {
		return MergeSummary{}, fmt.Errorf("progress: merge: %w", err)
	}
	return sum, nil
}

func mergeLessons(tx *gorm.DB, guest, account string, sum *MergeSummary) error {
	var rows []LessonProgress
	if err := tx.Where("learner_id = ?", guest).Find(&rows).Error; err != nil {
		return err
	}
	for _, g := range rows {
		var a LessonProgress
		err := tx.Take(&a, "learner_id = ? AND slug = ?", account, g.Slug).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			a = g
			a.LearnerID = account
		case err != nil:
			return err
		default:
			if g.FirstVisited.Before(a.FirstVisited) {
				a.FirstVisited = g.FirstVisited
			}
			if g.LastVisited.After(a.LastVisited) {
				a.LastVisited = g.LastVisited
				if g.Position != "" {
					a.Position = g.Position
				}
			}
			if g.CompletedAt != nil && (a.CompletedAt == nil || g.CompletedAt.Before(*a.CompletedAt)) {
				a.CompletedAt = g.CompletedAt
			}
			a.Seconds += g.Seconds
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		sum.Lessons++
		if g.CompletedAt != nil {
			sum.Completed++
		}
	}
	return tx.Where("learner_id = ?", guest).Delete(&LessonProgress{}).Error
}

func mergeAttempts(tx *gorm.DB, guest, account string, sum *MergeSummary) error {
	res := tx.Model(&Attempt{}).Where("learner_id = ? AND key NOT IN (?)", guest,
		tx.Model(&Attempt{}).Select("key").Where("learner_id = ?", account)).
		Update("learner_id", account)
	if res.Error != nil {
		return res.Error
	}
	sum.Attempts = int(res.RowsAffected)
	return tx.Where("learner_id = ?", guest).Delete(&Attempt{}).Error
}

func mergeCards(tx *gorm.DB, guest, account string, sum *MergeSummary) error {
	var cards []Card
	if err := tx.Where("learner_id = ?", guest).Find(&cards).Error; err != nil {
		return err
	}
	for _, g := range cards {
		var a Card
		err := tx.Take(&a, "learner_id = ? AND question_id = ?", account, g.QuestionID).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err == nil && !g.LastReview.After(a.LastReview) {
			continue
		}
		g.LearnerID = account
		if err := tx.Save(&g).Error; err != nil {
			return err
		}
		sum.Cards++
	}
	return tx.Where("learner_id = ?", guest).Delete(&Card{}).Error
}

func mergeMilestones(tx *gorm.DB, guest, account string, sum *MergeSummary) error {
	var ms []Milestone
	if err := tx.Where("learner_id = ?", guest).Find(&ms).Error; err != nil {
		return err
	}
	for _, m := range ms {
		m.LearnerID = account
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
		if res.Error != nil {
			return res.Error
		}
		sum.Milestones += int(res.RowsAffected)
	}
	return tx.Where("learner_id = ?", guest).Delete(&Milestone{}).Error
}

// mergeParticipants keeps a workshop attendee who signs in mid-workshop
// the same participant (nickname, answers, points). Where the account is
// in that workshop already, the account's participant stays.
func mergeParticipants(tx *gorm.DB, guest, account string, _ *MergeSummary) error {
	return tx.Model(&Participant{}).Where("learner_id = ? AND workshop_id NOT IN (?)", guest,
		tx.Model(&Participant{}).Select("workshop_id").Where("learner_id = ?", account)).
		Update("learner_id", account).Error
}

// mergeLabs hands the guest's live labs to the account. The sandbox's
// per-owner index row ("owner:" + a hash of the guest) is not a lab and
// means nothing under the account, and an expired lab is gone: both are
// deleted, not counted. The steps done in those labs are milestones,
// moved by mergeMilestones, so they outlive the labs either way.
func (s *Store) mergeLabs(tx *gorm.DB, guest, account string, sum *MergeSummary) error {
	if err := tx.Where("owner = ? AND (id LIKE ? OR expires_at <= ?)", guest, "owner:%", s.now()).Delete(&LabState{}).Error; err != nil {
		return err
	}
	res := tx.Model(&LabState{}).Where("owner = ?", guest).Update("owner", account)
	sum.Labs = int(res.RowsAffected)
	return res.Error
}

// Export is everything stored about a learner, for "Export my data".
type Export struct {
	Learner    ExportLearner    `json:"learner"`
	Lessons    []LessonProgress `json:"lessons"`
	Attempts   []Attempt        `json:"attempts"`
	Cards      []Card           `json:"cards"`
	Milestones []Milestone      `json:"milestones"`
	Sessions   []SessionRecord  `json:"sessions"`
}

// ExportLearner is the learner without the password hash.
type ExportLearner struct {
	ID         string `json:"id"`
	Username   string `json:"username,omitempty"`
	Email      string `json:"email,omitempty"`
	Instructor bool   `json:"instructor"`
	CreatedAt  string `json:"created_at"`
}

// ExportLearnerData gathers a learner's data.
func (s *Store) ExportLearnerData(ctx context.Context, id string) (*Export, error) {
	l, err := s.Learner(ctx, id)
	if err != nil {
		return nil, err
	}
	ex := &Export{Learner: ExportLearner{ID: l.ID, Email: l.Email, Instructor: l.Instructor, CreatedAt: l.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}}
	if l.Username != nil {
		ex.Learner.Username = *l.Username
	}
	db := s.db.WithContext(ctx)
	for _, q := range []any{&ex.Lessons, &ex.Attempts, &ex.Cards, &ex.Milestones, &ex.Sessions} {
		if err := db.Where("learner_id = ?", id).Find(q).Error; err != nil {
			return nil, fmt.Errorf("progress: export: %w", err)
		}
	}
	for i := range ex.Sessions {
		ex.Sessions[i].Data = nil
	}
	return ex, nil
}
