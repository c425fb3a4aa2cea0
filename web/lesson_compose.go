package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/pageset"
	"github.com/authlab/authlab/progress"
	"github.com/gin-gonic/gin"
)

// htmlLesson writes a lesson page composed (compose.go): the lesson's
// frame, made once per course version, with the viewer's parts in its
// slots; and each quiz that shows no answer from a frame of its own, made
// once per order of its options (the order is the learner's shuffle, see
// quiz.Seed), with only its submission key and best score rendered per
// request. A page whose layout data holds more than the personal
// templates read is rendered in full.
func (h *courseHandlers) htmlLesson(c *gin.Context, status int, cat *lessons.Catalog, p lessonPage, view *progress.LessonView, kept *personalPage) {
	if h.frames.Off || p.shared() != p.impersonal().Page {
		h.html(c, status, "lesson", p)
		return
	}
	buf, err := h.render.compose(&h.frames, cat, "lesson", "lesson:"+p.Lesson.Slug, p, func() any { return p.impersonal() }, fillLessonQuiz)
	if err == nil && status == http.StatusOK && view != nil {
		if err = h.keepLesson(c, cat, p, view.Version, kept, buf.Bytes()); err != nil {
			h.render.bufs.Put(buf)
		}
	}
	h.writeHTML(c, status, buf, err)
}

// fillLessonQuiz writes a "personal:lesson-quiz" slot from the quiz's
// frame when the quiz shows no answer; otherwise the slot's template
// renders it in full.
func fillLessonQuiz(c *pageset.Composition, s pageset.Slot, arg any) (bool, error) {
	if s.Name == "personal:quiz-key" {
		return writeQuizKey(c.Buf, arg), nil
	}
	if s.Name != "personal:lesson-quiz" {
		return false, nil
	}
	p, ok := arg.(pageset.Part).Data.(lessonPage)
	if !ok {
		return false, nil
	}
	v := p.Quizzes[s.Key]
	if v == nil || !v.fresh() {
		return false, nil
	}
	// Action names the lesson and the quiz.
	f, err := c.Frame("quiz", "quiz:"+v.Action+"\x00"+v.order(), func() any { return v.impersonal() })
	if err != nil || f == nil {
		return false, err
	}
	return true, c.Write(f, v)
}

// impersonal is the lesson page as every viewer sees it, the data of its
// frame: nothing of the viewer's, no quiz state.
func (p lessonPage) impersonal() lessonPage {
	return lessonPage{Page: Page{Title: p.Title, CourseTitle: p.CourseTitle, Nav: p.Nav, Description: p.Description},
		Lesson: p.Lesson, Course: p.Course}
}

// shared is the layout's data without the fields that only the personal
// templates read. A page whose shared part differs from its frame's (a
// field added to Page and set for some viewers) is rendered in full, so
// it is never served with another viewer's frame.
func (p lessonPage) shared() Page {
	s := p.Page
	s.Viewer, s.Flash, s.ContentError = nil, "", ""
	return s
}

// fresh reports whether the quiz shows no answer: nothing given, graded,
// compared, revealed or refused; what is left personal is its key and
// best score.
func (v *quizView) fresh() bool {
	g := v.Given
	return v.Result == nil && v.Compare == nil && v.Solution == nil && v.Problem == "" &&
		g.Chosen == nil && g.Match == nil && g.TF == "" && g.Text == "" && g.Open == ""
}

// order names the order the quiz shows its options, items and match
// rights in: the only part of a fresh quiz that differs between learners
// besides its personal templates.
func (v *quizView) order() string {
	var b strings.Builder
	for _, o := range v.Options {
		b.WriteString(o.Key)
		b.WriteByte(0)
	}
	b.WriteByte(1)
	for _, o := range v.Rights {
		b.WriteString(o.Key)
		b.WriteByte(0)
	}
	return b.String()
}

// impersonal is a fresh quiz without its key and best score.
func (v *quizView) impersonal() *quizView {
	return &quizView{questionView: v.questionView, Action: v.Action, AnswerURL: v.AnswerURL}
}

// writeQuizKey writes the "personal:quiz-key" part of a quiz whose key
// needs no escaping (rand.Text's alphabet, as newQuizView makes it), as
// its template would; any other key is left to the template.
func writeQuizKey(w *bytes.Buffer, arg any) bool {
	v, ok := arg.(*quizView)
	if !ok || v.Key == "" || strings.IndexFunc(v.Key, func(r rune) bool { return !('A' <= r && r <= 'Z' || '2' <= r && r <= '7') }) >= 0 {
		return false
	}
	w.WriteString(`<input type="hidden" name="key" value="`)
	w.WriteString(v.Key)
	w.WriteString(`">`)
	return true
}
