package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/workshop"
)

// TestWorkshopRoomWideLabRevoke: the instructor revokes every lab session
// of the room; an attendee's lab session dies, the token lives on until
// the room's deny-list takes it.
func TestWorkshopRoomWideLabRevoke(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.attendee(t, "Sam")
	res := sam.do("POST", "/lab", url.Values{}, "Accept", "application/json")
	var lab struct{ ID string }
	json.Unmarshal([]byte(res.body), &lab)
	base := "/lab/" + lab.ID
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}
	if res := sam.do("POST", base+"/session/login", creds); res.status != 200 {
		t.Fatalf("lab session login: %d", res.status)
	}
	res = sam.do("POST", base+"/token/login", creds)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal([]byte(res.body), &tok)
	if res := sam.do("GET", base+"/api/me", nil); res.status != 200 {
		t.Fatalf("lab session before: %d", res.status)
	}

	out := r.act(t, "/labs/revoke", url.Values{}, http.StatusOK)
	if !strings.Contains(out, `"sessions":1`) || !strings.Contains(out, `"labs":1`) {
		t.Errorf("revoke answered %s", out)
	}
	if res := sam.do("GET", base+"/api/me", nil); res.status != http.StatusUnauthorized {
		t.Errorf("Sam's lab session after the room-wide revoke: %d, want 401", res.status)
	}
	bearer := func() int {
		return newClient(t, r.ts).do("GET", base+"/api/me", nil, "Authorization", "Bearer "+tok.AccessToken).status
	}
	if code := bearer(); code != 200 {
		t.Errorf("Sam's lab token after the revoke: %d, want 200 (it lives until exp)", code)
	}
	// The board's tally is the server's reading of Sam's lab: a forged
	// report that all is well changes nothing.
	forged := sam.do("POST", "/w/"+r.code+"/labcheck", url.Values{"session": {"200"}, "token": {"0"}}, "Accept", "application/json")
	if forged.status != http.StatusNoContent {
		t.Fatalf("report: %d", forged.status)
	}
	if m := r.board(t).Moment; m.Session != (workshop.SideTally{Refused: 1}) || m.Token != (workshop.SideTally{In: 1}) || m.Reported != 1 {
		t.Errorf("after a forged report the tally is %+v / %+v, want the session refused and the token in", m.Session, m.Token)
	}
	out = r.act(t, "/labs/denylist", url.Values{"on": {"1"}}, http.StatusOK)
	if m := r.board(t).Moment; m.Session != (workshop.SideTally{Refused: 1}) || m.Token != (workshop.SideTally{Refused: 1}) {
		t.Errorf("after the deny-list the tally is %+v / %+v, want both refused", m.Session, m.Token)
	}
	if !strings.Contains(out, `"tokens":1`) {
		t.Errorf("deny-list answered %s, want 1 token denied", out)
	}
	if code := bearer(); code != http.StatusUnauthorized {
		t.Errorf("the token after the room's deny-list: %d, want 401 with no logout needed", code)
	}
	r.act(t, "/labs/denylist", url.Values{"on": {"0"}}, http.StatusOK)
	if code := bearer(); code != 200 {
		t.Errorf("the token with the room's deny-list off again: %d, want 200 (nothing is looked up)", code)
	}
	if res := sam.do("POST", "/workshops/"+r.id+"/labs/revoke", url.Values{}); res.status != http.StatusSeeOther && res.status < 400 { // sent to sign in, nothing done
		t.Errorf("an attendee revoked the room's labs: %d", res.status)
	}
}

// TestWorkshopLabCheck: after a room-wide moment each attendee's lab
// reports what its two sides answered, and the board tallies the reports
// made since the moment; bad reports get a reason, not a 500.
func TestWorkshopLabCheck(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam, kim := r.attendee(t, "Sam"), r.attendee(t, "Kim")
	report := func(cl *client, session, token string) int {
		return cl.do("POST", "/w/"+r.code+"/labcheck", url.Values{"session": {session}, "token": {token}}, "Accept", "application/json").status
	}
	if code := report(sam, "401", "200"); code != http.StatusConflict {
		t.Errorf("a report before any moment: %d, want 409", code)
	}
	if b := r.board(t); b.Moment != nil {
		t.Errorf("a board before any moment shows one: %+v", b.Moment)
	}
	r.act(t, "/labs/revoke", url.Values{}, http.StatusOK)
	for _, bad := range [][2]string{{"42", "200"}, {"401", "abc"}, {"600", "0"}} {
		if code := report(sam, bad[0], bad[1]); code != http.StatusUnprocessableEntity {
			t.Errorf("report %v: %d, want 422", bad, code)
		}
	}
	if code := report(newClient(t, r.ts), "401", "200"); code != http.StatusForbidden {
		t.Errorf("a report from someone not in the room: %d, want 403", code)
	}
	if code := report(sam, "401", "200"); code != http.StatusNoContent {
		t.Fatalf("Sam's report: %d", code)
	}
	// Neither has a lab: the tally says so, whatever Sam reported.
	m := r.board(t).Moment
	if m == nil || m.Kind != "labs-revoked" || m.Reported != 1 || m.Active != 2 ||
		m.Session != (workshop.SideTally{None: 2}) || m.Token != (workshop.SideTally{None: 2}) ||
		checkOf(m, "Sam").Report == nil || *checkOf(m, "Sam").Report != (workshop.LabSides{Session: 401, Token: 200}) {
		t.Fatalf("the tally after Sam's report: %+v", m)
	}

	// A new moment starts a new tally: Sam's old report no longer counts.
	r.clock.Advance(time.Second)
	r.act(t, "/labs/denylist", url.Values{"on": {"1"}}, http.StatusOK)
	if code := report(kim, "0", "401"); code != http.StatusNoContent {
		t.Fatalf("Kim's report: %d", code)
	}
	m = r.board(t).Moment
	if m.Kind != "labs-denylist" || m.Reported != 1 || checkOf(m, "Sam").Report != nil || checkOf(m, "Kim").Report == nil {
		t.Fatalf("the tally after the deny-list: %+v", m)
	}
}

