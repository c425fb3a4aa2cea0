package progress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Workshops: an instructor's live session of the course for a room.
// Everything two replicas must agree on (the roster, the round that is
// open, every answer) is a row here; the live package only carries
// notifications that something changed.

// CreateWorkshop stores a new workshop with a fresh ID and join code.
func (s *Store) CreateWorkshop(ctx context.Context, w *Workshop) error {
	w.ID = newID()
	w.CreatedAt = s.now()
	for range 8 {
		w.Code = NewJoinCode()
		err := s.db.WithContext(ctx).Create(w).Error
		if err == nil {
			return nil
		}
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("progress: create workshop: %w", err)
		}
	}
	return fmt.Errorf("progress: create workshop: no free join code after 8 tries")
}

// Workshop loads a workshop by ID.
func (s *Store) Workshop(ctx context.Context, id string) (*Workshop, error) {
	var w Workshop
	if err := s.db.WithContext(ctx).Take(&w, "id = ?", id).Error; err != nil {
		return nil, notFound(err)
	}
	return &w, nil
}

// WorkshopByCode loads a workshop by join code.
func (s *Store) WorkshopByCode(ctx context.Context, code string) (*Workshop, error) {
	var w Workshop
	if err := s.db.WithContext(ctx).Take(&w, "code = ?", code).Error; err != nil {
		return nil, notFound(err)
	}
	return &w, nil
}

// WorkshopsOf lists an instructor's workshops, newest first.
func (s *Store) WorkshopsOf(ctx context.Context, ownerID string) ([]Workshop, error) {
	var out []Workshop
	if err := s.db.WithContext(ctx).Where("owner_id = ?", ownerID).Order("created_at DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: workshops: %w", err)
	}
	return out, nil
}

// updateWorkshop changes columns of a workshop that has not ended.
func (s *Store) updateWorkshop(ctx context.Context, id string, cols map[string]any) error {
	res := s.db.WithContext(ctx).Model(&Workshop{}).Where("id = ? AND ended_at IS NULL", id).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("progress: update workshop: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.Workshop(ctx, id); err != nil {
			return err
		}
		return ErrEnded
	}
	return nil
}

// SetLocked replaces the room's locked lessons.
func (s *Store) SetLocked(ctx context.Context, id string, slugs []string) error {
	return s.updateWorkshop(ctx, id, map[string]any{"locked": strings.Join(slugs, " ")})
}

// SetQueue replaces the questions queued for rounds.
func (s *Store) SetQueue(ctx context.Context, id string, questionIDs []string) error {
	return s.updateWorkshop(ctx, id, map[string]any{"queue": strings.Join(questionIDs, " ")})
}

// SetFocus records a "bring everyone here" target and returns its
// sequence number, which attendees compare with the last one they obeyed.
func (s *Store) SetFocus(ctx context.Context, id, target string) (int, error) {
	if err := s.updateWorkshop(ctx, id, map[string]any{"focus": target, "focus_seq": gorm.Expr("focus_seq + 1")}); err != nil {
		return 0, err
	}
	w, err := s.Workshop(ctx, id)
	if err != nil {
		return 0, err
	}
	return w.FocusSeq, nil
}

// SetMoment records a room-wide lab action and when it happened.
func (s *Store) SetMoment(ctx context.Context, id, moment string, at time.Time) error {
	return s.updateWorkshop(ctx, id, map[string]any{"moment": moment, "moment_at": at.UTC()})
}

// SetPodium records when the podium was shown to the room. The podium
// may close a workshop that has just ended, so it is no change of a
// running workshop (updateWorkshop).
func (s *Store) SetPodium(ctx context.Context, id string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&Workshop{}).Where("id = ?", id).Update("podium_at", at.UTC())
	if res.Error != nil {
		return fmt.Errorf("progress: podium: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetLabCheck records what the attendee's lab page answered on each side
// when it checked itself after a room-wide moment.
func (s *Store) SetLabCheck(ctx context.Context, p *Participant, session, token int, at time.Time) error {
	at = at.UTC()
	err := s.db.WithContext(ctx).Model(&Participant{}).Where("id = ?", p.ID).
		Updates(map[string]any{"lab_session": session, "lab_token": token, "lab_check_at": at, "last_seen": at}).Error
	if err != nil {
		return fmt.Errorf("progress: lab check: %w", err)
	}
	p.LabSession, p.LabToken, p.LabCheckAt, p.LastSeen = session, token, &at, at
	return nil
}

// EndWorkshop makes a workshop read-only; ending it twice is ErrEnded.
func (s *Store) EndWorkshop(ctx context.Context, id string, at time.Time) error {
	return s.updateWorkshop(ctx, id, map[string]any{"ended_at": at.UTC()})
}

// Join adds the learner to the workshop under a cleaned nickname, or
// returns the participant the learner already is (whatever nickname was
// asked: rejoining keeps the old one). A nickname taken in the room is
// ErrConflict. The caller checks Removed.
func (s *Store) Join(ctx context.Context, workshopID, learnerID, nickname string, at time.Time) (p *Participant, fresh bool, err error) {
	if p, err := s.ParticipantOf(ctx, workshopID, learnerID); err == nil {
		return p, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	at = at.UTC()
	p = &Participant{ID: newID(), WorkshopID: workshopID, LearnerID: learnerID, Nickname: nickname,
		NickKey: NicknameKey(nickname), JoinedAt: at, LastSeen: at, StepAt: at}
	if err := s.db.WithContext(ctx).Create(p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			// Two tabs of one learner joining at once: the other won.
			if q, err2 := s.ParticipantOf(ctx, workshopID, learnerID); err2 == nil {
				return q, false, nil
			}
			return nil, false, ErrConflict
		}
		return nil, false, fmt.Errorf("progress: join workshop: %w", err)
	}
	return p, true, nil
}

// CountParticipants counts a workshop's participants (removed ones too:
// they may be readmitted).
func (s *Store) CountParticipants(ctx context.Context, workshopID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Participant{}).Where("workshop_id = ?", workshopID).Count(&n).Error
	return n, err
}

// CountLiveAttendees counts participants seen in the last window across
// every workshop, for metrics.
func (s *Store) CountLiveAttendees(ctx context.Context, window time.Duration) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Participant{}).Where("last_seen > ? AND removed = ?", s.now().Add(-window), false).Count(&n).Error
	return n, err
}

