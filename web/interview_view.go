package web

import (
	"cmp"
	"html/template"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// practicePage is one question of a run.
type practicePage struct {
	Page
	Kind, KindTitle string
	Number, Total   int
	Answered        int
	Correct         int // of the answered ones
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
	Timer           *interview.Timer // the visible countdown; interview.js runs it
	SummaryURL      string
}

// questionView is a question as a lesson quiz or a practice form shows
// it: only the public view, its options in the order of a seed (the
// learner's, or the run's).
type questionView struct {
	quiz.Public
	Kind      string // what to do, e.g. "Choose one"
	Items     []orderItem
	Positions []int
	Menu      []menuOption // match: the rights as plain text for a select
}

func newQuestionView(q *quiz.Question, seed uint64) *questionView {
	v := &questionView{Public: q.Public(seed), Kind: q.Type.Task()}
	for i, o := range v.Options {
		if q.Type == quiz.Order {
			v.Items = append(v.Items, orderItem{Key: o.Key, HTML: o.HTML, Pos: i + 1})
			v.Positions = append(v.Positions, i+1)
		}
	}
	for _, r := range v.Rights {
		v.Menu = append(v.Menu, menuOption{Key: r.Key, Text: lessons.PlainText(r.HTML)})
	}
	return v
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
	Late       bool          `json:"late"` // sent after the timer ran out: graded all the same
	NextReview string        `json:"next_review,omitempty"`
	Next       string        `json:"next"`
	NextLabel  string        `json:"next_label"`
	HTML       template.HTML `json:"html"`

	Limit    string                `json:"-"` // the timer, for the late note
	View     *resultView           `json:"-"`
	Ticks    []feedbackItem        `json:"-"` // open: each key point, ticked or not
	Written  string                `json:"-"`
	Solution *solutionView         `json:"-"`
	Lesson   *interview.LessonLink `json:"-"`
}

// storedResult builds the result of a stored answer, grading it again.
func (h *interviewHandlers) storedResult(c *gin.Context, cat *lessons.Catalog, r *interview.Run, i int, a interview.Answer) (*practiceResult, error) {
	q := r.Qs[i]
	ans, res, err := regrade(q, a.Attempt)
	if err != nil {
		// The question changed since (dev mode): keep the stored score.
		ans, res = quiz.Answer{}, quiz.Result{QuestionID: q.ID, Score: a.Attempt.Score, Correct: a.Attempt.Correct}
	}
	teach := interview.TeachingLesson(cat, q)
	pr := &practiceResult{QuestionID: q.ID, Correct: res.Correct, Score: res.Score, Written: ans.Open, Late: a.Meta.Late,
		Limit: interview.TimerLabel(r.Timer, r.Whole), View: newResultView(cmp.Or(teach, &lessons.Lesson{}), q, ans, res),
		Solution: newSolutionView(q), Lesson: interview.LinkTo(teach)}
	pr.Verdict = pr.View.Verdict
	rating, self := a.Rating()
	pr.Rating, pr.Self = rating.String(), self
	if q.Type == quiz.Open {
		ticked := map[int]bool{}
		for _, k := range ans.Rubric {
			ticked[k] = true
		}
		for k, h := range q.RubricHTML {
			pr.Ticks = append(pr.Ticks, feedbackItem{HTML: h, Correct: ticked[k]})
		}
		pr.Solution.Rubric = nil // the ticks show every key point
	}
	pr.Next, pr.NextLabel = r.NextURL(i), "Next question"
	if i+1 == len(r.Qs) {
		pr.NextLabel = "See your summary"
	}
	if pr.NextReview, err = h.practice.NextReview(c.Request.Context(), a.Attempt.LearnerID, q.ID); err != nil {
		return nil, err
	}
	return pr, nil
}
