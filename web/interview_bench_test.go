package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/authlab/authlab/interview"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// BenchmarkInterviewAnswer posts graded answers the way interview.js
// does, through NewServer and SQLite, from 64 learners in turn. The
// baseline is a lesson quiz answer measured in the same run (grading,
// the attempt insert, the card read and write, then the lesson's
// progress and best score read back); a drill answer has the same
// grading and writes, then reads the card back for "comes back in N
// days". Afterwards every answer must be in the database.
func BenchmarkInterviewAnswer(b *testing.B) {
	for _, name := range []string{"lesson-quiz", "drill"} {
		b.Run(name, func(b *testing.B) {
			env := newTestEnv(b)
			l := env.catalog.Lessons[1]
			pool := env.catalog.Bank.Select(quiz.Filter{Types: interview.GradedTypes, InterviewOnly: true})[:30]
			const learners = 64
			type learner struct {
				qc  *quizClient
				run interview.Run
				n   int
			}
			ls := make([]*learner, learners)
			for i := range ls {
				ls[i] = &learner{qc: newQuizClient(env)}
				ls[i].qc.answerJSON(b, l, l.Quizzes[0], wrongAnswer(l.Quizzes[0])) // a session from the start
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				lr := ls[i%learners]
				var rec interface{ Result() *http.Response }
				if name == "lesson-quiz" {
					q := l.Quizzes[lr.n%len(l.Quizzes)]
					form := rightAnswer(q, false)
					form.Set("key", fmt.Sprintf("bench-%08d", i))
					rec = lr.qc.do(b, "POST", quizPath(l, q), form, "Accept", "application/json")
				} else {
					j := lr.n % len(pool)
					if j == 0 { // a new drill every 30 answers
						lr.run = interview.Run{Kind: interview.KindDrill, ID: fmt.Sprintf("BENCH%08d", i), Qs: pool, Start: time.Now().UTC().Truncate(time.Second)}
					}
					form := rightAnswer(pool[j], false)
					form.Set("key", fmt.Sprintf("bench-%08d", i))
					rec = lr.qc.do(b, "POST", lr.run.AnswerURL(j), form, "Accept", "application/json")
				}
				lr.n++
				if code := rec.Result().StatusCode; code != http.StatusOK {
					b.Fatalf("status %d", code)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
			stored := 0
			for _, lr := range ls {
				atts, err := env.store.Attempts(context.Background(), lr.qc.learner(b), 0)
				if err != nil {
					b.Fatal(err)
				}
				stored += len(atts) - 1
			}
			if stored != b.N {
				b.Fatalf("%d answers stored, want %d", stored, b.N)
			}
		})
	}
}

// BenchmarkInterviewPages renders the pages that read a learner's whole
// history, for a learner with 1,000 answers and 150 cards: /review (the
// course's own page over the same attempts, the baseline), the interview
// home, the stats page, and a question of a run in progress.
func BenchmarkInterviewPages(b *testing.B) {
	env := newTestEnv(b)
	qc := newQuizClient(env)
	l := env.catalog.Lessons[1]
	qc.answerJSON(b, l, l.Quizzes[0], wrongAnswer(l.Quizzes[0]))
	learner := qc.learner(b)
	ctx := context.Background()
	all := env.catalog.Bank.All()
	start := time.Now().UTC().Add(-60 * 24 * time.Hour)
	for i := range 1000 {
		q := all[i%len(all)]
		a := &progress.Attempt{LearnerID: learner, Key: fmt.Sprintf("hist-%05d", i), QuestionID: q.ID, Source: interview.SourceDrill,
			Score: float64(i % 2), Correct: i%2 == 0, Answer: `{"run":"HIST` + fmt.Sprint(i/10) + `"}`,
			CreatedAt: start.Add(time.Duration(i) * time.Hour)}
		if _, err := env.store.RecordAttempt(ctx, a); err != nil {
			b.Fatal(err)
		}
		if i < 150 {
			if err := env.store.SaveCard(ctx, &progress.Card{LearnerID: learner, QuestionID: q.ID, Ease: 2.5, Interval: 3,
				Due: time.Now().Add(time.Duration(i) * time.Hour)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	pool := env.catalog.Bank.Select(quiz.Filter{Types: interview.GradedTypes, InterviewOnly: true})[:10]
	run := interview.Run{Kind: interview.KindDrill, ID: "BENCHPAGES1", Qs: pool, Start: time.Now().UTC().Truncate(time.Second)}
	for i := range 5 {
		answerRun(b, qc, run, i, rightAnswer(pool[i], false))
	}
	for _, bc := range []struct{ name, path string }{
		{"review", "/review"}, {"interview-home", "/interview"}, {"stats", "/interview/stats"},
		{"practice", run.URL(5)}, {"summary", run.SummaryURL()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := qc.do(b, "GET", bc.path, nil)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", bc.path, rec.Code)
				}
			}
		})
	}
}
