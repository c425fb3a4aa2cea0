package web

// Workshops over HTTP: an instructor runs the course live for a room.
// The rules live in package workshop (an Engine per replica, with its
// hub, clock and round timers); this file holds what every workshop
// handler starts with: the engine's refusals as problems, and the access
// checks that read the request (the signed-in instructor, :id, :code).

import (
	"context"
	"errors"
	"net/http"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/workshop"
	"github.com/gin-gonic/gin"
)

// maxWorkshopSize bounds a room (see workshop.MaxSize); the guest and lab
// rate limits let a whole room in at once.
const maxWorkshopSize = workshop.MaxSize

func newWorkshops(d Deps) *workshop.Engine {
	return workshop.New(workshop.Config{Store: d.Store, Hub: d.Hub, Course: d.Catalog, Logger: d.Logger,
		Labs: d.Labs})
}

// workshopHandlers serve workshops: the instructor's list, board, lobby,
// presenter screen, rounds, pacing, lab moment and export, and the
// attendee's join, screen, answers and stream.
type workshopHandlers struct {
	*kernel
	ws      *workshop.Engine // the rules, the event hub, the round clock
	store   workshopStore
	baseURL string // --base-url without its trailing slash; "" when unset
	secure  bool   // --secure-cookies: the site is served over HTTPS
}

// workshopStore is what the workshop pages read beyond the engine: the
// instructor's account and their workshops.
type workshopStore interface {
	Learner(ctx context.Context, id string) (*progress.Learner, error)
	WorkshopsOf(ctx context.Context, ownerID string) ([]progress.Workshop, error)
}

var _ workshopStore = (*progress.Store)(nil)

// refusalStatus is the HTTP status of each kind of refusal.
var refusalStatus = map[workshop.Kind]int{
	workshop.Invalid:   http.StatusUnprocessableEntity,
	workshop.NotFound:  http.StatusNotFound,
	workshop.Forbidden: http.StatusForbidden,
	workshop.Conflict:  http.StatusConflict,
	workshop.Gone:      http.StatusGone,
}

// wsFail answers an error of the workshop engine: a refusal as a problem
// with its reason, anything else as a failure.
func (h *workshopHandlers) wsFail(c *gin.Context, err error) {
	var re *workshop.Error
	if errors.As(err, &re) {
		h.problem(c, refusalStatus[re.Kind], re.Msg)
		return
	}
	h.fail(c, err)
}

// wsDone is the common end of a handler that calls the engine: false
// (with the answer written) when err is not nil.
func (h *workshopHandlers) wsDone(c *gin.Context, err error) bool {
	if err != nil {
		h.wsFail(c, err)
		return false
	}
	return true
}

// instructor returns the signed-in instructor, or answers: sign in
// first, or 403. An account promoted since it signed in gets the role
// on its next workshop page without signing in again.
func (h *workshopHandlers) instructor(c *gin.Context) (*Viewer, bool) {
	v, ok := h.account(c)
	if !ok {
		return nil, false
	}
	if !v.Instructor {
		l, err := h.store.Learner(c.Request.Context(), v.LearnerID)
		if err != nil && !errors.Is(err, progress.ErrNotFound) {
			h.fail(c, err)
			return nil, false
		}
		if l == nil || !l.Instructor {
			h.problem(c, http.StatusForbidden, "Workshops are run by instructors, and your account is not one. An instructor can promote you on their Workshops page; attendees join with a code at /join.")
			return nil, false
		}
		sess := h.session(c)
		sess.Values[valInstructor] = "yes"
		if err := sess.Save(c.Request, c.Writer); err != nil {
			h.log.WarnContext(c.Request.Context(), "keep the instructor role in the session", "err", err)
		}
		v.Instructor = true
	}
	return v, true
}

// ownWorkshop loads :id for its instructor, or answers 404/403.
func (h *workshopHandlers) ownWorkshop(c *gin.Context) (*progress.Workshop, bool) {
	v, ok := h.instructor(c)
	if !ok {
		return nil, false
	}
	w, err := h.ws.Own(c.Request.Context(), c.Param("id"), v.LearnerID)
	return w, h.wsDone(c, err)
}

// openWorkshop is ownWorkshop for a change: an ended workshop is
// read-only (409).
func (h *workshopHandlers) openWorkshop(c *gin.Context) (*progress.Workshop, bool) {
	w, ok := h.ownWorkshop(c)
	if !ok || !h.wsDone(c, workshop.Writable(w)) {
		return nil, false
	}
	return w, true
}

// openForm is openWorkshop for a form that changes it: the form read,
// and the course.
func (h *workshopHandlers) openForm(c *gin.Context) (*progress.Workshop, *lessons.Catalog, bool) {
	w, ok := h.openWorkshop(c)
	if !ok || !h.readForm(c) {
		return nil, nil, false
	}
	cat, ok := h.course(c)
	return w, cat, ok
}

// workshopByCode loads the workshop of :code, or answers 404.
func (h *workshopHandlers) workshopByCode(c *gin.Context) (*progress.Workshop, bool) {
	w, err := h.ws.ByCode(c.Request.Context(), c.Param("code"))
	return w, h.wsDone(c, err)
}

// attendeeOf answers for a request to /w/:code/…: the workshop and the
// attendee the caller is in it (403 when they have not joined or were
// removed). With form set, the request's form is read (and its size
// checked) first.
func (h *workshopHandlers) attendeeOf(c *gin.Context, form bool) (*progress.Workshop, *progress.Participant, bool) {
	w, ok := h.workshopByCode(c)
	if !ok || (form && !h.readForm(c)) {
		return nil, nil, false
	}
	p, err := h.ws.Attendee(c.Request.Context(), w, learnerOf(c))
	return w, p, h.wsDone(c, err)
}

// boardReply answers an instructor's action: JSON to fetch, a 303 back
// to the board to a plain form.
func (h *workshopHandlers) boardReply(c *gin.Context, w *progress.Workshop, status int, v any) {
	if wantsJSON(c.Request) {
		c.JSON(status, v)
		return
	}
	c.Redirect(http.StatusSeeOther, "/workshops/"+w.ID)
}

// joinURL is the address attendees open, for the lobby and the QR code
// (the rules: workshop.JoinURL).
func (h *workshopHandlers) joinURL(c *gin.Context, code string) string {
	u, _ := workshop.JoinURL(h.baseURL, c.Request.Host, c.Request.TLS != nil || h.secure, code)
	return u
}

// joinUnreachable reports whether the join URL names this computer
// itself, which phones in the room cannot open; the lobby says so.
func (h *workshopHandlers) joinUnreachable(c *gin.Context) bool {
	_, loopback := workshop.JoinURL(h.baseURL, c.Request.Host, false, "")
	return loopback
}
