package sandbox

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
)

// panelEnv is an env whose lab is bound to panel, as the site makes them.
func panelEnv(t *testing.T, e *labEnv, panel string) *labEnv {
	t.Helper()
	lab, err := e.m.CreateFor(context.Background(), e.owner, panel)
	if err != nil {
		t.Fatal(err)
	}
	if lab.Panel != panel {
		t.Fatalf("CreateFor(%s) made a lab for %q", panel, lab.Panel)
	}
	c := *e
	c.id = lab.ID
	return &c
}

// The fixation lab's Mallory replaying her planted ID after a rotating
// login gets the same 401 the revoke-vs-replay story ticks on — but in
// the fixation lab it ticks only fixation steps, for the page and for
// the learner's record.
func TestPanelLabTicksOnlyItsOwnSteps(t *testing.T) {
	t.Parallel()
	fix := panelEnv(t, newEnv(t), "fixation")
	sid := fix.malloryVisit()
	fix.plantAndLogin(sid)
	status, x := fix.attack("GET", "/api/me", map[string]string{"Cookie": "lab_sid=" + sid}, "")
	if status != http.StatusUnauthorized || !slices.Contains(x.Milestones, msFixBlocked) {
		t.Fatalf("Mallory's planted ID after a rotating login: %d %v", status, x.Milestones)
	}
	revoke := Milestones("revoke-vs-replay")
	for _, id := range fix.milestones.list() {
		if PanelOf(id) != "fixation" {
			t.Errorf("the fixation lab recorded %s, a step of %s", id, PanelOf(id))
		}
	}
	for _, ex := range fix.trace() {
		for _, id := range ex.Milestones {
			if slices.ContainsFunc(revoke, func(m Milestone) bool { return m.ID == id }) {
				t.Errorf("%s %s ticked the revoke-vs-replay step %s", ex.Method, ex.Path, id)
			}
		}
	}
}

// Settings belong to a panel's lab: a 30 s token lifetime set for
// refresh-rotation is not the twin lab's, and the twin lab opens with
// the defaults.
func TestPanelLabSettingsStayInThePanel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	refresh, twin := panelEnv(t, e, "refresh-rotation"), panelEnv(t, e, "twin-login")
	want(t, refresh.put("settings", map[string]any{"token_ttl": "30s", "denylist": true}), http.StatusOK)
	if s := decode[settingsView](t, refresh.get("settings")); s.TokenTTL != "30s" {
		t.Fatalf("refresh-rotation settings: %+v", s)
	}
	s := decode[settingsView](t, twin.get("settings"))
	if s.TokenTTL != "5m0s" || s.Denylist {
		t.Errorf("the twin lab opened with refresh-rotation's settings: %+v", s)
	}
	if p := twin.tokenLogin(); p.ExpiresIn != 300 {
		t.Errorf("a twin-lab token lives %d s, want 300", p.ExpiresIn)
	}
}

// ForPanel finds the owner's lab for a panel, and only theirs.
func TestForPanel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.m.ForPanel(ctx, e.owner, "csrf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no csrf lab yet, and an unbound lab is no panel's: %v", err)
	}
	csrf, fix := panelEnv(t, e, "csrf"), panelEnv(t, e, "fixation")
	for panel, id := range map[string]string{"csrf": csrf.id, "fixation": fix.id} {
		lab, err := e.m.ForPanel(ctx, e.owner, panel)
		if err != nil || lab.ID != id || lab.Panel != panel {
			t.Errorf("ForPanel(%s) = %+v, %v; want %s", panel, lab, err, id)
		}
	}
	if _, err := e.m.ForPanel(ctx, "learner-2", "csrf"); !errors.Is(err, ErrNotFound) {
		t.Errorf("another owner found the csrf lab: %v", err)
	}
	if _, err := e.m.CreateFor(ctx, e.owner, "nope"); err == nil {
		t.Error("a lab for an unknown panel")
	}
	// A reset clears the lab, keeps its panel and the steps reached.
	csrf.post("reset", nil)
	if lab, err := e.m.ForPanel(ctx, e.owner, "csrf"); err != nil || lab.ID != csrf.id {
		t.Errorf("after a reset: %+v, %v", lab, err)
	}
}

// Every lab of the owner, one per panel, is reached by the workshop's
// room-wide revocation.
func TestRoomRevokeReachesEveryPanelLab(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	twin, revoke := panelEnv(t, e, "twin-login"), panelEnv(t, e, "revoke-vs-replay")
	c1, c2 := twin.sessionLogin(), revoke.sessionLogin()
	res, err := e.m.RevokeOwnerSessions(context.Background(), e.owner)
	if err != nil || res.Sessions != 2 || res.Labs != 3 {
		t.Fatalf("room revoke: %+v, %v", res, err)
	}
	want(t, twin.get("api/me", "Cookie", c1), http.StatusUnauthorized)
	want(t, revoke.get("api/me", "Cookie", c2), http.StatusUnauthorized)
}

// listingPersister is a MemoryPersister that can list an owner's labs
// and move them to another owner, as progress does at sign-in.
type listingPersister struct{ *MemoryPersister }

func (p listingPersister) LabsOf(_ context.Context, owner string) ([]string, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var ids []string
	for id, l := range p.labs {
		if l.owner == owner {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (p listingPersister) move(from, to string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, l := range p.labs {
		if l.owner == from {
			l.owner = to
			p.labs[id] = l
		}
	}
}

// A lab the store moved to another owner (a guest's, at sign-in) is that
// owner's for ForPanel and for room-wide actions, though the index that
// lists it is the guest's.
func TestMovedLabsAreFound(t *testing.T) {
	t.Parallel()
	p := listingPersister{NewMemoryPersister()}
	e := newEnv(t, func(o *Options) { o.Persist = p })
	guest := panelEnv(t, e, "revoke-vs-replay")
	cookie := guest.sessionLogin()
	ctx := context.Background()
	if res, err := e.m.SetOwnerDenylist(ctx, e.owner, false); err != nil || res.Labs != 2 {
		t.Fatalf("the guest's two labs counted as %d (%v): listed twice?", res.Labs, err)
	}
	p.move(e.owner, "account-1")
	lab, err := e.m.ForPanel(ctx, "account-1", "revoke-vs-replay")
	if err != nil || lab.ID != guest.id {
		t.Fatalf("the account's revoke-vs-replay lab: %+v, %v; want %s", lab, err, guest.id)
	}
	res, err := e.m.RevokeOwnerSessions(ctx, "account-1")
	if err != nil || res.Sessions != 1 || res.Labs != 2 {
		t.Fatalf("room revoke for the account: %+v, %v", res, err)
	}
	acct := *guest
	acct.owner = "account-1"
	want(t, acct.get("api/me", "Cookie", cookie), http.StatusUnauthorized)
}
