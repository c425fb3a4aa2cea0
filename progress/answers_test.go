package progress

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// lessonAnswer is an answer to question q of a lesson with quizzes q1
// and q2; its card counts reviews in Reps.
func lessonAnswer(learner, key, q string, correct bool, answer string) *Answer {
	score := 0.0
	if correct {
		score = 1
	}
	return &Answer{
		Attempt:  Attempt{LearnerID: learner, Key: key, QuestionID: q, Source: "lesson", Score: score, Correct: correct, Answer: answer},
		Schedule: countReviews,
		Lesson:   "l1",
		Position: "quiz-" + q,
		Quizzes:  []string{"q1", "q2"},
	}
}

func countReviews(prev *Card) Card {
	c := Card{Ease: 2.5, Due: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), LastReview: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	if prev != nil {
		c.Reps = prev.Reps
	}
	c.Reps++
	return c
}

func TestRecordAnswer(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			first, err := s.RecordAnswer(ctx, lessonAnswer("ann", "key-1", "q1", false, "a"))
			if err != nil {
				t.Fatal(err)
			}
			if !first.New || first.Attempt.ID == 0 || first.LessonComplete || first.Best == nil || first.Best.Attempts != 1 {
				t.Fatalf("first answer: %+v (best %+v)", first, first.Best)
			}
			// A retry stores nothing and reports the first answer.
			again, err := s.RecordAnswer(ctx, lessonAnswer("ann", "key-1", "q1", false, "a"))
			if err != nil || again.New || again.Attempt.ID != first.Attempt.ID || again.Best.Attempts != 1 {
				t.Fatalf("retry: %+v, %v", again, err)
			}
			// The same key with another answer and an AltKey: a new attempt
			// under the AltKey, and a retry of that is a retry.
			alt := lessonAnswer("ann", "key-1", "q1", true, "b")
			alt.AltKey = "key-1-b"
			other, err := s.RecordAnswer(ctx, alt)
			if err != nil || !other.New || other.Attempt.Key != "key-1-b" || other.Attempt.ID == first.Attempt.ID {
				t.Fatalf("another answer under a used key: %+v, %v", other, err)
			}
			alt = lessonAnswer("ann", "key-1", "q1", true, "b")
			alt.AltKey = "key-1-b"
			if r, err := s.RecordAnswer(ctx, alt); err != nil || r.New || r.Attempt.ID != other.Attempt.ID || r.Attempt.Answer != "b" {
				t.Fatalf("that answer again: %+v, %v", r, err)
			}
			// The key used for another question reports that question.
			if r, err := s.RecordAnswer(ctx, lessonAnswer("ann", "key-1", "q2", true, "a")); err != nil || r.New || r.Attempt.QuestionID != "q1" || r.Best != nil {
				t.Fatalf("a key of another question: %+v, %v", r, err)
			}
			if r, _ := s.RecordAnswer(ctx, lessonAnswer("ann", "key-2", "q1", false, "c")); r.LessonComplete {
				t.Fatal("complete with q2 unanswered")
			}
			// The last right answer completes the lesson.
			done, err := s.RecordAnswer(ctx, lessonAnswer("ann", "key-3", "q2", true, "d"))
			if err != nil || !done.New || !done.LessonComplete || !done.Best.Correct {
				t.Fatalf("the answer that completes the lesson: %+v, %v", done, err)
			}
			lp, err := s.Lessons(ctx, "ann")
			if err != nil || lp["l1"].CompletedAt == nil || lp["l1"].Position != "quiz-q2" {
				t.Fatalf("lesson progress: %+v, %v", lp["l1"], err)
			}
			atts, err := s.Attempts(ctx, "ann", 0)
			if err != nil || len(atts) != 4 {
				t.Fatalf("%d attempts, want 4: %v", len(atts), err)
			}
			// Three new answers to q1 reviewed its card three times.
			card, err := s.Card(ctx, "ann", "q1")
			if err != nil || card.Reps != 3 || card.Ease != 2.5 || !card.Due.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) {
				t.Fatalf("card: %+v, %v", card, err)
			}
			bests, err := s.BestScores(ctx, "ann", nil)
			if err != nil || bests["q1"].Attempts != 3 || !bests["q1"].Correct || bests["q1"].Last.IsZero() {
				t.Fatalf("bests: %+v, %v", bests, err)
			}
		})
	}
}

// Answers sent at once are all stored, each once, and share
// transactions; retries sent at the same time store nothing more.
func TestRecordAnswerConcurrent(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const learners, each = 20, 15
			var wg sync.WaitGroup
			errs := make(chan error, 2*learners*each)
			for l := range learners {
				for i := range each {
					for range 2 { // each answer twice: the second is a retry
						wg.Go(func() {
							q := fmt.Sprintf("q%d", 1+i%2)
							a := lessonAnswer(fmt.Sprintf("learner-%02d", l), fmt.Sprintf("k-%02d", i), q, i%3 == 0, "x")
							if _, err := s.RecordAnswer(ctx, a); err != nil {
								errs <- err
							}
						})
					}
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for l := range learners {
				atts, err := s.Attempts(ctx, fmt.Sprintf("learner-%02d", l), 0)
				if err != nil || len(atts) != each {
					t.Fatalf("learner %d: %d attempts, want %d: %v", l, len(atts), each, err)
				}
				card, err := s.Card(ctx, fmt.Sprintf("learner-%02d", l), "q1")
				if err != nil || card.Reps != (each+1)/2 {
					t.Fatalf("learner %d: card %+v, want %d reviews: %v", l, card, (each+1)/2, err)
				}
			}
			st := s.AnswerStats()
			t.Logf("%d answers in %d transactions", st.Items, st.Groups)
		})
	}
}

