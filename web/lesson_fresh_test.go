package web

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
)

// TestLessonPageShowsProgressAtOnce: the lesson page never serves stale
// progress. Two servers share one database (two replicas); whatever one
// records (an answer, the completion mark, a lab step, an undone mark)
// shows on the very next view of the page on the other, and on the same
// server; a session revoked on one is signed out on the other at once.
// Every reused personal part is checked against its template
// (pageset.Cache.Verify) and every page against the full render: once
// with each kept page checked against the page made anew
// (personalPages.Verify), once with the kept pages served.
func TestLessonPageShowsProgressAtOnce(t *testing.T) {
	t.Parallel()
	for _, verify := range []bool{true, false} {
		t.Run(map[bool]string{true: "kept pages verified", false: "kept pages served"}[verify], func(t *testing.T) {
			t.Parallel()
			showsProgressAtOnce(t, verify)
		})
	}
}

func showsProgressAtOnce(t *testing.T, verify bool) {
	db, keys := progress.Config{DataDir: t.TempDir()}, filepath.Join(t.TempDir(), "keys")
	a, b := newTestEnvOver(t, db, keys), newTestEnvOver(t, db, keys)
	a.srv.frames.Verify, b.srv.frames.Verify = true, true
	a.srv.personal.Verify, b.srv.personal.Verify = verify, verify
	if !verify {
		defer func() {
			if a.srv.personal.served.Load() == 0 || b.srv.personal.served.Load() == 0 {
				t.Errorf("kept pages served: %d on one replica, %d on the other", a.srv.personal.served.Load(), b.srv.personal.served.Load())
			}
		}()
	}
	l := lessonWithQuizAndLab(t, a.catalog)
	path := "/lessons/" + l.Slug
	ctx := context.Background()

	onA := newQuizClient(a)
	if rec := onA.do(t, "POST", "/signup", url.Values{"username": {"fresh"}, "password": {"fresh password 1"}}); rec.Code != 303 {
		t.Fatalf("sign up: %d", rec.Code)
	}
	onB := newQuizClient(b)
	onB.cookies = onA.cookies // one browser, two replicas behind a load balancer
	id := onA.learner(t)
	views := func(want, not string) {
		t.Helper()
		for _, qc := range []*quizClient{onA, onB} {
			page := composedAndFull(t, qc, path, want)
			if not != "" && strings.Contains(page, not) {
				t.Fatalf("the page still shows %q", not)
			}
		}
	}
	views("Mark this lesson complete", "Your best:")

	q := l.Quizzes[0]
	onB.answerJSON(t, l, q, rightAnswer(q, false))
	views("Your best: 100%, correct · 1 attempt", "")
	onA.answerJSON(t, l, q, wrongAnswer(q))
	views("Your best: 100%, correct · 2 attempts", "1 attempt")

	if rec := onB.do(t, "POST", path+"/complete", url.Values{}); rec.Code != 303 {
		t.Fatalf("complete: %d", rec.Code)
	}
	views("You completed this lesson", "Mark this lesson complete")

	// The lesson's first lab card counts the steps it lists that the lab
	// checks; a card that checks none shows the whole lab's count.
	var card *lessons.LabBlock
	for _, seg := range l.Body {
		if seg.Lab != nil {
			card = seg.Lab
			break
		}
	}
	milestone := sandbox.Milestones(card.Name)[0].ID
	before, after := "Your progress in this lab: <strong>0 of ", "Your progress in this lab: <strong>1 of "
	if checks := card.Checks(); len(checks) > 0 {
		milestone = checks[0]
		before, after = "Checked steps in this lesson: <strong>0 of ", "Checked steps in this lesson: <strong>1 of "
	}
	views(before, "")
	if _, err := b.store.ReachMilestone(ctx, id, card.Name, milestone); err != nil {
		t.Fatal(err)
	}
	views(after, before)

	if err := b.store.Complete(ctx, id, l.Slug, false); err != nil {
		t.Fatal(err)
	}
	views("Mark this lesson complete", "You completed this lesson")

	if _, err := b.store.DeleteLearnerSessions(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	for _, qc := range []*quizClient{onA, onB} {
		rec := qc.do(t, "GET", path, nil)
		if body := rec.Body.String(); rec.Code != 200 || strings.Contains(body, ">fresh</a>") || strings.Contains(body, "Your best:") {
			t.Fatalf("a revoked session still sees its page: %d", rec.Code)
		}
	}
}