// NicknameTaken reports whether a nickname is in use in the room.
func (s *Store) NicknameTaken(ctx context.Context, workshopID, nickname string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Participant{}).Where("workshop_id = ? AND nick_key = ?", workshopID, NicknameKey(nickname)).Count(&n).Error
	return n > 0, err
}

// Participant loads one participant of a workshop.
func (s *Store) Participant(ctx context.Context, workshopID, id string) (*Participant, error) {
	var p Participant
	if err := s.db.WithContext(ctx).Take(&p, "workshop_id = ? AND id = ?", workshopID, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// ParticipantOf loads the participant a learner is in a workshop.
func (s *Store) ParticipantOf(ctx context.Context, workshopID, learnerID string) (*Participant, error) {
	var p Participant
	if err := s.db.WithContext(ctx).Take(&p, "workshop_id = ? AND learner_id = ?", workshopID, learnerID).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// Participants lists a workshop's participants in joining order,
// removed ones included.
func (s *Store) Participants(ctx context.Context, workshopID string) ([]Participant, error) {
	var out []Participant
	if err := s.db.WithContext(ctx).Where("workshop_id = ?", workshopID).Order("joined_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("progress: participants: %w", err)
	}
	return out, nil
}

// CountActive counts the participants not removed.
func (s *Store) CountActive(ctx context.Context, workshopID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Participant{}).Where("workshop_id = ? AND removed = ?", workshopID, false).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("progress: count participants: %w", err)
	}
	return int(n), nil
}

// RenameParticipant gives a participant a new (cleaned) nickname; a
// nickname taken by another is ErrConflict.
func (s *Store) RenameParticipant(ctx context.Context, workshopID, id, nickname string) error {
	res := s.db.WithContext(ctx).Model(&Participant{}).Where("workshop_id = ? AND id = ?", workshopID, id).
		Updates(map[string]any{"nickname": nickname, "nick_key": NicknameKey(nickname)})
	if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
		return ErrConflict
	}
	if res.Error != nil {
		return fmt.Errorf("progress: rename participant: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetRemoved removes a participant from the room or readmits them.
func (s *Store) SetRemoved(ctx context.Context, workshopID, id string, removed bool) error {
	res := s.db.WithContext(ctx).Model(&Participant{}).Where("workshop_id = ? AND id = ?", workshopID, id).Update("removed", removed)
	if res.Error != nil {
		return fmt.Errorf("progress: remove participant: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// TouchParticipant records that a participant is at lesson/step now.
// It reports whether the place changed (the board then moves them).
func (s *Store) TouchParticipant(ctx context.Context, p *Participant, lesson, step string, at time.Time) (bool, error) {
	at = at.UTC()
	cols := map[string]any{"last_seen": at}
	moved := lesson != p.Lesson || step != p.Step
	if moved {
		cols["lesson"], cols["step"], cols["step_at"] = lesson, step, at
	}
	if err := s.db.WithContext(ctx).Model(&Participant{}).Where("id = ?", p.ID).Updates(cols).Error; err != nil {
		return false, fmt.Errorf("progress: touch participant: %w", err)
	}
	p.LastSeen = at
	if moved {
		p.Lesson, p.Step, p.StepAt = lesson, step, at
	}
	return moved, nil
}

// LockingWorkshop returns a running workshop the learner attends (not
// removed) that has the lesson locked, or ErrNotFound.
func (s *Store) LockingWorkshop(ctx context.Context, learnerID, slug string) (*Workshop, error) {
	var ws []Workshop
	err := s.db.WithContext(ctx).Model(&Workshop{}).
		Joins("JOIN participants ON participants.workshop_id = workshops.id").
		Where("participants.learner_id = ? AND participants.removed = ? AND workshops.ended_at IS NULL AND workshops.locked <> ''", learnerID, false).
		Find(&ws).Error
	if err != nil {
		return nil, fmt.Errorf("progress: locking workshop: %w", err)
	}
	for i := range ws {
		if slices.Contains(ws[i].LockedSlugs(), slug) {
			return &ws[i], nil
		}
	}
	return nil, ErrNotFound
}