// holdWriter submits an answer whose Schedule blocks the store's writer
// (inside its transaction) until release is closed, and waits until it
// does; the answer's result comes on the returned channel.
func holdWriter(t *testing.T, s *Store, learner string) (release chan struct{}, result chan error) {
	t.Helper()
	release, result = make(chan struct{}), make(chan error, 1)
	entered := make(chan struct{})
	a := lessonAnswer(learner, "hold", "q1", false, "x")
	a.Schedule = func(prev *Card) Card {
		close(entered)
		<-release
		return countReviews(prev)
	}
	go func() {
		_, err := s.RecordAnswer(context.Background(), a)
		result <- err
	}()
	<-entered
	return release, result
}

// A bad answer fails alone: its group is written again answer by
// answer, and the others are stored and acknowledged.
func TestRecordAnswerFailureIsolation(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			release, held := holdWriter(t, s, "ann")
			results := make([]chan error, 3)
			for i := range results {
				results[i] = make(chan error, 1)
				a := lessonAnswer("bob", fmt.Sprintf("k%d", i), "q1", true, "x")
				if i == 1 {
					a.Schedule = func(*Card) Card { panic("a bad card") }
				}
				go func() {
					_, err := s.RecordAnswer(ctx, a)
					results[i] <- err
				}()
			}
			waitQueued(t, s.answers, 3)
			close(release)
			if err := <-held; err != nil {
				t.Fatal(err)
			}
			for i, ch := range results {
				if err := <-ch; (err != nil) != (i == 1) {
					t.Errorf("answer %d: %v", i, err)
				}
			}
			atts, err := s.Attempts(ctx, "bob", 0)
			if err != nil || len(atts) != 2 {
				t.Fatalf("%d of bob's attempts stored, want 2: %v", len(atts), err)
			}
			if st := s.AnswerStats(); st.Alone != 3 {
				t.Errorf("%d answers retried alone, want 3", st.Alone)
			}
		})
	}
}

// An answer whose context ends before its group commits is not
// acknowledged, and one that ends while queued is not stored.
func TestRecordAnswerCancelled(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			release, held := holdWriter(t, s, "ann")
			ctx, cancel := context.WithCancel(context.Background())
			result := make(chan error, 1)
			go func() {
				_, err := s.RecordAnswer(ctx, lessonAnswer("bob", "k1", "q1", true, "x"))
				result <- err
			}()
			waitQueued(t, s.answers, 1)
			cancel()
			if err := <-result; !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled answer: %v, want context.Canceled", err)
			}
			close(release)
			if err := <-held; err != nil {
				t.Fatal(err)
			}
			// The next answer is written after the cancelled one was passed by.
			if _, err := s.RecordAnswer(context.Background(), lessonAnswer("bob", "k2", "q1", true, "x")); err != nil {
				t.Fatal(err)
			}
			atts, err := s.Attempts(context.Background(), "bob", 0)
			if err != nil || len(atts) != 1 || atts[0].Key != "k2" {
				t.Fatalf("bob's attempts: %+v, %v; want only k2", atts, err)
			}
		})
	}
}

// Close writes the answers already submitted before it closes the
// database: they are there when it is opened again.
func TestRecordAnswerCloseDrains(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(context.Background(), Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	release, held := holdWriter(t, s, "ann")
	results := make([]chan error, 5)
	for i := range results {
		results[i] = make(chan error, 1)
		go func() {
			_, err := s.RecordAnswer(context.Background(), lessonAnswer("bob", fmt.Sprintf("k%d", i), "q1", true, "x"))
			results[i] <- err
		}()
	}
	waitQueued(t, s.answers, len(results))
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.answers.mu.RLock()
		closing := s.answers.closed
		s.answers.mu.RUnlock()
		if closing {
			break // Close waits for the queue
		}
		if time.Now().After(deadline) {
			t.Fatal("Close did not start")
		}
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	for i, ch := range append(results, held) {
		if err := <-ch; err != nil {
			t.Errorf("answer %d: %v", i, err)
		}
	}
	if _, err := s.RecordAnswer(context.Background(), lessonAnswer("bob", "late", "q1", true, "x")); !errors.Is(err, ErrClosed) {
		t.Errorf("answer after Close: %v, want ErrClosed", err)
	}
	s, err = Open(context.Background(), Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	atts, err := s.Attempts(context.Background(), "bob", 0)
	if err != nil || len(atts) != len(results) {
		t.Fatalf("%d answers stored, want %d: %v", len(atts), len(results), err)
	}
}
