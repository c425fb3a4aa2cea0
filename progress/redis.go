package progress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisSessions keeps site sessions in Redis: one key per session
// expiring with it, plus a set per learner for the sessions page.
type RedisSessions struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
}

var _ Sessions = (*RedisSessions)(nil)

// NewRedisSessions uses rdb with every key under prefix (e.g. "authlab:").
func NewRedisSessions(rdb redis.UniversalClient, prefix string) *RedisSessions {
	return &RedisSessions{rdb: rdb, prefix: prefix, now: func() time.Time { return time.Now().UTC() }}
}

// OpenRedis parses a redis:// URL and checks the server answers.
func OpenRedis(ctx context.Context, url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("progress: redis URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("progress: redis: %w", err)
	}
	return rdb, nil
}

func (r *RedisSessions) key(k string) string         { return r.prefix + "sess:" + k }
func (r *RedisSessions) learnerKey(id string) string { return r.prefix + "learner-sess:" + id }

// CreateSession implements Sessions.
func (r *RedisSessions) CreateSession(ctx context.Context, rec *SessionRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	ttl := rec.ExpiresAt.Sub(r.now())
	if ttl <= 0 {
		return errors.New("progress: session already expired")
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.key(rec.ID), b, ttl)
		p.SAdd(ctx, r.learnerKey(rec.LearnerID), rec.ID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("progress: create session: %w", err)
	}
	return nil
}

// Session implements Sessions.
func (r *RedisSessions) Session(ctx context.Context, key string) (*SessionRecord, error) {
	b, err := r.rdb.Get(ctx, r.key(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("progress: session: %w", err)
	}
	var rec SessionRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("progress: session: %w", err)
	}
	if !rec.ExpiresAt.After(r.now()) {
		return nil, ErrNotFound
	}
	return &rec, nil
}

// TouchSession implements Sessions. KEEPTTL keeps the absolute expiry;
// XX makes a revoked session stay revoked.
func (r *RedisSessions) TouchSession(ctx context.Context, key string, lastSeen time.Time, data []byte) error {
	rec, err := r.Session(ctx, key)
	if err != nil {
		return err
	}
	rec.LastSeen, rec.Data = lastSeen.UTC(), data
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	ok, err := r.rdb.SetArgs(ctx, r.key(key), b, redis.SetArgs{KeepTTL: true, Mode: "XX"}).Result()
	if errors.Is(err, redis.Nil) || (err == nil && ok != "OK") {
		return ErrNotFound
	}
	return err
}

// DeleteSession implements Sessions.
func (r *RedisSessions) DeleteSession(ctx context.Context, key string) error {
	rec, err := r.Session(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return r.rdb.Del(ctx, r.key(key)).Err()
	}
	if err != nil {
		return err
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, r.key(key))
		p.SRem(ctx, r.learnerKey(rec.LearnerID), key)
		return nil
	})
	return err
}

// LearnerSessions implements Sessions; it also drops index entries of
// sessions that expired.
func (r *RedisSessions) LearnerSessions(ctx context.Context, learnerID string) ([]SessionRecord, error) {
	ids, err := r.rdb.SMembers(ctx, r.learnerKey(learnerID)).Result()
	if err != nil {
		return nil, fmt.Errorf("progress: list sessions: %w", err)
	}
	var out []SessionRecord
	for _, id := range ids {
		rec, err := r.Session(ctx, id)
		if errors.Is(err, ErrNotFound) {
			r.rdb.SRem(ctx, r.learnerKey(learnerID), id)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *rec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LastSeen.After(out[j].LastSeen) })
	return out, nil
}

// DeleteLearnerSessions implements Sessions.
func (r *RedisSessions) DeleteLearnerSessions(ctx context.Context, learnerID, keep string) (int, error) {
	ids, err := r.rdb.SMembers(ctx, r.learnerKey(learnerID)).Result()
	if err != nil {
		return 0, fmt.Errorf("progress: revoke sessions: %w", err)
	}
	n := 0
	for _, id := range ids {
		if id == keep {
			continue
		}
		removed, err := r.rdb.Del(ctx, r.key(id)).Result()
		if err != nil {
			return n, err
		}
		r.rdb.SRem(ctx, r.learnerKey(learnerID), id)
		n += int(removed)
	}
	return n, nil
}
