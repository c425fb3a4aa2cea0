package web

// Workshops: an instructor runs the course live for a room. The roster,
// rounds and answers live in progress (so replicas agree); this file
// holds the live side of one replica: the hub events go through, the
// clock rounds run on and the timers that close rounds on time, plus the
// access checks every workshop handler starts with.

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// workshopRuntime is this replica's live side of workshops.
type workshopRuntime struct {
	hub   live.Hub
	clock live.Clock

	mu     sync.Mutex
	timers map[string]live.Timer // round ID -> the timer that closes it
	custom sync.Map              // round ID -> *quiz.Question written on the spot, parsed once
}

func newWorkshopRuntime(hub live.Hub) *workshopRuntime {
	return &workshopRuntime{hub: hub, clock: live.RealClock{}, timers: map[string]live.Timer{}}
}

// topic is the hub topic of one workshop: every event of the room.
func topic(workshopID string) string { return "workshop:" + workshopID }

// Audiences of an event besides everyone ("") and one participant (its ID).
const toInstructor = "instructor"

// publish sends an event to the room. A lost event is logged, not
// fatal: the state is in the database and streams resync.
func (s *Server) publish(ctx context.Context, workshopID, name, to string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		s.log.ErrorContext(ctx, "encode workshop event", "event", name, "err", err)
		return
	}
	ev := live.Event{Topic: topic(workshopID), Name: name, To: to, Data: b}
	if err := s.ws.hub.Publish(context.WithoutCancel(ctx), ev); err != nil {
		s.log.WarnContext(ctx, "publish workshop event", "event", name, "err", err)
	}
}

// instructor returns the signed-in instructor, or answers: sign in
// first, or 403. An account promoted since it signed in gets the role
// on its next workshop page without signing in again.
func (s *Server) instructor(c *gin.Context) (*Viewer, bool) {
	v, ok := s.account(c)
	if !ok {
		return nil, false
	}
	if !v.Instructor {
		l, err := s.store.Learner(c.Request.Context(), v.LearnerID)
		if err != nil && !errors.Is(err, progress.ErrNotFound) {
			s.fail(c, err)
			return nil, false
		}
		if l == nil || !l.Instructor {
			s.problem(c, http.StatusForbidden, "Workshops are run by instructors, and your account is not one. An instructor can promote you on their Workshops page; attendees join with a code at /join.")
			return nil, false
		}
		sess := s.session(c)
		sess.Values[valInstructor] = "yes"
		if err := sess.Save(c.Request, c.Writer); err != nil {
			s.log.WarnContext(c.Request.Context(), "keep the instructor role in the session", "err", err)
		}
		v.Instructor = true
	}
	return v, true
}

// ownWorkshop loads :id for its instructor, or answers 404/403.
func (s *Server) ownWorkshop(c *gin.Context) (*progress.Workshop, bool) {
	v, ok := s.instructor(c)
	if !ok {
		return nil, false
	}
	w, err := s.store.Workshop(c.Request.Context(), c.Param("id"))
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "There is no workshop "+c.Param("id")+". Your workshops are listed on the Workshops page.")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if w.OwnerID != v.LearnerID {
		s.problem(c, http.StatusForbidden, "This workshop is run by another instructor; only they can see its board.")
		return nil, false
	}
	return w, true
}

// openWorkshop is ownWorkshop for a change: an ended workshop is
// read-only (409).
func (s *Server) openWorkshop(c *gin.Context) (*progress.Workshop, bool) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return nil, false
	}
	if w.Ended() {
		s.problem(c, http.StatusConflict, "This workshop has ended and is read-only. Its results and CSV export are still here.")
		return nil, false
	}
	return w, true
}

// workshopByCode loads the workshop of :code, or answers 404.
func (s *Server) workshopByCode(c *gin.Context) (*progress.Workshop, bool) {
	code, ok := progress.NormalizeJoinCode(c.Param("code"))
	if !ok {
		s.problem(c, http.StatusNotFound, "“"+c.Param("code")+"” is not a workshop code. A code has 6 letters and digits, as shown on the instructor's screen.")
		return nil, false
	}
	w, err := s.store.WorkshopByCode(c.Request.Context(), code)
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "No workshop has the code "+code+". Check the code on the instructor's screen.")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return w, true
}

