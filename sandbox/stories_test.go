package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// lastMilestones is the milestones of the newest exchange.
func (e *labEnv) lastMilestones() []string {
	xs := e.trace()
	return xs[len(xs)-1].Milestones
}

func (e *labEnv) wantMilestone(id string) {
	e.t.Helper()
	if got := e.lastMilestones(); !slices.Contains(got, id) {
		e.t.Errorf("milestones %v, want %s", got, id)
	}
}

// The four stories of issue 5, end to end, as the lab page drives them.
func TestStories(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	// 1. Log in both ways; Set-Cookie vs a JSON body; Cookie vs
	// Authorization on the next call, and their sizes.
	cookie := e.sessionLogin()
	e.wantMilestone(msSessionLogin)
	pair := e.tokenLogin()
	e.wantMilestone(msTokenLogin)
	if xs := e.trace(); !strings.Contains(xs[1].ResponseBody, "access_token") || hasHeader(xs[1].ResponseHeaders, "Set-Cookie") {
		t.Errorf("token login answered %+v", xs[1])
	}
	want(t, e.get("api/me", "Cookie", cookie), http.StatusOK)
	e.wantMilestone(msSessionMe)
	want(t, e.get("api/me", bearerH(pair.AccessToken)...), http.StatusOK)
	e.wantMilestone(msTokenMe)
	xs := e.trace()
	if c, a := xs[2].CookieBytes, xs[3].AuthorizationBytes; c == 0 || a <= c {
		t.Errorf("Cookie %d bytes, Authorization %d bytes", c, a)
	}

	// 2. Log out both ways, then Mallory replays what she stole: the
	// session replay fails at once, the token replay works until exp.
	want(t, e.post("session/logout", nil, "Cookie", cookie), http.StatusOK)
	e.wantMilestone(msSessionLogout)
	want(t, e.post("token/logout", nil, bearerH(pair.AccessToken)...), http.StatusOK)
	e.wantMilestone(msTokenLogout)
	if status, x := e.attack("GET", "/api/me", map[string]string{"Cookie": cookie}, ""); status != 401 || !slices.Contains(x.Milestones, msReplaySession) {
		t.Errorf("cookie replay: %d %v", status, x.Milestones)
	}
	if status, x := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + pair.AccessToken}, ""); status != 200 || !slices.Contains(x.Milestones, msReplayToken) {
		t.Errorf("token replay: %d %v", status, x.Milestones)
	}

	// 3. Revoke from the admin panel: the session dies on its next
	// request, the token keeps working until the deny-list is on.
	cookie = e.sessionLogin()
	pair = e.tokenLogin()
	sid := strings.TrimPrefix(cookie, "lab_sid=")
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + sid}), http.StatusOK)
	e.wantMilestone(msAdminRevoke)
	if status, _ := e.attack("GET", "/api/me", map[string]string{"Cookie": cookie}, ""); status != 401 {
		t.Errorf("revoked session answered %d", status)
	}
	want(t, e.get("api/me", bearerH(pair.AccessToken)...), http.StatusOK)
	rec := e.put("settings", map[string]any{"denylist": true})
	if note := decode[settingsView](t, rec).Note; !strings.Contains(note, "state again") {
		t.Errorf("deny-list note %q", note)
	}
	want(t, e.post("token/logout", nil, bearerH(pair.AccessToken)...), http.StatusOK)
	if status, x := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + pair.AccessToken}, ""); status != 401 || !slices.Contains(x.Milestones, msDenylist) {
		t.Errorf("denied token replay: %d %v", status, x.Milestones)
	}

	// 4. Short expiry plus refresh; Mallory replays an old refresh token
	// and the whole family is revoked.
	want(t, e.put("settings", map[string]any{"token_ttl": "30s", "denylist": false}), http.StatusOK)
	pair = e.tokenLogin()
	want(t, e.post("clock", map[string]string{"advance": "31s"}), http.StatusOK)
	want(t, e.get("api/me", bearerH(pair.AccessToken)...), http.StatusUnauthorized)
	e.wantMilestone(msTokenExpired)
	rec = e.post("token/refresh", map[string]string{"refresh_token": pair.RefreshToken})
	want(t, rec, http.StatusOK)
	e.wantMilestone(msRefresh)
	fresh := decode[tokenPair](t, rec)
	want(t, e.get("api/me", bearerH(fresh.AccessToken)...), http.StatusOK)
	status, x := e.attack("POST", "/token/refresh", map[string]string{"Content-Type": "application/json"}, `{"refresh_token":"`+pair.RefreshToken+`"}`)
	if status != 401 || !slices.Contains(x.Milestones, msReuse) || !strings.Contains(x.Verdict, "alice must log in again") {
		t.Errorf("refresh replay: %d %v %q", status, x.Milestones, x.Verdict)
	}
	if r := reasonOf(t, e.post("token/refresh", map[string]string{"refresh_token": fresh.RefreshToken})); !strings.Contains(r, "revoked") {
		t.Errorf("alice's own refresh after the reuse: %q", r)
	}

	// Every milestone of every panel was reported, each exactly once, and
	// the story met each panel's goal on the way.
	e.get("api/me", bearerH(fresh.AccessToken)...)
	var all []string
	for _, panel := range []string{"twin-login", "revoke-vs-replay", "refresh-rotation"} {
		for _, m := range Milestones(panel) {
			all = append(all, m.ID)
		}
		all = append(all, Goal(panel).ID)
	}
	got := e.milestones.list()
	slices.Sort(all)
	slices.Sort(got)
	if !slices.Equal(got, all) {
		t.Errorf("OnMilestone got %v\nwant %v", got, all)
	}
	if Milestones("nope") != nil {
		t.Error("unknown panel has milestones")
	}
}

