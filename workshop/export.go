package workshop

// After the room: ending a workshop (read-only from then on), its
// results, and the CSV export of participants, progress and every answer
// with its time.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// End ends workshop w and tells the room. The last round closes and, if
// the instructor had not yet, is revealed: nobody is left "waiting for
// the reveal" in an ended workshop, and the results count every round.
func (e *Engine) End(ctx context.Context, w *progress.Workshop) error {
	if r, err := e.store.CurrentRound(ctx, w.ID); err == nil && r.RevealedAt == nil {
		if r.ClosedAt == nil {
			err = e.CloseRound(ctx, w.ID, r.ID)
		}
		if err == nil {
			r, err = e.store.Round(ctx, w.ID, r.ID)
		}
		cat, _ := e.course.Catalog()
		if err == nil && cat != nil {
			_, err = e.reveal(ctx, cat, w, r)
		}
		if err != nil {
			return err
		}
	}
	if err := e.store.EndWorkshop(ctx, w.ID, e.clock.Now()); err != nil && !errors.Is(err, progress.ErrEnded) {
		return err
	}
	e.publish(ctx, w.ID, "ended", "", struct{}{})
	return nil
}

// RoundResult is how the room did in one round.
type RoundResult struct {
	Seq      int
	Prompt   string
	Answered int
	Right    int
	RightPct int
}

