package progress

// Live quiz rounds of a workshop: at most one open at a time, the first
// answer of each participant counts, and exactly one caller closes a
// round, so exactly one announces it.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StartRound stores a new round as the workshop's next; while another
// round is open (not closed and before its deadline) it is ErrConflict.
func (s *Store) StartRound(ctx context.Context, r *Round) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var w Workshop
		if err := tx.Take(&w, "id = ?", r.WorkshopID).Error; err != nil {
			return notFound(err)
		}
		if w.Ended() {
			return ErrEnded
		}
		var last Round
		err := tx.Where("workshop_id = ?", r.WorkshopID).Order("seq DESC").Take(&last).Error
		switch {
		case err == nil:
			if last.Open(r.StartedAt) {
				return ErrConflict
			}
			r.Seq = last.Seq + 1
		case errors.Is(err, gorm.ErrRecordNotFound):
			r.Seq = 1
		default:
			return fmt.Errorf("progress: start round: %w", err)
		}
		r.ID = newID()
		r.StartedAt, r.Deadline = r.StartedAt.UTC(), r.Deadline.UTC()
		if err := tx.Create(r).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrConflict // another start won the race for this seq
			}
			return fmt.Errorf("progress: start round: %w", err)
		}
		return nil
	})
}

// Round loads one round of a workshop.
func (s *Store) Round(ctx context.Context, workshopID, id string) (*Round, error) {
	var r Round
	if err := s.db.WithContext(ctx).Take(&r, "workshop_id = ? AND id = ?", workshopID, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// CurrentRound is the workshop's latest round, or ErrNotFound.
func (s *Store) CurrentRound(ctx context.Context, workshopID string) (*Round, error) {
	var r Round
	if err := s.db.WithContext(ctx).Where("workshop_id = ?", workshopID).Order("seq DESC").Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// Rounds lists a workshop's rounds in order.
func (s *Store) Rounds(ctx context.Context, workshopID string) ([]Round, error) {
	var out []Round
	if err := s.db.WithContext(ctx).Where("workshop_id = ?", workshopID).Order("seq").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: rounds: %w", err)
	}
	return out, nil
}

// CloseRound closes a round at the given time; it reports whether this
// call closed it (false: it was closed already), so exactly one caller
// announces the close.
func (s *Store) CloseRound(ctx context.Context, id string, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&Round{}).Where("id = ? AND closed_at IS NULL", id).Update("closed_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("progress: close round: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RevealRound marks a closed round revealed; it reports whether this
// call revealed it.
func (s *Store) RevealRound(ctx context.Context, id string, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&Round{}).Where("id = ? AND closed_at IS NOT NULL AND revealed_at IS NULL", id).Update("revealed_at", at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("progress: reveal round: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// AnswerRound stores a participant's answer once: a second answer to
// the same round returns the first and stores nothing (fresh false).
func (s *Store) AnswerRound(ctx context.Context, a *RoundAnswer) (*RoundAnswer, bool, error) {
	a.At = a.At.UTC()
	db := s.db.WithContext(ctx)
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(a)
	if res.Error != nil {
		return nil, false, fmt.Errorf("progress: answer round: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return a, true, nil
	}
	var first RoundAnswer
	if err := db.Take(&first, "round_id = ? AND participant_id = ?", a.RoundID, a.ParticipantID).Error; err != nil {
		return nil, false, fmt.Errorf("progress: answer round: %w", err)
	}
	return &first, false, nil
}

// RoundAnswerOf is a participant's answer in a round, or ErrNotFound.
func (s *Store) RoundAnswerOf(ctx context.Context, roundID, participantID string) (*RoundAnswer, error) {
	var a RoundAnswer
	if err := s.db.WithContext(ctx).Take(&a, "round_id = ? AND participant_id = ?", roundID, participantID).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// RoundAnswers lists a round's answers, first first.
func (s *Store) RoundAnswers(ctx context.Context, roundID string) ([]RoundAnswer, error) {
	var out []RoundAnswer
	if err := s.db.WithContext(ctx).Where("round_id = ?", roundID).Order("at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: round answers: %w", err)
	}
	return out, nil
}

// WorkshopAnswers lists every answer of every round of a workshop.
func (s *Store) WorkshopAnswers(ctx context.Context, workshopID string) ([]RoundAnswer, error) {
	var out []RoundAnswer
	if err := s.db.WithContext(ctx).Where("workshop_id = ?", workshopID).Order("at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: workshop answers: %w", err)
	}
	return out, nil
}

// CountRoundAnswers counts the answers of a round from participants
// still in the room.
func (s *Store) CountRoundAnswers(ctx context.Context, roundID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&RoundAnswer{}).
		Joins("JOIN participants ON participants.id = round_answers.participant_id").
		Where("round_answers.round_id = ? AND participants.removed = ?", roundID, false).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("progress: count answers: %w", err)
	}
	return int(n), nil
}

// Standing is a participant's total over a workshop's rounds.
type Standing struct {
	ParticipantID string
	Points        int
	Right         int // answers fully correct
	Answered      int
}

// Standings totals every participant's revealed rounds, best first; ties
// go to more right answers, then to participant ID, only for a stable
// order. A round counts once revealed: before that, a changing score
// would tell the room who answered right.
func (s *Store) Standings(ctx context.Context, workshopID string) ([]Standing, error) {
	rows, err := s.db.WithContext(ctx).Model(&RoundAnswer{}).
		Select("round_answers.participant_id, SUM(round_answers.points), SUM(CASE WHEN round_answers.correct THEN 1 ELSE 0 END), COUNT(*)").
		Joins("JOIN rounds ON rounds.id = round_answers.round_id AND rounds.revealed_at IS NOT NULL").
		Where("round_answers.workshop_id = ?", workshopID).Group("round_answers.participant_id").Rows()
	if err != nil {
		return nil, fmt.Errorf("progress: standings: %w", err)
	}
	defer rows.Close()
	var out []Standing
	for rows.Next() {
		var st Standing
		if err := rows.Scan(&st.ParticipantID, &st.Points, &st.Right, &st.Answered); err != nil {
			return nil, fmt.Errorf("progress: standings: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortStandings(out)
	return out, nil
}

func sortStandings(st []Standing) {
	less := func(a, b Standing) bool {
		if a.Points != b.Points {
			return a.Points > b.Points
		}
		if a.Right != b.Right {
			return a.Right > b.Right
		}
		return a.ParticipantID < b.ParticipantID
	}
	sort.Slice(st, func(i, j int) bool { return less(st[i], st[j]) })
}
