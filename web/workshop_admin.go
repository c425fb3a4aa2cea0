package web

// The instructor's side before and after the room: the workshops list
// (history), creating a workshop, promoting another instructor, the
// lobby screen for the projector and the join QR code.

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
	"rsc.io/qr"
)

// workshopsPage lists the instructor's workshops and the create form.
type workshopsPage struct {
	Page
	Workshops []workshopRow
	Lessons   []*lessons.Lesson
	Form      workshopForm
	Error     string
}

type workshopRow struct {
	ID, Code, Title, Created, CreatedISO string
	When                                 string // the planned start and end, if set
	Ended                                bool
	Lessons                              int
}

// workshopForm is what was typed into the create form, kept on error.
type workshopForm struct {
	Title            string
	Lessons          map[string]bool
	StartsAt, EndsAt string
}

func (h *workshopHandlers) workshopsList(c *gin.Context) {
	if _, ok := h.instructor(c); !ok {
		return
	}
	h.renderWorkshops(c, http.StatusOK, workshopForm{}, "")
}

func (h *workshopHandlers) renderWorkshops(c *gin.Context, status int, form workshopForm, msg string) {
	v := viewerFrom(c)
	cat, ok := h.course(c)
	if !ok {
		return
	}
	list, err := h.store.WorkshopsOf(c.Request.Context(), v.LearnerID)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := workshopsPage{Page: h.base(c, "Workshops", "workshops"), Lessons: cat.Lessons, Form: form, Error: msg}
	if p.Form.Lessons == nil {
		p.Form.Lessons = map[string]bool{}
		for _, l := range cat.Lessons {
			p.Form.Lessons[l.Slug] = true
		}
	}
	for _, w := range list {
		p.Workshops = append(p.Workshops, workshopRow{ID: w.ID, Code: w.Code, Title: w.Title, Ended: w.Ended(),
			Created: humanTime(w.CreatedAt), CreatedISO: w.CreatedAt.UTC().Format(time.RFC3339), Lessons: len(w.LessonSlugs()),
			When: workshop.When(&w)})
	}
	h.html(c, status, "workshops", p)
}

// createWorkshop (POST /workshops): title, lesson (one per chosen
// slug), optional starts_at and ends_at.
func (h *workshopHandlers) createWorkshop(c *gin.Context) {
	v, ok := h.instructor(c)
	if !ok || !h.readForm(c) {
		return
	}
	cat, ok := h.course(c)
	if !ok {
		return
	}
	form := workshopForm{Title: strings.TrimSpace(c.PostForm("title")), Lessons: map[string]bool{},
		StartsAt: c.PostForm("starts_at"), EndsAt: c.PostForm("ends_at")}
	for _, slug := range c.PostFormArray("lesson") {
		form.Lessons[slug] = true
	}
	w, err := h.ws.Create(c.Request.Context(), cat, v.LearnerID, workshop.Draft{Title: form.Title,
		Lessons: c.PostFormArray("lesson"), StartsAt: form.StartsAt, EndsAt: form.EndsAt})
	var re *workshop.Error
	if errors.As(err, &re) {
		h.renderWorkshops(c, http.StatusUnprocessableEntity, form, re.Msg)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if wantsJSON(c.Request) {
		c.JSON(http.StatusCreated, gin.H{"id": w.ID, "code": w.Code, "join_url": h.joinURL(c, w.Code)})
		return
	}
	c.Redirect(http.StatusSeeOther, "/workshops/"+w.ID+"/lobby")
}

// promoteInstructor (POST /workshops/instructors) gives an account the
// instructor role: username.
func (h *workshopHandlers) promoteInstructor(c *gin.Context) {
	v, ok := h.instructor(c)
	if !ok || !h.readForm(c) {
		return
	}
	msg, err := h.ws.Promote(c.Request.Context(), v.LearnerID, c.PostForm("username"))
	var re *workshop.Error
	switch {
	case errors.As(err, &re):
		h.renderWorkshops(c, refusalStatus[re.Kind], workshopForm{}, re.Msg)
	case err != nil:
		h.fail(c, err)
	default:
		h.flash(c, msg)
		c.Redirect(http.StatusSeeOther, "/workshops")
	}
}

// lobbyPage is the projector screen: the code, the URL and the QR code.
type lobbyPage struct {
	Page
	Workshop *progress.Workshop
	JoinURL  string
	When     string // the planned start and end, if set
	// Unreachable: the join URL names this computer (localhost), which
	// phones in the room cannot open.
	Unreachable bool
}

// JoinPrefix is the join URL without its code (see workshop.Board).
func (p lobbyPage) JoinPrefix() string { return strings.TrimSuffix(p.JoinURL, p.Workshop.Code) }

func (h *workshopHandlers) workshopLobby(c *gin.Context) {
	w, ok := h.ownWorkshop(c)
	if !ok {
		return
	}
	h.html(c, http.StatusOK, "workshop_lobby", lobbyPage{Page: h.base(c, "Join: "+w.Title, "workshops"), Workshop: w, JoinURL: h.joinURL(c, w.Code), When: workshop.When(w), Unreachable: h.joinUnreachable(c)})
}

// workshopQR (GET /w/:code/qr.png) is the join URL as a QR code, big
// enough to scan from the back of a room when the lobby shows it full
// height. It is made here: no third-party service sees the code.
func (h *workshopHandlers) workshopQR(c *gin.Context) {
	w, ok := h.workshopByCode(c)
	if !ok {
		return
	}
	code, err := qr.Encode(h.joinURL(c, w.Code), qr.M)
	if err != nil {
		h.fail(c, err)
		return
	}
	code.Scale = 12 // 12 image pixels a module: sharp at any size the lobby shows
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, "image/png", code.PNG())
}