// Results are the rounds of w, in order, and the leaderboard.
func (e *Engine) Results(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop) ([]RoundResult, []Standing, error) {
	board, err := e.Leaderboard(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	rounds, err := e.store.Rounds(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	answers, err := e.store.WorkshopAnswers(ctx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	return roundResults(rounds, answers, e.questionOf(cat)), board, nil
}

// questionOf is the question of a round, nil when it cannot be had (a
// question the course no longer has): results and exports show what
// they can.
func (e *Engine) questionOf(cat *lessons.Catalog) func(*progress.Round) *quiz.Question {
	return func(r *progress.Round) *quiz.Question {
		q, _ := e.question(cat, r)
		return q
	}
}

func roundResults(rounds []progress.Round, answers []progress.RoundAnswer, question func(*progress.Round) *quiz.Question) []RoundResult {
	var out []RoundResult
	for _, r := range rounds {
		rr := RoundResult{Seq: r.Seq, Prompt: plainPrompt(question(&r))}
		for _, a := range answers {
			if a.RoundID == r.ID {
				rr.Answered++
				if a.Correct {
					rr.Right++
				}
			}
		}
		rr.RightPct = pct(rr.Right, rr.Answered)
		out = append(out, rr)
	}
	return out
}

// CSVHeader is the export's one table: a record column says what each
// row is (participant, lesson, quiz_answer, round_answer) and the
// columns that do not apply to it stay empty.
// A participant row ends with their total points and their place on
// the leaderboard (empty without a place: no point yet, or removed).
var CSVHeader = []string{"record", "participant_id", "nickname", "joined_at", "removed",
	"lesson", "first_visited", "completed_at", "seconds",
	"round", "question_id", "question", "answer", "correct", "score", "points", "elapsed_ms", "answered_at",
	"total_points", "rank"}

// bom is the UTF-8 byte-order mark: spreadsheet programs read a CSV
// that starts with it as UTF-8, so "Zoë" and "李小龍" arrive intact.
const bom = "\ufeff"

// CSV is the export of w: a byte-order mark, CSVHeader, then every
// participant, each followed by their lessons, lesson quiz answers and
// round answers. Questions and answers are plain text. No cell can be
// read as a formula by a spreadsheet.
func (e *Engine) CSV(ctx context.Context, cat *lessons.Catalog, w *progress.Workshop) ([]byte, error) {
	ex, err := e.export(ctx, w)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(bom)
	cw := csv.NewWriter(&b)
	cw.Write(CSVHeader)
	for _, r := range csvRows(cat, w, ex, e.questionOf(cat)) {
		for i := range r {
			r[i] = csvSafe(r[i])
		}
		cw.Write(r)
	}
	cw.Flush()
	return b.Bytes(), cw.Error()
}

// CSVName is the export's file name.
func (e *Engine) CSVName(w *progress.Workshop) string {
	return "workshop-" + w.Code + "-" + e.clock.Now().Format("2006-01-02") + ".csv"
}

// exportData is what the CSV is made from.
type exportData struct {
	parts    []progress.Participant
	room     *progress.RoomProgress
	rounds   []progress.Round
	answers  []progress.RoundAnswer        // every round answer of the workshop
	attempts map[string][]progress.Attempt // learner -> lesson quiz answers, newest first
	board    []Standing                    // the leaderboard
}

func (e *Engine) export(ctx context.Context, w *progress.Workshop) (*exportData, error) {
	ex := &exportData{attempts: map[string][]progress.Attempt{}}
	var err error
	if ex.parts, err = e.store.Participants(ctx, w.ID); err != nil {
		return nil, err
	}
	learners := make([]string, len(ex.parts))
	for i, p := range ex.parts {
		learners[i] = p.LearnerID
	}
	if ex.room, err = e.store.RoomProgress(ctx, learners); err != nil {
		return nil, err
	}
	if ex.rounds, err = e.store.Rounds(ctx, w.ID); err != nil {
		return nil, err
	}
	if ex.answers, err = e.store.WorkshopAnswers(ctx, w.ID); err != nil {
		return nil, err
	}
	if ex.board, err = e.Leaderboard(ctx, w.ID); err != nil {
		return nil, err
	}
	for _, p := range ex.parts {
		if ex.attempts[p.LearnerID], err = e.store.Attempts(ctx, p.LearnerID, 0); err != nil {
			return nil, err
		}
	}
	return ex, nil
}

// csvRows are the export's rows after the header, cells as they are.
// Only the workshop's lessons and their questions count.
func csvRows(cat *lessons.Catalog, w *progress.Workshop, ex *exportData, question func(*progress.Round) *quiz.Question) [][]string {
	inWorkshop := map[string]bool{}
	for _, slug := range w.LessonSlugs() {
		inWorkshop[slug] = true
	}
	roundByID := map[string]progress.Round{}
	for _, r := range ex.rounds {
		roundByID[r.ID] = r
	}
	byParticipant := map[string][]progress.RoundAnswer{}
	for _, a := range ex.answers {
		byParticipant[a.ParticipantID] = append(byParticipant[a.ParticipantID], a)
	}
	row := func(record string, p progress.Participant) []string {
		r := make([]string, len(CSVHeader))
		r[0], r[1], r[2] = record, p.ID, p.Nickname
		return r
	}
	standing := byID(ex.board)
	var out [][]string
	for _, p := range ex.parts {
		r := row("participant", p)
		r[3], r[4], r[5] = stamp(p.JoinedAt), strconv.FormatBool(p.Removed), p.Lesson
		if st, ok := standing[p.ID]; ok {
			r[18] = strconv.Itoa(st.Points)
			if st.Rank > 0 {
				r[19] = strconv.Itoa(st.Rank)
			}
		}
		out = append(out, r)
		for _, lp := range ex.room.Lessons[p.LearnerID] {
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
		attempts := ex.attempts[p.LearnerID]
		for i := len(attempts) - 1; i >= 0; i-- { // oldest first
			a := attempts[i]
			l, ok := cat.LessonOf(a.QuestionID)
			if !ok || !inWorkshop[l.Slug] {
				continue
			}
			q, _ := cat.Bank.Question(a.QuestionID)
			r := row("quiz_answer", p)
			r[5], r[10], r[11], r[12] = l.Slug, a.QuestionID, plainPrompt(q), lessonAnswerText(q, a.Answer)
			r[13], r[14], r[17] = strconv.FormatBool(a.Correct), strconv.FormatFloat(a.Score, 'f', 2, 64), stamp(a.CreatedAt)
			out = append(out, r)
		}
		for _, a := range byParticipant[p.ID] {
			rd := roundByID[a.RoundID]
			q := question(&rd)
			r := row("round_answer", p)
			r[9], r[10], r[11], r[12] = strconv.Itoa(rd.Seq), rd.QuestionID, plainPrompt(q), answerText(q, a.Answer)
			r[13], r[14], r[15] = strconv.FormatBool(a.Correct), strconv.FormatFloat(a.Score, 'f', 2, 64), strconv.Itoa(a.Points)
			r[16], r[17] = strconv.Itoa(a.ElapsedMS), stamp(a.At)
			out = append(out, r)
		}
	}
	return out
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
				text = cmp.Or(plainText(ch.HTML), ch.Text)
			}
		}
		out = append(out, text)
	}
	return strings.Join(out, " | ")
}

// storedAnswer is a lesson quiz answer as the course pages keep it in
// progress.Attempt.Answer (JSON; option, item and pair keys).
type storedAnswer struct {
	Choices []string          `json:"choices"`
	Order   []string          `json:"order"`
	Match   map[string]string `json:"match"`
	TF      *bool             `json:"tf"`
	Text    string            `json:"text"`
	Rubric  []int             `json:"rubric"`
	Open    string            `json:"open"`
}

// lessonAnswerText is a stored lesson quiz answer as a person reads it:
// the chosen options' text, the order of the items, each pair, the
// words typed, the key points ticked. What is not JSON is option keys.
func lessonAnswerText(q *quiz.Question, raw string) string {
	var a storedAnswer
	if q == nil || !strings.HasPrefix(strings.TrimSpace(raw), "{") || json.Unmarshal([]byte(raw), &a) != nil {
		return answerText(q, raw)
	}
	var parts []string
	if len(a.Choices) > 0 {
		parts = append(parts, answerText(q, strings.Join(a.Choices, " ")))
	}
	if a.TF != nil {
		parts = append(parts, strconv.FormatBool(*a.TF))
	}
	if len(a.Order) > 0 {
		items := make([]string, len(a.Order))
		for i, k := range a.Order {
			items[i] = k
			if j := slices.Index(q.ItemKeys, k); j >= 0 && j < len(q.Items) {
				items[i] = q.Items[j]
				if j < len(q.ItemsHTML) {
					items[i] = cmp.Or(plainText(q.ItemsHTML[j]), q.Items[j])
				}
			}
		}
		parts = append(parts, strings.Join(items, " → "))
	}
	if len(a.Match) > 0 {
		var pairs []string
		for _, p := range q.Pairs {
			if rk, ok := a.Match[p.LeftKey]; ok {
				right := rk
				for _, p2 := range q.Pairs {
					if p2.RightKey == rk {
						right = p2.Right
					}
				}
				pairs = append(pairs, p.Left+" = "+right)
			}
		}
		parts = append(parts, strings.Join(pairs, " | "))
	}
	if t := strings.TrimSpace(a.Text + " " + a.Open); t != "" {
		parts = append(parts, t)
	}
	if len(q.Rubric) > 0 && (a.Rubric != nil || a.Open != "") {
		parts = append(parts, fmt.Sprintf("(%d of %d key points)", len(a.Rubric), len(q.Rubric)))
	}
	return strings.Join(parts, " ")
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
