package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"

	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// interviewHome is the interview mode's start page.
type interviewHome struct {
	Page
	Topics       []topicOption
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

type topicOption struct {
	Name  string
	Count int
}

// interview is GET /interview. A visitor with nothing recorded reads
// nothing from the database.
func (s *Server) interview(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	p := interviewHome{Page: s.base(c, "Interview prep", "interview"), DrillDefault: drillDefault, DrillMax: drillMax,
		MockDefault: mockDefault, MockMax: mockMax, MockTimer: mockTimer, NothingDue: c.Query("due") == "none"}
	p.Description = "Timed drills, mock-interview prompts with model answers, spaced repetition and stats."
	counts := map[string]int{}
	for _, q := range cat.Bank.All() {
		if !q.Interview {
			continue
		}
		if q.Type == quiz.Open {
			p.Open++
		} else {
			p.Graded++
		}
		for _, t := range q.Topics {
			counts[t]++
		}
	}
	for _, t := range interviewTopics(cat.Bank) {
		p.Topics = append(p.Topics, topicOption{Name: t, Count: counts[t]})
	}
	if v := viewerFrom(c); v != nil {
		st, err := s.learnerStats(c, cat, v.LearnerID)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.DueToday, p.Cards, p.Streak, p.Answered = st.DueToday, st.Cards, st.Streak, st.Answered
	}
	s.html(c, http.StatusOK, "interview", p)
}

// cheatsheetPage is the printable sheet of model answers.
type cheatsheetPage struct {
	Page
	Topics   []string
	Levels   []int
	Sections []cheatsheetItem
}

type cheatsheetItem struct {
	ID     string
	Level  int
	Topics []string
	Prompt template.HTML
	Points []template.HTML
	Model  template.HTML
}

// cheatsheet is GET /interview/cheatsheet: every open prompt of the
// chosen topics and levels with its key points and model answer, to
// print. The model answers are study material, so they are shown without
// an attempt first.
func (s *Server) cheatsheet(c *gin.Context) {
	cat, ok := s.course(c)
	if !ok {
		return
	}
	f, msg := readFilter(c.Request.URL.Query(), cat.Bank, 1, 1, "none")
	if msg != "" {
		s.problem(c, http.StatusBadRequest, msg)
		return
	}
	p := cheatsheetPage{Page: s.base(c, "Interview cheat sheet", "interview"), Topics: f.Topics, Levels: f.Levels}
	p.Description = "Model answers and key points for interview prompts, to print."
	for _, q := range cat.Bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: []quiz.Type{quiz.Open}, InterviewOnly: true}) {
		p.Sections = append(p.Sections, cheatsheetItem{ID: q.ID, Level: q.Level, Topics: q.Topics, Prompt: q.PromptHTML,
			Points: q.RubricHTML, Model: q.ModelHTML})
	}
	slices.SortStableFunc(p.Sections, func(a, b cheatsheetItem) int { return cmp.Compare(a.Level, b.Level) })
	s.html(c, http.StatusOK, "interview_cheatsheet", p)
}
