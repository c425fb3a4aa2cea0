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
	DrillTopics  []topicOption // topics of the graded questions, for the drill
	OpenTopics   []topicOption // topics of the open prompts, for the mock interview and the cheat sheet
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
	p.DrillTopics, p.Graded = kindTopics(cat.Bank, gradedTypes)
	p.OpenTopics, p.Open = kindTopics(cat.Bank, []quiz.Type{quiz.Open})
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

// kindTopics lists, sorted, the topics of the interview questions of the
// given types — the pool a drill (graded types) or a mock interview and
// the cheat sheet (open prompts) draw from — each with its number of
// questions, and how many such questions there are. A topic none of them
// has is left out, so no choice on /interview leads to an empty run.
func kindTopics(bank *quiz.Bank, types []quiz.Type) ([]topicOption, int) {
	qs := bank.Select(quiz.Filter{Types: types, InterviewOnly: true})
	counts := map[string]int{}
	for _, q := range qs {
		for _, t := range q.Topics {
			counts[t]++
		}
	}
	out := make([]topicOption, 0, len(counts))
	for t, n := range counts {
		out = append(out, topicOption{Name: t, Count: n})
	}
	slices.SortFunc(out, func(a, b topicOption) int { return cmp.Compare(a.Name, b.Name) })
	return out, len(qs)
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
	slices.Sort(f.Levels) // shown as "Levels: Basics, Deep dive"
	p := cheatsheetPage{Page: s.base(c, "Interview cheat sheet", "interview"), Topics: f.Topics, Levels: f.Levels}
	p.Description = "Model answers and key points for interview prompts, to print."
	for _, q := range cat.Bank.Select(quiz.Filter{Topics: f.Topics, Levels: f.Levels, Types: []quiz.Type{quiz.Open}, InterviewOnly: true}) {
		p.Sections = append(p.Sections, cheatsheetItem{ID: q.ID, Level: q.Level, Topics: q.Topics, Prompt: q.PromptHTML,
			Points: q.RubricHTML, Model: q.ModelHTML})
	}
	slices.SortStableFunc(p.Sections, func(a, b cheatsheetItem) int { return cmp.Compare(a.Level, b.Level) })
	s.html(c, http.StatusOK, "interview_cheatsheet", p)
}
