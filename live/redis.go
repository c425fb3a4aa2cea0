package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// Redis is a Hub shared by replicas: Publish goes to one Redis pub/sub
// channel, and every replica (this one included) fans what it receives
// out to its own subscribers. A replica therefore sees events in the
// order Redis delivered them, its own and the others' alike.
type Redis struct {
	rdb     redis.UniversalClient
	channel string
	local   *Local
	ps      *redis.PubSub
	done    chan struct{}
	log     *slog.Logger
}

var _ Hub = (*Redis)(nil)

// NewRedis subscribes to prefix+"live" and returns once the
// subscription is confirmed, so no event published after it returns is
// missed.
func NewRedis(ctx context.Context, rdb redis.UniversalClient, prefix string, log *slog.Logger) (*Redis, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ch := prefix + "live"
	ps := rdb.Subscribe(ctx, ch)
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, fmt.Errorf("live: subscribe to redis: %w", err)
	}
	r := &Redis{rdb: rdb, channel: ch, local: NewLocal(), ps: ps, done: make(chan struct{}), log: log}
	go r.relay(ps.Channel(redis.WithChannelSize(4096)))
	return r, nil
}

func (r *Redis) relay(msgs <-chan *redis.Message) {
	defer close(r.done)
	for m := range msgs {
		var ev Event
		if err := json.Unmarshal([]byte(m.Payload), &ev); err != nil {
			r.log.Warn("live: undecodable event from redis", "err", err)
			continue
		}
		r.local.Publish(context.Background(), ev)
	}
}

// Publish implements Hub.
func (r *Redis) Publish(ctx context.Context, ev Event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("live: encode event: %w", err)
	}
	if err := r.rdb.Publish(ctx, r.channel, b).Err(); err != nil {
		return fmt.Errorf("live: publish: %w", err)
	}
	return nil
}

// Subscribe implements Hub.
func (r *Redis) Subscribe(topic string) *Subscription { return r.local.Subscribe(topic) }

// Close implements Hub; it does not close the Redis client.
func (r *Redis) Close() error {
	err := r.ps.Close()
	<-r.done
	r.local.Close()
	return err
}
