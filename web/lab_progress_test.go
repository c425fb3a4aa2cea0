package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/siteauth"
)

// openServerAt starts a server over the SQLite file and keys in dir: two
// calls with the same dir are one server before and after a restart (a
// new Store, lab Manager and Server; nothing kept in memory).
func openServerAt(t *testing.T, dir string) (*httptest.Server, func()) {
	t.Helper()
	cat, err := shippedCourse()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	store, err := progress.Open(context.Background(), progress.Config{DataDir: dir, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := siteauth.LoadKeyRing(filepath.Join(dir, "keys"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newTestServer(t, Deps{Logger: log, Catalog: lessons.Static(cat), Store: store, Keys: keys, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	stop := func() { ts.Close(); store.Close() }
	t.Cleanup(stop)
	return ts, stop
}

// doJSON sends a JSON body.
func (cl *client) doJSON(method, path string, body any) reply {
	cl.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, cl.base+path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := cl.hc.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(out)}
}

var doneStepRe = regexp.MustCompile(`<li data-milestone="([a-z-]+)" class="done">`)

// doneSteps lists the steps a lab page shows done as it arrives from the
// server (before any script has read the trace).
func doneSteps(t *testing.T, cl *client, page string) []string {
	t.Helper()
	r := cl.do("GET", page, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", page, r.status)
	}
	var ids []string
	for _, m := range doneStepRe.FindAllStringSubmatch(r.body, -1) {
		ids = append(ids, m[1])
	}
	slices.Sort(ids) // the page lists them in the lessons' order
	return ids
}

func milestoneIDs(panel string) []string {
	var ids []string
	for _, m := range sandbox.Milestones(panel) {
		ids = append(ids, m.ID)
	}
	return ids
}

// doTwinSteps does the four steps of the twin lab.
func doTwinSteps(t *testing.T, cl *client, id string) {
	t.Helper()
	base := "/lab/" + id + "/"
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}
	if r := cl.do("POST", base+"session/login", creds); r.status != 200 {
		t.Fatalf("session login: %d %s", r.status, r.body)
	}
	if r := cl.do("GET", base+"api/me", nil); r.status != 200 {
		t.Fatalf("session me: %d", r.status)
	}
	r := cl.do("POST", base+"token/login", creds)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(r.body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token login: %d %s", r.status, r.body)
	}
	if r := cl.do("GET", base+"api/me", nil, "Authorization", "Bearer "+tok.AccessToken); r.status != 200 {
		t.Fatalf("token me: %d", r.status)
	}
}

// A step once done stays done on the lab page, and a goal once met stays
// solved: after a restart (a new Manager and Server over the same SQLite
// file), after more lab requests than the trace holds, and after "Reset
// lab". The page, the lesson, the course map and the export all read it
// from the learner's record. (The four steps as alice meet the twin
// lab's goal too: /api/me as alice, by cookie and by token.)
func TestLabProgressLasts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts, stop := openServerAt(t, dir)
	alice := newClient(t, ts)
	id, page := newLab(t, alice, "twin-login")
	all := slices.Sorted(slices.Values(milestoneIDs("twin-login")))
	if got := doneSteps(t, alice, page); len(got) != 0 {
		t.Fatalf("a new lab shows %v done", got)
	}
	doTwinSteps(t, alice, id)
	if got := doneSteps(t, alice, page); !slices.Equal(got, all) {
		t.Fatalf("after the steps the page shows %v done, want %v", got, all)
	}
	if !labSolvedShown(t, alice.do("GET", page, nil).body) {
		t.Fatal("after the steps the page does not show the goal solved")
	}

	stop()
	ts, _ = openServerAt(t, dir)
	alice.base = ts.URL // the same browser: its site cookie is in the restarted store
	if got := doneSteps(t, alice, page); !slices.Equal(got, all) {
		t.Errorf("after a restart the page shows %v done, want %v", got, all)
	}
	body := alice.do("GET", page, nil).body
	if !strings.Contains(body, "4 of 4 steps · Solved") || !labSolvedShown(t, body) {
		t.Error("after a restart the lab header does not say 4 of 4 steps · Solved, or the goal is not shown solved")
	}

	for i := range 300 {
		if r := alice.do("GET", "/lab/"+id+"/api/me", nil); r.status != http.StatusOK {
			t.Fatalf("lab request %d: %d", i, r.status)
		}
	}
	if got := doneSteps(t, alice, page); !slices.Equal(got, all) {
		t.Errorf("after 300 more lab requests the page shows %v done, want %v", got, all)
	}
	if !labSolvedShown(t, alice.do("GET", page, nil).body) {
		t.Error("after 300 more lab requests the page does not show the goal solved")
	}

	if r := alice.do("POST", "/lab/"+id+"/reset", nil); r.status != http.StatusOK {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if got := doneSteps(t, alice, page); !slices.Equal(got, all) {
		t.Errorf("after a reset the page shows %v done, want %v", got, all)
	}
	if !labSolvedShown(t, alice.do("GET", page, nil).body) {
		t.Error("after a reset the page does not show the goal solved")
	}

	// Where learners look: the lesson that embeds the lab, the course
	// map, the export.
	var slug string
	var other string // a lesson with another lab
	for _, l := range lessonsWith(ts, alice) {
		names := l.EmbeddedLabs()
		if slices.Contains(names, "twin-login") && slug == "" {
			slug = l.Slug
		} else if len(names) > 0 && !slices.Contains(names, "twin-login") && other == "" {
			other = l.Slug
		}
	}
	lesson := alice.do("GET", "/lessons/"+slug, nil).body
	if !strings.Contains(lesson, `Lab “Twin login”: <strong>4 of 4 steps · Solved</strong>`) {
		t.Errorf("the lesson's progress panel does not show the lab solved")
	}
	home := alice.do("GET", "/", nil).body
	item := lessonItem(t, home, slug)
	if !strings.Contains(item, `lab-badge is-solved`) || !strings.Contains(item, "✓ Lab solved") {
		t.Errorf("the course map shows no solved lab badge for %s: %s", slug, item)
	}
	if item := lessonItem(t, home, other); !strings.Contains(item, `class="lab-badge"`) {
		t.Errorf("the course map shows no lab badge for %s, a lesson with a lab not started", other)
	}
	var ex struct {
		Labs []struct {
			Panel  string   `json:"panel"`
			Done   int      `json:"steps_done"`
			Solved bool     `json:"solved"`
			Steps  []string `json:"done"`
		} `json:"labs"`
	}
	if err := json.Unmarshal([]byte(alice.do("GET", "/account/export", nil).body), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Labs) != 1 || ex.Labs[0].Panel != "twin-login" || !ex.Labs[0].Solved || !slices.Equal(slices.Sorted(slices.Values(ex.Labs[0].Steps)), all) {
		t.Errorf("export labs = %+v", ex.Labs)
	}
}

// lessonsWith is the catalog the server renders.
func lessonsWith(_ *httptest.Server, _ *client) []*lessons.Lesson {
	cat, _ := shippedCourse()
	return cat.Lessons
}

// lessonItem is the course map's entry for slug.
func lessonItem(t *testing.T, home, slug string) string {
	t.Helper()
	i := strings.Index(home, `class="lesson-link" href="/lessons/`+slug+`"`)
	if i < 0 {
		t.Fatalf("the course map has no %s", slug)
	}
	j := strings.Index(home[i:], "</li>")
	return home[i : i+j]
}

// Each panel has a lab of its own: fixation's Mallory step ticks no
// revoke-vs-replay step (on the page or in the learner's record), and a
// token lifetime set for refresh-rotation is not the twin lab's.
func TestLabPanelsDoNotLeak(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	alice := newClient(t, ts)
	fix, _ := newLab(t, alice, "fixation")
	base := "/lab/" + fix + "/"
	attack := func(method, path string, headers map[string]string) map[string]any {
		r := alice.doJSON("POST", base+"attack", map[string]any{"method": method, "path": path, "headers": headers})
		var out struct{ Exchange map[string]any }
		if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != 200 {
			t.Fatalf("attack %s %s: %d %s", method, path, r.status, r.body)
		}
		return out.Exchange
	}
	// Mallory gets a pre-login session ID, plants it, alice logs in (the
	// ID rotates), Mallory replays her copy: 401.
	visit := attack("POST", "/fixation/visit", nil)
	sid := ""
	for _, h := range visit["response_headers"].([]any) {
		h := h.(map[string]any)
		if v, ok := strings.CutPrefix(h["value"].(string), "lab_sid="); ok && h["name"] == "Set-Cookie" {
			sid, _, _ = strings.Cut(v, ";")
		}
	}
	if r := alice.doJSON("POST", base+"fixation/plant", map[string]string{"sid": sid}); r.status != 200 {
		t.Fatalf("plant %q: %d %s", sid, r.status, r.body)
	}
	if r := alice.do("POST", base+"session/login", url.Values{"username": {"alice"}, "password": {"wonderland"}}); r.status != 200 {
		t.Fatalf("login: %d", r.status)
	}
	if x := attack("GET", "/api/me", map[string]string{"Cookie": "lab_sid=" + sid}); x["status"] != float64(401) {
		t.Fatalf("Mallory's planted ID after a rotating login: %v", x["status"])
	}
	_, revokePage := newLab(t, alice, "revoke-vs-replay")
	if got := doneSteps(t, alice, revokePage); len(got) != 0 {
		t.Errorf("fixation's Mallory step ticked revoke-vs-replay steps %v", got)
	}
	if export := alice.do("GET", "/account/export", nil).body; strings.Contains(export, `"lab": "revoke-vs-replay"`) {
		t.Error("fixation's Mallory step is recorded as a revoke-vs-replay step")
	}

	refresh, _ := newLab(t, alice, "refresh-rotation")
	if r := alice.doJSON("PUT", "/lab/"+refresh+"/settings", map[string]string{"token_ttl": "30s"}); r.status != 200 {
		t.Fatalf("set the TTL: %d %s", r.status, r.body)
	}
	twin, _ := newLab(t, alice, "twin-login")
	if r := alice.do("GET", "/lab/"+twin+"/settings", nil); !strings.Contains(r.body, `"token_ttl":"5m0s"`) {
		t.Errorf("the twin lab opened with another panel's settings: %s", r.body)
	}

	// The lesson's "Open lab" (reuse=1) reopens each panel's own lab, and
	// a lab page asked for another panel sends the learner to that one.
	r := alice.do("POST", "/lab", url.Values{"panel": {"refresh-rotation"}, "reuse": {"1"}})
	if loc := r.header.Get("Location"); loc != "/lab/"+refresh+"/refresh-rotation" {
		t.Errorf("reopening refresh-rotation went to %q", loc)
	}
	if r := alice.do("GET", "/lab/"+twin+"/refresh-rotation", nil); r.header.Get("Location") != "/lab/"+refresh+"/refresh-rotation" {
		t.Errorf("the twin lab's URL for refresh-rotation: %d %q", r.status, r.header.Get("Location"))
	}
	if r := alice.do("GET", "/lab/"+twin+"/csrf", nil); r.status != 200 || !strings.Contains(r.body, `name="panel" value="csrf"`) {
		t.Errorf("a panel with no lab yet is not offered: %d", r.status)
	}
}

// Sign-up keeps a guest's lab and its steps, and counts the lab once
// (the sandbox's index row is no lab).
func TestSignUpCountsLabs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	g := newClient(t, ts)
	id, _ := newLab(t, g, "twin-login")
	if r := g.do("POST", "/lab/"+id+"/session/login", url.Values{"username": {"alice"}, "password": {"wonderland"}}); r.status != 200 {
		t.Fatalf("lab login: %d", r.status)
	}
	g.signup("lab_guest_9", "a long enough password")
	home := g.do("GET", "/", nil).body
	if !strings.Contains(home, "Kept from this device: 1 lab milestone, 1 lab.") {
		i := strings.Index(home, "Kept from")
		t.Errorf("sign-up message: %q", home[max(i, 0):min(max(i, 0)+80, len(home))])
	}
	// The lesson's "Open lab" finds the guest's lab, now the account's.
	r := g.do("POST", "/lab", url.Values{"panel": {"twin-login"}, "reuse": {"1"}})
	if loc := r.header.Get("Location"); loc != "/lab/"+id+"/twin-login" {
		t.Errorf("after sign-up, reopening the twin lab went to %q, want the guest's lab %s", loc, id)
	}
	_, page := newLab(t, g, "twin-login")
	if got := doneSteps(t, g, page); !slices.Equal(got, []string{"session-login"}) {
		t.Errorf("after sign-up a new twin lab shows %v done", got)
	}
}
