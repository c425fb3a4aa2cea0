package web

// The instructor's live board and the event streams. The board is a
// snapshot built from the database (roster, where each attendee is,
// lessons completed, quiz results, lab milestones, who looks stuck, the
// current round, the leaderboard); the stream tells the page when to
// fetch a new one, and carries round events whole.

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

const (
	// stuckAfter: an attendee with no progress (a new step, an answer,
	// a completed lesson, a lab milestone) for this long is highlighted.
	stuckAfter = 5 * time.Minute
	// heartbeat keeps idle streams open through proxies.
	heartbeat = 20 * time.Second
)

// boardState is the instructor's view of the room.
type boardState struct {
	ID           string           `json:"id"`
	Workshop     workshopPublic   `json:"workshop"`
	JoinURL      string           `json:"joinUrl"`
	Participants []participantRow `json:"participants"`
	Active       int              `json:"active"`
	Round        *roundView       `json:"round"`
	Leaderboard  []standingView   `json:"leaderboard"`
	Lessons      []lessonStat     `json:"lessons"`
	Hardest      []questionStat   `json:"hardest"`
	Queue        []queuedQuestion `json:"queue"`
	StuckMinutes int              `json:"stuckMinutes"`
	Moment       *momentView      `json:"moment"`
	Now          int64            `json:"now"`
}

// momentView is the room-wide lab moment as the attendees' lab pages saw
// it: after the instructor revoked every lab session (or denied every
// lab token), each attendee's lab checks both sides and reports the
// answers; the board tallies them.
type momentView struct {
	Kind     string        `json:"kind"` // labs-revoked or labs-denylist
	At       int64         `json:"at"`   // Unix ms
	Reported int           `json:"reported"`
	Active   int           `json:"active"`
	Session  sideTally     `json:"session"`
	Token    sideTally     `json:"token"`
	Checks   []labCheckRow `json:"checks"`
}

// sideTally counts one side of the labs that reported: still let in,
// refused, or not logged in on that side.
type sideTally struct {
	In      int `json:"in"`
	Refused int `json:"refused"`
	None    int `json:"none"`
}

func (t *sideTally) add(status int) {
	switch {
	case status == 0:
		t.None++
	case status < 400:
		t.In++
	default:
		t.Refused++
	}
}

type labCheckRow struct {
	Nickname string `json:"nickname"`
	Session  int    `json:"session"`
	Token    int    `json:"token"`
}

type participantRow struct {
	ID           string `json:"id"`
	Nickname     string `json:"nickname"`
	Removed      bool   `json:"removed"`
	Lesson       string `json:"lesson"`
	LessonTitle  string `json:"lessonTitle"`
	Completed    int    `json:"completed"`
	QuizRight    int    `json:"quizRight"`
	QuizAnswered int    `json:"quizAnswered"`
	Points       int    `json:"points"`
	Milestones   int    `json:"milestones"`
	LastActivity int64  `json:"lastActivity"` // Unix ms
	Idle         string `json:"idle"`
	Stuck        bool   `json:"stuck"`
}

type lessonStat struct {
	lessonRef
	Focus     bool `json:"focus"` // the last "bring everyone here" target
	Here      int  `json:"here"`
	Completed int  `json:"completed"`
	Answered  int  `json:"answered"` // quiz answers given by the room
	RightPct  int  `json:"rightPct"`
}

type questionStat struct {
	ID       string `json:"id"`
	Lesson   string `json:"lesson"`
	Prompt   string `json:"prompt"`
	Answered int    `json:"answered"`
	RightPct int    `json:"rightPct"`
}

type queuedQuestion struct {
	ID     string `json:"id"`
	Prompt string `json:"prompt"`
}

