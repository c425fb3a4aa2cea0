package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// summaryPage is the end of a run: the score, the time, each question's
// verdict and what to review.
type summaryPage struct {
	Page
	Kind, KindTitle  string
	Total, Answered  int
	Correct, Percent int // Percent: the mean score over all Total questions, an unanswered one scoring 0
	Time, Limit      string
	OverTime         bool
	Items            []summaryItem
	Review           []reviewLesson
	Again            string
}

type summaryItem struct {
	Number  int
	Prompt  template.HTML
	Href    string
	Verdict string // correct, partial, wrong; "" when not answered
	Percent int
	Rating  string
	Time    string
	Lesson  *lessonLink
}

// reviewLesson is a lesson to read after a run, with the missed topics
// it covers.
type reviewLesson struct {
	lessonLink
	Topics []string
	Missed int
}

// practiceSummary is GET /interview/summary.
func (s *Server) practiceSummary(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	p, _, ok := s.readRun(c, true)
	if !ok {
		return
	}
	learner := ""
	if v := viewerFrom(c); v != nil {
		learner = v.LearnerID
	}
	answers, err := s.runAnswers(c, learner, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := newSummary(cat, p, answers)
	page.Page = s.base(c, kindTitle(p.Kind)+": summary", "interview")
	page.Description = "How the run went and what to review."
	s.html(c, http.StatusOK, "interview_summary", page)
}

// newSummary builds the summary of run p from its stored answers.
func newSummary(cat *lessons.Catalog, p *practice, answers map[string]runAnswer) summaryPage {
	page := summaryPage{Kind: p.Kind, KindTitle: kindTitle(p.Kind), Total: len(p.Qs), Limit: timerLabel(p.Timer, p.Whole),
		Again: "/interview/" + map[string]string{kindDrill: "drill", kindMock: "mock", kindDue: "due"}[p.Kind]}
	var (
		score  float64
		last   time.Time
		review = map[string]*reviewLesson{}
		order  []string
	)
	for i, q := range p.Qs {
		it := summaryItem{Number: i + 1, Prompt: cmp.Or(q.PromptHTML, q.StatementHTML), Href: p.url(i)}
		teach := teachingLesson(cat, q)
		it.Lesson = linkTo(teach)
		ra, done := answers[q.ID]
		if !done {
			page.Items = append(page.Items, it)
			continue
		}
		page.Answered++
		score += ra.att.Score
		it.Percent = percent(ra.att.Score)
		switch {
		case ra.att.Correct:
			it.Verdict = "correct"
			page.Correct++
		case ra.att.Score > 0:
			it.Verdict = "partial"
		default:
			it.Verdict = "wrong"
		}
		it.Rating = quiz.RatingFor(quiz.Result{Correct: ra.att.Correct, Score: ra.att.Score}).String()
		if ra.pa.Rating > 0 {
			it.Rating = quiz.Rating(ra.pa.Rating).String()
		}
		if ra.pa.Seconds > 0 {
			it.Time = clock(ra.pa.Seconds)
		}
		if ra.att.CreatedAt.After(last) {
			last = ra.att.CreatedAt
		}
		page.Items = append(page.Items, it)
		if ra.att.Correct || teach == nil {
			continue
		}
		rl := review[teach.Slug]
		if rl == nil {
			rl = &reviewLesson{lessonLink: *it.Lesson}
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
		page.Review = append(page.Review, *review[slug])
	}
	slices.SortStableFunc(page.Review, func(a, b reviewLesson) int { return b.Missed - a.Missed })
	if page.Answered > 0 {
		// Over every question of the run, like "Correct n of Total": a
		// question left unanswered scores 0.
		page.Percent = percent(score / float64(page.Total))
		took := int(last.Sub(p.Start).Seconds())
		page.Time = clock(took)
		page.OverTime = p.Whole && p.Timer > 0 && took > p.Timer
	}
	return page
}
