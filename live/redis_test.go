package live

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

func openRedis(t *testing.T, url, prefix string) Hub {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	h, err := NewRedis(context.Background(), rdb, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Two hubs on one Redis stand for two replicas: an event published on
// one reaches subscribers on both.
func TestRedisReplicasShareEvents(t *testing.T) {
	t.Parallel()
	url := redisURL(t)
	prefix := "authlab-test:replicas:" + t.Name() + ":"
	a, b := openRedis(t, url, prefix), openRedis(t, url, prefix)
	defer a.Close()
	defer b.Close()
	onA, onB := a.Subscribe("w:1"), b.Subscribe("w:1")
	if err := a.Publish(context.Background(), Event{Topic: "w:1", Name: "closed"}); err != nil {
		t.Fatal(err)
	}
	if recv(t, onA).Name != "closed" || recv(t, onB).Name != "closed" {
		t.Error("an event did not reach both replicas")
	}
}

func redisURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("AUTHLAB_TEST_REDIS_URL")
	if url == "" {
		t.Skip("set AUTHLAB_TEST_REDIS_URL to run the Redis tests")
	}
	return url
}