// buildBoard reads the room in a handful of queries.
func (s *Server) buildBoard(c *gin.Context, cat *lessons.Catalog, w *progress.Workshop) (*boardState, error) {
	ctx := c.Request.Context()
	now := s.ws.clock.Now()
	b := &boardState{ID: w.ID, JoinURL: s.joinURL(c, w.Code), StuckMinutes: int(stuckAfter / time.Minute), Now: now.UnixMilli(),
		Workshop: workshopPublic{Title: w.Title, Code: w.Code, Ended: w.Ended(), Lessons: workshopLessons(cat, w), Focus: w.Focus, FocusSeq: w.FocusSeq}}
	parts, err := s.store.Participants(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	learners := make([]string, 0, len(parts))
	for _, p := range parts {
		learners = append(learners, p.LearnerID)
	}
	rp, err := s.store.RoomProgress(ctx, learners)
	if err != nil {
		return nil, err
	}
	board, byID, err := s.leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	b.Leaderboard = top(board, 10)

	inWorkshop := map[string]bool{}
	stats := map[string]*lessonStat{}
	for i := range b.Workshop.Lessons {
		ref := b.Workshop.Lessons[i]
		inWorkshop[ref.Slug] = true
		stats[ref.Slug] = &lessonStat{lessonRef: ref, Focus: ref.Slug == strings.SplitN(w.Focus, "#", 2)[0]}
	}
	if w.Moment != "" && w.MomentAt != nil {
		b.Moment = &momentView{Kind: w.Moment, At: w.MomentAt.UnixMilli()}
	}
	type tally struct{ answered, right int }
	perQuestion := map[string]*tally{}
	for _, p := range parts {
		if m := b.Moment; m != nil && !p.Removed {
			m.Active++
			if p.LabCheckAt != nil && !p.LabCheckAt.Before(*w.MomentAt) {
				m.Reported++
				m.Session.add(p.LabSession)
				m.Token.add(p.LabToken)
				m.Checks = append(m.Checks, labCheckRow{p.Nickname, p.LabSession, p.LabToken})
			}
		}
		row := participantRow{ID: p.ID, Nickname: p.Nickname, Removed: p.Removed, Lesson: p.Lesson, Points: byID[p.ID].Points}
		progressAt := latest(p.StepAt, p.JoinedAt)
		lessonDone := false
		for _, lp := range rp.Lessons[p.LearnerID] {
			if lp.CompletedAt != nil && inWorkshop[lp.Slug] {
				row.Completed++
				progressAt = latest(progressAt, *lp.CompletedAt)
				if !p.Removed {
					stats[lp.Slug].Completed++
				}
				if lp.Slug == p.Lesson {
					lessonDone = true
				}
			}
		}
		for qid, m := range rp.Quiz[p.LearnerID] {
			l, ok := cat.LessonOf(qid)
			if !ok || !inWorkshop[l.Slug] {
				continue
			}
			row.QuizAnswered++
			progressAt = latest(progressAt, m.Last)
			t := perQuestion[qid]
			if t == nil {
				t = &tally{}
				perQuestion[qid] = t
			}
			t.answered++
			if m.Correct {
				row.QuizRight++
				t.right++
			}
		}
		for _, m := range rp.Milestones[p.LearnerID] {
			row.Milestones++
			progressAt = latest(progressAt, m.At)
		}
		last := latest(p.LastSeen, progressAt)
		row.LastActivity = last.UnixMilli()
		row.Idle = idleFor(now.Sub(last))
		if l, err := cat.Lesson(p.Lesson); err == nil {
			row.LessonTitle = l.Title
		}
		row.Stuck = !p.Removed && !w.Ended() && !lessonDone && now.Sub(progressAt) >= stuckAfter
		if !p.Removed {
			b.Active++
			if st := stats[p.Lesson]; st != nil {
				st.Here++
			}
		}
		b.Participants = append(b.Participants, row)
	}
	rightIn := map[string]int{}
	for qid, t := range perQuestion {
		l, _ := cat.LessonOf(qid)
		stats[l.Slug].Answered += t.answered
		rightIn[l.Slug] += t.right
		q, _ := cat.Bank.Question(qid)
		b.Hardest = append(b.Hardest, questionStat{ID: qid, Lesson: l.Title, Prompt: plainPrompt(q), Answered: t.answered, RightPct: pct(t.right, t.answered)})
	}
	for slug, st := range stats {
		st.RightPct = pct(rightIn[slug], st.Answered)
	}
	for i := range b.Workshop.Lessons {
		b.Lessons = append(b.Lessons, *stats[b.Workshop.Lessons[i].Slug])
	}
	sort.Slice(b.Hardest, func(i, j int) bool {
		if b.Hardest[i].RightPct != b.Hardest[j].RightPct {
			return b.Hardest[i].RightPct < b.Hardest[j].RightPct
		}
		if b.Hardest[i].Answered != b.Hardest[j].Answered {
			return b.Hardest[i].Answered > b.Hardest[j].Answered
		}
		return b.Hardest[i].ID < b.Hardest[j].ID
	})
	b.Hardest = b.Hardest[:min(5, len(b.Hardest))]
	for _, id := range w.QueueIDs() {
		if q, ok := cat.Bank.Question(id); ok {
			b.Queue = append(b.Queue, queuedQuestion{ID: id, Prompt: plainPrompt(q)})
		}
	}
	r, err := s.store.CurrentRound(ctx, w.ID)
	if errors.Is(err, progress.ErrNotFound) {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	b.Round, err = s.publicRound(ctx, cat, w, r)
	return b, err
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func pct(n, of int) int {
	if of == 0 {
		return 0
	}
	return (100*n + of/2) / of
}

// idleFor is how long ago, for the roster.
func idleFor(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	default:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	}
}

// plainPrompt is a question's prompt (or statement) as short plain text.
func plainPrompt(q *quiz.Question) string {
	if q == nil {
		return ""
	}
	t := q.Prompt
	if t == "" {
		t = q.Statement
	}
	if r := []rune(t); len(r) > 140 {
		t = string(r[:139]) + "…"
	}
	return t
}

// boardPage is the board: the same snapshot, rendered for a first paint
// that works without JavaScript, plus what the forms offer.
type boardPage struct {
	Page
	Workshop  *progress.Workshop
	Board     *boardState
	Questions []questionGroup
	When      string // the planned start and end, if set
}

type questionGroup struct {
	Lesson    string
	Slug      string
	Questions []queuedQuestion
}

// ownBoard answers for the instructor's own workshop: it, the course and
// the board built now.
func (s *Server) ownBoard(c *gin.Context) (*progress.Workshop, *lessons.Catalog, *boardState, bool) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return nil, nil, nil, false
	}
	cat, ok := s.course(c)
	if !ok {
		return nil, nil, nil, false
	}
	b, err := s.buildBoard(c, cat, w)
	if err != nil {
		s.fail(c, err)
		return nil, nil, nil, false
	}
	return w, cat, b, true
}

func (s *Server) workshopBoard(c *gin.Context) {
	w, cat, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	p := boardPage{Page: s.base(c, w.Title, "workshops"), Workshop: w, Board: b, When: workshopWhen(w)}
	for _, slug := range w.LessonSlugs() {
		l, err := cat.Lesson(slug)
		if err != nil {
			continue
		}
		g := questionGroup{Lesson: l.Title, Slug: l.Slug}
		for _, q := range l.Quizzes {
			if roundQuestionOK(q) {
				g.Questions = append(g.Questions, queuedQuestion{ID: q.ID, Prompt: plainPrompt(q)})
			}
		}
		if len(g.Questions) > 0 {
			p.Questions = append(p.Questions, g)
		}
	}
	s.html(c, http.StatusOK, "workshop_board", p)
}

// workshopBoardJSON (GET /workshops/:id/board.json) is the snapshot.
func (s *Server) workshopBoardJSON(c *gin.Context) {
	_, _, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, b)
}
