package interview

import (
	"context"
	"time"

	"github.com/authlab/authlab/progress"
)

// Store is what interview mode reads and writes: the few methods of
// progress.Store it uses, so tests can fake them and nothing else of the
// store is within reach.
type Store interface {
	RecordAttempt(ctx context.Context, a *progress.Attempt) (*progress.Attempt, error)
	AttemptsSince(ctx context.Context, learnerID string, since time.Time, sources ...string) ([]progress.Attempt, error)
	Tallies(ctx context.Context, learnerID string) ([]progress.Tally, error)
	PracticeDays(ctx context.Context, learnerID string, offset time.Duration) ([]string, error)
	Card(ctx context.Context, learnerID, questionID string) (*progress.Card, error)
	Cards(ctx context.Context, learnerID string) ([]progress.Card, error)
	SaveCard(ctx context.Context, c *progress.Card) error
}

// Service is interview mode over a learner's stored history. It holds
// no state of its own; build one wherever a Store is at hand.
type Service struct {
	store Store
	now   func() time.Time
}

// New is a Service over store, on the real clock.
func New(store Store) *Service { return &Service{store: store, now: time.Now} }

// WithClock is the service on another clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}
