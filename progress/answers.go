package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Answer is one graded lesson answer and everything it changes: the
// attempt, the question's review card, the visit to the lesson and,
// when it makes every quiz of the lesson right, the lesson's
// completion. RecordAnswer writes it in one transaction, grouped with
// the answers that arrive at the same time (group.go).
type Answer struct {
	// Attempt is stored once per (LearnerID, Key); an empty Key makes one
	// up. ID and CreatedAt are set by the store.
	Attempt Attempt
	// AltKey, when set, is where the answer goes if Key already holds a
	// different answer to the same question: the same form sent again
	// with another answer (after Back) is a new attempt, not a retry.
	AltKey string
	// Schedule returns the question's review card moved by this answer;
	// prev is the stored card, nil when there is none. It runs on the
	// store's writer goroutine, inside the transaction: it must be quick
	// and must not call the store.
	Schedule func(prev *Card) Card
	// Lesson is the lesson's slug; answering counts as a visit at
	// Position.
	Lesson   string
	Position string
	// Quizzes are the IDs of every quiz in the lesson: the lesson is
	// completed when each has a right answer.
	Quizzes []string
}

// AnswerResult is what an answer did.
type AnswerResult struct {
	// Attempt is the stored attempt: this answer, or, for a retry, the
	// one first sent with its key (possibly to another question).
	Attempt *Attempt
	// New says this answer was stored now (not a retry): only then were
	// the card, the visit and the completion written.
	New bool
	// Best is the learner's best on the answer's question (nil if the
	// key belonged to another question and this one has no attempt).
	Best *Best
	// LessonComplete says the lesson is complete (now or before).
	LessonComplete bool
}

// RecordAnswer stores a graded lesson answer and returns once the
// transaction holding it has committed, so the learner's next page reads
// it. A retried answer (same key) stores nothing and reports the first.
// If ctx ends first it returns ctx's error: the answer may or may not be
// stored, and a retry with the same key stores it once.
func (s *Store) RecordAnswer(ctx context.Context, a *Answer) (*AnswerResult, error) {
	if a.Attempt.Key == "" {
		a.Attempt.Key = newID()
	}
	res, err := s.answers.submit(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("progress: record answer: %w", err)
	}
	return res, nil
}

// bestOne reads the learner's best on one question in the transaction;
// nil when there is no attempt.
func (w *answerTx) bestOne(learner, question string) (*Best, error) {
	var (
		b       = Best{QuestionID: question}
		score   sql.NullFloat64
		correct sql.NullInt64
		last    any
	)
	if err := w.queryRow(sqlBestOne, learner, question).Scan(&b.Attempts, &score, &correct, &last); err != nil {
		return nil, err
	}
	if b.Attempts == 0 {
		return nil, nil
	}
	b.Score, b.Correct, b.Last = score.Float64, correct.Int64 == 1, asTime(last)
	return &b, nil
}

// AnswerStats says how RecordAnswer grouped answers into transactions.
func (s *Store) AnswerStats() GroupStats { return s.answers.stats() }

// answerTimeout bounds one group's transaction on Postgres: a database
// that stops answering fails the group (and its submitters) instead of
// holding the writer for ever.
const answerTimeout = 30 * time.Second

