package web

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/sandbox"
)

// The shipped course sets one goal for every lab panel, in one lesson,
// with the panel's own goal milestone.
func TestCourseSetsEveryLabGoal(t *testing.T) {
	t.Parallel()
	cat, err := shippedCourse()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cat.CheckGoals(func(lab string) string { return sandbox.Goal(lab).ID }) {
		t.Error(p)
	}
	for _, panel := range sandbox.Panels() {
		g := cat.LabGoal(panel)
		if g == nil || g.Check != sandbox.Goal(panel).ID || g.Text == "" || g.Proved == "" {
			t.Errorf("%s: goal %+v", panel, g)
		}
	}
}

// goalLesson is the lesson that sets panel's goal.
func goalLesson(t *testing.T, env *testEnv, panel string) *lessons.Lesson {
	t.Helper()
	l := env.catalog.GoalLesson(panel)
	if l == nil {
		t.Fatalf("no lesson sets the %s goal", panel)
	}
	return l
}

var solvedRe = regexp.MustCompile(`<p class="lab-solved"( role="status")?( hidden)?>`)

// labSolvedShown reports whether page shows the Solved state, and fails
// when it has no such element at all.
func labSolvedShown(t *testing.T, page string) bool {
	t.Helper()
	m := solvedRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no .lab-solved element")
	}
	return m[2] == ""
}

// Every step of the twin lab done as bob is 4 of 4 steps, yet the goal
// (alice, both ways) is not met: Solved means the goal. The lab page
// shows the goal first, the steps behind a closed reveal, and no Solved.
func TestLabStepsAreNotTheGoal(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	id, page := newLab(t, cl, "twin-login")
	base := "/lab/" + id + "/"
	bob := url.Values{"username": {"bob"}, "password": {"builder"}}
	cl.do("POST", base+"session/login", bob)
	cl.do("GET", base+"api/me", nil)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal([]byte(cl.do("POST", base+"token/login", bob).body), &tok)
	if r := cl.do("GET", base+"api/me", nil, "Authorization", "Bearer "+tok.AccessToken); r.status != 200 {
		t.Fatalf("bob's token: %d", r.status)
	}
	body := cl.do("GET", page, nil).body
	if !strings.Contains(body, "4 of 4 steps") || strings.Contains(body, "4 of 4 steps · Solved") {
		t.Error("the header should count 4 of 4 steps and not call the lab solved")
	}
	if labSolvedShown(t, body) {
		t.Error("the Solved state shows for steps alone")
	}
	goal := env.catalog.LabGoal("twin-login")
	gi, hi := strings.Index(body, `<section class="lab-goal"`), strings.Index(body, `<details class="lab-hints">`)
	if gi < 0 || hi < 0 || gi > hi || !strings.Contains(body, string(goal.Text)) || !strings.Contains(body, `data-goal="goal-twin-login"`) {
		t.Errorf("the goal (%d) does not come before the closed hints (%d)", gi, hi)
	}
	if strings.Contains(body, `<details class="lab-hints" open`) {
		t.Error("the hints are open by default")
	}
}

// Solving the twin lab's goal shows Solved with what the learner proved
// on the lab page, on every lesson card of the panel and in the export,
// and completes the lesson that sets the goal — and only that one.
func TestLabGoalSolvedEverywhere(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	id, page := newLab(t, cl, "twin-login")
	doTwinSteps(t, cl, id)
	goal := env.catalog.LabGoal("twin-login")
	proved := "<strong>Solved:</strong> " + string(goal.Proved)

	body := cl.do("GET", page, nil).body
	if !labSolvedShown(t, body) || !strings.Contains(body, proved) || !strings.Contains(body, "4 of 4 steps · Solved") {
		t.Error("the lab page does not show the lab solved")
	}

	host := goalLesson(t, env, "twin-login")
	lesson := cl.do("GET", "/lessons/"+host.Slug, nil).body
	if !strings.Contains(lesson, `<p class="lab-goal">`) || !strings.Contains(lesson, `<p class="lab-solved">`+proved+`</p>`) {
		t.Errorf("lesson %s: the lab card does not show the goal solved", host.Slug)
	}
	if !strings.Contains(lesson, "✓ You completed this lesson.</strong> You solved its lab.") || strings.Contains(lesson, "Mark as not complete") {
		t.Errorf("lesson %s is not completed by the solved lab", host.Slug)
	}
	if i := strings.Index(lesson, `<details class="lab-hints">`); i < 0 || i < strings.Index(lesson, `<p class="lab-goal">`) {
		t.Errorf("lesson %s: the steps are not hints after the goal", host.Slug)
	}
	// Another lesson with a twin-login card shows the same goal, solved,
	// but solving it does not complete that lesson.
	var other string
	for _, l := range env.catalog.Lessons {
		if l != host && strings.Contains(strings.Join(l.EmbeddedLabs(), " "), "twin-login") {
			other = l.Slug
			break
		}
	}
	lesson = cl.do("GET", "/lessons/"+other, nil).body
	if !strings.Contains(lesson, string(goal.Text)) || !strings.Contains(lesson, `<p class="lab-solved">`) {
		t.Errorf("lesson %s: the twin-login card lacks the goal or its Solved state", other)
	}
	if strings.Contains(lesson, "You completed this lesson") {
		t.Errorf("lesson %s was completed by a goal it does not set", other)
	}
	home := cl.do("GET", "/", nil).body
	if item := lessonItem(t, home, host.Slug); !strings.Contains(item, "✓ Completed") {
		t.Errorf("the course map does not count %s completed: %s", host.Slug, item)
	}
	if item := lessonItem(t, home, other); strings.Contains(item, "✓ Completed") {
		t.Errorf("the course map counts %s completed", other)
	}
	var ex struct {
		Labs []struct {
			Panel, Goal string
			Solved      bool
		} `json:"labs"`
	}
	if err := json.Unmarshal([]byte(cl.do("GET", "/account/export", nil).body), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Labs) != 1 || ex.Labs[0].Goal != "goal-twin-login" || !ex.Labs[0].Solved {
		t.Errorf("export labs %+v", ex.Labs)
	}
}
