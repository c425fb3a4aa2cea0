package web

// Quizzes in lessons. A quiz block is a plain form: without JavaScript
// it posts, the answer is graded and stored, and a 303 brings the
// learner back to the lesson at that quiz with the result (read back
// from the database). quiz.js posts the same form with fetch and asks
// for JSON; the reply carries the result panel rendered by the same
// template, so both paths show the same feedback.
//
// Before an answer only quiz.Public reaches the page. An open question
// is answered in two steps: the written answer is "compared" (which
// stores nothing and shows the model answer and rubric), then the
// ticked rubric is graded.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// quizHandlers answer and grade the lessons' quizzes and list the
// answers to review. A lesson quiz's answer also moves the question's
// spaced-repetition card (interview mode's practice, scheduleCard).
type quizHandlers struct {
	*kernel
	store quizStore
	// showLesson renders the lesson page again at a quiz (an answer to
	// compare, or one to correct) for a browser without JavaScript.
	showLesson gin.HandlerFunc
}

// quizStore is what the quizzes read and record.
type quizStore interface {
	RecordAnswer(ctx context.Context, a *progress.Answer) (*progress.AnswerResult, error)
	LastAttempt(ctx context.Context, learnerID, questionID string) (*progress.Attempt, error)
	BestScores(ctx context.Context, learnerID string, ids []string) (map[string]progress.Best, error)
	LessonView(ctx context.Context, learnerID string, questionIDs []string) (*progress.LessonView, error)
}

var _ quizStore = (*progress.Store)(nil)

const (
	// maxQuizBody fits the longest answer a browser sends: 4000 characters
	// of a textarea, 9 bytes each once a CJK character is UTF-8 and then
	// percent-encoded, plus the other fields; it still bounds forged ones.
	maxQuizBody = 64 << 10
	quizSource  = "lesson" // progress.Attempt.Source of answers given here
)

var (
	quizKeyRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
	errQuizKeyUsed = errors.New("web: submission key already used for another question")
)

// quizView is one quiz block as the viewer sees it: the public view of
// the question plus the viewer's own state.
type quizView struct {
	*questionView // the question as the form shows it (interview_view.go)
	Action        string
	AnswerURL     string
	Key           string      // idempotency key of the next submission
	Given         givenAnswer // the viewer's last answer, to fill the form in
	Best          *bestView
	Result        *resultView
	Compare       *compareView
	Solution      *solutionView
	// Problem is why the answer just sent (a plain form, without
	// JavaScript) was refused; nothing was stored.
	Problem string
}

type orderItem struct {
	Key  string
	HTML template.HTML
	Pos  int
}

type menuOption struct{ Key, Text string }

type givenAnswer struct {
	Chosen map[string]bool
	TF     string
	Match  map[string]string
	Text   string
	Open   string
}

// bestView is a learner's best result on one question.
type bestView struct {
	Score    float64 `json:"score"`
	Correct  bool    `json:"correct"`
	Attempts int     `json:"attempts"`
	Text     string  `json:"text"`
}

func newBestView(b progress.Best) *bestView {
	t := fmt.Sprintf("Your best: %d%%", percent(b.Score))
	if b.Correct {
		t += ", correct"
	}
	if b.Attempts == 1 {
		t += " · 1 attempt"
	} else {
		t += fmt.Sprintf(" · %d attempts", b.Attempts)
	}
	return &bestView{Score: b.Score, Correct: b.Correct, Attempts: b.Attempts, Text: t}
}

// resultView is a graded answer: the JSON reply to fetch and the data
// of the "quiz-result" template. Feedback covers chosen options only;
// the full answer is behind "show answer".
type resultView struct {
	QuestionID     string         `json:"question_id"`
	Correct        bool           `json:"correct"`
	Score          float64        `json:"score"`
	Verdict        string         `json:"verdict"` // correct, partial or wrong
	Summary        string         `json:"summary,omitempty"`
	Feedback       []feedbackItem `json:"feedback,omitempty"`
	Missed         int            `json:"missed,omitempty"`
	Positions      []feedbackItem `json:"positions,omitempty"` // order, in the learner's order
	Pairs          []feedbackItem `json:"pairs,omitempty"`     // match: HTML is the left side
	Given          string         `json:"given,omitempty"`     // truefalse, text: what was answered
	Reject         template.HTML  `json:"reject,omitempty"`
	Why            template.HTML  `json:"why,omitempty"`
	Model          template.HTML  `json:"model,omitempty"`
	Explanation    template.HTML  `json:"explanation,omitempty"`
	Best           *bestView      `json:"best,omitempty"`
	AttemptID      uint64         `json:"attempt_id"`
	LessonComplete bool           `json:"lesson_complete"`
	AnswerURL      string         `json:"answer_url"`
	ShowAnswerHref string         `json:"-"`
	HTML           template.HTML  `json:"html"`
	// CompletionHTML is the lesson's completion controls once the lesson
	// is complete, for quiz.js to put in place of "Mark this lesson
	// complete".
	CompletionHTML template.HTML `json:"completion_html,omitempty"`
	lesson         *lessons.Lesson
}

