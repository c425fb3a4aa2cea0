//go:build !nobrowser

package web

import (
	"html"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authlab/authlab/sandbox"
	"github.com/chromedp/chromedp"
)

// TestCourseNamesEveryLabStep: the shipped lessons name every milestone
// of every lab panel, and only real ones, so each checklist line has its
// text in a lesson.
func TestCourseNamesEveryLabStep(t *testing.T) {
	t.Parallel()
	cat, err := shippedCourse()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cat.CheckSteps(milestoneIDs) {
		t.Error(p)
	}
	for _, panel := range sandbox.Panels() {
		for _, m := range sandbox.Milestones(panel) {
			if cat.StepText(panel, m.ID) == "" {
				t.Errorf("%s: no lesson step names %s", panel, m.ID)
			}
		}
	}
}

// TestLabChecklistShowsLessonText: each line of a lab page's checklist is
// the lesson's own step that names the milestone (rendered Markdown), not
// the sandbox's stand-in.
func TestLabChecklistShowsLessonText(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	for _, panel := range sandbox.Panels() {
		cl := newClient(t, ts) // one learner may open only so many labs at once
		_, page := newLab(t, cl, panel)
		body := cl.do("GET", page, nil).body
		var order, want []string
		for _, m := range regexp.MustCompile(`<li data-milestone="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			order = append(order, m[1])
		}
		for _, st := range env.catalog.LabSteps(panel) {
			want = append(want, st.Check)
		}
		if strings.Join(order, " ") != strings.Join(want, " ") {
			t.Errorf("%s: checklist order %v, want the lessons' order %v", panel, order, want)
		}
		for _, m := range sandbox.Milestones(panel) {
			li := regexp.MustCompile(`<li data-milestone="` + regexp.QuoteMeta(m.ID) + `"[^>]*>(.*?)</li>`).FindStringSubmatch(body)
			if li == nil {
				t.Errorf("%s: no checklist line for %s", panel, m.ID)
				continue
			}
			want := string(env.catalog.StepText(panel, m.ID))
			if want == "" || !strings.Contains(li[1], want) {
				t.Errorf("%s: checklist line for %s is %q, want the lesson's %q", panel, m.ID, li[1], want)
			}
			if strings.Contains(li[1], html.EscapeString(m.Text)) {
				t.Errorf("%s: checklist line for %s shows the sandbox's stand-in text", panel, m.ID)
			}
		}
	}
	// The reported drift: lesson 04 tells the learner to log out of the
	// session, and the lab page says the same words.
	cl := newClient(t, ts)
	_, page := newLab(t, cl, "revoke-vs-replay")
	if body := cl.do("GET", page, nil).body; !strings.Contains(body, "then log out there") {
		t.Error("the revoke-vs-replay checklist lacks lesson 04's session logout step")
	}
}

// TestBrowserLabChecklistIsTheLessonsText: in Chromium, the checklist of
// the lab opened from lesson 04 reads, line for line, as the lesson's
// steps that name the milestones (Markdown rendered, not escaped).
func TestBrowserLabChecklistIsTheLessonsText(t *testing.T) {
	env := newTestEnv(t)
	b := newBrowser(t, env.srv)
	const panel = "revoke-vs-replay"
	b.run(t, "open the lab from lesson 04",
		chromedp.Navigate(b.base+"/lessons/"+lessonWithLab(t, env, panel)),
		chromedp.WaitReady(chromedp.CSS(`.lab-steps li[data-milestone="session-logout"]`)), // the steps are hints, behind a reveal
		chromedp.Click(chromedp.CSS(`.lab-open:has(input[name="panel"][value="`+panel+`"]) button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.lab-page[data-ready]`)),
		chromedp.WaitReady(chromedp.CSS(`.lab-guide`)))
	for _, m := range sandbox.Milestones(panel) {
		got := eval[string](t, b, `document.querySelector('.lab-guide li[data-milestone="`+m.ID+`"] > span:last-child').textContent`)
		want := eval[string](t, b, `(() => { const d = document.createElement("div"); d.innerHTML = `+strconv.Quote(string(env.catalog.StepText(panel, m.ID)))+`; return d.textContent; })()`)
		if got != want || strings.Contains(got, "<code>") {
			t.Errorf("checklist line %s reads %q, want the lesson's %q", m.ID, got, want)
		}
	}
	b.shot(t, "lab-checklist-lesson-text")
	noConsoleProblems(t, b)
}