// attendee returns the viewer's participant in w, or answers: 403 when
// removed, 403 with the way in when they have not joined.
func (s *Server) attendee(c *gin.Context, w *progress.Workshop) (*progress.Participant, bool) {
	v := viewerFrom(c)
	if v == nil {
		s.problem(c, http.StatusForbidden, "Join the workshop first: open /w/"+w.Code+" and pick a nickname.")
		return nil, false
	}
	p, err := s.store.ParticipantOf(c.Request.Context(), w.ID, v.LearnerID)
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusForbidden, "Join the workshop first: open /w/"+w.Code+" and pick a nickname.")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if p.Removed {
		s.problem(c, http.StatusForbidden, "The instructor has removed you from this workshop. Ask them to readmit you.")
		return nil, false
	}
	return p, true
}

// attendeeOf answers for a request to /w/:code/…: the workshop and the
// attendee the caller is in it. With form set, the request's form is
// read (and its size checked) first.
func (s *Server) attendeeOf(c *gin.Context, form bool) (*progress.Workshop, *progress.Participant, bool) {
	w, ok := s.workshopByCode(c)
	if !ok || (form && !s.readForm(c)) {
		return nil, nil, false
	}
	p, ok := s.attendee(c, w)
	return w, p, ok
}

// joinURL is the address attendees open: absolute, for the lobby and QR.
// With --base-url it is always built on that, whatever Host the request
// names. Without, the request's Host is all there is to go on; it is
// used only when it is a well-formed host[:port], so a forged Host cannot
// put markup or a path into the URL (see joinHost).
func (s *Server) joinURL(c *gin.Context, code string) string {
	if s.baseURL != "" {
		return s.baseURL + "/w/" + code
	}
	scheme := "http"
	if c.Request.TLS != nil || s.secure {
		scheme = "https"
	}
	host, _ := joinHost(c.Request.Host)
	return scheme + "://" + host + "/w/" + code
}

// joinUnreachable reports whether the join URL names this computer itself
// (localhost, 127.0.0.1, ::1): phones in the room cannot open it, and the
// lobby says so.
func (s *Server) joinUnreachable(c *gin.Context) bool {
	if s.baseURL != "" {
		u, err := url.Parse(s.baseURL)
		return err == nil && isLoopbackHost(u.Hostname())
	}
	_, loopback := joinHost(c.Request.Host)
	return loopback
}

// joinHost checks a request's Host for use in a join URL: a DNS name or
// an IP address, with an optional port. Anything else becomes "localhost".
func joinHost(h string) (host string, loopback bool) {
	name, port, err := net.SplitHostPort(h)
	if err != nil {
		name, port = h, ""
	}
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	if !validHostName(name) && net.ParseIP(name) == nil {
		return "localhost", true
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "localhost", true
		}
	}
	if port == "" && strings.Contains(name, ":") {
		return "[" + name + "]", isLoopbackHost(name)
	}
	if port == "" {
		return name, isLoopbackHost(name)
	}
	return net.JoinHostPort(name, port), isLoopbackHost(name)
}

// validHostName: letters, digits, hyphens and dots, as DNS names are.
func validHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func isLoopbackHost(name string) bool {
	if ip := net.ParseIP(name); ip != nil {
		return ip.IsLoopback()
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}

// schedule closes the round at its deadline on this replica. Should
// this replica be gone by then, the round still reads as closed after
// its deadline everywhere, the next answer or reveal records the close
// (see settleRound), and the instructor's board asks for it at zero.
func (s *Server) schedule(workshopID, roundID string, deadline time.Time) {
	rt := s.ws
	t := rt.clock.AfterFunc(deadline.Sub(rt.clock.Now()), func() {
		rt.mu.Lock()
		delete(rt.timers, roundID)
		rt.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.closeRound(ctx, workshopID, roundID); err != nil {
			s.log.Warn("close round at its deadline", "round", roundID, "err", err)
		}
	})
	rt.mu.Lock()
	rt.timers[roundID] = t
	rt.mu.Unlock()
}

// unschedule stops a round's timer once it closed early.
func (s *Server) unschedule(roundID string) {
	s.ws.mu.Lock()
	defer s.ws.mu.Unlock()
	if t, ok := s.ws.timers[roundID]; ok {
		t.Stop()
		delete(s.ws.timers, roundID)
	}
}