type feedbackItem struct {
	Key     string        `json:"key"`
	HTML    template.HTML `json:"html"`
	Correct bool          `json:"correct"`
	Why     template.HTML `json:"why,omitempty"`
	Chosen  template.HTML `json:"chosen,omitempty"` // match: the right side picked
}

// compareView is the second step of an open question.
type compareView struct {
	Model  template.HTML
	Points []rubricPoint
}

type rubricPoint struct {
	Index int
	HTML  template.HTML
}

// solutionView is "show answer", with option keys resolved to HTML.
type solutionView struct {
	Choices []feedbackItem
	TF      string
	Reason  template.HTML
	Order   []template.HTML
	Pairs   []feedbackItem // HTML is the left, Chosen the right
	Accept  []string
	Model   template.HTML
	Rubric  []template.HTML
	Explain template.HTML
}

// quizAnswer takes one answer to a quiz: an open question's first step
// compares it with the model answer (quizCompare); any other answer is
// graded, stored once per key (saveQuizAttempt) and sent back (quizReply).
func (h *quizHandlers) quizAnswer(c *gin.Context) {
	sub, ok := h.readQuizSubmission(c)
	if !ok {
		return
	}
	if sub.compare {
		h.quizCompare(c, sub)
		return
	}
	v, err := h.ensureLearner(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	rv, err := h.saveQuizAttempt(c, v.LearnerID, sub)
	if errors.Is(err, errQuizKeyUsed) {
		h.problem(c, http.StatusConflict, "This submission key was already used for another question. Reload the page and answer again.")
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.quizReply(c, rv)
}

// quizReply sends a graded answer: JSON with the rendered result panel
// to fetch, a 303 back to the lesson at the quiz to a plain form.
func (h *quizHandlers) quizReply(c *gin.Context, rv *resultView) {
	if !wantsJSON(c.Request) {
		c.Redirect(http.StatusSeeOther, "/lessons/"+rv.lesson.Slug+"?answered="+url.QueryEscape(rv.QuestionID)+"#quiz-"+rv.QuestionID)
		return
	}
	var err error
	if rv.HTML, err = h.fragment("lesson", "quiz-result", rv); err != nil {
		h.fail(c, err)
		return
	}
	if rv.LessonComplete {
		slug := rv.lesson.Slug
		done := func() any { return map[string]any{"Slug": slug, "Completed": true, "Progress": true} }
		if rv.CompletionHTML, err = h.fragmentOf("lesson", "lesson-completion", slug, done); err != nil {
			h.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, rv)
}

// saveQuizAttempt stores the attempt once per key, with the question's
// review card, the visit to the lesson and the lesson's completion when
// this answer makes every quiz in it correct: one progress.Answer,
// written in one transaction with the answers that arrive at the same
// time. It returns once that transaction has committed.
func (h *quizHandlers) saveQuizAttempt(c *gin.Context, learner string, sub *quizSubmission) (*resultView, error) {
	raw, err := json.Marshal(sub.answer)
	if err != nil {
		return nil, fmt.Errorf("web: encode answer: %w", err)
	}
	a := &progress.Answer{
		Attempt: progress.Attempt{LearnerID: learner, Key: sub.key, QuestionID: sub.q.ID, Source: quizSource,
			Score: sub.result.Score, Correct: sub.result.Correct, Answer: string(raw)},
		Schedule: scheduleCard(sub.q.ID, quiz.RatingFor(sub.result), time.Now().UTC()),
		// Answering is being in the lesson: it counts as a visit (a guest's
		// first page view records none, since the guest did not exist yet),
		// so the map marks the lesson started and Resume comes back here.
		Lesson:   sub.lesson.Slug,
		Position: "quiz-" + sub.q.ID,
		Quizzes:  sub.lesson.QuizIDs(),
	}
	if sub.key != "" {
		// The same form again with another answer: the page came back
		// through Back (without JavaScript its key is in the page), so this
		// is a new attempt, not a retry. Its key is derived from the
		// answer, so sending this one twice is still a retry.
		a.AltKey = answerKey(sub.key, raw)
	}
	saved, err := h.store.RecordAnswer(c.Request.Context(), a)
	if err != nil {
		return nil, err
	}
	got := saved.Attempt
	answer, result := sub.answer, sub.result
	if !saved.New { // a retry: report what the first submission got
		if got.QuestionID != sub.q.ID {
			return nil, errQuizKeyUsed
		}
		if answer, result, err = regrade(sub.q, got); err != nil {
			// The question changed since (dev mode): report the stored score.
			answer, result = quiz.Answer{}, quiz.Result{QuestionID: got.QuestionID, Score: got.Score, Correct: got.Correct}
		}
	}
	rv := newResultView(sub.lesson, sub.q, answer, result)
	rv.AttemptID = got.ID
	rv.LessonComplete = saved.LessonComplete
	if saved.Best != nil {
		rv.Best = newBestView(*saved.Best)
	}
	return rv, nil
}

// scheduleCard moves a question's spaced-repetition card (a new one if
// there is none) by an answer's rating, by the rule interview drills use
// (interview.ReviewCard); progress runs it inside the answer's transaction.
func scheduleCard(questionID string, r quiz.Rating, now time.Time) func(*progress.Card) progress.Card {
	return func(prev *progress.Card) progress.Card { return interview.ReviewCard(questionID, prev, r, now) }
}

// regrade grades a stored attempt again, to show its feedback.
func regrade(q *quiz.Question, att *progress.Attempt) (quiz.Answer, quiz.Result, error) {
	var a quiz.Answer
	if err := json.Unmarshal([]byte(att.Answer), &a); err != nil {
		return a, quiz.Result{}, fmt.Errorf("web: stored answer %d: %w", att.ID, err)
	}
	res, err := quiz.Grade(q, a)
	return a, res, err
}

// quizCompare is the first step of an open question: show the model
// answer and the rubric to tick. Nothing is stored.
func (h *quizHandlers) quizCompare(c *gin.Context, sub *quizSubmission) {
	cv := newCompareView(sub.q)
	if wantsJSON(c.Request) {
		h.replyFragment(c, "lesson", "quiz-compare", cv, gin.H{"compare": true})
		return
	}
	// Without JavaScript the lesson page comes back with this quiz in its
	// compare step and the learner's text kept.
	c.Set(quizCompareKey, &quizCompareState{id: sub.q.ID, view: cv, open: sub.answer.Open})
	h.showLesson(c)
}

const quizCompareKey = "authlab.quizcompare"

type quizCompareState struct {
	id   string
	view *compareView
	open string
}

// quizSolution is "show answer" (GET /lessons/:slug/quiz/:id/answer):
// only for a learner who has answered the question at least once.
func (h *quizHandlers) quizSolution(c *gin.Context) {
	l, q, ok := h.quizOf(c)
	if !ok {
		return
	}
	v := viewerFrom(c)
	if v != nil {
		bests, err := h.store.BestScores(c.Request.Context(), v.LearnerID, []string{q.ID})
		if err != nil {
			h.fail(c, err)
			return
		}
		if _, answered := bests[q.ID]; !answered {
			v = nil
		}
	}
	if v == nil {
		h.problem(c, http.StatusForbidden, "Answer this question first: its answer is shown after your first attempt.")
		return
	}
	h.replyFragment(c, "lesson", "quiz-solution", newSolutionView(q), gin.H{"id": q.ID, "lesson": l.Slug, "solution": q.Reveal()})
}

// lessonQuizzes builds every quiz block of a lesson page for the viewer.
// A page view without a learner reads nothing from the database.

// answerKey is the submission key of a different answer sent under an
// already used key: the same for the same answer, and in quizKeyRe's form.
func answerKey(key string, answer []byte) string {
	h := sha256.New()
	h.Write([]byte(key))
	h.Write([]byte{0})
	h.Write(answer)
	return "a" + base64.RawURLEncoding.EncodeToString(h.Sum(nil))[:31]
}
