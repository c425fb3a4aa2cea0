package web

import (
	"strconv"
	"strings"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/pageset"
)

// lessonPartKey names the state of a lesson page's personal part
// (pageset.Composition.PartKey): every value the part's template shows,
// so a part is rendered once per state, course version and template set
// and its bytes reused. What a part shows that the version fixes (the
// lesson's module, a lab's goal and title) is left out. A part with a
// flash or a content error, and a quiz that shows an answer, are
// rendered for the request only.
//
// A key that leaves something out would show one viewer's state to
// another: the composed-page tests run with pageset.Cache.Verify, which
// renders every reused part again and fails the page on a difference.
func lessonPartKey(s pageset.Slot, arg any) (string, bool) {
	var b strings.Builder
	switch s.Name {
	case "personal:quiz-best":
		v, ok := arg.(*quizView)
		if !ok {
			return "", false
		}
		if v.Best == nil {
			return "-", true
		}
		return "+" + v.Best.Text, true
	case "personal:lesson-lab":
		pt, ok := arg.(pageset.Part)
		p, ok2 := pt.Data.(lessonPage)
		if !ok || !ok2 {
			return "", false
		}
		c := p.LabCard(pt.Key)
		b.WriteString(pt.Key)
		b.WriteByte(0)
		flag(&b, p.Progress != nil, c.Lab.Solved())
		b.WriteString(strconv.Itoa(c.Lab.Total))
		b.WriteByte(0)
		b.WriteString(c.Lab.Summary())
		b.WriteByte(0)
		b.WriteString(c.DoneIDs)
		return b.String(), true
	}
	p, ok := arg.(lessonPage)
	if !ok {
		return "", false
	}
	v := p.Viewer
	switch s.Name {
	case "personal:nav":
		flag(&b, v != nil, v != nil && v.Instructor)
		b.WriteString(p.Nav)
	case "personal:account":
		if v == nil {
			return "-", true
		}
		b.WriteString("+")
		b.WriteString(v.Username)
	case "personal:notes":
		if p.Flash != "" || p.ContentError != "" {
			return "", false
		}
		flag(&b, p.Chrome != "", v != nil, v != nil && v.Username != "")
	case "personal:lesson-article":
		flag(&b, v != nil)
		b.WriteString(p.Lesson.Slug)
	case "personal:lesson-modules":
		b.WriteString(p.Lesson.Slug)
		b.WriteByte(0)
		for _, l := range p.Lesson.Module.Lessons {
			switch st := p.lessonState(l.Slug); {
			case p.Progress == nil:
				b.WriteByte('n')
			case st.Completed:
				b.WriteByte('d')
			case st.Visited:
				b.WriteByte('s')
			default:
				b.WriteByte('-')
			}
		}
	case "personal:lesson-done":
		b.WriteString(p.Lesson.Slug)
		b.WriteByte(0)
		flag(&b, p.Progress != nil, p.Completed, p.lessonState(p.Lesson.Slug).ByLabs)
		for _, lp := range p.LessonLabs {
			b.WriteString(lp.Panel)
			b.WriteByte(0)
			b.WriteString(lp.Title)
			b.WriteByte(0)
			flag(&b, lp.Solved())
			b.WriteString(lp.Summary())
			b.WriteByte(0)
		}
	default:
		return "", false
	}
	return b.String(), true
}

// lessonState is the viewer's state in the lesson slug (zero without
// progress), as the lesson templates index it.
func (p lessonPage) lessonState(slug string) (st lessons.LessonState) {
	if p.Progress != nil && p.Progress.CourseMap != nil {
		st = p.Progress.Lessons[slug]
	}
	return st
}

// flag writes each of bs as 1 or 0.
func flag(b *strings.Builder, bs ...bool) {
	for _, v := range bs {
		if v {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
}
