package workshop

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
)

// Store is what the engine needs of the database: the workshop, roster,
// round and room-progress methods of *progress.Store, nothing else.
type Store interface {
	// Instructors.
	LearnerByUsername(ctx context.Context, username string) (*progress.Learner, error)
	SetInstructor(ctx context.Context, id string, on bool) error

	// The workshop.
	CreateWorkshop(ctx context.Context, w *progress.Workshop) error
	Workshop(ctx context.Context, id string) (*progress.Workshop, error)
	WorkshopByCode(ctx context.Context, code string) (*progress.Workshop, error)
	SetLocked(ctx context.Context, id string, slugs []string) error
	SetQueue(ctx context.Context, id string, questionIDs []string) error
	SetFocus(ctx context.Context, id, target string) (int, error)
	SetMoment(ctx context.Context, id, moment string, at time.Time) error
	SetPodium(ctx context.Context, id string, at time.Time) error
	EndWorkshop(ctx context.Context, id string, at time.Time) error

	// The roster.
	Join(ctx context.Context, workshopID, learnerID, nickname string, at time.Time) (*progress.Participant, bool, error)
	CountParticipants(ctx context.Context, workshopID string) (int64, error)
	NicknameTaken(ctx context.Context, workshopID, nickname string) (bool, error)
	Participant(ctx context.Context, workshopID, id string) (*progress.Participant, error)
	ParticipantOf(ctx context.Context, workshopID, learnerID string) (*progress.Participant, error)
	Participants(ctx context.Context, workshopID string) ([]progress.Participant, error)
	CountActive(ctx context.Context, workshopID string) (int, error)
	RenameParticipant(ctx context.Context, workshopID, id, nickname string) error
	SetRemoved(ctx context.Context, workshopID, id string, removed bool) error
	TouchParticipant(ctx context.Context, p *progress.Participant, lesson, step string, at time.Time) (bool, error)
	SetLabCheck(ctx context.Context, p *progress.Participant, session, token int, at time.Time) error

	// Rounds and their answers.
	StartRound(ctx context.Context, r *progress.Round) error
	Round(ctx context.Context, workshopID, id string) (*progress.Round, error)
	CurrentRound(ctx context.Context, workshopID string) (*progress.Round, error)
	Rounds(ctx context.Context, workshopID string) ([]progress.Round, error)
	CloseRound(ctx context.Context, id string, at time.Time) (bool, error)
	RevealRound(ctx context.Context, id string, at time.Time) (bool, error)
	AnswerRound(ctx context.Context, a *progress.RoundAnswer) (*progress.RoundAnswer, bool, error)
	RoundAnswerOf(ctx context.Context, roundID, participantID string) (*progress.RoundAnswer, error)
	RoundAnswers(ctx context.Context, roundID string) ([]progress.RoundAnswer, error)
	WorkshopAnswers(ctx context.Context, workshopID string) ([]progress.RoundAnswer, error)
	CountRoundAnswers(ctx context.Context, roundID string) (int, error)
	Standings(ctx context.Context, workshopID string) ([]progress.Standing, error)

	// What the course tables say about the room's learners.
	RoomProgress(ctx context.Context, learnerIDs []string) (*progress.RoomProgress, error)
	Attempts(ctx context.Context, learnerID string, limit int) ([]progress.Attempt, error)
}

// Course hands out the current course (a round closed by its timer needs
// it, with no request to bring it).
type Course interface {
	Catalog() (*lessons.Catalog, error)
}

// Config is what an Engine is built from.
type Config struct {
	Store  Store
	Hub    live.Hub // nil: in process
	Course Course
	Labs   LabState     // the attendees' labs, for the lab moment's tally; nil: none
	Logger *slog.Logger // nil: discard
	Clock  live.Clock   // nil: the wall clock
}

// Engine is one replica's side of every workshop. It is safe for
// concurrent use.
type Engine struct {
	store  Store
	hub    live.Hub
	course Course
	labs   LabState
	log    *slog.Logger
	clock  live.Clock

	mu     sync.Mutex
	timers map[string]live.Timer // round ID -> the timer that closes it
	custom sync.Map              // round ID -> *quiz.Question written on the spot, read once
}

// New builds an engine.
func New(c Config) *Engine {
	if c.Hub == nil {
		c.Hub = live.NewLocal()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = live.RealClock{}
	}
	return &Engine{store: c.Store, hub: c.Hub, course: c.Course, labs: c.Labs, log: c.Logger, clock: c.Clock, timers: map[string]live.Timer{}}
}

// SetClock replaces the clock rounds run on. Tests call it before the
// engine is first used.
func (e *Engine) SetClock(c live.Clock) { e.clock = c }

// Now is the engine's time.
func (e *Engine) Now() time.Time { return e.clock.Now() }

// Topic is the hub topic of one workshop: every event of the room.
func Topic(workshopID string) string { return "workshop:" + workshopID }

// ToInstructor is the audience of an event for the instructor's board
// alone; "" is everyone and a participant ID that attendee alone.
const ToInstructor = "instructor"

// Subscribe starts receiving a workshop's events.
func (e *Engine) Subscribe(workshopID string) *live.Subscription {
	return e.hub.Subscribe(Topic(workshopID))
}

// ForInstructor says whether the board's stream carries ev: everything
// for everyone, plus the board's own. The board's stream never ends on
// an event.
func ForInstructor(ev live.Event) (send, last bool) {
	return ev.To == "" || ev.To == ToInstructor, false
}

// ForAttendee is the filter of one attendee's stream: events for
// everyone and those for them alone; their removal is their last.
func ForAttendee(participantID string) func(live.Event) (send, last bool) {
	return func(ev live.Event) (send, last bool) {
		mine := ev.To == participantID
		return ev.To == "" || mine, mine && ev.Name == "removed"
	}
}

// publish sends an event to the room. A lost event is logged, not
// fatal: the state is in the database and streams resync.
func (e *Engine) publish(ctx context.Context, workshopID, name, to string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		e.log.ErrorContext(ctx, "encode workshop event", "event", name, "err", err)
		return
	}
	ev := live.Event{Topic: Topic(workshopID), Name: name, To: to, Data: b}
	if err := e.hub.Publish(context.WithoutCancel(ctx), ev); err != nil {
		e.log.WarnContext(ctx, "publish workshop event", "event", name, "err", err)
	}
}

// schedule closes the round at its deadline on this replica. Should
// this replica be gone by then, the round still reads as closed after
// its deadline everywhere, the next answer or reveal records the close
// (see settle), and the instructor's board asks for it at zero.
func (e *Engine) schedule(workshopID, roundID string, deadline time.Time) {
	t := e.clock.AfterFunc(deadline.Sub(e.clock.Now()), func() {
		e.mu.Lock()
		delete(e.timers, roundID)
		e.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.CloseRound(ctx, workshopID, roundID); err != nil {
			e.log.Warn("close round at its deadline", "round", roundID, "err", err)
		}
	})
	e.mu.Lock()
	e.timers[roundID] = t
	e.mu.Unlock()
}

// Unschedule stops this replica's timer of a round: the round closed
// early (or, in tests, the replica that started it is gone).
func (e *Engine) Unschedule(roundID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.timers[roundID]; ok {
		t.Stop()
		delete(e.timers, roundID)
	}
}
