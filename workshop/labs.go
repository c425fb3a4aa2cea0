package workshop

// The room-wide lab moment: the instructor revokes every attendee's lab
// sessions (or denies their lab tokens) at once; every attendee's lab
// then checks both of its sides and reports, and the board tallies the
// reports (see Moment).

import (
	"context"
	"errors"
	"strconv"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
)

// LabResult counts what a room-wide lab action touched.
type LabResult = sandbox.RoomResult

// RoomLabs runs act on the labs of every attendee still in the room (act
// gets the attendee's learner ID, the owner of their labs) and tells the
// room as event. With moment set the action is recorded as the room's
// lab moment, so the board tallies the lab checks that come back from
// it; every attendee's screen hears the event and has its lab check
// itself.
func (e *Engine) RoomLabs(ctx context.Context, w *progress.Workshop, event string, moment bool, act func(owner string) (LabResult, error)) (LabResult, error) {
	var total LabResult
	ps, err := e.store.Participants(ctx, w.ID)
	if err != nil {
		return total, err
	}
	for _, p := range ps {
		if p.Removed {
			continue
		}
		r, err := act(p.LearnerID)
		if err != nil {
			return total, err
		}
		total.Labs += r.Labs
		total.Sessions += r.Sessions
		total.Tokens += r.Tokens
	}
	if moment {
		if err := e.store.SetMoment(ctx, w.ID, event, e.clock.Now()); err != nil {
			return total, err
		}
	}
	e.publish(ctx, w.ID, event, "", total)
	return total, nil
}

// LabAction is a room-wide lab action, named as the event the room
// hears.
type LabAction string

// The room-wide lab actions: the moment's two steps, and the deny-list
// turned off again (no moment: nothing to tally).
const (
	RevokeSessions LabAction = "labs-revoked"      // every lab session dies; tokens live on
	DenyTokens     LabAction = "labs-denylist"     // the deny-list on, every lab token on it
	DenylistOff    LabAction = "labs-denylist-off" // the deny-list off again
)

// RunLabs runs action on the labs of every attendee still in the room
// (see RoomLabs), through the engine's LabState.
func (e *Engine) RunLabs(ctx context.Context, w *progress.Workshop, action LabAction) (LabResult, error) {
	if e.labs == nil {
		return LabResult{}, errors.New("workshop: no labs to act on")
	}
	act := map[LabAction]func(owner string) (LabResult, error){
		RevokeSessions: func(o string) (LabResult, error) { return e.labs.RevokeOwnerSessions(ctx, o) },
		DenyTokens:     func(o string) (LabResult, error) { return e.labs.DenyOwnerTokens(ctx, o) },
		DenylistOff:    func(o string) (LabResult, error) { return e.labs.SetOwnerDenylist(ctx, o, false) },
	}[action]
	if act == nil {
		return LabResult{}, refuse(Invalid, "There is no room-wide lab action “"+string(action)+"”.")
	}
	return e.RoomLabs(ctx, w, string(action), action != DenylistOff, act)
}

// LabCheck records how attendee p's lab fared after the room-wide
// moment: session and token are the HTTP status each side answered, as
// text, "0" for a side that was not logged in. It is what the attendee's
// own browser saw, for the board to tally; it grants nothing.
func (e *Engine) LabCheck(ctx context.Context, w *progress.Workshop, p *progress.Participant, session, token string) error {
	if w.Ended() {
		return refuse(Conflict, "This workshop has ended; there is nothing left to report.")
	}
	if w.Moment == "" {
		return refuse(Conflict, "There is no room-wide lab moment to report on: the instructor has not revoked the room's labs.")
	}
	s, okS := reportedStatus(session)
	t, okT := reportedStatus(token)
	if !okS || !okT {
		return refuse(Invalid, "Report both sides of the lab: session and token must each be an HTTP status (100–599), or 0 for a side that was not logged in.")
	}
	if err := e.store.SetLabCheck(ctx, p, s, t, e.clock.Now()); err != nil {
		return err
	}
	e.publish(ctx, w.ID, "labcheck", ToInstructor, map[string]any{"id": p.ID, "session": s, "token": t})
	return nil
}

// reportedStatus parses a reported status: 0 (nothing to check) or
// 100–599. A side left out (or empty) is no report: the lab always sends
// both.
func reportedStatus(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && (n == 0 || (n >= 100 && n <= 599))
}
