package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/gin-gonic/gin"
)

// courseHandlers serve the course map, the lessons and the glossary.
type courseHandlers struct {
	*kernel
	store    courseStore
	quizzes  *quizHandlers    // a lesson page shows its quizzes
	progress *learnerProgress // the viewer's course map and labs
	mastery  moduleMastery    // which module checks the viewer passed
}

// moduleMastery reports, by module index, which modules a learner has
// mastered (interview.Service: a run of the module's check, see
// lessons/mastery.go for the rule).
type moduleMastery interface {
	Mastery(ctx context.Context, learner string, modules []*lessons.Module) ([]bool, error)
}

// courseStore is what the course pages read from the store.
type courseStore interface {
	Visit(ctx context.Context, learnerID, slug, position string, seconds int) error
	// LessonView is what a lesson page reads of its viewer, in one
	// statement (the rule is at lessonData).
	LessonView(ctx context.Context, learnerID string, questionIDs []string) (*progress.LessonView, error)
	// ProgressVersion names the state LessonView would read (a kept
	// page's, lesson_cache.go).
	ProgressVersion(ctx context.Context, learnerID string) (int64, error)
}

var _ courseStore = (*progress.Store)(nil)

// homePage is the course map.
type homePage struct {
	Page
	Course   *lessons.Catalog
	Minutes  int
	Progress *courseProgress // nil for a visitor with nothing recorded
	// Labs is each lesson's lab panels and the viewer's steps in them, by
	// slug (a badge per lab on the map).
	Labs map[string][]sandbox.Progress
	// Mastered is, by module index, whether the viewer passed the
	// module's check; nil for a visitor.
	Mastered []bool
}

// Length is the whole course's reading time as a reader pictures it:
// "about 540 minutes" has to be divided by sixty first.
func (p homePage) Length() string { return courseLength(p.Minutes) }

// courseLength says minutes as minutes up to an hour and a half, then
// in whole hours, rounded: a course estimate is no more precise.
func courseLength(minutes int) string {
	if minutes <= 90 {
		return fmt.Sprintf("about %d minutes", minutes)
	}
	return fmt.Sprintf("about %d hours", (minutes+30)/60)
}

func (h *courseHandlers) home(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	build := func() (any, bool) {
		p := homePage{Page: h.base(c, "", "course"), Course: cat, Progress: h.progress.course(c, cat), Labs: map[string][]sandbox.Progress{}}
		if v := viewerFrom(c); v != nil && p.Progress != nil {
			var err error
			if p.Mastered, err = h.mastery.Mastery(c.Request.Context(), v.LearnerID, cat.Modules); err != nil {
				h.log.WarnContext(c.Request.Context(), "load module mastery", "err", err)
			}
		}
		all := h.progress.viewerLabs(p.Progress)
		for _, l := range cat.Lessons {
			if labs := labsOf(l, all); labs != nil {
				p.Labs[l.Slug] = labs
			}
		}
		p.Description = "A hands-on course on session-based vs token-based authentication."
		for _, l := range cat.Lessons {
			p.Minutes += l.Minutes
		}
		return p, true
	}
	if h.cacheable(c) {
		h.htmlCached(c, cat, "home", "home", build)
		return
	}
	p, _ := build()
	h.html(c, http.StatusOK, "home", p)
}

// lessonPage is one lesson with its navigation.
type lessonPage struct {
	Page
	Lesson *lessons.Lesson
	Course *lessons.Catalog
	// Progress is the viewer's course progress (nil: nothing recorded).
	Progress  *courseProgress
	Completed bool
	// Quizzes is each quiz block's state for the viewer, by question id.
	Quizzes map[string]*quizView
	// Labs is the viewer's steps in every lab panel; LessonLabs the
	// lesson's own panels, each once, for its progress panel.
	Labs       map[string]sandbox.Progress
	LessonLabs []sandbox.Progress
}