// checkOf is nick's line of the moment's tally.
func checkOf(m *workshop.Moment, nick string) workshop.LabCheckRow {
	for _, c := range m.Checks {
		if c.Nickname == nick {
			return c
		}
	}
	return workshop.LabCheckRow{}
}

// TestWorkshopMomentLoad times the room-wide moment for a full room, run
// only when asked (CI asks):
//
//	AUTHLAB_LOAD=300 go test ./web -run TestWorkshopMomentLoad -v
//
// N attendees each open a twin lab and log in both ways; the instructor
// revokes the room's lab sessions, then deny-lists its tokens. Every
// session and then every token must be refused; the log says how long
// each button took (the instructor waits for it).
func TestWorkshopMomentLoad(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("AUTHLAB_LOAD"), &n)
	if n <= 0 {
		t.Skip("set AUTHLAB_LOAD=300 to time the room-wide moment for a full room")
	}
	n = min(n, 1000)
	r := newRoom(t)
	type labUser struct {
		cl    *client
		base  string
		token string
	}
	people := make([]labUser, n)
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}
	for i := range people {
		cl := r.attendee(t, fmt.Sprintf("Attendee %03d", i))
		var lab struct{ ID string }
		json.Unmarshal([]byte(cl.do("POST", "/lab", url.Values{}, "Accept", "application/json").body), &lab)
		base := "/lab/" + lab.ID
		if res := cl.do("POST", base+"/session/login", creds); res.status != 200 {
			t.Fatalf("lab session login %d: %d", i, res.status)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		json.Unmarshal([]byte(cl.do("POST", base+"/token/login", creds).body), &tok)
		people[i] = labUser{cl, base, tok.AccessToken}
	}
	timed := func(path string, form url.Values) (time.Duration, string) {
		start := time.Now()
		out := r.act(t, path, form, http.StatusOK)
		return time.Since(start), out
	}
	revokeTook, out := timed("/labs/revoke", url.Values{})
	if want := fmt.Sprintf(`"labs":%d,"sessions":%d`, n, n); !strings.Contains(out, want) {
		t.Errorf("revoke answered %s, want %s", out, want)
	}
	for i, p := range people {
		if code := p.cl.do("GET", p.base+"/api/me", nil).status; code != http.StatusUnauthorized {
			t.Fatalf("attendee %d's lab session after the revoke: %d", i, code)
		}
		if code := p.cl.do("GET", p.base+"/api/me", nil, "Authorization", "Bearer "+p.token).status; code != 200 {
			t.Fatalf("attendee %d's lab token after the revoke: %d, want 200", i, code)
		}
	}
	// The board's tally reads every attendee's labs on the server.
	boardStart := time.Now()
	if m := r.board(t).Moment; m.Session.Refused != n || m.Token.In != n {
		t.Errorf("the tally of %d labs after the revoke: %+v / %+v", n, m.Session, m.Token)
	}
	boardTook := time.Since(boardStart)
	denyTook, out := timed("/labs/denylist", url.Values{"on": {"1"}})
	if want := fmt.Sprintf(`"tokens":%d`, n); !strings.Contains(out, want) {
		t.Errorf("deny-list answered %s, want %s", out, want)
	}
	for i, p := range people {
		if code := p.cl.do("GET", p.base+"/api/me", nil, "Authorization", "Bearer "+p.token).status; code != http.StatusUnauthorized {
			t.Fatalf("attendee %d's lab token after the deny-list: %d", i, code)
		}
	}
	t.Logf("room-wide moment, %d attendees with a lab each: revoke %v, deny-list %v; the board with its tally %v", n, revokeTook.Round(time.Millisecond), denyTook.Round(time.Millisecond), boardTook.Round(time.Millisecond))
}
