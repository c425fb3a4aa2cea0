package progress

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Sessions is the server-side store of site sessions. Store implements
// it over SQL; RedisSessions over Redis. Records are keyed by the hash
// of the cookie's session ID (SessionKey).
type Sessions interface {
	// CreateSession stores a new record.
	CreateSession(ctx context.Context, rec *SessionRecord) error
	// Session returns a live record, or ErrNotFound when it is missing,
	// revoked or past its absolute expiry.
	Session(ctx context.Context, key string) (*SessionRecord, error)
	// TouchSession records activity and new session data.
	TouchSession(ctx context.Context, key string, lastSeen time.Time, data []byte) error
	// DeleteSession revokes one session. Deleting a missing one is not an error.
	DeleteSession(ctx context.Context, key string) error
	// LearnerSessions lists a learner's live sessions, newest activity first.
	LearnerSessions(ctx context.Context, learnerID string) ([]SessionRecord, error)
	// DeleteLearnerSessions revokes every session of a learner except keep;
	// it returns how many it revoked.
	DeleteLearnerSessions(ctx context.Context, learnerID, keep string) (int, error)
}

// SessionKey is what a store keys a session by: the SHA-256 of the
// opaque ID in the cookie. A leaked table cannot be replayed as cookies.
func SessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

var _ Sessions = (*Store)(nil)

// CreateSession implements Sessions.
func (s *Store) CreateSession(ctx context.Context, rec *SessionRecord) error {
	if err := s.db.WithContext(ctx).Create(rec).Error; err != nil {
		return fmt.Errorf("progress: create session: %w", err)
	}
	return nil
}

// Session implements Sessions. Every signed-in request asks it, so it
// goes straight to the pool's prepared statement, past gorm's statement
// building and reflection (as AccessLearner does).
func (s *Store) Session(ctx context.Context, key string) (*SessionRecord, error) {
	rec := &SessionRecord{ID: key}
	err := s.db.ConnPool.QueryRowContext(s.shortRead(ctx), s.bind(sessionSQL), key, s.now()).
		Scan(&rec.LearnerID, &rec.Data, &rec.UserAgent, &rec.Addr, &rec.CreatedAt, &rec.LastSeen, &rec.ExpiresAt, &rec.Progress.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("progress: session: %w", err)
	}
	rec.Progress.Read = true
	return rec, nil
}

// sessionSQL reads the learner's progress version with the session: a
// lesson page seen before needs nothing else (web/lesson_cache.go), and
// the one statement costs less than two.
const sessionSQL = "SELECT COALESCE(learner_id, ''), data, COALESCE(user_agent, ''), COALESCE(addr, ''), " +
	"created_at, last_seen, expires_at, " +
	"COALESCE((SELECT version FROM progress_versions WHERE learner_id = site_sessions.learner_id), 0) " +
	"FROM site_sessions WHERE id = ? AND expires_at > ?"

// TouchSession implements Sessions.
func (s *Store) TouchSession(ctx context.Context, key string, lastSeen time.Time, data []byte) error {
	res := s.db.WithContext(ctx).Model(&SessionRecord{}).Where("id = ?", key).
		Updates(map[string]any{"last_seen": lastSeen.UTC(), "data": data})
	if res.Error != nil {
		return fmt.Errorf("progress: touch session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteSession implements Sessions.
func (s *Store) DeleteSession(ctx context.Context, key string) error {
	if err := s.db.WithContext(ctx).Delete(&SessionRecord{}, "id = ?", key).Error; err != nil {
		return fmt.Errorf("progress: delete session: %w", err)
	}
	return nil
}

// LearnerSessions implements Sessions.
func (s *Store) LearnerSessions(ctx context.Context, learnerID string) ([]SessionRecord, error) {
	var recs []SessionRecord
	err := s.db.WithContext(ctx).Where("learner_id = ? AND expires_at > ?", learnerID, s.now()).
		Order("last_seen DESC").Find(&recs).Error
	if err != nil {
		return nil, fmt.Errorf("progress: list sessions: %w", err)
	}
	return recs, nil
}

// DeleteLearnerSessions implements Sessions.
func (s *Store) DeleteLearnerSessions(ctx context.Context, learnerID, keep string) (int, error) {
	res := s.db.WithContext(ctx).Where("learner_id = ? AND id <> ?", learnerID, keep).Delete(&SessionRecord{})
	if res.Error != nil {
		return 0, fmt.Errorf("progress: revoke sessions: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// PurgeExpired deletes expired sessions, denied tokens past their
// expiry, old refresh tokens and their families, and expired labs.
// Run it now and then.
func (s *Store) PurgeExpired(ctx context.Context) error {
	now := s.now()
	db := s.db.WithContext(ctx)
	for _, q := range []struct {
		model any
		where string
	}{
		{&SessionRecord{}, "expires_at <= ?"},
		{&DeniedToken{}, "expires_at <= ?"},
		{&RefreshToken{}, "expires_at <= ?"},
		{&RefreshFamily{}, "expires_at <= ?"}, // its access tokens expired long before
		{&LabState{}, "expires_at <= ?"},
	} {
		if err := db.Where(q.where, now).Delete(q.model).Error; err != nil {
			return fmt.Errorf("progress: purge: %w", err)
		}
	}
	return nil
}
