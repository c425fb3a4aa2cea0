package lessons

import (
	"slices"

	"github.com/authlab/authlab/quiz"
)

// Module mastery. Each module of course.yaml lists a check: a few
// questions drawn from its lessons' quizzes, in an order that interleaves
// the lessons (no two neighbours from the same lesson), so answering it
// is cumulative retrieval of the whole module rather than a rerun of one
// lesson's end. A learner masters the module by answering every question
// of the check in one sitting and getting at least MasteryPercent of them
// right (Mastered). The check asks only questions graded at once: an open
// prompt is self-assessed and cannot measure mastery.
//
// authlab check refuses, once any module has a check, a module without
// one (a course with none, like a small test fixture, has no mastery
// checks at all; content/ tests that the real course has them), a check
// of fewer than MinCheck or more than MaxCheck questions, an id that is
// not a quiz of one of the module's lessons, an open prompt, a question
// listed twice, a lesson of the module that gives no question, and two
// neighbours from the same lesson (in a module of several lessons).

// Sizes and the threshold of a module's mastery check.
const (
	MinCheck       = 4
	MaxCheck       = 12
	MasteryPercent = 80
)

// MasteryNeed is how many of the check's questions must be right:
// MasteryPercent of them, rounded up.
func (m *Module) MasteryNeed() int {
	return (len(m.Check)*MasteryPercent + 99) / 100
}

// Mastered reports whether one sitting of the module's check shows
// mastery. correct holds that sitting's answers, by question id: whether
// each was right. Every question of the check must be answered (others
// in the map are ignored), and at least MasteryNeed of them right. A
// module without a check is never mastered.
func (m *Module) Mastered(correct map[string]bool) bool {
	if len(m.Check) == 0 {
		return false
	}
	right := 0
	for _, q := range m.Check {
		ok, answered := correct[q.ID]
		if !answered {
			return false
		}
		if ok {
			right++
		}
	}
	return right >= m.MasteryNeed()
}

// moduleChecks resolves each module's check against the course's quizzes
// and reports what the rules above refuse.
func (ld *loader) moduleChecks(cat *Catalog, outlines []moduleOutline) {
	if !slices.ContainsFunc(outlines, func(mo moduleOutline) bool { return len(mo.check) > 0 }) {
		return
	}
	for i, mo := range outlines {
		if i >= len(cat.Modules) {
			break
		}
		m := cat.Modules[i]
		if len(mo.check) == 0 {
			ld.report.add(courseFile, mo.line, "module %d (%s) has no check: list %d to %d question ids of its lessons under check (docs/content.md, \"Module checks\")", i+1, m.Title, MinCheck, MaxCheck)
			continue
		}
		if n := len(mo.check); n < MinCheck || n > MaxCheck {
			ld.report.add(courseFile, mo.check[0].line, "module %d's check has %d questions: it needs %d to %d", i+1, n, MinCheck, MaxCheck)
		}
		var from []*Lesson // the lesson of each question, in check order
		seen := map[string]bool{}
		for _, c := range mo.check {
			id := c.slug
			l := cat.byQuestion[id]
			var q *quiz.Question
			if l != nil {
				q = l.quiz(id)
			}
			switch {
			case seen[id]:
				ld.report.add(courseFile, c.line, "question %q is in module %d's check twice", id, i+1)
				continue
			case q == nil || l.Module != m:
				ld.report.add(courseFile, c.line, "module %d's check names %q, which is not a quiz of the module's lessons", i+1, id)
				continue
			case q.Type == quiz.Open:
				ld.report.add(courseFile, c.line, "module %d's check names %q, an open prompt: a check asks only questions graded at once", i+1, id)
				continue
			}
			seen[id] = true
			if n := len(from); n > 0 && from[n-1] == l && len(m.Lessons) > 1 {
				ld.report.add(courseFile, c.line, "module %d's check asks %q right after another question of lesson %q: interleave the lessons", i+1, id, l.Slug)
			}
			from = append(from, l)
			m.Check = append(m.Check, q)
		}
		for _, l := range m.Lessons {
			if !slices.Contains(from, l) {
				ld.report.add(courseFile, mo.line, "module %d's check asks nothing from lesson %q: every lesson of the module gives at least one question", i+1, l.Slug)
			}
		}
	}
}

// quiz is the lesson's question with that id, or nil.
func (l *Lesson) quiz(id string) *quiz.Question {
	for _, q := range l.Quizzes {
		if q.ID == id {
			return q
		}
	}
	return nil
}
