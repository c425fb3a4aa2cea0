package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/authlab/authlab/internal/testsupport"
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/authlab/authlab/workshop"
	"github.com/redis/go-redis/v9"
)

// replicaDB is where two replicas keep their shared state: a Postgres
// schema of this test's own when AUTHLAB_TEST_POSTGRES_URL is set, else
// one SQLite file both open.
func replicaDB(t *testing.T) progress.Config {
	t.Helper()
	base := os.Getenv("AUTHLAB_TEST_POSTGRES_URL")
	if base == "" {
		t.Log("replicas share a SQLite file: set AUTHLAB_TEST_POSTGRES_URL to share Postgres")
		return progress.Config{DataDir: t.TempDir()}
	}
	return progress.Config{DatabaseURL: testsupport.PostgresSchema(t, base)}
}

// replicaSite is one site deployed as replicas: a shared database
// (replicaDB), one key directory and one Redis, under a key prefix of
// this test's own.
type replicaSite struct {
	db       progress.Config
	keysDir  string
	redisURL string
	prefix   string
}

func newReplicaSite(t *testing.T, redisURL string) *replicaSite {
	return &replicaSite{db: replicaDB(t), keysDir: filepath.Join(t.TempDir(), "keys"), redisURL: redisURL,
		prefix: fmt.Sprintf("authlab-test:%d:", time.Now().UnixNano())}
}

// replica starts one more server of the site: with hub, its workshop
// events go through Redis; with sessions, so do its site sessions.
func (r *replicaSite) replica(t *testing.T, hub, sessions bool) (*httptest.Server, *progress.Store) {
	t.Helper()
	opt, err := redis.ParseURL(r.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	env := newTestEnvOver(t, r.db, r.keysDir, func(d *Deps) {
		if sessions {
			d.Sessions = progress.NewRedisSessions(rdb, r.prefix)
		}
		if hub {
			h, err := live.NewRedis(context.Background(), rdb, r.prefix, d.Logger)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { h.Close() })
			d.Hub = h
		}
	})
	ts := httptest.NewServer(env.srv)
	t.Cleanup(ts.Close)
	return ts, env.store
}

// TestWorkshopAcrossReplicas: two servers, each with its own store
// connection and its own Redis hub, share one database and one Redis.
// An attendee on replica A and the instructor on replica B see the same
// round, answers and histogram.
func TestWorkshopAcrossReplicas(t *testing.T) {
	redisURL := os.Getenv("AUTHLAB_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("replica test skipped: set AUTHLAB_TEST_REDIS_URL (CI sets it)")
	}
	t.Parallel()
	site := newReplicaSite(t, redisURL)
	cat, err := shippedCourse()
	if err != nil {
		t.Fatal(err)
	}
	a, store := site.replica(t, true, false)
	b, _ := site.replica(t, true, false)

	hash, _ := siteauth.NewHasher(0).Hash("a long instructor password")
	if _, err := store.NewAccount(context.Background(), "replica_teacher", "", hash, true); err != nil {
		t.Fatal(err)
	}
	teacher := newClient(t, b)
	if r := teacher.signin("replica_teacher", "a long instructor password"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in on B: %d", r.status)
	}
	res := teacher.do("POST", "/workshops", url.Values{"title": {"Two replicas"}, "lesson": {cat.Lessons[0].Slug}}, "Accept", "application/json")
	var w struct{ ID, Code string }
	json.Unmarshal([]byte(res.body), &w)
	if res.status != http.StatusCreated {
		t.Fatalf("create on B: %d %s", res.status, res.body)
	}
	boardOnB := openSSE(t, teacher, "/workshops/"+w.ID+"/events")

	attendee := newClient(t, a)
	if r := attendee.do("POST", "/w/"+w.Code+"/join", url.Values{"nickname": {"Ana"}}); r.status != http.StatusSeeOther {
		t.Fatalf("join on A: %d", r.status)
	}
	boardOnB.next(t, "roster") // A's join reached B's board
	onA := openSSE(t, attendee, "/w/"+w.Code+"/events")

	env := &testEnv{catalog: cat}
	q, right, _ := singleQuestion(t, env)
	start := teacher.do("POST", "/workshops/"+w.ID+"/rounds", url.Values{"question": {q.ID}, "seconds": {"60"}}, "Accept", "application/json")
	if start.status != http.StatusCreated {
		t.Fatalf("start on B: %d %s", start.status, start.body)
	}
	var rv workshop.RoundView
	json.Unmarshal([]byte(onA.next(t, "round")), &rv) // B's round on A's stream
	if r := attendee.do("POST", "/w/"+w.Code+"/answer", url.Values{"round": {rv.ID}, "choice": {right}}, "Accept", "application/json"); r.status != http.StatusCreated {
		t.Fatalf("answer on A: %d %s", r.status, r.body)
	}
	boardOnB.next(t, "answered")
	var closed workshop.RoundView
	json.Unmarshal([]byte(boardOnB.next(t, "closed")), &closed) // everyone answered, closed on A, seen on B
	if closed.ID != rv.ID || closed.Counts[right] != 1 {
		t.Errorf("B's histogram: %+v", closed)
	}
	onA.next(t, "closed")
	if r := teacher.do("POST", "/workshops/"+w.ID+"/rounds/"+rv.ID+"/reveal", nil, "Accept", "application/json"); r.status != 200 {
		t.Fatalf("reveal on B: %d", r.status)
	}
	var rev struct{ Leaderboard []workshop.Standing }
	json.Unmarshal([]byte(onA.next(t, "reveal")), &rev)
	if len(rev.Leaderboard) != 1 || rev.Leaderboard[0].Nickname != "Ana" || rev.Leaderboard[0].Points == 0 {
		t.Errorf("A's leaderboard: %+v", rev.Leaderboard)
	}
}
