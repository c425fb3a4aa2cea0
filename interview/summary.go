package interview

import (
	"cmp"
	"html/template"
	"slices"
	"time"

	"github.com/authlab/authlab/lessons"
)

// Summary is the end of a run: the score, the time, each question's
// verdict and what to review.
type Summary struct {
	Kind, KindTitle  string
	Total, Answered  int
	Correct, Percent int // Percent: the mean score over all Total questions, an unanswered one scoring 0
	Late             int // answers sent after the timer ran out
	Time, Limit      string
	OverTime         bool
	Items            []SummaryItem
	Review           []ReviewLesson
	Again            string
	Module           *ModuleResult // a module check's verdict; nil for other runs
}

// ModuleResult is what a module check's run says about the module.
type ModuleResult struct {
	Title          string
	Need, Total    int
	Mastered, Done bool // Done: every question answered
}

// SummaryItem is one question of the run.
type SummaryItem struct {
	Number  int
	Prompt  template.HTML
	Href    string
	Verdict string // correct, partial, wrong; "" when not answered
	Percent int
	Rating  string
	Time    string
	Late    bool
	Lesson  *LessonLink
}

// ReviewLesson is a lesson to read after a run, with the missed topics
// it covers.
type ReviewLesson struct {
	LessonLink
	Topics []string
	Missed int
}

// NewSummary builds the summary of run r from its stored answers.
func NewSummary(cat *lessons.Catalog, r Run, answers Answers) Summary {
	sum := Summary{Kind: r.Kind, KindTitle: KindTitle(r.Kind), Total: len(r.Qs), Limit: TimerLabel(r.Timer, r.Whole),
		Again: StartPath(r.Kind)}
	var (
		score  float64
		last   time.Time
		review = map[string]*ReviewLesson{}
		order  []string
	)
	for i, q := range r.Qs {
		it := SummaryItem{Number: i + 1, Prompt: cmp.Or(q.PromptHTML, q.StatementHTML), Href: r.URL(i)}
		teach := TeachingLesson(cat, q)
		it.Lesson = LinkTo(teach)
		a, done := answers[q.ID]
		if !done {
			sum.Items = append(sum.Items, it)
			continue
		}
		att := a.Attempt
		sum.Answered++
		score += att.Score
		it.Percent = Percent(att.Score)
		switch {
		case att.Correct:
			it.Verdict = "correct"
			sum.Correct++
		case att.Score > 0:
			it.Verdict = "partial"
		default:
			it.Verdict = "wrong"
		}
		rating, _ := a.Rating()
		it.Rating = rating.String()
		it.Time = a.Meta.Time()
		if it.Late = a.Meta.Late; it.Late {
			sum.Late++
		}
		if att.CreatedAt.After(last) {
			last = att.CreatedAt
		}
		sum.Items = append(sum.Items, it)
		if att.Correct || teach == nil {
			continue
		}
		rl := review[teach.Slug]
		if rl == nil {
			rl = &ReviewLesson{LessonLink: *it.Lesson}
			review[teach.Slug] = rl
			order = append(order, teach.Slug)
		}
		rl.Missed++
		for _, t := range q.Topics {
			if !slices.Contains(rl.Topics, t) {
				rl.Topics = append(rl.Topics, t)
			}
		}
	}
	for _, slug := range order {
		sum.Review = append(sum.Review, *review[slug])
	}
	slices.SortStableFunc(sum.Review, func(a, b ReviewLesson) int { return b.Missed - a.Missed })
	if sum.Answered > 0 {
		// Over every question of the run, like "Correct n of Total": a
		// question left unanswered scores 0.
		sum.Percent = Percent(score / float64(sum.Total))
		took := int(last.Sub(r.Start).Seconds())
		sum.Time = Clock(took)
		sum.OverTime = r.Whole && r.Timer > 0 && took > r.Timer
	}
	if m := CheckedModule(cat, r); m != nil {
		sum.Module = &ModuleResult{Title: m.Title, Need: m.MasteryNeed(), Total: len(m.Check),
			Mastered: m.Mastered(answers.correct()), Done: sum.Answered == sum.Total}
		sum.Again = ModuleCheckPath(m)
	}
	return sum
}