func (h *courseHandlers) lesson(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	l, err := cat.Lesson(c.Param("slug"))
	if errors.Is(err, lessons.ErrNotFound) {
		h.problem(c, http.StatusNotFound, "There is no lesson called “"+c.Param("slug")+"”. The course map lists every lesson.")
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if h.cacheable(c) {
		h.htmlCached(c, cat, "lesson:"+l.Slug, "lesson", func() (any, bool) { return h.lessonData(c, cat, l, nil) })
		return
	}
	var (
		view *progress.LessonView
		kept *personalPage
	)
	if v := viewerFrom(c); v != nil {
		if kept = h.keptLesson(c, cat, v, l); kept != nil && !h.personal.Verify {
			h.servePersonal(c, kept, v, l.Slug)
			return
		}
		if view, err = h.store.LessonView(c.Request.Context(), v.LearnerID, l.QuizIDs()); err != nil {
			h.fail(c, err)
			return
		}
		// A workshop attendee waits for the instructor to open a locked lesson.
		if w, err := view.LockingWorkshop(l.Slug); err == nil && !v.Instructor {
			h.problem(c, http.StatusForbidden, "Your instructor has locked “"+l.Title+"” for the room for now. Go back to your workshop at /w/"+w.Code+"; it opens there when the room gets to it.")
			return
		}
	}
	if p, ok := h.lessonData(c, cat, l, view); ok {
		status := http.StatusOK
		if _, refused := c.Get(quizInvalidKey); refused {
			status = http.StatusBadRequest // the page carries the reason, at the quiz
		}
		h.htmlLesson(c, status, cat, p, view, kept)
	}
}

// lessonData builds the lesson page for the viewer, recording the visit.
// view is what the page reads of a viewer (nil for a visitor without a
// session, who has nothing to read).
//
// The rule for what a lesson page may reuse (issue 17): nothing read
// from the database is cached. A signed-in page view costs two
// statements, the site session (so a revoked session stops at once) and
// Store.LessonView (so progress written on any replica shows on the next
// page view on every replica), or, for a page seen before, the session
// and the learner's progress version (lesson_cache.go): the page kept
// under that version is the page. What is reused is made only of what
// it is keyed by: the page's frame (compose.go), the rendered personal
// parts (lesson_parts.go), keyed by every value they show, and the kept
// pages, keyed by the version the database moves with every change.
func (h *courseHandlers) lessonData(c *gin.Context, cat *lessons.Catalog, l *lessons.Lesson, view *progress.LessonView) (lessonPage, bool) {
	p := lessonPage{Page: h.base(c, l.Title, "course"), Lesson: l, Course: cat}
	if view != nil && p.Viewer != nil {
		p.Progress = courseFrom(cat, view.Lessons, view.Milestones, true)
	} else {
		p.Progress = h.progress.course(c, cat)
	}
	if p.Progress != nil {
		st := p.Progress.Lessons[l.Slug]
		p.Completed = st.Completed
		// Visits count once the learner exists (a plain reader creates
		// nothing), at most once a minute per lesson: a reload is not a
		// database write.
		if time.Since(st.LastVisited) > time.Minute {
			if err := h.store.Visit(c.Request.Context(), p.Viewer.LearnerID, l.Slug, "", 0); err != nil {
				h.log.WarnContext(c.Request.Context(), "record visit", "err", err)
			}
		}
	}
	p.Labs = h.progress.viewerLabs(p.Progress)
	p.LessonLabs = labsOf(l, p.Labs)
	p.Description = l.Summary
	var err error
	if p.Quizzes, err = h.quizzes.lessonQuizzes(c, l, view); err != nil {
		h.fail(c, err)
		return p, false
	}
	return p, true
}

// glossaryPage lists every term of the course.
type glossaryPage struct {
	Page
	Terms []lessons.Term
}

func (h *courseHandlers) glossary(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	p := glossaryPage{Page: h.base(c, "Glossary", "glossary"), Terms: cat.Glossary}
	p.Description = "Every term of the session vs token authentication course."
	h.html(c, http.StatusOK, "glossary", p)
}
