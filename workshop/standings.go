package workshop

// The reveal, the leaderboard and the podium.

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
)

// Standing is one line of the leaderboard.
type Standing struct {
	Rank     int    `json:"rank"`
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
	Points   int    `json:"points"`
	Right    int    `json:"right"`
	Answered int    `json:"answered"`
	Tied     bool   `json:"tied,omitempty"` // shares the place with another
}

// Rank builds the leaderboard from the roster and the totals of the
// revealed rounds: most points first, then most right answers. Equal
// points and equal right answers share a place (1, 2, 2, 4), and Tied
// says so. Nobody has a place without a point: who has none (no answer
// yet, or none right) is listed after, with Rank 0, so a room where
// nobody has scored has no "#1". Removed attendees are left out. Among
// equals the order of totals holds, then the roster's.
func Rank(parts []progress.Participant, totals []progress.Standing) []Standing {
	names := make(map[string]string, len(parts))
	for _, p := range parts {
		if !p.Removed {
			names[p.ID] = p.Nickname
		}
	}
	var out []Standing
	seen := map[string]bool{}
	for _, x := range totals {
		if name, ok := names[x.ParticipantID]; ok {
			out = append(out, Standing{ID: x.ParticipantID, Nickname: name, Points: x.Points, Right: x.Right, Answered: x.Answered})
			seen[x.ParticipantID] = true
		}
	}
	for _, p := range parts {
		if !p.Removed && !seen[p.ID] {
			out = append(out, Standing{ID: p.ID, Nickname: p.Nickname})
		}
	}
	slices.SortStableFunc(out, func(a, b Standing) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(b.Right, a.Right))
	})
	for i := range out {
		if out[i].Points <= 0 {
			break // sorted: nobody after has a point either
		}
		out[i].Rank = i + 1
		if i > 0 && out[i].Points == out[i-1].Points && out[i].Right == out[i-1].Right {
			out[i].Rank = out[i-1].Rank
			out[i].Tied, out[i-1].Tied = true, true
		}
	}
	return out
}

// Podium is the leaderboard's top three places: everyone placed third
// or better, so a tie can put more than three people on it and nobody
// without a point is ever on it.
func Podium(board []Standing) []Standing {
	var out []Standing
	for _, st := range board {
		if st.Rank < 1 || st.Rank > 3 {
			break
		}
		out = append(out, st)
	}
	return out
}

// byID indexes a leaderboard by participant.
func byID(board []Standing) map[string]Standing {
	m := make(map[string]Standing, len(board))
	for _, st := range board {
		m[st.ID] = st
	}
	return m
}

// Top is the first n lines of a leaderboard.
func Top(board []Standing, n int) []Standing { return board[:min(n, len(board))] }

// Leaderboard ranks the room (see Rank).
func (e *Engine) Leaderboard(ctx context.Context, workshopID string) ([]Standing, error) {
	parts, err := e.store.Participants(ctx, workshopID)
	if err != nil {
		return nil, err
	}
	totals, err := e.store.Standings(ctx, workshopID)
	if err != nil {
		return nil, err
	}
	return Rank(parts, totals), nil
}

// Reveal is what the room learns at a reveal: the answer, the
// leaderboard that now counts the round, and each attendee's own result.
type Reveal struct {
	Round       *RoundView            `json:"round"`
	Leaderboard []Standing            `json:"leaderboard"`
	Mine        map[string]RevealMine `json:"mine"` // by participant ID
}

// RevealMine is one attendee's line in a reveal.
type RevealMine struct {
	Rank     int  `json:"rank"` // 0: no place yet (no point)
	Tied     bool `json:"tied,omitempty"`
	Points   int  `json:"points"` // total so far
	Right    int  `json:"right"`
	Round    int  `json:"round"` // points in this round
	Correct  bool `json:"correct"`
	Answered bool `json:"answered"`
}

// RevealRound shows the right answer, the explanation and the
// leaderboard of round r to the room; a round still running is refused.
func (e *Engine) RevealRound(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, r *progress.Round) (*Reveal, error) {
	r, err := e.settle(ctx, r)
	if err != nil {
		return nil, err
	}
	if r.ClosedAt == nil {
		return nil, refuse(Conflict, "The round is still running: end it first, or wait for the countdown.")
	}
	return e.reveal(ctx, cat, w, r)
}

// reveal marks the closed round r revealed and tells the room.
func (e *Engine) reveal(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, r *progress.Round) (*Reveal, error) {
	if _, err := e.store.RevealRound(ctx, r.ID, e.clock.Now()); err != nil {
		return nil, err
	}
	r.RevealedAt = new(time.Time)
	rv, err := e.publicRound(ctx, cat, w, r)
	if err != nil {
		return nil, err
	}
	board, err := e.Leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	answers, err := e.store.RoundAnswers(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	data := &Reveal{Round: rv, Leaderboard: Top(board, 10), Mine: revealMine(board, answers)}
	e.publish(ctx, w.ID, "reveal", "", data)
	return data, nil
}

// revealMine is each attendee's own result, keyed by participant, so it
// rides in the one event and no one needs to ask for it. Answers of
// removed attendees are in it, though they are off the board.
func revealMine(board []Standing, answers []progress.RoundAnswer) map[string]RevealMine {
	mine := make(map[string]RevealMine, len(board))
	for _, st := range board {
		mine[st.ID] = RevealMine{Rank: st.Rank, Tied: st.Tied, Points: st.Points, Right: st.Right}
	}
	for _, a := range answers {
		m := mine[a.ParticipantID]
		m.Round, m.Correct, m.Answered = a.Points, a.Correct, true
		mine[a.ParticipantID] = m
	}
	return mine
}

// PodiumView is the podium (see Podium), shown to the room, and the
// leaderboard.
type PodiumView struct {
	Podium      []Standing `json:"podium"`
	Leaderboard []Standing `json:"leaderboard"`
}

// ShowPodium shows the podium to the room.
func (e *Engine) ShowPodium(ctx context.Context, w *progress.Workshop) (*PodiumView, error) {
	board, err := e.Leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	data := &PodiumView{Podium: Podium(board), Leaderboard: Top(board, 10)}
	// Stored before it is sent: a screen that misses the event (reloading,
	// offline) finds it in its state (State).
	if err := e.store.SetPodium(ctx, w.ID, e.clock.Now()); err != nil {
		return nil, err
	}
	e.publish(ctx, w.ID, "podium", "", data)
	return data, nil
}
