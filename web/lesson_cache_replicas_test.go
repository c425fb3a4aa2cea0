package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/authlab/authlab/progress"
	"github.com/redis/go-redis/v9"
)

// TestKeptLessonPageAcrossReplicas: with site sessions in Redis (the
// version is then read on its own) and, where CI provides it, progress
// in Postgres, a replica serves its kept page of a lesson until another
// replica records progress, and then shows that progress on the next
// view; a session revoked on one replica stops the kept page on the
// other at once.
func TestKeptLessonPageAcrossReplicas(t *testing.T) {
	redisURL := os.Getenv("AUTHLAB_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("replica test skipped: set AUTHLAB_TEST_REDIS_URL (CI sets it)")
	}
	t.Parallel()
	site := newReplicaSite(t, redisURL)
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	var envs [2]*testEnv
	for i := range envs {
		envs[i] = newTestEnvOver(t, site.db, site.keysDir, func(d *Deps) { d.Sessions = progress.NewRedisSessions(rdb, site.prefix) })
		envs[i].srv.personal.Verify = false
	}
	a, b := envs[0], envs[1]
	l := lessonWithQuizAndLab(t, a.catalog)
	path := "/lessons/" + l.Slug

	onA := newQuizClient(a)
	if rec := onA.do(t, "POST", "/signup", url.Values{"username": {"kept_replicas"}, "password": {"kept replicas password"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign up: %d", rec.Code)
	}
	onA.do(t, "GET", "/", nil) // the welcome flash
	onB := newQuizClient(b)
	onB.cookies = onA.cookies // one browser, two replicas behind a load balancer
	view := func(step string, fromKept bool, want string) string {
		t.Helper()
		before := b.srv.personal.served.Load()
		rec := onB.do(t, "GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", step, rec.Code)
		}
		if got := b.srv.personal.served.Load() > before; got != fromKept {
			t.Errorf("%s: served from the kept page: %v, want %v", step, got, fromKept)
		}
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: the page lacks %q", step, want)
		}
		return rec.Body.String()
	}
	view("first view on B (records the visit)", false, "Mark this lesson complete")
	view("second view on B", false, "Mark this lesson complete")
	view("third view on B", true, "Mark this lesson complete")

	q := l.Quizzes[0]
	onA.answerJSON(t, l, q, rightAnswer(q, false))
	view("after an answer on A", false, "Your best: 100%, correct · 1 attempt")
	view("again", true, "Your best: 100%, correct · 1 attempt")

	if rec := onA.do(t, "POST", path+"/complete", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("complete on A: %d", rec.Code)
	}
	onB.do(t, "GET", "/", nil) // the completion's flash, if any
	view("after the completion on A", false, "You completed this lesson")
	view("again", true, "You completed this lesson")

	if _, err := a.srv.sessions.backend.DeleteLearnerSessions(context.Background(), onA.learner(t), ""); err != nil {
		t.Fatal(err)
	}
	rec := onB.do(t, "GET", path, nil)
	if body := rec.Body.String(); rec.Code != 200 || strings.Contains(body, ">kept_replicas</a>") || strings.Contains(body, "Your best:") {
		t.Fatalf("a revoked session still gets its kept page: %d", rec.Code)
	}
}
