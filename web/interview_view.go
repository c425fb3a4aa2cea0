package web

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// practicePage is one question of a run.
type practicePage struct {
	Page
	Kind, KindTitle string
	Number, Total   int
	Answered        int
	Level           int
	Topics          []string
	FollowUpOf      template.HTML // mock: the prompt this one follows up
	Q               *questionView
	Prompt          template.HTML // for the answered view
	Statement       template.HTML
	Action          string
	Key             string
	Skip            string // the next question, without answering
	Reveal          *revealView
	Written         string
	Result          *practiceResult
	Timer           *timerView
	SummaryURL      string
}

// questionView is a question as the practice form shows it: only the
// public view, options in the run's own order.
type questionView struct {
	quiz.Public
	Kind      string
	Items     []orderItem
	Positions []int
	Menu      []menuOption
	Digits    bool // the number keys pick its options
}

func newQuestionView(q *quiz.Question, seed uint64) *questionView {
	v := &questionView{Public: q.Public(seed), Kind: quizKind(q.Type)}
	for i, o := range v.Options {
		if q.Type == quiz.Order {
			v.Items = append(v.Items, orderItem{Key: o.Key, HTML: o.HTML, Pos: i + 1})
			v.Positions = append(v.Positions, i+1)
		}
	}
	for _, r := range v.Rights {
		v.Menu = append(v.Menu, menuOption{Key: r.Key, Text: plainText(r.HTML)})
	}
	v.Digits = q.Type == quiz.Single || q.Type == quiz.Multi || q.Type == quiz.TrueFalse
	return v
}

// timerView is the visible countdown; interview.js runs it.
type timerView struct {
	Seconds   int // the limit
	Remaining int // left when the page was rendered
	Whole     bool
	Label     string
	Clock     string
}

func newTimerView(p *practice, answered bool, now time.Time) *timerView {
	if p.Timer == 0 || (answered && !p.Whole) {
		return nil
	}
	t := &timerView{Seconds: p.Timer, Remaining: p.Timer, Whole: p.Whole, Label: timerLabel(p.Timer, p.Whole)}
	if p.Whole {
		t.Remaining = max(0, int(math.Ceil(p.deadline().Sub(now).Seconds())))
	}
	t.Clock = clock(t.Remaining)
	return t
}

// revealView is the second step of an open prompt: the model answer, the
// key points to tick and the four ratings.
type revealView struct {
	Model   template.HTML
	Points  []rubricPoint
	Ratings []ratingOption
}

type ratingOption struct {
	Value      int
	Name, Hint string
}

func newRevealView(q *quiz.Question) *revealView {
	cv := newCompareView(q)
	return &revealView{Model: cv.Model, Points: cv.Points, Ratings: []ratingOption{
		{1, "Again", "I missed it"}, {2, "Hard", "I got there with effort"},
		{3, "Good", "I covered it"}, {4, "Easy", "Effortless"},
	}}
}

// practiceResult is an answered question: the JSON reply to fetch and
// the data of the "interview-result" template.
type practiceResult struct {
	QuestionID string        `json:"question_id"`
	Correct    bool          `json:"correct"`
	Score      float64       `json:"score"`
	Verdict    string        `json:"verdict"`
	Rating     string        `json:"rating"`
	Self       bool          `json:"self_rated"`
	NextReview string        `json:"next_review,omitempty"`
	Next       string        `json:"next"`
	NextLabel  string        `json:"next_label"`
	HTML       template.HTML `json:"html"`

	View     *resultView    `json:"-"`
	Ticks    []feedbackItem `json:"-"` // open: each key point, ticked or not
	Written  string         `json:"-"`
	Solution *solutionView  `json:"-"`
	Lesson   *lessonLink    `json:"-"`
}

// storedResult builds the result of a stored answer, grading it again.
func (s *Server) storedResult(c *gin.Context, cat *lessons.Catalog, p *practice, i int, ra runAnswer) (*practiceResult, error) {
	q := p.Qs[i]
	a, res, err := regrade(q, ra.att)
	if err != nil {
		// The question changed since (dev mode): keep the stored score.
		a, res = storedAnswer{}, quiz.Result{QuestionID: q.ID, Score: ra.att.Score, Correct: ra.att.Correct}
	}
	teach := teachingLesson(cat, q)
	r := &practiceResult{QuestionID: q.ID, Correct: res.Correct, Score: res.Score, Written: a.Open,
		View: newResultView(cmp.Or(teach, &lessons.Lesson{}), q, a, res), Solution: newSolutionView(q), Lesson: linkTo(teach)}
	r.Verdict = r.View.Verdict
	rating := quiz.RatingFor(res)
	if ra.pa.Rating > 0 {
		rating, r.Self = quiz.Rating(ra.pa.Rating), true
	}
	r.Rating = rating.String()
	if q.Type == quiz.Open {
		ticked := map[int]bool{}
		for _, k := range a.Rubric {
			ticked[k] = true
		}
		for k, h := range q.RubricHTML {
			r.Ticks = append(r.Ticks, feedbackItem{HTML: h, Correct: ticked[k]})
		}
		r.Solution.Rubric = nil // the ticks show every key point
	}
	r.Next, r.NextLabel = p.url(i+1), "Next question"
	if i+1 == len(p.Qs) {
		r.Next, r.NextLabel = p.summaryURL(), "See your summary"
	}
	card, err := s.store.Card(c.Request.Context(), ra.att.LearnerID, q.ID)
	switch {
	case err == nil:
		r.NextReview = comesBack(card.Due, time.Now())
	case !errors.Is(err, progress.ErrNotFound):
		return nil, err
	}
	return r, nil
}

// comesBack says when a card is due next, for people.
func comesBack(due, now time.Time) string {
	days := int(math.Ceil(due.Sub(now).Hours() / 24))
	switch {
	case days <= 0:
		return "today"
	case days == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", days)
}

// interviewFragment renders one partial of an interview page on its own,
// for fetch replies.
func (s *Server) interviewFragment(page, name string, data any) (template.HTML, error) {
	t, ok := s.render.page(page)
	if !ok {
		return "", fmt.Errorf("web: no %s template", page)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// teachingLesson is the lesson a learner should read for q: the one that
// holds it, else the lesson with the most quizzes sharing a topic with it.
func teachingLesson(cat *lessons.Catalog, q *quiz.Question) *lessons.Lesson {
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

// topicLessons are the lessons teaching a topic, most quizzes on it first.
func topicLessons(cat *lessons.Catalog, topic string, limit int) []*lessons.Lesson {
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

// lessonLink is a link to a lesson.
type lessonLink struct {
	Title string `json:"title"`
	Href  string `json:"href"`
}

func linkTo(l *lessons.Lesson) *lessonLink {
	if l == nil {
		return nil
	}
	return &lessonLink{Title: l.Title, Href: "/lessons/" + l.Slug}
}

// clock formats seconds as m:ss.
func clock(secs int) string {
	if secs < 0 {
		secs = 0
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// timerLabel says what a run's timer is, for people.
func timerLabel(secs int, whole bool) string {
	switch {
	case secs == 0:
		return ""
	case whole:
		return clock(secs) + " for the whole run"
	}
	return clock(secs) + " per question"
}
