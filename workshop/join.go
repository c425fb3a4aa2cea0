package workshop

// A workshop's life before the room and the attendee's way in: creating
// a workshop, its planned times, joining under a nickname (no account
// needed: the learner behind the site session joins, and comes back as
// the same participant), and the state an attendee's screen starts from.

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
)

// MaxSize bounds a room: the board, a round's fan-out and the answers of
// one workshop are sized for it (the load test runs 300).
const MaxSize = 500

// Draft is a new workshop as the create form gives it: Lessons are the
// chosen slugs in any order, StartsAt and EndsAt "" or a date and time
// as <input type="datetime-local"> sends it, read as UTC.
type Draft struct {
	Title            string
	Lessons          []string
	StartsAt, EndsAt string
}

// LocalLayout is the layout of <input type="datetime-local">.
const LocalLayout = "2006-01-02T15:04"

// Create checks a draft and stores the workshop, its lessons in course
// order.
func (e *Engine) Create(ctx context.Context, cat *lessons.Catalog, ownerID string, d Draft) (*progress.Workshop, error) {
	w, err := newWorkshop(cat, ownerID, d)
	if err != nil {
		return nil, err
	}
	if err := e.store.CreateWorkshop(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

func newWorkshop(cat *lessons.Catalog, ownerID string, d Draft) (*progress.Workshop, error) {
	title := strings.TrimSpace(d.Title)
	if n := utf8.RuneCountInString(title); n < 1 || n > 120 {
		return nil, refuse(Invalid, "Give the workshop a title of 1 to 120 characters.")
	}
	chosen := map[string]bool{}
	for _, slug := range d.Lessons {
		chosen[slug] = true
	}
	var slugs []string
	for _, l := range cat.Lessons { // course order, whatever order was posted
		if chosen[l.Slug] {
			slugs = append(slugs, l.Slug)
		}
	}
	if len(slugs) == 0 || len(slugs) != len(chosen) {
		return nil, refuse(Invalid, "Choose at least one lesson of the course.")
	}
	w := &progress.Workshop{Title: title, OwnerID: ownerID, Lessons: strings.Join(slugs, " ")}
	var err error
	if w.StartsAt, err = localTime(d.StartsAt); err != nil {
		return nil, refuse(Invalid, "The start time is not a date and time.")
	}
	if w.EndsAt, err = localTime(d.EndsAt); err != nil {
		return nil, refuse(Invalid, "The end time is not a date and time.")
	}
	if w.StartsAt != nil && w.EndsAt != nil && !w.EndsAt.After(*w.StartsAt) {
		return nil, refuse(Invalid, "The end must come after the start.")
	}
	return w, nil
}

// localTime reads a datetime-local value as UTC; "" is no time.
func localTime(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(LocalLayout, v, time.UTC)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// When is the planned start and end of w for a page, "" when neither is
// set. The create form's times carry no zone and are read as UTC (the
// form says so), so they show as UTC: nothing here schedules.
func When(w *progress.Workshop) string {
	const day, clock = "Mon 2 Jan 2006", "15:04"
	start, end := w.StartsAt, w.EndsAt
	switch {
	case start != nil && end != nil:
		s, e := start.UTC(), end.UTC()
		if s.Format(day) == e.Format(day) {
			return s.Format(day+", "+clock) + "–" + e.Format(clock) + " UTC"
		}
		return s.Format(day+", "+clock) + " – " + e.Format(day+", "+clock) + " UTC"
	case start != nil:
		return "Starts " + start.UTC().Format(day+", "+clock) + " UTC"
	case end != nil:
		return "Ends " + end.UTC().Format(day+", "+clock) + " UTC"
	}
	return ""
}

// Admit checks that the visitor may join w under the nickname typed:
// learnerID is theirs, "" for a visitor with none yet. It returns the
// nickname cleaned, or the participant the visitor already is (who keeps
// their place and nickname: checked first, so a rejoin never reads
// "taken", by oneself).
func (e *Engine) Admit(ctx context.Context, w *progress.Workshop, learnerID, typed string) (nick string, already *progress.Participant, err error) {
	if w.Ended() {
		return "", nil, refuse(Gone, "This workshop has ended, so it takes no one new.")
	}
	nick, err = progress.CleanNickname(typed)
	var ne *progress.NicknameError
	if errors.As(err, &ne) {
		return "", nil, refuse(Invalid, ne.Reason)
	}
	if err != nil {
		return "", nil, err
	}
	if learnerID != "" {
		if p, err := e.store.ParticipantOf(ctx, w.ID, learnerID); err == nil {
			if p.Removed {
				return "", nil, refuse(Forbidden, "The instructor has removed you from this workshop. Ask them to readmit you.")
			}
			return "", p, nil
		}
	}
	if n, err := e.store.CountParticipants(ctx, w.ID); err != nil {
		return "", nil, err
	} else if n >= MaxSize {
		return "", nil, refusef(Conflict, "This workshop is full (%d people). Ask the instructor to open another one.", MaxSize)
	}
	if taken, err := e.store.NicknameTaken(ctx, w.ID, nick); err != nil {
		return "", nil, err
	} else if taken {
		return "", nil, refuse(Conflict, "“"+nick+"” is taken in this room. Add an initial or a number, like “"+nick+" 2”.")
	}
	return nick, nil, nil
}

// Join adds learnerID to w under a nickname Admit cleaned, and tells the
// board.
func (e *Engine) Join(ctx context.Context, w *progress.Workshop, learnerID, nick string) (*progress.Participant, error) {
	p, fresh, err := e.store.Join(ctx, w.ID, learnerID, nick, e.clock.Now())
	if errors.Is(err, progress.ErrConflict) {
		return nil, refuse(Conflict, "“"+nick+"” was taken a moment ago. Pick another nickname.")
	}
	if err != nil {
		return nil, err
	}
	if fresh {
		e.publish(ctx, w.ID, "roster", ToInstructor, map[string]string{"joined": p.Nickname})
	}
	return p, nil
}

// AttendeeState is what a (re)loaded workshop screen starts from.
type AttendeeState struct {
	Workshop    Summary    `json:"workshop"`
	Me          Me         `json:"me"`
	Round       *RoundView `json:"round"`
	Leaderboard []Standing `json:"leaderboard,omitempty"` // once the current round is revealed
	// Late: the attendee joined after the current round had closed, so
	// they had no chance to answer it.
	Late bool `json:"late,omitempty"`
	// Podium is the podium the room was shown, while no round has started
	// since: the screen shows it in the round's place, as the event did.
	// It is null when there is none to show, and [] for a podium shown
	// before anyone scored ("Nobody has scored yet" is a podium too).
	Podium []Standing `json:"podium"`
}

// Summary is a workshop as its room sees it.
type Summary struct {
	Title    string      `json:"title"`
	Code     string      `json:"code"`
	Ended    bool        `json:"ended"`
	Lessons  []LessonRef `json:"lessons"`
	Focus    string      `json:"focus"`
	FocusSeq int         `json:"focusSeq"`
}

// LessonRef is a lesson of a workshop.
type LessonRef struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Locked bool   `json:"locked"`
}

// Me is the attendee themself.
type Me struct {
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
	Lesson   string `json:"lesson"`
	Rank     int    `json:"rank"`
	Points   int    `json:"points"`
	Right    int    `json:"right"`
	Tied     bool   `json:"tied,omitempty"`
}

func summary(cat *lessons.Catalog, w *progress.Workshop) Summary {
	return Summary{Title: w.Title, Code: w.Code, Ended: w.Ended(), Lessons: lessonRefs(cat, w), Focus: w.Focus, FocusSeq: w.FocusSeq}
}

// lessonRefs lists the lessons of w the course has, locks marked.
func lessonRefs(cat *lessons.Catalog, w *progress.Workshop) []LessonRef {
	locked := w.LockedSlugs()
	var out []LessonRef
	for _, slug := range w.LessonSlugs() {
		if l, err := cat.Lesson(slug); err == nil {
			out = append(out, LessonRef{Slug: slug, Title: l.Title, Locked: slices.Contains(locked, slug)})
		}
	}
	return out
}

// State is attendee p's screen in w.
func (e *Engine) State(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop, p *progress.Participant) (*AttendeeState, error) {
	st := &AttendeeState{Workshop: summary(cat, w), Me: Me{ID: p.ID, Nickname: p.Nickname, Lesson: p.Lesson}}
	board, err := e.Leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	me := byID(board)[p.ID]
	st.Me.Rank, st.Me.Points, st.Me.Right, st.Me.Tied = me.Rank, me.Points, me.Right, me.Tied
	r, err := e.store.CurrentRound(ctx, w.ID)
	if err != nil && !errors.Is(err, progress.ErrNotFound) {
		return nil, err
	}
	if w.PodiumAt != nil && (r == nil || r.StartedAt.Before(*w.PodiumAt)) {
		st.Podium = append([]Standing{}, Podium(board)...)
	}
	if r == nil {
		return st, nil
	}
	if st.Round, err = e.publicRound(ctx, cat, w, r); err != nil {
		return nil, err
	}
	if a, err := e.store.RoundAnswerOf(ctx, r.ID, p.ID); err == nil {
		st.Round.Mine = mineOf(r, a)
	} else if !errors.Is(err, progress.ErrNotFound) {
		return nil, err
	}
	if r.RevealedAt != nil {
		st.Leaderboard = Top(board, 10)
	}
	st.Late = late(r, st.Round, p)
	return st, nil
}

// late: p has no answer to the closed round r because they joined after
// it closed (at its deadline, or earlier when everyone had answered).
func late(r *progress.Round, rv *RoundView, p *progress.Participant) bool {
	closedAt := r.Deadline
	if r.ClosedAt != nil && r.ClosedAt.Before(closedAt) {
		closedAt = *r.ClosedAt
	}
	return rv.Mine == nil && rv.Closed && !p.JoinedAt.Before(closedAt)
}

// StartLesson is the lesson p's screen opens on: where they were, unless
// it is locked now; then the first open lesson of the workshop ("" when
// none is open).
func StartLesson(w *progress.Workshop, p *progress.Participant, lessons []LessonRef) string {
	if p.Lesson != "" && !slices.Contains(w.LockedSlugs(), p.Lesson) {
		return p.Lesson
	}
	for _, l := range lessons {
		if !l.Locked {
			return l.Slug
		}
	}
	return ""
}