// commitAnswers writes a group of answers in one transaction.
func (s *Store) commitAnswers(as []*Answer) ([]*AnswerResult, error) {
	ctx := context.Background()
	if s.postgres {
		// SQLite needs no deadline: its busy_timeout bounds every wait for
		// a lock, and a context that can end costs the SQLite driver a
		// goroutine or a watcher per statement.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, answerTimeout)
		defer cancel()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	s.finishCheckpoint(sqlDB)          // between two groups (checkpoint.go)
	tx, err := sqlDB.BeginTx(ctx, nil) // BEGIN IMMEDIATE on SQLite (sqliteDSN)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // after Commit, a no-op
	w := answerTx{Store: s, ctx: ctx, tx: tx, now: s.now(), stmts: map[string]*sql.Stmt{}}
	out := make([]*AnswerResult, len(as))
	for i, a := range as {
		if out[i], err = w.write(a); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// answerTx writes answers inside one transaction, with plain
// database/sql: the same few statements per answer, prepared once per
// connection, without gorm's reflection on the writer's hot path.
type answerTx struct {
	*Store
	ctx   context.Context
	tx    *sql.Tx
	now   time.Time
	stmts map[string]*sql.Stmt // the prepared statements bound to tx
}

// The statements of an answer. "key" and "interval" are quoted: both are
// keywords (interval is reserved in Postgres).
const (
	sqlInsertAttempt = `INSERT INTO attempts (learner_id, "key", question_id, source, score, correct, answer, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`
	sqlAttemptByKey = `SELECT id, question_id, source, score, correct, answer, created_at
		FROM attempts WHERE learner_id = ? AND "key" = ?`
	sqlCard = `SELECT ease, "interval", reps, lapses, due, last_review
		FROM cards WHERE learner_id = ? AND question_id = ?`
	sqlSaveCard = `INSERT INTO cards (learner_id, question_id, ease, "interval", reps, lapses, due, last_review)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (learner_id, question_id) DO UPDATE SET ease = excluded.ease, "interval" = excluded."interval",
		reps = excluded.reps, lapses = excluded.lapses, due = excluded.due, last_review = excluded.last_review`
	// The visit as Visit writes it (no seconds), returning whether the
	// lesson is already complete.
	sqlVisit = `INSERT INTO lesson_progresses (learner_id, slug, first_visited, last_visited, position, seconds)
		VALUES (?, ?, ?, ?, ?, 0)
		ON CONFLICT (learner_id, slug) DO UPDATE SET last_visited = excluded.last_visited, position = excluded.position
		RETURNING completed_at`
	sqlCompleted = `SELECT completed_at FROM lesson_progresses WHERE learner_id = ? AND slug = ?`
	sqlComplete  = `UPDATE lesson_progresses SET completed_at = ?
		WHERE learner_id = ? AND slug = ? AND completed_at IS NULL`
	// sqlBestOne is the best on one question (the common case), sqlBest
	// BestScores' query for several; its IN list is filled in per length.
	sqlBestOne = `SELECT COUNT(*), MAX(score), MAX(CASE WHEN correct THEN 1 ELSE 0 END), MAX(created_at)
		FROM attempts WHERE learner_id = ? AND question_id = ?`
	sqlBest = `SELECT question_id, MAX(score), MAX(CASE WHEN correct THEN 1 ELSE 0 END), COUNT(*), MAX(created_at)
		FROM attempts WHERE learner_id = ? AND question_id IN (%s) GROUP BY question_id`
)

// write stores one answer (see Answer) and reads back its result.
func (w *answerTx) write(a *Answer) (*AnswerResult, error) {
	att := a.Attempt
	att.CreatedAt = w.now
	res := &AnswerResult{Attempt: &att}
	var err error
	if res.New, err = w.insertAttempt(&att, att.Key); err != nil {
		return nil, err
	}
	if !res.New {
		if err := w.attemptByKey(&att, att.Key); err != nil {
			return nil, err
		}
		if a.AltKey != "" && att.QuestionID == a.Attempt.QuestionID && att.Answer != a.Attempt.Answer {
			att = a.Attempt
			att.CreatedAt = w.now
			if res.New, err = w.insertAttempt(&att, a.AltKey); err != nil {
				return nil, err
			}
			if !res.New {
				if err := w.attemptByKey(&att, a.AltKey); err != nil {
					return nil, err
				}
			}
		}
	}
	var completed sql.NullTime
	if res.New {
		if err := w.schedule(a); err != nil {
			return nil, err
		}
		err = w.queryRow(sqlVisit, att.LearnerID, a.Lesson, w.now, w.now, a.Position).Scan(&completed)
	} else {
		err = w.queryRow(sqlCompleted, att.LearnerID, a.Lesson).Scan(&completed)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
	}
	if err != nil {
		return nil, err
	}
	res.LessonComplete = completed.Valid
	// A new right answer may complete the lesson: then the best of every
	// quiz in it is read, else only this question's.
	if !res.New || !att.Correct || res.LessonComplete || len(a.Quizzes) == 0 {
		res.Best, err = w.bestOne(att.LearnerID, a.Attempt.QuestionID)
		return res, err
	}
	bests, err := w.bests(att.LearnerID, a.Quizzes)
	if err != nil {
		return nil, err
	}
	if b, ok := bests[a.Attempt.QuestionID]; ok {
		res.Best = &b
	}
	for _, id := range a.Quizzes {
		if !bests[id].Correct {
			return res, nil
		}
	}
	res.LessonComplete = true
	_, err = w.exec(sqlComplete, w.now, att.LearnerID, a.Lesson)
	return res, err
}

// insertAttempt inserts att under key, reporting whether it was new.
func (w *answerTx) insertAttempt(att *Attempt, key string) (bool, error) {
	att.Key = key
	err := w.queryRow(sqlInsertAttempt, att.LearnerID, key, att.QuestionID, att.Source, att.Score, att.Correct,
		att.Answer, att.CreatedAt).Scan(&att.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows): // ON CONFLICT DO NOTHING: the key is taken
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// attemptByKey reads the attempt stored under (att.LearnerID, key) into att.
func (w *answerTx) attemptByKey(att *Attempt, key string) error {
	att.Key = key
	return w.queryRow(sqlAttemptByKey, att.LearnerID, key).Scan(&att.ID, &att.QuestionID, &att.Source, &att.Score,
		&att.Correct, &att.Answer, &att.CreatedAt)
}

// schedule moves the question's review card.
func (w *answerTx) schedule(a *Answer) error {
	if a.Schedule == nil {
		return nil
	}
	learner, qid := a.Attempt.LearnerID, a.Attempt.QuestionID
	prev := &Card{LearnerID: learner, QuestionID: qid}
	err := w.queryRow(sqlCard, learner, qid).Scan(&prev.Ease, &prev.Interval, &prev.Reps, &prev.Lapses, &prev.Due, &prev.LastReview)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		prev = nil
	case err != nil:
		return err
	}
	c := a.Schedule(prev)
	_, err = w.exec(sqlSaveCard, learner, qid, c.Ease, c.Interval, c.Reps, c.Lapses, c.Due.UTC(), c.LastReview.UTC())
	return err
}

// bests is BestScores inside the transaction.
func (w *answerTx) bests(learner string, ids []string) (map[string]Best, error) {
	if len(ids) == 1 {
		b, err := w.bestOne(learner, ids[0])
		if err != nil || b == nil {
			return nil, err
		}
		return map[string]Best{b.QuestionID: *b}, nil
	}
	args := make([]any, 0, 1+len(ids))
	args = append(args, learner)
	for _, id := range ids {
		args = append(args, id)
	}
	st, err := w.bestStmt(len(ids))
	if err != nil {
		return nil, err
	}
	rows, err := w.tx.StmtContext(w.ctx, st).QueryContext(w.ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]Best, len(ids))
	if err := scanBests(rows, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (w *answerTx) queryRow(query string, args ...any) *sql.Row {
	return w.stmt(query).QueryRowContext(w.ctx, args...)
}

func (w *answerTx) exec(query string, args ...any) (sql.Result, error) {
	return w.stmt(query).ExecContext(w.ctx, args...)
}

// stmt is a prepared answer statement bound to the transaction, once
// per transaction.
func (w *answerTx) stmt(query string) *sql.Stmt {
	st, ok := w.stmts[query]
	if !ok {
		st = w.tx.StmtContext(w.ctx, w.answerStmts[query])
		w.stmts[query] = st
	}
	return st
}

// prepareAnswers prepares the answer statements once (tx.StmtContext
// reuses each connection's prepared copy) and starts the answer writer.
func (s *Store) prepareAnswers(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	s.answerStmts = map[string]*sql.Stmt{}
	for _, q := range []string{sqlInsertAttempt, sqlAttemptByKey, sqlCard, sqlSaveCard, sqlVisit, sqlCompleted, sqlComplete, sqlBestOne} {
		st, err := sqlDB.PrepareContext(ctx, s.bind(q))
		if err != nil {
			return fmt.Errorf("progress: prepare answer statements: %w", err)
		}
		s.answerStmts[q] = st
	}
	s.answers = newGroupCommitter(s.commitAnswers)
	return nil
}

// bestStmt is sqlBest for n question IDs, prepared once per n (a
// lesson's quiz count, or 1) and kept.
func (s *Store) bestStmt(n int) (*sql.Stmt, error) {
	if st, ok := s.bestStmts.Load(n); ok {
		return st.(*sql.Stmt), nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	marks := strings.Repeat("?, ", n)
	st, err := sqlDB.PrepareContext(context.Background(), s.bind(fmt.Sprintf(sqlBest, marks[:len(marks)-2])))
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.bestStmts.LoadOrStore(n, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}
