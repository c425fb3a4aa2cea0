package workshop

// Pacing and the roster: lock or unlock lessons for the room, bring
// everyone to one lesson (or a step in it), queue a lesson's questions
// as a quiz of several rounds, rename, remove or readmit an attendee;
// and where each attendee is, as their screen reports it.

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
)

// lessonOf refuses a slug that is not a lesson of w.
func lessonOf(w *progress.Workshop, slug string) error {
	if !slices.Contains(w.LessonSlugs(), slug) {
		return refuse(Invalid, "“"+slug+"” is not a lesson of this workshop.")
	}
	return nil
}

// Lock locks lesson slug of w for the room, or unlocks it, and returns
// the lessons locked now.
func (e *Engine) Lock(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, slug string, lock bool) ([]string, error) {
	if err := lessonOf(w, slug); err != nil {
		return nil, err
	}
	locked := slices.DeleteFunc(w.LockedSlugs(), func(l string) bool { return l == slug })
	if lock {
		locked = append(locked, slug)
	}
	return locked, e.setLocks(ctx, cat, w, locked)
}

// setLocks stores the locked lessons and tells the room.
func (e *Engine) setLocks(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, locked []string) error {
	if err := e.store.SetLocked(ctx, w.ID, locked); err != nil {
		return err
	}
	w.Locked = strings.Join(locked, " ")
	e.publish(ctx, w.ID, "locks", "", map[string]any{"lessons": lessonRefs(cat, w)})
	return nil
}

// StepPattern is what a step may be: a heading anchor, or nothing.
var StepPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,100}$`)

// Focus is where the instructor sent the room.
type Focus struct {
	Target string `json:"target"` // slug or slug#step
	Lesson string `json:"lesson"`
	Step   string `json:"step"`
	Seq    int    `json:"seq"` // counts the sends, so a screen can tell a new one
}

// Bring moves every attendee's screen to lesson slug of w, at step (a
// heading anchor) when not "". A locked lesson is unlocked first.
func (e *Engine) Bring(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, slug, step string) (*Focus, error) {
	if err := lessonOf(w, slug); err != nil {
		return nil, err
	}
	if !StepPattern.MatchString(step) {
		return nil, refuse(Invalid, "The step must be a heading anchor of the lesson (letters, digits, - and _).")
	}
	if locked := w.LockedSlugs(); slices.Contains(locked, slug) {
		if err := e.setLocks(ctx, cat, w, slices.DeleteFunc(locked, func(l string) bool { return l == slug })); err != nil {
			return nil, err
		}
	}
	f := &Focus{Target: slug, Lesson: slug, Step: step}
	if step != "" {
		f.Target += "#" + step
	}
	var err error
	if f.Seq, err = e.store.SetFocus(ctx, w.ID, f.Target); err != nil {
		return nil, err
	}
	e.publish(ctx, w.ID, "focus", "", f)
	return f, nil
}

// Queue queues every question of lesson slug that can be a round after
// the ones queued (none twice); clear empties the queue instead. It
// returns the queue.
func (e *Engine) Queue(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, slug string, clear bool) ([]string, error) {
	queue := w.QueueIDs()
	if clear {
		queue = nil
	} else {
		if err := lessonOf(w, slug); err != nil {
			return nil, err
		}
		l, err := cat.Lesson(slug)
		if err != nil {
			return nil, err
		}
		for _, q := range l.Quizzes {
			if CanBeRound(q) && !slices.Contains(queue, q.ID) {
				queue = append(queue, q.ID)
			}
		}
	}
	if err := e.store.SetQueue(ctx, w.ID, queue); err != nil {
		return nil, err
	}
	e.publish(ctx, w.ID, "queue", ToInstructor, map[string]any{"queue": queue})
	return queue, nil
}

// Rename gives attendee p of w the nickname typed, cleaned, and returns
// it; the attendee's screen and the board hear of it.
func (e *Engine) Rename(ctx context.Context, w *progress.Workshop, p *progress.Participant, typed string) (string, error) {
	nick, err := progress.CleanNickname(typed)
	var ne *progress.NicknameError
	if errors.As(err, &ne) {
		return "", refuse(Invalid, ne.Reason)
	}
	if err != nil {
		return "", err
	}
	switch err := e.store.RenameParticipant(ctx, w.ID, p.ID, nick); {
	case errors.Is(err, progress.ErrConflict):
		return "", refuse(Conflict, "“"+nick+"” is taken in this room.")
	case err != nil:
		return "", err
	}
	e.publish(ctx, w.ID, "renamed", p.ID, map[string]string{"nickname": nick})
	e.publish(ctx, w.ID, "roster", ToInstructor, map[string]string{"renamed": nick})
	return nick, nil
}

// SetRemoved takes attendee p out of the room (their screen says so and
// their cookie no longer gets them back in), or lets them back.
func (e *Engine) SetRemoved(ctx context.Context, w *progress.Workshop, p *progress.Participant, removed bool) error {
	if err := e.store.SetRemoved(ctx, w.ID, p.ID, removed); err != nil {
		return err
	}
	if removed {
		e.publish(ctx, w.ID, "removed", p.ID, struct{}{})
	}
	e.publish(ctx, w.ID, "roster", ToInstructor, map[string]any{"removed": removed, "nickname": p.Nickname})
	// One fewer to wait for: the open round may now be complete.
	if r, err := e.store.CurrentRound(ctx, w.ID); err == nil && r.Open(e.clock.Now()) {
		return e.afterAnswer(ctx, w, r)
	}
	return nil
}

// ActivityKinds are what an attendee's screen reports: a page shown, a
// quiz answered, a lab used.
var ActivityKinds = []string{"visit", "quiz", "lab"}

// visitEvery: a visit that changes nothing is written at most this often.
const visitEvery = 30 * time.Second

// Activity records where attendee p is (lesson, and step: an anchor) and
// what they did (kind), and moves them on the board. It reports whether
// anything was written.
func (e *Engine) Activity(ctx context.Context, w *progress.Workshop, p *progress.Participant, lesson, step, kind string) (bool, error) {
	if lesson != "" && !slices.Contains(w.LessonSlugs(), lesson) {
		return false, refuse(Invalid, "“"+lesson+"” is not a lesson of this workshop.")
	}
	if lesson != "" && slices.Contains(w.LockedSlugs(), lesson) {
		return false, refuse(Conflict, "“"+lesson+"” is locked: the instructor has not opened it for the room yet.")
	}
	if !StepPattern.MatchString(step) || !slices.Contains(ActivityKinds, kind) {
		return false, refuse(Invalid, "The activity report is malformed: step must be an anchor and kind one of "+strings.Join(ActivityKinds, ", ")+".")
	}
	now := e.clock.Now()
	if kind == "visit" && lesson == p.Lesson && step == p.Step && now.Sub(p.LastSeen) < visitEvery {
		return false, nil
	}
	moved, err := e.store.TouchParticipant(ctx, p, lesson, step, now)
	if err != nil {
		return false, err
	}
	if moved || kind != "visit" {
		e.publish(ctx, w.ID, "activity", ToInstructor, map[string]string{"id": p.ID, "lesson": lesson, "kind": kind})
	}
	return true, nil
}
