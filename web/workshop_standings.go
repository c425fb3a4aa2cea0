package web

// The reveal, the leaderboard and the podium.

import (
	"context"
	"net/http"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// revealRound (POST /workshops/:id/rounds/:round/reveal) shows the right
// answer, the explanation and the leaderboard to the room.
func (s *Server) revealRound(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	r, ok := s.roundOf(c, w)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	r, err := s.settleRound(ctx, r)
	if err != nil {
		s.fail(c, err)
		return
	}
	if r.ClosedAt == nil {
		s.problem(c, http.StatusConflict, "The round is still running: end it first, or wait for the countdown.")
		return
	}
	data, err := s.reveal(ctx, cat, w, r)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.boardReply(c, w, http.StatusOK, data)
}

// reveal marks the closed round r revealed and tells the room: the
// answer, the leaderboard that now counts it, and each attendee's own
// result.
func (s *Server) reveal(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, r *progress.Round) (gin.H, error) {
	if _, err := s.store.RevealRound(ctx, r.ID, s.ws.clock.Now()); err != nil {
		return nil, err
	}
	r.RevealedAt = new(time.Time)
	rv, err := s.publicRound(ctx, cat, w, r)
	if err != nil {
		return nil, err
	}
	board, scores, err := s.leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	answers, err := s.store.RoundAnswers(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	// Each attendee's own result rides in the one event, keyed by
	// participant, so no one needs to ask for it.
	mine := make(map[string]revealMine, len(scores))
	for id, st := range scores {
		mine[id] = revealMine{Rank: st.Rank, Points: st.Points, Right: st.Right}
	}
	for _, a := range answers {
		m := mine[a.ParticipantID]
		m.Round, m.Correct, m.Answered = a.Points, a.Correct, true
		mine[a.ParticipantID] = m
	}
	data := gin.H{"round": rv, "leaderboard": top(board, 10), "mine": mine}
	s.publish(ctx, w.ID, "reveal", "", data)
	return data, nil
}

// revealMine is one attendee's line in a reveal event.
type revealMine struct {
	Rank     int  `json:"rank"`
	Points   int  `json:"points"` // total so far
	Right    int  `json:"right"`
	Round    int  `json:"round"` // points in this round
	Correct  bool `json:"correct"`
	Answered bool `json:"answered"`
}

// leaderboard ranks the room (ties share a rank) and indexes it by
// participant. Removed attendees are left out.
func (s *Server) leaderboard(ctx context.Context, workshopID string) ([]standingView, map[string]standingView, error) {
	parts, err := s.store.Participants(ctx, workshopID)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.store.Standings(ctx, workshopID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(parts))
	for _, p := range parts {
		if !p.Removed {
			names[p.ID] = p.Nickname
		}
	}
	var out []standingView
	seen := map[string]bool{}
	for _, x := range st {
		if name, ok := names[x.ParticipantID]; ok {
			out = append(out, standingView{ID: x.ParticipantID, Nickname: name, Points: x.Points, Right: x.Right, Answered: x.Answered})
			seen[x.ParticipantID] = true
		}
	}
	for _, p := range parts { // who has not answered yet still has a place
		if !p.Removed && !seen[p.ID] {
			out = append(out, standingView{ID: p.ID, Nickname: p.Nickname})
		}
	}
	byID := make(map[string]standingView, len(out))
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Points == out[i-1].Points && out[i].Right == out[i-1].Right {
			out[i].Rank = out[i-1].Rank
		}
		byID[out[i].ID] = out[i]
	}
	return out, byID, nil
}

func top(list []standingView, n int) []standingView { return list[:min(n, len(list))] }

// podium (POST /workshops/:id/podium) shows the top three to the room.
func (s *Server) podium(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	board, _, err := s.leaderboard(c.Request.Context(), w.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := gin.H{"podium": top(board, 3), "leaderboard": top(board, 10)}
	s.publish(c.Request.Context(), w.ID, "podium", "", data)
	s.boardReply(c, w, http.StatusOK, data)
}
