package sandbox

import (
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// malloryVisit gets Mallory a pre-login session ID from the lab.
func (e *labEnv) malloryVisit() string {
	e.t.Helper()
	status, x := e.attack("POST", "/fixation/visit", nil, "")
	if status != 200 {
		e.t.Fatalf("visit: %d", status)
	}
	for _, h := range x.ResponseHeaders {
		if h.Name == "Set-Cookie" && strings.HasPrefix(h.Value, "lab_sid=") {
			v, _, _ := strings.Cut(strings.TrimPrefix(h.Value, "lab_sid="), ";")
			return v
		}
	}
	e.t.Fatal("no lab_sid in Mallory's visit")
	return ""
}

// plantAndLogin plants sid in the learner's browser and logs alice in
// with it, returning the cookie the login left in the browser.
func (e *labEnv) plantAndLogin(sid string) string {
	e.t.Helper()
	rec := e.post("fixation/plant", map[string]string{"sid": sid})
	want(e.t, rec, http.StatusOK)
	if !strings.Contains(rec.Header().Get("Set-Cookie"), "lab_sid="+sid) {
		e.t.Fatalf("plant set %q", rec.Header().Get("Set-Cookie"))
	}
	rec = e.post("session/login", alice, "Cookie", "lab_sid="+sid)
	want(e.t, rec, http.StatusOK)
	pair, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	return pair
}

func TestFixation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mallory := func(sid string) (int, Exchange) {
		return e.attack("GET", "/api/me", map[string]string{"Cookie": "lab_sid=" + sid}, "")
	}

	// A pre-login session carries no user.
	sid := e.malloryVisit()
	if status, x := mallory(sid); status != 401 || !strings.Contains(x.ResponseBody, reasonNotLoggedIn) {
		t.Fatalf("a pre-login session answered %d %s", status, x.ResponseBody)
	}

	// Rotation off: the planted ID becomes alice's session.
	want(t, e.put("fixation/settings", map[string]any{"rotate_on_login": false}), http.StatusOK)
	if cookie := e.plantAndLogin(sid); cookie != "lab_sid="+sid {
		t.Errorf("with rotation off the login set %q", cookie)
	}
	status, x := mallory(sid)
	if status != 200 || !strings.Contains(x.ResponseBody, `"alice"`) || !slices.Contains(x.Milestones, msFixWorks) {
		t.Errorf("fixation with rotation off: %d %s %v", status, x.ResponseBody, x.Milestones)
	}
	// Even an ID the server never issued is adopted by a permissive store.
	if cookie := e.plantAndLogin("mallory-made-this-up"); cookie != "lab_sid=mallory-made-this-up" {
		t.Errorf("permissive adoption: %q", cookie)
	}
	if status, _ := mallory("mallory-made-this-up"); status != 200 {
		t.Errorf("a made-up planted ID: %d", status)
	}

	// Rotation on (the default): the login issues a new ID and the planted
	// one is dead.
	want(t, e.put("fixation/settings", map[string]any{"rotate_on_login": true}), http.StatusOK)
	sid = e.malloryVisit()
	if cookie := e.plantAndLogin(sid); cookie == "lab_sid="+sid {
		t.Error("with rotation on the login kept the planted ID")
	}
	status, x = mallory(sid)
	if status != 401 || !slices.Contains(x.Milestones, msFixBlocked) {
		t.Errorf("fixation with rotation on: %d %v", status, x.Milestones)
	}
}

// malloryLogin logs Mallory in as herself, from her own machine (no
// cookie of the learner's), and returns the session ID she was given.
func (e *labEnv) malloryLogin() string {
	e.t.Helper()
	status, x := e.attack("POST", "/session/login", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "username=mallory&password=x")
	if status != 200 {
		e.t.Fatalf("Mallory's login: %d %s", status, x.ResponseBody)
	}
	for _, h := range x.ResponseHeaders {
		if h.Name == "Set-Cookie" && strings.HasPrefix(h.Value, "lab_sid=") {
			v, _, _ := strings.Cut(strings.TrimPrefix(h.Value, "lab_sid="), ";")
			return v
		}
	}
	e.t.Fatal("no lab_sid in Mallory's login")
	return ""
}

