package sandbox

import (
	"context"
	"net/http"
	"testing"
)

func TestRoomWideRevokeAndDenylist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	token := e.tokenLogin().AccessToken
	me := func(h, v string) int {
		return e.do(req{method: http.MethodGet, path: "api/me", header: []string{h, v}}).Code
	}
	if me("Cookie", cookie) != 200 || me("Authorization", "Bearer "+token) != 200 {
		t.Fatal("the credentials do not work before the revoke")
	}
	res, err := e.m.RevokeOwnerSessions(context.Background(), e.owner)
	if err != nil || res.Labs != 1 || res.Sessions != 1 {
		t.Fatalf("revoke: %+v %v", res, err)
	}
	if me("Cookie", cookie) != 401 {
		t.Error("the session survived the room-wide revoke")
	}
	if me("Authorization", "Bearer "+token) != 200 {
		t.Error("the token died without the deny-list: the lesson is that it lives on")
	}
	e.post("token/logout", nil, bearerH(token)...) // "logout" with the deny-list off does nothing
	if _, err := e.m.SetOwnerDenylist(context.Background(), e.owner, true); err != nil {
		t.Fatal(err)
	}
	e.post("token/logout", nil, bearerH(token)...)
	if me("Authorization", "Bearer "+token) != 401 {
		t.Error("with the room's deny-list on, a logged-out token still works")
	}
	if res, _ := e.m.RevokeOwnerSessions(context.Background(), "nobody"); res.Labs != 0 {
		t.Errorf("another owner's labs were touched: %+v", res)
	}
}

// TestRoomWideDenyTokens: the room's deny-list action kills every token
// the labs issued at once, with no logout needed, and touches no other
// owner's labs.
func TestRoomWideDenyTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.tokenLogin().AccessToken
	second := e.tokenLogin().AccessToken
	lab, err := e.m.Create(context.Background(), "learner-2")
	if err != nil {
		t.Fatal(err)
	}
	other := &labEnv{t: t, m: e.m, clock: e.clock, owner: "learner-2", id: lab.ID, milestones: e.milestones}
	theirs := other.tokenLogin().AccessToken
	me := func(e *labEnv, token string) int {
		return e.do(req{method: http.MethodGet, path: "api/me", header: bearerH(token)}).Code
	}
	res, err := e.m.DenyOwnerTokens(context.Background(), e.owner)
	if err != nil || res.Labs != 1 || res.Tokens != 2 {
		t.Fatalf("deny: %+v %v, want 1 lab and 2 tokens", res, err)
	}
	for i, tok := range []string{first, second} {
		if code := me(e, tok); code != 401 {
			t.Errorf("token %d after the room's deny-list: %d, want 401", i, code)
		}
	}
	if code := me(other, theirs); code != 200 {
		t.Errorf("another owner's token: %d, want 200", code)
	}
	if again, _ := e.m.DenyOwnerTokens(context.Background(), e.owner); again.Tokens != 0 {
		t.Errorf("a second press counted %d tokens again", again.Tokens)
	}
	fresh := e.tokenLogin().AccessToken // the deny-list stays on; a new login is a new token
	if code := me(e, fresh); code != 200 {
		t.Errorf("a token issued after the moment: %d, want 200", code)
	}
}

// TestOwnerSides: the server's own reading of an owner's labs through
// the room-wide moment, which the workshop board tallies.
func TestOwnerSides(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sides := func() Sides {
		t.Helper()
		s, err := e.m.OwnerSides(ctx, e.owner)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	steps := []struct {
		name string
		act  func()
		want Sides
	}{
		{"a fresh lab: not logged in", func() {}, Sides{0, 0}},
		{"logged in both ways", func() { e.sessionLogin(); e.tokenLogin() }, Sides{200, 200}},
		{"the room-wide revoke: the session dies, the token lives", func() { e.m.RevokeOwnerSessions(ctx, e.owner) }, Sides{401, 200}},
		{"the room's deny-list: the token dies too", func() { e.m.DenyOwnerTokens(ctx, e.owner) }, Sides{401, 401}},
		{"logged in again: the new session is in, the deny-listed token still refused", func() { e.sessionLogin() }, Sides{200, 401}},
		{"a new token is in", func() { e.tokenLogin() }, Sides{200, 200}},
	}
	for _, s := range steps {
		s.act()
		if got := sides(); got != s.want {
			t.Errorf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
	if s, err := e.m.OwnerSides(ctx, "nobody"); err != nil || s != (Sides{}) {
		t.Errorf("an owner without labs: %+v %v", s, err)
	}
}

func TestStrongerSide(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b, want int }{
		{0, 0, 0}, {0, 401, 401}, {401, 0, 401}, {401, 200, 200}, {200, 401, 200}, {0, 200, 200},
	} {
		if got := strongerSide(tt.a, tt.b); got != tt.want {
			t.Errorf("strongerSide(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
