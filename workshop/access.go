package workshop

// Who may see and do what: an instructor their own workshops, an
// attendee the workshop they joined until removed; an ended workshop is
// read-only.

import (
	"context"
	"errors"
	"strings"

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

// Find is ByCode for a code typed into the /join form: a code that
// cannot be one is Invalid, with what a code looks like.
func (e *Engine) Find(ctx context.Context, typed string) (*progress.Workshop, error) {
	if _, ok := progress.NormalizeJoinCode(typed); !ok {
		return nil, refuse(Invalid, "A workshop code has 6 letters and digits, like the one on the instructor's screen (there is no O, I, L, S, Z or B in a code, and no 0, 1, 2, 5 or 8).")
	}
	return e.ByCode(ctx, typed)
}

// Promote gives the account username the instructor role, at the
// request of instructor by, and says what happened; a name that is no
// account is refused.
func (e *Engine) Promote(ctx context.Context, by, username string) (string, error) {
	name := strings.TrimSpace(username)
	if name == "" {
		return "", refuse(Invalid, "Type the username of the account to make an instructor.")
	}
	l, err := e.store.LearnerByUsername(ctx, name)
	if errors.Is(err, progress.ErrNotFound) {
		return "", refuse(Invalid, "There is no account called “"+name+"”. They need to sign up first.")
	}
	if err != nil {
		return "", err
	}
	if l.Instructor && l.ID == by {
		return "You are already an instructor: nothing changed.", nil
	}
	if l.Instructor {
		return name + " is already an instructor: nothing changed.", nil
	}
	if err := e.store.SetInstructor(ctx, l.ID, true); err != nil {
		return "", err
	}
	return name + " is now an instructor: the Workshops page is theirs from their next page view.", nil
}
