package interview

import (
	"net/url"
	"strconv"

	"github.com/authlab/authlab/quiz"
)

// FormGrade is a posted answer to a run's question, read and graded.
type FormGrade struct {
	Answer quiz.Answer
	Result quiz.Result
	Rating quiz.Rating // for the card: from correctness, or the learner's own
	Self   int         // the learner's own rating of an open prompt, 1–4; 0 for none
	Reveal bool        // an open prompt's first step: show the model answer, store nothing
}

// FormError is a bad form value, said for the learner.
type FormError string

func (e FormError) Error() string { return string(e) }

// GradeForm reads the answer to q from its form (quiz.ParseForm) and
// grades it. An open prompt is answered in two posts: without a rating
// (and without step=grade) it asks for the reveal step, which stores
// nothing; with one, the learner's ticks are graded and their own rating
// (1 Again … 4 Easy) moves the card, not the score. Errors are a
// FormError or wrap quiz.ErrInvalidAnswer.
func GradeForm(q *quiz.Question, form url.Values) (FormGrade, error) {
	var g FormGrade
	var err error
	if g.Answer, err = quiz.ParseForm(q, form); err != nil {
		return g, err
	}
	if q.Type != quiz.Open {
		g.Result, err = quiz.Grade(q, g.Answer)
		g.Rating = quiz.RatingFor(g.Result)
		return g, err
	}
	switch r := form.Get("rating"); {
	case r == "" && form.Get("step") == "grade":
		return g, FormError("Rate how it went first: 1 Again, 2 Hard, 3 Good or 4 Easy.")
	case r == "":
		g.Reveal = true
		return g, nil
	default:
		g.Self, err = strconv.Atoi(r)
		if err != nil || g.Self < int(quiz.Again) || g.Self > int(quiz.Easy) || len(form["rating"]) > 1 {
			return g, FormError("A rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).")
		}
	}
	g.Rating = quiz.Rating(g.Self)
	g.Result, err = quiz.Grade(q, g.Answer)
	return g, err
}
