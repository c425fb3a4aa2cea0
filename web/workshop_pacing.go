package web

// Pacing and the roster: lock or unlock lessons for the room, bring
// everyone to one lesson (or a step in it), queue a lesson's questions
// as a quiz of several rounds, rename, remove or readmit an attendee.

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// workshopLesson reads the lesson form field: a lesson of w.
func (s *Server) workshopLesson(c *gin.Context, w *progress.Workshop) (string, bool) {
	slug := c.PostForm("lesson")
	if !slices.Contains(w.LessonSlugs(), slug) {
		s.problem(c, http.StatusUnprocessableEntity, "“"+slug+"” is not a lesson of this workshop.")
		return "", false
	}
	return slug, true
}

// lockLesson (POST /workshops/:id/lock): lesson, locked=1 or 0.
func (s *Server) lockLesson(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	slug, ok := s.workshopLesson(c, w)
	if !ok {
		return
	}
	locked := slices.DeleteFunc(w.LockedSlugs(), func(l string) bool { return l == slug })
	if c.PostForm("locked") != "0" {
		locked = append(locked, slug)
	}
	if !s.setLocks(c, w, locked) {
		return
	}
	s.boardReply(c, w, http.StatusOK, gin.H{"locked": locked})
}

// setLocks stores the locked lessons and tells the room.
func (s *Server) setLocks(c *gin.Context, w *progress.Workshop, locked []string) bool {
	if err := s.store.SetLocked(c.Request.Context(), w.ID, locked); err != nil {
		s.fail(c, err)
		return false
	}
	w.Locked = strings.Join(locked, " ")
	cat, ok := s.course(c)
	if !ok {
		return false
	}
	s.publish(c.Request.Context(), w.ID, "locks", "", gin.H{"lessons": workshopLessons(cat, w)})
	return true
}

// focusRoom (POST /workshops/:id/focus): lesson and an optional step
// (a heading anchor). Every attendee's screen moves there; a locked
// lesson is unlocked first.
func (s *Server) focusRoom(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	slug, ok := s.workshopLesson(c, w)
	if !ok {
		return
	}
	step := c.PostForm("step")
	if !stepRe.MatchString(step) {
		s.problem(c, http.StatusUnprocessableEntity, "The step must be a heading anchor of the lesson (letters, digits, - and _).")
		return
	}
	if locked := w.LockedSlugs(); slices.Contains(locked, slug) {
		if !s.setLocks(c, w, slices.DeleteFunc(locked, func(l string) bool { return l == slug })) {
			return
		}
	}
	target := slug
	if step != "" {
		target += "#" + step
	}
	seq, err := s.store.SetFocus(c.Request.Context(), w.ID, target)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := gin.H{"target": target, "lesson": slug, "step": step, "seq": seq}
	s.publish(c.Request.Context(), w.ID, "focus", "", data)
	s.boardReply(c, w, http.StatusOK, data)
}

// queueLesson (POST /workshops/:id/queue): lesson queues every live-round
// question of that lesson after the ones queued; clear=1 empties it.
func (s *Server) queueLesson(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok || !s.readForm(c) {
		return
	}
	queue := w.QueueIDs()
	if c.PostForm("clear") != "" {
		queue = nil
	} else {
		slug, ok := s.workshopLesson(c, w)
		if !ok {
			return
		}
		cat, ok := s.course(c)
		if !ok {
			return
		}
		l, err := cat.Lesson(slug)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, q := range l.Quizzes {
			if roundQuestionOK(q) && !slices.Contains(queue, q.ID) {
				queue = append(queue, q.ID)
			}
		}
	}
	if err := s.store.SetQueue(c.Request.Context(), w.ID, queue); err != nil {
		s.fail(c, err)
		return
	}
	s.publish(c.Request.Context(), w.ID, "queue", toInstructor, gin.H{"queue": queue})
	s.boardReply(c, w, http.StatusOK, gin.H{"queue": queue})
}

// participantOf loads :pid of the instructor's workshop.
func (s *Server) participantOf(c *gin.Context, w *progress.Workshop) (*progress.Participant, bool) {
	p, err := s.store.Participant(c.Request.Context(), w.ID, c.Param("pid"))
	if errors.Is(err, progress.ErrNotFound) {
		s.problem(c, http.StatusNotFound, "This workshop has no attendee "+c.Param("pid")+".")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return p, true
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
	nick, err := progress.CleanNickname(c.PostForm("nickname"))
	var ne *progress.NicknameError
	if errors.As(err, &ne) {
		s.problem(c, http.StatusUnprocessableEntity, ne.Reason)
		return
	}
	switch err := s.store.RenameParticipant(c.Request.Context(), w.ID, p.ID, nick); {
	case errors.Is(err, progress.ErrConflict):
		s.problem(c, http.StatusConflict, "“"+nick+"” is taken in this room.")
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.publish(c.Request.Context(), w.ID, "renamed", p.ID, gin.H{"nickname": nick})
	s.publish(c.Request.Context(), w.ID, "roster", toInstructor, gin.H{"renamed": nick})
	s.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "nickname": nick})
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
	if !ok {
		return
	}
	ctx := c.Request.Context()
	if err := s.store.SetRemoved(ctx, w.ID, p.ID, removed); err != nil {
		s.fail(c, err)
		return
	}
	if removed {
		s.publish(ctx, w.ID, "removed", p.ID, gin.H{})
	}
	s.publish(ctx, w.ID, "roster", toInstructor, gin.H{"removed": removed, "nickname": p.Nickname})
	// One fewer to wait for: the open round may now be complete.
	if r, err := s.store.CurrentRound(ctx, w.ID); err == nil && r.Open(s.ws.clock.Now()) {
		if err := s.afterAnswer(ctx, w, r); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.boardReply(c, w, http.StatusOK, gin.H{"id": p.ID, "removed": removed})
}
