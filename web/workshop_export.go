package web

// After the room: end a workshop (read-only from then on), its results
// page, and the CSV export of participants, progress and every answer
// with its time.

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
	"github.com/gin-gonic/gin"
)

// endWorkshop (POST /workshops/:id/end) closes the open round, makes the
// workshop read-only and tells the room.
func (s *Server) endWorkshop(c *gin.Context) {
	w, ok := s.openWorkshop(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	// The last round closes and, if the instructor had not yet, is
	// revealed: nobody is left "waiting for the reveal" in an ended
	// workshop, and the results count every round.
	if r, err := s.store.CurrentRound(ctx, w.ID); err == nil && r.RevealedAt == nil {
		if r.ClosedAt == nil {
			err = s.closeRound(ctx, w.ID, r.ID)
		}
		if err == nil {
			r, err = s.store.Round(ctx, w.ID, r.ID)
		}
		cat, _ := s.catalog.Catalog()
		if err == nil && cat != nil {
			_, err = s.reveal(ctx, cat, w, r)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.store.EndWorkshop(ctx, w.ID, s.ws.clock.Now()); err != nil && !errors.Is(err, progress.ErrEnded) {
		s.fail(c, err)
		return
	}
	s.publish(ctx, w.ID, "ended", "", gin.H{})
	if wantsJSON(c.Request) {
		c.JSON(http.StatusOK, gin.H{"ended": true})
		return
	}
	c.Redirect(http.StatusSeeOther, "/workshops/"+w.ID+"/results")
}

// resultsPage is a workshop's results.
type resultsPage struct {
	Page
	Workshop    *progress.Workshop
	Board       *boardState
	Leaderboard []standingView
	Rounds      []roundResult
}

type roundResult struct {
	Seq      int
	Prompt   string
	Answered int
	Right    int
	RightPct int
}

func (s *Server) workshopResults(c *gin.Context) {
	w, cat, b, ok := s.ownBoard(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	board, _, err := s.leaderboard(ctx, w.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	rounds, err := s.store.Rounds(ctx, w.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	answers, err := s.store.WorkshopAnswers(ctx, w.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := resultsPage{Page: s.base(c, "Results: "+w.Title, "workshops"), Workshop: w, Board: b, Leaderboard: board}
	for _, r := range rounds {
		q, _ := s.roundQuestion(cat, &r)
		rr := roundResult{Seq: r.Seq, Prompt: plainPrompt(q)}
		for _, a := range answers {
			if a.RoundID == r.ID {
				rr.Answered++
				if a.Correct {
					rr.Right++
				}
			}
		}
		rr.RightPct = pct(rr.Right, rr.Answered)
		p.Rounds = append(p.Rounds, rr)
	}
	s.html(c, http.StatusOK, "workshop_results", p)
}

// csvHeader is the export's one table: a record column says what each
// row is (participant, lesson, quiz_answer, round_answer) and the
// columns that do not apply to it stay empty.
var csvHeader = []string{"record", "participant_id", "nickname", "joined_at", "removed",
	"lesson", "first_visited", "completed_at", "seconds",
	"round", "question_id", "question", "answer", "correct", "score", "points", "elapsed_ms", "answered_at"}

// workshopCSV (GET /workshops/:id/export.csv).
func (s *Server) workshopCSV(c *gin.Context) {
	w, ok := s.ownWorkshop(c)
	if !ok {
		return
	}
	cat, ok := s.course(c)
	if !ok {
		return
	}
	rows, err := s.csvRows(c, cat, w)
	if err != nil {
		s.fail(c, err)
		return
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write(csvHeader)
	for _, r := range rows {
		for i := range r {
			r[i] = csvSafe(r[i])
		}
		cw.Write(r)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.fail(c, err)
		return
	}
	name := "workshop-" + w.Code + "-" + s.ws.clock.Now().Format("2006-01-02") + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}

func (s *Server) csvRows(c *gin.Context, cat *lessons.Catalog, w *progress.Workshop) ([][]string, error) {
	ctx := c.Request.Context()
	parts, err := s.store.Participants(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	learners := make([]string, len(parts))
	for i, p := range parts {
		learners[i] = p.LearnerID
	}
	rp, err := s.store.RoomProgress(ctx, learners)
	if err != nil {
		return nil, err
	}
	inWorkshop := map[string]bool{}
	for _, slug := range w.LessonSlugs() {
		inWorkshop[slug] = true
	}
	rounds, err := s.store.Rounds(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	roundByID := map[string]progress.Round{}
	for _, r := range rounds {
		roundByID[r.ID] = r
	}
	answers, err := s.store.WorkshopAnswers(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	byParticipant := map[string][]progress.RoundAnswer{}
	for _, a := range answers {
		byParticipant[a.ParticipantID] = append(byParticipant[a.ParticipantID], a)
	}
	row := func(record string, p progress.Participant) []string {
		r := make([]string, len(csvHeader))
		r[0], r[1], r[2] = record, p.ID, p.Nickname
		return r
	}
	var out [][]string
	for _, p := range parts {
		r := row("participant", p)
		r[3], r[4], r[5] = stamp(p.JoinedAt), strconv.FormatBool(p.Removed), p.Lesson
		out = append(out, r)
		for _, lp := range rp.Lessons[p.LearnerID] {
			if !inWorkshop[lp.Slug] {
				continue
			}
			r := row("lesson", p)
			r[5], r[6], r[8] = lp.Slug, stamp(lp.FirstVisited), strconv.Itoa(lp.Seconds)
			if lp.CompletedAt != nil {
				r[7] = stamp(*lp.CompletedAt)
			}
			out = append(out, r)
		}
		attempts, err := s.store.Attempts(ctx, p.LearnerID, 0)
		if err != nil {
			return nil, err
		}
		for i := len(attempts) - 1; i >= 0; i-- { // oldest first
			a := attempts[i]
			l, ok := cat.LessonOf(a.QuestionID)
			if !ok || !inWorkshop[l.Slug] {
				continue
			}
			q, _ := cat.Bank.Question(a.QuestionID)
			r := row("quiz_answer", p)
			r[5], r[10], r[11], r[12] = l.Slug, a.QuestionID, plainPrompt(q), a.Answer
			r[13], r[14], r[17] = strconv.FormatBool(a.Correct), strconv.FormatFloat(a.Score, 'f', 2, 64), stamp(a.CreatedAt)
			out = append(out, r)
		}
		for _, a := range byParticipant[p.ID] {
			rd := roundByID[a.RoundID]
			q, _ := s.roundQuestion(cat, &rd)
			r := row("round_answer", p)
			r[9], r[10], r[11], r[12] = strconv.Itoa(rd.Seq), rd.QuestionID, plainPrompt(q), answerText(q, a.Answer)
			r[13], r[14], r[15] = strconv.FormatBool(a.Correct), strconv.FormatFloat(a.Score, 'f', 2, 64), strconv.Itoa(a.Points)
			r[16], r[17] = strconv.Itoa(a.ElapsedMS), stamp(a.At)
			out = append(out, r)
		}
	}
	return out, nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// answerText turns stored option keys back into the options' text.
func answerText(q *quiz.Question, keys string) string {
	if q == nil {
		return keys
	}
	var out []string
	for _, k := range strings.Fields(keys) {
		text := k
		for _, ch := range q.Choices {
			if ch.Key == k {
				text = ch.Text
			}
		}
		out = append(out, text)
	}
	return strings.Join(out, " | ")
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