func hasHeader(hs []Header, name string) bool {
	return slices.ContainsFunc(hs, func(h Header) bool { return h.Name == name })
}

// TestStoryDenylistKnowsOnlyTheLogoutsItSaw: the deny-list is written at
// logout. Turning it on after a logout does not reach back: that token
// still replays (and the verdict says why), while a token logged out
// with the list on is refused — the order lessons 04, 09 and 16 tell.
func TestStoryDenylistKnowsOnlyTheLogoutsItSaw(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	early := e.tokenLogin()
	want(t, e.post("token/logout", nil, bearerH(early.AccessToken)...), http.StatusOK)
	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	status, x := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + early.AccessToken}, "")
	if status != http.StatusOK || !strings.Contains(x.Verdict, "logged out while the deny-list was off") {
		t.Errorf("replay of a token logged out before the deny-list: %d %q", status, x.Verdict)
	}
	if slices.Contains(x.Milestones, msDenylist) {
		t.Errorf("a replay that got through ticks %s", msDenylist)
	}
	late := e.tokenLogin()
	want(t, e.post("token/logout", nil, bearerH(late.AccessToken)...), http.StatusOK)
	status, x = e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + late.AccessToken}, "")
	if status != http.StatusUnauthorized || !slices.Contains(x.Milestones, msDenylist) || !strings.Contains(x.Verdict, "on deny-list") {
		t.Errorf("replay of a token logged out with the deny-list on: %d %v %q", status, x.Milestones, x.Verdict)
	}
	if m := Milestones("revoke-vs-replay"); !strings.Contains(m[len(m)-1].Text, "log in and out") {
		t.Errorf("the deny-list step does not say to log out with the list on: %q", m[len(m)-1].Text)
	}
}

// TestStoryReplayWithoutReuseDetection is lesson 09's last refresh step:
// with reuse detection off, rotation alone still refuses a spent refresh
// token (and revokes nothing); only with rotation off too does Mallory's
// replay of an old refresh token work.
func TestStoryReplayWithoutReuseDetection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	replay := func(rt string) (int, Exchange) {
		return e.attack("POST", "/token/refresh", map[string]string{"Content-Type": "application/json"}, `{"refresh_token":"`+rt+`"}`)
	}
	want(t, e.put("settings", map[string]any{"reuse_detection": false}), http.StatusOK)
	pair := e.tokenLogin()
	rec := e.post("token/refresh", map[string]string{"refresh_token": pair.RefreshToken})
	want(t, rec, http.StatusOK)
	fresh := decode[tokenPair](t, rec)
	if status, x := replay(pair.RefreshToken); status != http.StatusUnauthorized || !strings.Contains(x.Verdict+x.ResponseBody, "already used") {
		t.Errorf("replay of a spent refresh token, rotation on, reuse detection off: %d %q %s", status, x.Verdict, x.ResponseBody)
	}
	if rec := e.post("token/refresh", map[string]string{"refresh_token": fresh.RefreshToken}); rec.Code != http.StatusOK {
		t.Errorf("without reuse detection alice's family lives on, yet her refresh got %d", rec.Code)
	}

	want(t, e.put("settings", map[string]any{"refresh_rotation": false}), http.StatusOK)
	pair = e.tokenLogin()
	rec = e.post("token/refresh", map[string]string{"refresh_token": pair.RefreshToken})
	want(t, rec, http.StatusOK)
	if same := decode[tokenPair](t, rec); same.RefreshToken != pair.RefreshToken {
		t.Fatalf("rotation off handed out a new refresh token")
	}
	if status, x := replay(pair.RefreshToken); status != http.StatusOK {
		t.Errorf("replay with rotation and reuse detection off: %d %q", status, x.Verdict)
	}
}