// Lesson 06 step 4 as written: alice logs in in her browser, Mallory logs
// in as herself in hers, reads the number she was given and tries the
// ones next to it. Only a neighbour of her own ID counts as a guess.
func TestFixationCounterIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := func(sid string) (int, Exchange) {
		return e.attack("GET", "/api/me", map[string]string{"Cookie": "lab_sid=" + sid}, "")
	}
	want(t, e.put("fixation/settings", map[string]any{"ids": "counter"}), http.StatusOK)
	aliceCookie := e.sessionLogin()
	alice := strings.TrimPrefix(aliceCookie, "lab_sid=")

	// Without an ID of her own, alice's number (read off the learner's
	// page) is not a guess.
	if status, x := me(alice); status != 200 || slices.Contains(x.Milestones, msFixGuess) || !strings.Contains(x.Verdict, "no ID of her own") {
		t.Errorf("alice's ID before Mallory has one: %d %v %q", status, x.Milestones, x.Verdict)
	}
	hers := e.malloryLogin()
	n, err := strconv.Atoi(hers)
	if err != nil {
		t.Fatalf("counter ID %q", hers)
	}
	// Her own ID is hers, not a guess.
	if status, x := me(hers); status != 200 || !strings.Contains(x.ResponseBody, `"mallory"`) || slices.Contains(x.Milestones, msFixGuess) {
		t.Errorf("Mallory's own ID: %d %s %v", status, x.ResponseBody, x.Milestones)
	}
	// The one before hers is alice's, alive: alice logged in in her own browser.
	status, x := me(strconv.Itoa(n - 1))
	if status != 200 || strconv.Itoa(n-1) != alice || !slices.Contains(x.Milestones, msFixGuess) || !strings.Contains(x.Verdict, "given "+hers) {
		t.Errorf("guessing the neighbour: %d %s %v %q", status, x.ResponseBody, x.Milestones, x.Verdict)
	}
	// Random IDs: alice and Mallory log in again; the neighbour of
	// Mallory's new 128-bit ID is nobody's.
	want(t, e.put("fixation/settings", map[string]any{"ids": "random"}), http.StatusOK)
	if c := e.sessionLogin(); len(strings.TrimPrefix(c, "lab_sid=")) != 32 {
		t.Errorf("random ID %q", c)
	}
	hers = e.malloryLogin()
	var next big.Int
	next.SetString(hers, 16)
	next.Add(&next, big.NewInt(1))
	status, x = me(fmt.Sprintf("%032x", &next))
	if status != 401 || !slices.Contains(x.Milestones, msFixRandom) {
		t.Errorf("guessing with random IDs: %d %v %q", status, x.Milestones, x.Verdict)
	}
}

func TestFixationBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, body := range []any{map[string]string{"sid": ""}, map[string]string{"sid": "a;b"}, map[string]string{"sid": strings.Repeat("a", 65)}, "{"} {
		if rec := e.post("fixation/plant", body); rec.Code != 400 {
			t.Errorf("plant %v: %d", body, rec.Code)
		}
	}
	for _, body := range []any{map[string]any{"ids": "sequential"}, map[string]any{"rotate": true}} {
		if rec := e.put("fixation/settings", body); rec.Code != 400 {
			t.Errorf("settings %v: %d", body, rec.Code)
		}
	}
	// Planting is the learner's browser's business, not a stranger's.
	if rec := e.do(req{method: http.MethodPost, path: "fixation/plant", body: map[string]string{"sid": "x"}, owner: ptr("")}); rec.Code != 404 {
		t.Errorf("plant without an owner: %d", rec.Code)
	}
}

// A planted ID belongs to its lab: it means nothing in another lab.
func TestFixationIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other, err := e.m.Create(t.Context(), "learner-2")
	if err != nil {
		t.Fatal(err)
	}
	o := *e
	o.owner, o.id = "learner-2", other.ID
	want(t, e.put("fixation/settings", map[string]any{"rotate_on_login": false}), http.StatusOK)
	sid := e.malloryVisit()
	e.plantAndLogin(sid)
	if rec := o.get("api/me", "Cookie", "lab_sid="+sid); rec.Code != 401 {
		t.Errorf("a fixated session of one lab answered in another: %d", rec.Code)
	}
}

// Mallory counts from the nearest of her own IDs, the newest on a tie.
func TestNeighbourOf(t *testing.T) {
	t.Parallel()
	hex := func(n int64) string { return fmt.Sprintf("%032x", big.NewInt(n)) }
	for _, c := range []struct {
		sid  string
		own  []string
		want string
	}{
		{"1003", []string{"1004", "1002"}, "1004"},
		{"1003", []string{"1002", "1007"}, "1002"},
		{"1003", []string{"1003"}, ""},
		{"1003", []string{"1020"}, ""},
		{"1003", []string{hex(1002)}, ""},
		{hex(41), []string{hex(40)}, hex(40)},
	} {
		if got := neighbourOf(c.sid, c.own); got != c.want {
			t.Errorf("neighbourOf(%s, %v) = %q, want %q", c.sid, c.own, got, c.want)
		}
	}
}
