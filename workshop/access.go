package workshop

// Who may see and do what: an instructor their own workshops, an
// attendee the workshop they joined until removed; an ended workshop is
// read-only.

import (
	"context"
	"errors"

	"github.com/authlab/authlab/progress"
)

// Own loads workshop id for the instructor learnerID.
func (e *Engine) Own(ctx context.Context, id, learnerID string) (*progress.Workshop, error) {
	w, err := e.store.Workshop(ctx, id)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, refuse(NotFound, "There is no workshop "+id+". Your workshops are listed on the Workshops page.")
	}
	if err != nil {
		return nil, err
	}
	if w.OwnerID != learnerID {
		return nil, refuse(Forbidden, "This workshop is run by another instructor; only they can see its board.")
	}
	return w, nil
}

// Writable refuses a change to an ended workshop.
func Writable(w *progress.Workshop) error {
	if w.Ended() {
		return refuse(Conflict, "This workshop has ended and is read-only. Its results and CSV export are still here.")
	}
	return nil
}

// ByCode loads the workshop of a join code as typed (any case, with
// spaces or a dash).
func (e *Engine) ByCode(ctx context.Context, typed string) (*progress.Workshop, error) {
	code, ok := progress.NormalizeJoinCode(typed)
	if !ok {
		return nil, refuse(NotFound, "“"+typed+"” is not a workshop code. A code has 6 letters and digits, as shown on the instructor's screen.")
	}
	w, err := e.store.WorkshopByCode(ctx, code)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, refuse(NotFound, "No workshop has the code "+code+". Check the code on the instructor's screen.")
	}
	return w, err
}

// Member is the participant learnerID is in w, removed or not; nil when
// they have not joined (or learnerID is "": a visitor without one).
func (e *Engine) Member(ctx context.Context, w *progress.Workshop, learnerID string) (*progress.Participant, error) {
	if learnerID == "" {
		return nil, nil
	}
	p, err := e.store.ParticipantOf(ctx, w.ID, learnerID)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// Attendee is the participant learnerID is in w, refused when they have
// not joined or were removed.
func (e *Engine) Attendee(ctx context.Context, w *progress.Workshop, learnerID string) (*progress.Participant, error) {
	p, err := e.Member(ctx, w, learnerID)
	switch {
	case err != nil:
		return nil, err
	case p == nil:
		return nil, refuse(Forbidden, "Join the workshop first: open /w/"+w.Code+" and pick a nickname.")
	case p.Removed:
		return nil, refuse(Forbidden, "The instructor has removed you from this workshop. Ask them to readmit you.")
	}
	return p, nil
}

// RoundOf loads round id of w.
func (e *Engine) RoundOf(ctx context.Context, w *progress.Workshop, id string) (*progress.Round, error) {
	r, err := e.store.Round(ctx, w.ID, id)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, refuse(NotFound, "This workshop has no round "+id+".")
	}
	return r, err
}

// ParticipantOf loads attendee id of w, for its instructor.
func (e *Engine) ParticipantOf(ctx context.Context, w *progress.Workshop, id string) (*progress.Participant, error) {
	p, err := e.store.Participant(ctx, w.ID, id)
	if errors.Is(err, progress.ErrNotFound) {
		return nil, refuse(NotFound, "This workshop has no attendee "+id+".")
	}
	return p, err
}
