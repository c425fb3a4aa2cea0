package workshop

// The instructor's live board: a snapshot of the room built from the
// database (roster, where each attendee is, lessons completed, quiz
// results, lab milestones, who looks stuck, the current round, the
// leaderboard). The board's stream tells the page when to fetch a new
// one.

import (
	"context"
	"errors"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
)

// StuckAfter: an attendee with no progress (a new step, an answer, a
// completed lesson, a lab milestone) for this long is highlighted.
const StuckAfter = 5 * time.Minute

// Board is the instructor's view of the room.
type Board struct {
	ID           string           `json:"id"`
	Workshop     Summary          `json:"workshop"`
	JoinURL      string           `json:"joinUrl"`
	Participants []ParticipantRow `json:"participants"`
	Active       int              `json:"active"`
	Round        *RoundView       `json:"round"`
	Leaderboard  []Standing       `json:"leaderboard"`
	Podium       []Standing       `json:"podium"` // see Podium
	Lessons      []LessonStat     `json:"lessons"`
	Hardest      []QuestionStat   `json:"hardest"`
	Queue        []QueuedQuestion `json:"queue"`
	StuckMinutes int              `json:"stuckMinutes"`
	Moment       *Moment          `json:"moment"`
	Now          int64            `json:"now"`
}

// JoinPrefix is the join URL without the code at its end, so a page
// can keep the code from wrapping.
func (b *Board) JoinPrefix() string { return strings.TrimSuffix(b.JoinURL, b.Workshop.Code) }

// Moment is the room-wide lab moment: after the instructor revoked
// every lab session (or denied every lab token), the board tallies how
// each attendee's labs would answer now, read from the labs' state on
// the server (see LabState). Each attendee's lab page also checks both
// sides and reports what it saw: a report adds a line of detail and
// counts as Reported, but the tally is never what attendees say.
type Moment struct {
	Kind     string        `json:"kind"` // labs-revoked or labs-denylist
	At       int64         `json:"at"`   // Unix ms
	Reported int           `json:"reported"`
	Active   int           `json:"active"`
	Session  SideTally     `json:"session"`
	Token    SideTally     `json:"token"`
	Checks   []LabCheckRow `json:"checks"`
}

// SideTally counts one side of the room's labs: still let in, refused,
// or not logged in on that side.
type SideTally struct {
	In      int `json:"in"`
	Refused int `json:"refused"`
	None    int `json:"none"`
}

func (t *SideTally) add(status int) {
	switch {
	case status == 0:
		t.None++
	case status < 400:
		t.In++
	default:
		t.Refused++
	}
}

// LabSides is how each side of an attendee's labs answers, as the HTTP
// status the lab page would see: 0 for a side not logged in.
type LabSides = sandbox.Sides

// LabState is the attendees' labs on the server (a *sandbox.Manager),
// each attendee's by owner (their learner ID): read for the lab
// moment's tally, acted on by the room-wide lab actions (see RunLabs).
type LabState interface {
	OwnerSides(ctx context.Context, owner string) (sandbox.Sides, error)
	RevokeOwnerSessions(ctx context.Context, owner string) (sandbox.RoomResult, error)
	DenyOwnerTokens(ctx context.Context, owner string) (sandbox.RoomResult, error)
	SetOwnerDenylist(ctx context.Context, owner string, on bool) (sandbox.RoomResult, error)
}

var _ LabState = (*sandbox.Manager)(nil)

// LabCheckRow is one attendee's labs after the moment: as the server
// reads them, and as their lab page reported, if it has since.
type LabCheckRow struct {
	Nickname string    `json:"nickname"`
	Session  int       `json:"session"`
	Token    int       `json:"token"`
	Report   *LabSides `json:"report,omitempty"`
}

// tallyMoment counts the active attendees' labs into m: sides holds the
// server's reading of each one's labs by participant ID.
func tallyMoment(m *Moment, momentAt time.Time, parts []progress.Participant, sides map[string]LabSides) {
	for _, p := range parts {
		if p.Removed {
			continue
		}
		m.Active++
		s := sides[p.ID]
		m.Session.add(s.Session)
		m.Token.add(s.Token)
		row := LabCheckRow{Nickname: p.Nickname, Session: s.Session, Token: s.Token}
		if p.LabCheckAt != nil && !p.LabCheckAt.Before(momentAt) {
			m.Reported++
			row.Report = &LabSides{Session: p.LabSession, Token: p.LabToken}
		}
		m.Checks = append(m.Checks, row)
	}
}

