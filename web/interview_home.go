package web

import (
	"net/http"
	"slices"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// interviewHome is the interview mode's start page.
type interviewHome struct {
	Page
	DrillTopics  []interview.TopicCount // topics of the graded questions, for the drill
	OpenTopics   []interview.TopicCount // topics of the open prompts, for the mock interview and the cheat sheet
	Graded, Open int
	DrillDefault int
	DrillMax     int
	MockDefault  int
	MockMax      int
	MockTimer    int
	DueToday     int
	Cards        int
	Streak       int
	Answered     int
	NothingDue   bool // came back from /interview/due with nothing due
	HasQuestions bool
}

// home is GET /interview. A visitor with nothing recorded reads
// nothing from the database.
func (h *interviewHandlers) home(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	p := interviewHome{Page: h.base(c, "Interview prep", "interview"), DrillDefault: interview.DrillDefault, DrillMax: interview.DrillMax,
		MockDefault: interview.MockDefault, MockMax: interview.MockMax, MockTimer: interview.MockTimer, NothingDue: c.Query("due") == "none"}
	p.Description = "Timed drills, mock-interview prompts with model answers, spaced repetition and stats."
	p.DrillTopics, p.Graded = interview.KindTopics(cat.Bank, interview.GradedTypes)
	p.OpenTopics, p.Open = interview.KindTopics(cat.Bank, interview.OpenTypes)
	if learner := learnerOf(c); learner != "" {
		st, err := h.practice.LearnerStats(c.Request.Context(), cat, learner, learnerNow(c))
		if err != nil {
			h.fail(c, err)
			return
		}
		p.DueToday, p.Cards, p.Streak, p.Answered = st.DueToday, st.Cards, st.Streak, st.Answered
	}
	h.html(c, http.StatusOK, "interview", p)
}

// cheatsheetPage is the printable sheet of model answers: each open
// prompt with its key points (RubricHTML) and model answer.
type cheatsheetPage struct {
	Page
	Topics   []string
	Levels   []int
	Sections []*quiz.Question
}

// cheatsheet is GET /interview/cheatsheet: every open prompt of the
// chosen topics and levels with its key points and model answer, to
// print. The model answers are study material, so they are shown without
// an attempt first.
func (h *interviewHandlers) cheatsheet(c *gin.Context) {
	cat, ok := h.course(c)
	if !ok {
		return
	}
	f, msg := interview.ParseFilter(c.Request.URL.Query(), cat.Bank, 1, 1, "none")
	if msg != "" {
		h.problem(c, http.StatusBadRequest, msg)
		return
	}
	slices.Sort(f.Levels) // shown as "Levels: Basics, Deep dive"
	p := cheatsheetPage{Page: h.base(c, "Interview cheat sheet", "interview"), Topics: f.Topics, Levels: f.Levels,
		Sections: interview.CheatSheet(cat.Bank, f)}
	p.Description = "Model answers and key points for interview prompts, to print."
	h.html(c, http.StatusOK, "interview_cheatsheet", p)
}
