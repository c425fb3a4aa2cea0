package web

// The attendee's side: /join (type a code), /w/{code} (pick a nickname,
// then the workshop screen), the state a reloaded screen starts from,
// and the activity beacon the screen sends as the attendee moves
// through lessons. No account is needed: joining creates a guest behind
// the site session, and that cookie brings the attendee back as the
// same participant with every answer kept.

import (
	"errors"
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
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

func (h *workshopHandlers) joinForm(c *gin.Context) {
	h.html(c, http.StatusOK, "workshop_join", joinPage{Page: h.base(c, "Join a workshop", "join")})
}

// joinCode (POST /join) takes a typed code to its workshop.
func (h *workshopHandlers) joinCode(c *gin.Context) {
	if !h.readForm(c) {
		return
	}
	w, err := h.ws.Find(c.Request.Context(), c.PostForm("code"))
	var re *workshop.Error
	switch {
	case errors.As(err, &re):
		h.html(c, refusalStatus[re.Kind], "workshop_join", joinPage{Page: h.base(c, "Join a workshop", "join"), Code: c.PostForm("code"), Error: re.Msg})
	case err != nil:
		h.fail(c, err)
	default:
		c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
	}
}

// playPage is the attendee's workshop screen.
type playPage struct {
	Page
	Workshop *progress.Workshop
	Me       *progress.Participant
	Lessons  []workshop.LessonRef
	Start    string // the lesson the screen opens on
	State    *workshop.AttendeeState
}

// workshopHome (GET /w/:code) is the workshop screen for a participant
// and the nickname form for everyone else.
func (h *workshopHandlers) workshopHome(c *gin.Context) {
	w, ok := h.workshopByCode(c)
	if !ok {
		return
	}
	if canon := "/w/" + w.Code; c.Request.URL.Path != canon {
		c.Redirect(http.StatusSeeOther, canon) // a code typed in lower case or with a dash
		return
	}
	v := viewerFrom(c)
	p, err := h.ws.Member(c.Request.Context(), w, learnerOf(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	if p == nil || p.Removed {
		jp := joinPage{Page: h.base(c, "Join “"+w.Title+"”", "join"), Workshop: w, Code: w.Code, Removed: p != nil,
			Owner: v != nil && v.LearnerID == w.OwnerID}
		status := http.StatusOK
		switch {
		case p != nil:
			status = http.StatusForbidden
		case w.Ended():
			status = http.StatusGone
		}
		h.html(c, status, "workshop_join", jp)
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	st, err := h.ws.State(c.Request.Context(), cat, w, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	pp := playPage{Page: h.base(c, w.Title, "join"), Workshop: w, Me: p,
		Lessons: st.Workshop.Lessons, State: st, Start: workshop.StartLesson(w, p, st.Workshop.Lessons)}
	pp.Chrome = "room" // this workshop's lessons and labs, not the site's links out of it
	h.html(c, http.StatusOK, "workshop_play", pp)
}

// joinWorkshopAgain (GET /w/:code/join) is the address a failed join
// leaves in the address bar (the form re-renders there): reloaded or
// shared, it leads to the workshop's join page, not to a 405.
func (h *workshopHandlers) joinWorkshopAgain(c *gin.Context) {
	w, ok := h.workshopByCode(c)
	if !ok {
		return
	}
	c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
}

// joinWorkshop (POST /w/:code/join) adds the visitor under a nickname.
func (h *workshopHandlers) joinWorkshop(c *gin.Context) {
	w, ok := h.workshopByCode(c)
	if !ok || !h.readForm(c) {
		return
	}
	typed := c.PostForm("nickname")
	again := func(status int, msg string) {
		jp := joinPage{Page: h.base(c, "Join “"+w.Title+"”", "join"), Workshop: w, Code: w.Code, Nickname: typed, Error: msg}
		h.html(c, status, "workshop_join", jp)
	}
	ctx := c.Request.Context()
	nick, already, err := h.ws.Admit(ctx, w, learnerOf(c), typed)
	var re *workshop.Error
	if errors.As(err, &re) {
		again(refusalStatus[re.Kind], re.Msg)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if already != nil {
		c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
		return
	}
	v, err := h.ensureLearner(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.ws.Join(ctx, w, v.LearnerID, nick)
	if errors.As(err, &re) {
		again(refusalStatus[re.Kind], re.Msg)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusCreated, gin.H{"id": p.ID, "nickname": p.Nickname})
		return
	}
	c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
}

// workshopState (GET /w/:code/state.json) is the screen's state after a
// reload or a dropped connection.
func (h *workshopHandlers) workshopState(c *gin.Context) {
	w, p, ok := h.attendeeOf(c, false)
	if !ok {
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	st, err := h.ws.State(c.Request.Context(), cat, w, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, st)
}

// workshopActivity (POST /w/:code/activity): lesson, step (an anchor)
// and kind. It moves the attendee on the board; a visit that changes
// nothing is written at most every 30 seconds.
func (h *workshopHandlers) workshopActivity(c *gin.Context) {
	w, p, ok := h.attendeeOf(c, true)
	if !ok {
		return
	}
	_, err := h.ws.Activity(c.Request.Context(), w, p, c.PostForm("lesson"), c.PostForm("step"), c.DefaultPostForm("kind", "visit"))
	if h.wsDone(c, err) {
		c.Status(http.StatusNoContent)
	}
}