// ParticipantRow is one attendee on the board.
type ParticipantRow struct {
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

// LessonStat is how the room does in one lesson of the workshop.
type LessonStat struct {
	LessonRef
	Focus     bool `json:"focus"` // the last "bring everyone here" target
	Here      int  `json:"here"`
	Completed int  `json:"completed"`
	Answered  int  `json:"answered"` // quiz answers given by the room
	RightPct  int  `json:"rightPct"`
}

// QuestionStat is how the room does on one lesson question.
type QuestionStat struct {
	ID         string        `json:"id"`
	Lesson     string        `json:"lesson"`
	Prompt     string        `json:"prompt"`     // plain text
	PromptHTML template.HTML `json:"promptHtml"` // the Markdown rendered
	Answered   int           `json:"answered"`
	RightPct   int           `json:"rightPct"`
}

// QueuedQuestion is a question the board offers or has queued.
type QueuedQuestion struct {
	ID         string        `json:"id"`
	Prompt     string        `json:"prompt"` // plain text, for a <select>
	PromptHTML template.HTML `json:"promptHtml"`
}

// Board reads the room in a handful of queries. joinURL is the address
// attendees open, which only the request knows.
func (e *Engine) Board(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, joinURL string) (*Board, error) {
	parts, err := e.store.Participants(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	learners := make([]string, 0, len(parts))
	for _, p := range parts {
		learners = append(learners, p.LearnerID)
	}
	rp, err := e.store.RoomProgress(ctx, learners)
	if err != nil {
		return nil, err
	}
	totals, err := e.store.Standings(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	sides, err := e.labSides(ctx, w, parts)
	if err != nil {
		return nil, err
	}
	b := buildBoard(cat, w, parts, rp, Rank(parts, totals), sides, e.clock.Now())
	b.JoinURL = joinURL
	r, err := e.store.CurrentRound(ctx, w.ID)
	if errors.Is(err, progress.ErrNotFound) {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	b.Round, err = e.publicRound(ctx, cat, w, r)
	return b, err
}

// labSides reads the labs of w's active attendees during a lab moment;
// nil at other times, or when the engine has no LabState.
func (e *Engine) labSides(ctx context.Context, w *progress.Workshop, parts []progress.Participant) (map[string]LabSides, error) {
	if w.Moment == "" || e.labs == nil {
		return nil, nil
	}
	sides := make(map[string]LabSides, len(parts))
	for _, p := range parts {
		if p.Removed {
			continue
		}
		s, err := e.labs.OwnerSides(ctx, p.LearnerID)
		if err != nil {
			return nil, err
		}
		sides[p.ID] = s
	}
	return sides, nil
}

// buildBoard computes the board, all but the round and the join URL,
// from the roster, the course tables, the leaderboard and the server's
// reading of the attendees' labs (during a lab moment) at now.
// Statistics count only the workshop's lessons; a removed attendee
// stays on the roster but counts nowhere else.
func buildBoard(cat *lessons.Catalog, w *progress.Workshop, parts []progress.Participant, rp *progress.RoomProgress, board []Standing, sides map[string]LabSides, now time.Time) *Board {
	b := &Board{ID: w.ID, StuckMinutes: int(StuckAfter / time.Minute), Now: now.UnixMilli(), Workshop: summary(cat, w),
		Leaderboard: Top(board, 10), Podium: Podium(board)}
	points := byID(board)
	inWorkshop := map[string]bool{}
	stats := map[string]*LessonStat{}
	focus, _, _ := strings.Cut(w.Focus, "#")
	for _, ref := range b.Workshop.Lessons {
		inWorkshop[ref.Slug] = true
		stats[ref.Slug] = &LessonStat{LessonRef: ref, Focus: ref.Slug == focus}
	}
	if w.Moment != "" && w.MomentAt != nil {
		b.Moment = &Moment{Kind: w.Moment, At: w.MomentAt.UnixMilli()}
		tallyMoment(b.Moment, *w.MomentAt, parts, sides)
	}
	type tally struct{ answered, right int }
	perQuestion := map[string]*tally{}
	for _, p := range parts {
		row := ParticipantRow{ID: p.ID, Nickname: p.Nickname, Removed: p.Removed, Lesson: p.Lesson, Points: points[p.ID].Points}
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
		row.Stuck = !p.Removed && !w.Ended() && !lessonDone && now.Sub(progressAt) >= StuckAfter
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
		b.Hardest = append(b.Hardest, QuestionStat{ID: qid, Lesson: l.Title, Prompt: plainPrompt(q), PromptHTML: promptHTML(q), Answered: t.answered, RightPct: pct(t.right, t.answered)})
	}
	for slug, st := range stats {
		st.RightPct = pct(rightIn[slug], st.Answered)
	}
	for _, ref := range b.Workshop.Lessons {
		b.Lessons = append(b.Lessons, *stats[ref.Slug])
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
			b.Queue = append(b.Queue, QueuedQuestion{ID: id, Prompt: plainPrompt(q), PromptHTML: promptHTML(q)})
		}
	}
	return b
}

// QuestionGroup is one lesson's questions that can be rounds, for the
// board's form.
type QuestionGroup struct {
	Lesson    string
	Slug      string
	Questions []QueuedQuestion
}

// RoundQuestions lists, lesson by lesson, the questions of w that can be
// live rounds; lessons without one are left out.
func RoundQuestions(cat *lessons.Catalog, w *progress.Workshop) []QuestionGroup {
	var out []QuestionGroup
	for _, slug := range w.LessonSlugs() {
		l, err := cat.Lesson(slug)
		if err != nil {
			continue
		}
		g := QuestionGroup{Lesson: l.Title, Slug: l.Slug}
		for _, q := range l.Quizzes {
			if CanBeRound(q) {
				g.Questions = append(g.Questions, QueuedQuestion{ID: q.ID, Prompt: plainPrompt(q), PromptHTML: promptHTML(q)})
			}
		}
		if len(g.Questions) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pct is n of a whole as a rounded percentage; 0 of nothing is 0.
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
