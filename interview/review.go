package interview

import (
	"cmp"
	"html/template"
	"slices"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// ReviewItem is one answered question on the review page.
type ReviewItem struct {
	ID       string
	Prompt   template.HTML
	Lesson   string // title; empty for an interview-bank question
	Link     string // the quiz in its lesson, or for a bank question a one-question practice run
	Percent  int    // the best score
	Attempts int
	Last     time.Time
}

// Review lists every question of the bank the learner has answered, by
// their best results: the ones not yet right (Wrong), the most recently
// missed first, since that is what the learner was just doing; then the
// right ones (Right), in course order. A question of the interview bank
// sits in no lesson, so its link is a one-question practice run that
// starts at now (a mock interview for an open prompt): otherwise "To
// revisit" would list a question the learner has no way to answer again.
func Review(cat *lessons.Catalog, bests map[string]progress.Best, now time.Time) (wrong, right []ReviewItem) {
	for _, q := range cat.Bank.All() { // course order within each group
		b, answered := bests[q.ID]
		if !answered {
			continue
		}
		it := ReviewItem{ID: q.ID, Prompt: cmp.Or(q.PromptHTML, q.StatementHTML), Percent: Percent(b.Score),
			Attempts: b.Attempts, Last: b.Last}
		if l, ok := cat.LessonOf(q.ID); ok {
			it.Lesson, it.Link = l.Title, "/lessons/"+l.Slug+"#quiz-"+q.ID
		} else {
			kind := KindDrill
			if slices.Contains(OpenTypes, q.Type) {
				kind = KindMock
			}
			it.Link = NewRun(kind, []*quiz.Question{q}, Filter{}, now).URL(0)
		}
		if b.Correct {
			right = append(right, it)
		} else {
			wrong = append(wrong, it)
		}
	}
	slices.SortStableFunc(wrong, func(a, b ReviewItem) int { return b.Last.Compare(a.Last) })
	return wrong, right
}
