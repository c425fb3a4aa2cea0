// Package progress is authlab's persistence: learners (guests and
// accounts), the site's server-side sessions, API refresh tokens and the
// access-token deny-list, lesson progress, quiz attempts, review cards,
// lab milestones and lab state.
//
// One Store wraps a GORM handle. SQLite (a file in the data directory,
// WAL mode) is the default; a postgres:// URL opens Postgres through the
// same code. Site sessions can live in Redis instead (RedisSessions),
// behind the same Sessions interface.
//
// Secrets are stored hashed: the site session ID and refresh tokens are
// kept as SHA-256 hex, so a copy of the database cannot be replayed as
// cookies or tokens. Progress is keyed by learner ID; a guest's rows are
// moved into an account by Merge in one transaction.
//
// A lesson answer (RecordAnswer: attempt, review card, visit, completion)
// is written by one writer goroutine in one transaction with the answers
// that arrive at the same time, and acknowledged only once that
// transaction has committed (group.go explains the rules).
//
// progress is the only package of authlab that imports gorm.
package progress
