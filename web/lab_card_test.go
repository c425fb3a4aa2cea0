package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestLabCardCountsItsOwnSteps: a lesson's lab card counts the steps it
// lists that the lab checks, not the lab's steps from other lessons,
// names the done ones for the hints to be ticked, and gives the whole
// lab's count beside it.
func TestLabCardCountsItsOwnSteps(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.srv.frames.Verify = true
	qc := newQuizClient(env)
	if rec := qc.do(t, "POST", "/signup", url.Values{"username": {"carder"}, "password": {"card password 1"}}); rec.Code != 303 {
		t.Fatalf("sign up: %d", rec.Code)
	}
	id := qc.learner(t)
	card := func() string {
		t.Helper()
		rec := qc.do(t, "GET", "/lessons/sessions", nil)
		if rec.Code != 200 {
			t.Fatalf("lesson: %d", rec.Code)
		}
		body := rec.Body.String()
		i := strings.Index(body, `id="lab-twin-login-`)
		if i < 0 {
			t.Fatal("the lesson has no twin-login card")
		}
		end := strings.Index(body[i:], "</section>")
		return body[i : i+end]
	}
	reach := func(m string) {
		t.Helper()
		if _, err := env.store.ReachMilestone(context.Background(), id, "twin-login", m); err != nil {
			t.Fatal(err)
		}
	}
	// The card lists four hints; two of them (logging in and /api/me on
	// the session side) are checked. The token steps belong to another
	// lesson.
	c := card()
	for _, want := range []string{
		"Checked steps in this lesson: <strong>0 of 2 done</strong>",
		"the whole lab, over every lesson: 0 of 4 steps",
		`data-lab-done=""`,
		`<li data-milestone="session-login">`,
		"the lab checks this step",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("before any step, the card lacks %q:\n%s", want, c)
		}
	}
	reach("token-login")
	if c := card(); !strings.Contains(c, "<strong>0 of 2 done</strong>") || !strings.Contains(c, "over every lesson: 1 of 4 steps") {
		t.Errorf("a step of another lesson counted on this card, or not in the lab's count:\n%s", c)
	}
	reach("session-login")
	reach("session-me")
	c = card()
	for _, want := range []string{
		`class="lab-progress is-solved" data-lab-done="session-login session-me"`,
		"<strong>2 of 2 done</strong>",
		"over every lesson: 3 of 4 steps",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("with both steps done, the card lacks %q:\n%s", want, c)
		}
	}
}

// TestLabCardNamesWhereTheGoalIs: a card whose lesson does not set its
// lab's goal shows the goal as where the lab leads, with the lesson that
// sets it, not as this lesson's "Your goal" (lesson 02's Twin login card
// would ask for a bearer token six lessons before tokens are taught).
func TestLabCardNamesWhereTheGoalIs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	setter := env.catalog.GoalLesson("twin-login")
	if setter == nil || setter.Slug == "sessions" {
		t.Fatalf("twin-login's goal is set in %v; the test expects a later lesson", setter)
	}
	page := func(slug string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		env.srv.ServeHTTP(rec, httptest.NewRequest("GET", "/lessons/"+slug, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d", slug, rec.Code)
		}
		body := rec.Body.String()
		i := strings.Index(body, `id="lab-twin-login-`)
		if i < 0 {
			t.Fatalf("%s has no twin-login card", slug)
		}
		return body[i : i+strings.Index(body[i:], "</section>")]
	}
	c := page("sessions")
	if strings.Contains(c, "Your goal:") || !strings.Contains(c, `Where this lab leads</strong> (the challenge of <a href="/lessons/`+setter.Slug+`">`) {
		t.Errorf("lesson 02's card states the goal as its own or without its lesson:\n%s", c)
	}
	if c := page(setter.Slug); !strings.Contains(c, "Your goal:") || strings.Contains(c, "Where this lab leads") {
		t.Errorf("the lesson that sets the goal does not state it as the learner's goal:\n%s", c)
	}
}
