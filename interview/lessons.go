package interview

import (
	"slices"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
)

// LessonLink is a link to a lesson.
type LessonLink struct {
	Title string `json:"title"`
	Href  string `json:"href"`
}

// LinkTo links to a lesson; nil for none.
func LinkTo(l *lessons.Lesson) *LessonLink {
	if l == nil {
		return nil
	}
	return &LessonLink{Title: l.Title, Href: "/lessons/" + l.Slug}
}

// TeachingLesson is the lesson a learner should read for q: the one that
// holds it, else the lesson with the most quizzes sharing a topic with it.
func TeachingLesson(cat *lessons.Catalog, q *quiz.Question) *lessons.Lesson {
	if l, ok := cat.LessonOf(q.ID); ok {
		return l
	}
	var best *lessons.Lesson
	most := 0
	for _, l := range cat.Lessons {
		n := 0
		for _, lq := range l.Quizzes {
			if slices.ContainsFunc(lq.Topics, func(t string) bool { return slices.Contains(q.Topics, t) }) {
				n++
			}
		}
		if n > most {
			best, most = l, n
		}
	}
	return best
}

// TopicLessons are the lessons teaching a topic, most quizzes on it
// first, at most limit of them.
func TopicLessons(cat *lessons.Catalog, topic string, limit int) []*lessons.Lesson {
	type scored struct {
		l *lessons.Lesson
		n int
	}
	var ls []scored
	for _, l := range cat.Lessons {
		n := 0
		for _, q := range l.Quizzes {
			if slices.Contains(q.Topics, topic) {
				n++
			}
		}
		if n > 0 {
			ls = append(ls, scored{l, n})
		}
	}
	slices.SortStableFunc(ls, func(a, b scored) int { return b.n - a.n })
	var out []*lessons.Lesson
	for _, s := range ls {
		if len(out) < limit {
			out = append(out, s.l)
		}
	}
	return out
}
