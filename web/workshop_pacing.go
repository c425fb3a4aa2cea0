package web

// Pacing and the roster (the rules: package workshop): lock or unlock
// lessons for the room, bring everyone to one lesson (or a step in it),
// queue a lesson's questions as a quiz of several rounds, rename, remove
// or readmit an attendee.

import (
	"net/http"

	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// lockLesson (POST /workshops/:id/lock): lesson, locked=1 or 0.
func (s *Server) lockLesson(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	locked, err := s.ws.Lock(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("locked") != "0")
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, gin.H{"locked": locked})
	}
}

// focusRoom (POST /workshops/:id/focus): lesson and an optional step
// (a heading anchor). Every attendee's screen moves there; a locked
// lesson is unlocked first.
func (s *Server) focusRoom(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	f, err := s.ws.Bring(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("step"))
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, f)
	}
}

// queueLesson (POST /workshops/:id/queue): lesson queues every live-round
// question of that lesson after the ones queued; clear=1 empties it.
func (s *Server) queueLesson(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	queue, err := s.ws.Queue(c.Request.Context(), cat, w, c.PostForm("lesson"), c.PostForm("clear") != "")
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, gin.H{"queue": queue})
	}
}

// participantOf loads :pid of the instructor's workshop.
func (s *Server) participantOf(c *gin.Context, w *progress.Workshop) (*progress.Participant, bool) {
	p, err := s.ws.ParticipantOf(c.Request.Context(), w, c.Param("pid"))
	return p, s.wsDone(c, err)
}

// renameParticipant (POST /workshops/:id/participants/:pid/rename): nickname.
func (s *Server) renameParticipant(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	p, ok := s.participantOf(c, w)
	if !ok {
		return
	}
	nick, err := s.ws.Rename(c.Request.Context(), w, p, c.PostForm("nickname"))
	if s.wsDone(c, err) {
		s.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "nickname": nick})
	}
}

// removeParticipant (POST .../remove) takes an attendee out of the room:
// their screen says so and their cookie no longer gets them back in.
func (s *Server) removeParticipant(c *gin.Context) { s.setRemoved(c, true) }

// readmitParticipant (POST .../readmit) lets a removed attendee back in.
func (s *Server) readmitParticipant(c *gin.Context) { s.setRemoved(c, false) }

func (s *Server) setRemoved(c *gin.Context, removed bool) {
	w, ok := s.openWorkshop(c)
	if !ok {
		return
	}
	p, ok := s.participantOf(c, w)
	if ok && s.wsDone(c, s.ws.SetRemoved(c.Request.Context(), w, p, removed)) {
		s.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "removed": removed})
	}
}
