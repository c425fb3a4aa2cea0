package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/siteauth"
)

func newLab(t *testing.T, cl *client, panel string) (id, path string) {
	t.Helper()
	r := cl.do("POST", "/lab", url.Values{"panel": {panel}}, "Accept", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("POST /lab: %d %s", r.status, r.body)
	}
	var out struct{ ID, URL string }
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || out.ID == "" || !strings.HasPrefix(out.URL, "/lab/"+out.ID+"/") {
		t.Fatalf("POST /lab answer %q: %v", r.body, err)
	}
	return out.ID, out.URL
}

func TestLabIsolationAndPlanes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	alice, bob := newClient(t, ts), newClient(t, ts)
	id, page := newLab(t, alice, "revoke-vs-replay")
	if r := alice.do("GET", page, nil); r.status != 200 || !strings.Contains(r.body, `data-lab-base="/lab/`+id+`"`) || !strings.Contains(r.body, "Revoke vs replay") {
		t.Fatalf("lab page: %d", r.status)
	}
	if r := alice.do("POST", "/lab", url.Values{}); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/lab/") {
		t.Errorf("a browser form POST /lab: %d %q", r.status, r.header.Get("Location"))
	}
	if r := alice.do("POST", "/lab", url.Values{"panel": {"nope"}}); r.status != http.StatusBadRequest {
		t.Errorf("unknown panel: %d", r.status)
	}

	// Bob has a site identity too; Alice's lab is not his. With its ID he
	// gets exactly what a terminal with no site session gets: the demo
	// app (sandbox: "What the lab ID grants"), never her page's plumbing.
	newLab(t, bob, "")
	for _, path := range []string{page, "/lab/" + id + "/trace"} {
		if r := bob.do("GET", path, nil); r.status != http.StatusNotFound {
			t.Errorf("another learner's %s: %d, want 404", path, r.status)
		}
	}
	terminal := newClient(t, ts)
	for _, path := range []string{"/lab/" + id + "/settings", "/lab/" + id + "/trace", "/lab/" + id + "/api/me"} {
		if rb, rt := bob.do("GET", path, nil), terminal.do("GET", path, nil); rb.status != rt.status {
			t.Errorf("another learner's %s: %d, a terminal's: %d", path, rb.status, rt.status)
		}
	}
	if r := bob.do("POST", "/lab/"+id+"/session/login", url.Values{"username": {"alice"}, "password": {"wonderland"}}); r.status != http.StatusOK {
		t.Errorf("logging in to another learner's lab with its ID: %d, want 200 as from a terminal", r.status)
	}

	// The lab cookie is a lab cookie: scoped to the lab, useless to the site.
	u, _ := url.Parse(ts.URL)
	alice.hc.Jar.SetCookies(u, []*http.Cookie{{Name: tzCookie, Value: "-300", Path: "/"}})
	r := alice.do("POST", "/lab/"+id+"/session/login", url.Values{"username": {"alice"}, "password": {"wonderland"}})
	set := r.header.Get("Set-Cookie")
	if r.status != 200 || !strings.Contains(set, "lab_sid=") || !strings.Contains(set, "Path=/lab/"+id+"/") || !strings.Contains(set, "HttpOnly") {
		t.Fatalf("lab login: %d %q", r.status, set)
	}
	labSID := strings.Split(set, ";")[0]
	stranger := newClient(t, ts)
	if r := stranger.do("GET", "/account/sessions", nil, "Cookie", labSID); r.status != http.StatusSeeOther {
		t.Errorf("the site accepted a lab cookie: %d", r.status)
	}
	if r := stranger.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+labSID); r.status != http.StatusUnauthorized {
		t.Errorf("the site API accepted a lab credential: %d", r.status)
	}
	// The site's own cookie never reaches the lab's trace.
	trace := alice.do("GET", "/lab/"+id+"/trace", nil).body
	if site := alice.cookie(siteCookie); site == "" || strings.Contains(trace, site) || strings.Contains(trace, siteCookie+"=") {
		t.Error("the site session cookie shows up in the lab trace")
	}
	if strings.Contains(trace, tzCookie) {
		t.Error("the site's time-zone cookie clutters the lab trace")
	}
	// A milestone reached in the lab is kept for the learner, under the
	// lab's panel; another panel's step (twin-login's session-login) does
	// not count in this one.
	alice.do("POST", "/lab/"+id+"/session/logout", url.Values{})
	export := alice.do("GET", "/account/export", nil)
	if strings.Contains(export.body, `"name": "session-login"`) {
		t.Error("a twin-login step was recorded from the revoke-vs-replay lab")
	}
	for _, want := range []string{`"name": "session-logout"`, `"lab": "revoke-vs-replay"`} {
		if !strings.Contains(export.body, want) {
			t.Errorf("milestones not recorded for the learner: export lacks %s", want)
		}
	}
}

func TestLabCreationIsRateLimited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	var last reply
	for i := 0; i < 30; i++ {
		last = cl.do("POST", "/lab", url.Values{}, "Accept", "application/json")
		if last.status == http.StatusTooManyRequests {
			break
		}
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Try again in") || last.header.Get("Retry-After") == "" {
		t.Fatalf("30 new labs in a row were never limited: %d", last.status)
	}
	if r := cl.do("POST", "/lab", url.Values{"reuse": {"1"}}, "Accept", "application/json"); r.status != http.StatusCreated {
		t.Errorf("reopening the current lab is limited too: %d", r.status)
	}
}

// TestLabCreationFitsARoom: a classroom shares one address; 60 learners
// behind it each open a lab at once and every one gets it. The address's
// own budget (made small here) still ends a flood of fresh guests.
func TestLabCreationFitsARoom(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	for i := range 60 {
		if r := newClient(t, ts).do("POST", "/lab", url.Values{}, "Accept", "application/json"); r.status != http.StatusCreated {
			t.Fatalf("learner %d of a room behind one address: %d %s", i, r.status, r.body)
		}
	}
	env.srv.lab.byAddr = siteauth.NewLimiter(5, time.Hour, nil)
	var last reply
	for range 6 {
		last = newClient(t, ts).do("POST", "/lab", url.Values{}, "Accept", "application/json")
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "your address") {
		t.Errorf("fresh guests past the address's budget: %d %s", last.status, last.body)
	}
}

// Every lab page arrives inert, its reset button disabled, and only its
// script hands the controls over (kit.ready) once they are wired: a click
// made before that would otherwise do nothing at all. So every lab script
// must end with that call.
func TestLabPageWaitsForItsScript(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	panels := append([]string{}, twinPanels...)
	for _, p := range []string{"jwt-forgery", "fixation", "key-rotation", "opaque-vs-jwt", "cost", "token-storage", "csrf", "cluster"} {
		if attackScripts[p] == "" {
			t.Errorf("%s has no script", p)
		}
		panels = append(panels, p)
	}
	for _, panel := range panels {
		cl := newClient(t, ts) // one learner may open only so many labs at once
		_, page := newLab(t, cl, panel)
		body := cl.do("GET", page, nil).body
		for _, want := range []string{`aria-busy="true"`, `<div class="lab-work" inert>`, `data-action="reset" disabled>`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page lacks %s", panel, want)
			}
		}
		script := attackScripts[panel]
		if script == "" {
			script = "lab.js"
		}
		src, err := staticFS.ReadFile("static/" + script)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(strings.TrimSpace(string(src)), "kit.ready();") {
			t.Errorf("%s does not end with kit.ready(): the %s lab would stay inert", script, panel)
		}
	}
}
