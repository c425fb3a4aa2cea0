package web

// The attendee's side: /join (type a code), /w/{code} (pick a nickname,
// then the workshop screen), the state a reloaded screen starts from,
// and the activity beacon the screen sends as the attendee moves
// through lessons. No account is needed: joining creates a guest behind
// the site session, and that cookie brings the attendee back as the
// same participant with every answer kept.

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// joinPage is /join and the nickname form of /w/{code}.
type joinPage struct {
	Page
	Code     string
	Workshop *progress.Workshop // nil on /join
	Nickname string
	Error    string
	Removed  bool
	Owner    bool // the viewer runs this workshop
}

func (s *Server) joinForm(c *gin.Context) {
	s.html(c, http.StatusOK, "workshop_join", joinPage{Page: s.base(c, "Join a workshop", "join")})
}

// joinCode (POST /join) takes a typed code to its workshop.
func (s *Server) joinCode(c *gin.Context) {
	if !s.readForm(c) {
		return
	}
	typed := c.PostForm("code")
	code, ok := progress.NormalizeJoinCode(typed)
	if !ok {
		p := joinPage{Page: s.base(c, "Join a workshop", "join"), Code: typed,
			Error: "A workshop code has 6 letters and digits, like the one on the instructor's screen (there is no O, I, L, S, Z or B in a code, and no 0, 1, 2, 5 or 8)."}
		s.html(c, http.StatusUnprocessableEntity, "workshop_join", p)
		return
	}
	if _, err := s.store.WorkshopByCode(c.Request.Context(), code); errors.Is(err, progress.ErrNotFound) {
		p := joinPage{Page: s.base(c, "Join a workshop", "join"), Code: typed, Error: "No workshop has the code " + code + ". Check it on the instructor's screen."}
		s.html(c, http.StatusNotFound, "workshop_join", p)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/w/"+code)
}

// playPage is the attendee's workshop screen.
type playPage struct {
	Page
	Workshop *progress.Workshop
	Me       *progress.Participant
	Lessons  []lessonRef
	Start    string // the lesson the screen opens on
	State    *attendeeState
}

// workshopHome (GET /w/:code) is the workshop screen for a participant
// and the nickname form for everyone else.
func (s *Server) workshopHome(c *gin.Context) {
	w, ok := s.workshopByCode(c)
	if !ok {
		return
	}
	if canon := "/w/" + w.Code; c.Request.URL.Path != canon {
		c.Redirect(http.StatusSeeOther, canon) // a code typed in lower case or with a dash
		return
	}
	v := viewerFrom(c)
	var p *progress.Participant
	if v != nil {
		var err error
		p, err = s.store.ParticipantOf(c.Request.Context(), w.ID, v.LearnerID)
		if err != nil && !errors.Is(err, progress.ErrNotFound) {
			s.fail(c, err)
			return
		}
	}
	if p == nil || p.Removed {
		jp := joinPage{Page: s.base(c, "Join “"+w.Title+"”", "join"), Workshop: w, Code: w.Code, Removed: p != nil,
			Owner: v != nil && v.LearnerID == w.OwnerID}
		status := http.StatusOK
		switch {
		case p != nil:
			status = http.StatusForbidden
		case w.Ended():
			status = http.StatusGone
		}
		s.html(c, status, "workshop_join", jp)
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	st, err := s.attendeeState(c, cat, w, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	pp := playPage{Page: s.base(c, w.Title, "join"), Workshop: w, Me: p, Lessons: st.Workshop.Lessons, State: st}
	pp.Start = p.Lesson
	if pp.Start == "" || slices.Contains(w.LockedSlugs(), pp.Start) {
		pp.Start = ""
		for _, l := range st.Workshop.Lessons {
			if !l.Locked {
				pp.Start = l.Slug
				break
			}
		}
	}
	s.html(c, http.StatusOK, "workshop_play", pp)
}

// joinWorkshopAgain (GET /w/:code/join) is the address a failed join
// leaves in the address bar (the form re-renders there): reloaded or
// shared, it leads to the workshop's join page, not to a 405.
func (s *Server) joinWorkshopAgain(c *gin.Context) {
	w, ok := s.workshopByCode(c)
	if !ok {
		return
	}
	c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
}

// joinWorkshop (POST /w/:code/join) adds the visitor under a nickname.
func (s *Server) joinWorkshop(c *gin.Context) {
	w, ok := s.workshopByCode(c)
	if !ok || !s.readForm(c) {
		return
	}
	typed := c.PostForm("nickname")
	again := func(status int, msg string) {
		jp := joinPage{Page: s.base(c, "Join “"+w.Title+"”", "join"), Workshop: w, Code: w.Code, Nickname: typed, Error: msg}
		s.html(c, status, "workshop_join", jp)
	}
	if w.Ended() {
		again(http.StatusGone, "This workshop has ended, so it takes no one new.")
		return
	}
	nick, err := progress.CleanNickname(typed)
	var ne *progress.NicknameError
	if errors.As(err, &ne) {
		again(http.StatusUnprocessableEntity, ne.Reason)
		return
	}
	ctx := c.Request.Context()
	// Someone already in the room keeps their place and nickname: check
	// before the nickname, so a rejoin never reads "taken" (by oneself).
	if v := viewerFrom(c); v != nil {
		if p, err := s.store.ParticipantOf(ctx, w.ID, v.LearnerID); err == nil {
			if p.Removed {
				again(http.StatusForbidden, "The instructor has removed you from this workshop. Ask them to readmit you.")
				return
			}
			c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
			return
		}
	}
	if n, err := s.store.CountParticipants(ctx, w.ID); err != nil {
		s.fail(c, err)
		return
	} else if n >= maxWorkshopSize {
		again(http.StatusConflict, fmt.Sprintf("This workshop is full (%d people). Ask the instructor to open another one.", maxWorkshopSize))
		return
	}
	if taken, err := s.store.NicknameTaken(ctx, w.ID, nick); err != nil {
		s.fail(c, err)
		return
	} else if taken {
		again(http.StatusConflict, "“"+nick+"” is taken in this room. Add an initial or a number, like “"+nick+" 2”.")
		return
	}
	v, err := s.ensureLearner(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, fresh, err := s.store.Join(ctx, w.ID, v.LearnerID, nick, s.ws.clock.Now())
	if errors.Is(err, progress.ErrConflict) {
		again(http.StatusConflict, "“"+nick+"” was taken a moment ago. Pick another nickname.")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if fresh {
		s.publish(ctx, w.ID, "roster", toInstructor, gin.H{"joined": p.Nickname})
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusCreated, gin.H{"id": p.ID, "nickname": p.Nickname})
		return
	}
	c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
}

// maxWorkshopSize bounds a room: the board, a round's fan-out and the
// answers of one workshop are sized for it (the load test runs 300).
const maxWorkshopSize = 500

// attendeeState is what a (re)loaded workshop screen starts from.
type attendeeState struct {
	Workshop    workshopPublic `json:"workshop"`
	Me          meView         `json:"me"`
	Round       *roundView     `json:"round"`
	Leaderboard []standingView `json:"leaderboard,omitempty"` // once the current round is revealed
	// Late: the attendee joined after the current round had closed, so
	// they had no chance to answer it.
	Late bool `json:"late,omitempty"`
}

type workshopPublic struct {
	Title    string      `json:"title"`
	Code     string      `json:"code"`
	Ended    bool        `json:"ended"`
	Lessons  []lessonRef `json:"lessons"`
	Focus    string      `json:"focus"`
	FocusSeq int         `json:"focusSeq"`
}

type lessonRef struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Locked bool   `json:"locked"`
}

type meView struct {
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
	Lesson   string `json:"lesson"`
	Rank     int    `json:"rank"`
	Points   int    `json:"points"`
	Right    int    `json:"right"`
}

func workshopLessons(cat *lessons.Catalog, w *progress.Workshop) []lessonRef {
	locked := w.LockedSlugs()
	var out []lessonRef
	for _, slug := range w.LessonSlugs() {
		if l, err := cat.Lesson(slug); err == nil {
			out = append(out, lessonRef{Slug: slug, Title: l.Title, Locked: slices.Contains(locked, slug)})
		}
	}
	return out
}

func (s *Server) attendeeState(c *gin.Context, cat *lessons.Catalog, w *progress.Workshop, p *progress.Participant) (*attendeeState, error) {
	ctx := c.Request.Context()
	st := &attendeeState{
		Workshop: workshopPublic{Title: w.Title, Code: w.Code, Ended: w.Ended(), Lessons: workshopLessons(cat, w), Focus: w.Focus, FocusSeq: w.FocusSeq},
		Me:       meView{ID: p.ID, Nickname: p.Nickname, Lesson: p.Lesson},
	}
	board, byID, err := s.leaderboard(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	me := byID[p.ID]
	st.Me.Rank, st.Me.Points, st.Me.Right = me.Rank, me.Points, me.Right
	r, err := s.store.CurrentRound(ctx, w.ID)
	if errors.Is(err, progress.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if st.Round, err = s.publicRound(ctx, cat, w, r); err != nil {
		return nil, err
	}
	if a, err := s.store.RoundAnswerOf(ctx, r.ID, p.ID); err == nil {
		st.Round.Mine = mineOf(r, a)
	} else if !errors.Is(err, progress.ErrNotFound) {
		return nil, err
	}
	if r.RevealedAt != nil {
		st.Leaderboard = top(board, 10)
	}
	closedAt := r.Deadline
	if r.ClosedAt != nil && r.ClosedAt.Before(closedAt) {
		closedAt = *r.ClosedAt
	}
	st.Late = st.Round.Mine == nil && st.Round.Closed && !p.JoinedAt.Before(closedAt)
	return st, nil
}

// workshopState (GET /w/:code/state.json) is the screen's state after a
// reload or a dropped connection.
func (s *Server) workshopState(c *gin.Context) {
	w, p, ok := s.attendeeOf(c, false)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	st, err := s.attendeeState(c, cat, w, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, st)
}

var stepRe = regexp.MustCompile(`^[A-Za-z0-9_-]{0,100}$`)

// activityKinds are what the screen reports: a page shown, a quiz
// answered, a lab used.
var activityKinds = []string{"visit", "quiz", "lab"}

// workshopActivity (POST /w/:code/activity): lesson, step (an anchor)
// and kind. It moves the attendee on the board; a visit that changes
// nothing is written at most every 30 seconds.
func (s *Server) workshopActivity(c *gin.Context) {
	w, p, ok := s.attendeeOf(c, true)
	if !ok {
		return
	}
	lesson, step, kind := c.PostForm("lesson"), c.PostForm("step"), c.DefaultPostForm("kind", "visit")
	if lesson != "" && !slices.Contains(w.LessonSlugs(), lesson) {
		s.problem(c, http.StatusUnprocessableEntity, "“"+lesson+"” is not a lesson of this workshop.")
		return
	}
	if lesson != "" && slices.Contains(w.LockedSlugs(), lesson) {
		s.problem(c, http.StatusConflict, "“"+lesson+"” is locked: the instructor has not opened it for the room yet.")
		return
	}
	if !stepRe.MatchString(step) || !slices.Contains(activityKinds, kind) {
		s.problem(c, http.StatusUnprocessableEntity, "The activity report is malformed: step must be an anchor and kind one of "+strings.Join(activityKinds, ", ")+".")
		return
	}
	now := s.ws.clock.Now()
	if kind == "visit" && lesson == p.Lesson && step == p.Step && now.Sub(p.LastSeen) < 30*time.Second {
		c.Status(http.StatusNoContent)
		return
	}
	moved, err := s.store.TouchParticipant(c.Request.Context(), p, lesson, step, now)
	if err != nil {
		s.fail(c, err)
		return
	}
	if moved || kind != "visit" {
		s.publish(c.Request.Context(), w.ID, "activity", toInstructor, gin.H{"id": p.ID, "lesson": lesson, "kind": kind})
	}
	c.Status(http.StatusNoContent)
}
