package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// AccessLearner is AccessState and, when the token may pass, its
// account, in one statement: an API request that reads the caller (GET
// /api/v1/me) pays one round trip to the database all replicas share,
// which still sees a revocation made anywhere a moment before. It goes
// straight to the pool's prepared statement, past gorm's statement
// building and reflection, which cost more than the query itself. The
// learner is nil unless the state is AccessOK. (The statement reads the
// learners row and counts the other two beside it: SQLite answers that
// in a third of the time a LEFT JOIN from a constant row takes.)
func (s *Store) AccessLearner(ctx context.Context, jti, familyID, subject string) (AccessState, *Learner, error) {
	var (
		denied, live    int64
		id, name, email sql.NullString
		instructor      sql.NullBool
	)
	err := s.db.ConnPool.QueryRowContext(s.shortRead(ctx), s.bind(accessLearnerSQL), jti, familyID, subject).
		Scan(&denied, &live, &id, &name, &email, &instructor)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// No account: AccessState tells a revoked token from one whose
		// account is gone, as before.
		st, err := s.AccessState(ctx, jti, familyID, subject)
		return st, nil, err
	case err != nil:
		return AccessRefused, nil, fmt.Errorf("progress: deny-list: %w", err)
	case denied > 0 || (familyID != "" && live == 0):
		return AccessRefused, nil, nil
	}
	l := &Learner{ID: id.String, Email: email.String, Instructor: instructor.Bool}
	if name.Valid {
		l.Username = &name.String
	}
	return AccessOK, l, nil
}

const accessLearnerSQL = "SELECT (SELECT COUNT(*) FROM denied_tokens WHERE jti = ?), " +
	"(SELECT COUNT(*) FROM refresh_families WHERE id = ? AND revoked_at IS NULL), " +
	"id, username, email, instructor FROM learners WHERE id = ?"

// bind writes a statement's ? placeholders as this database wants them:
// as they are for SQLite, $1, $2… for Postgres (what gorm does for its
// own statements).
func (s *Store) bind(q string) string {
	if !s.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
