package sandbox

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCreateGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if !validID(e.id) {
		t.Fatalf("lab ID %q is not 128-bit hex", e.id)
	}
	lab, err := e.m.Get(ctx, e.owner, e.id)
	if err != nil {
		t.Fatal(err)
	}
	if lab.Path() != "/lab/"+e.id+"/" || lab.Owner != e.owner {
		t.Errorf("lab = %+v", lab)
	}
	other, _ := e.m.Create(ctx, e.owner)
	if other.ID == e.id {
		t.Error("two labs share an ID")
	}
	for _, c := range []struct{ name, owner, id string }{
		{"other owner", "learner-2", e.id},
		{"unknown lab", e.owner, strings.Repeat("ab", 16)},
		{"not an ID", e.owner, "../etc"},
		{"no owner", "", e.id},
	} {
		if _, err := e.m.Get(ctx, c.owner, c.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", c.name, err)
		}
	}
	if _, err := e.m.Create(ctx, ""); err == nil {
		t.Error("Create with no owner succeeded")
	}
}

func TestHandlerIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name   string
		owner  *string
		path   string
		status int
	}{
		{"owner", nil, "settings", http.StatusOK},
		{"another owner, settings (the lab ID opens them)", ptr("learner-2"), "settings", http.StatusOK},
		{"another owner, demo app (no credentials)", ptr("learner-2"), "api/me", http.StatusUnauthorized},
		{"another owner, the trace", ptr("learner-2"), "trace", http.StatusNotFound},
		{"no owner, the trace", ptr(""), "trace", http.StatusNotFound},
		{"no owner, settings (a curl line in a lesson)", ptr(""), "settings", http.StatusOK},
		{"unknown endpoint", nil, "nope", http.StatusNotFound},
		{"sessions without id", nil, "sessions/", http.StatusNotFound},
		{"the page itself is web's", nil, "", http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(req{method: http.MethodGet, path: c.path, owner: c.owner})
			want(t, rec, c.status)
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if c.status >= 400 && decode[errorBody](t, rec).Error == "" {
				t.Errorf("no error code in %s", rec.Body)
			}
		})
	}
	other := *e
	other.id = strings.Repeat("0", 32)
	want(t, other.get("settings"), http.StatusNotFound)
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for path, allow := range map[string]string{"api/me": "GET", "settings": "GET, PUT", "session/login": "POST", "sessions/x": "DELETE"} {
		rec := e.do(req{method: http.MethodPatch, path: path})
		want(t, rec, http.StatusMethodNotAllowed)
		if got := rec.Header().Get("Allow"); got != allow {
			t.Errorf("%s: Allow %q, want %q", path, got, allow)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.post("session/login", strings.Repeat("x", maxBody+1), "Content-Type", "application/x-www-form-urlencoded")
	want(t, rec, http.StatusRequestEntityTooLarge)
}

func TestMaxLabsPerOwner(t *testing.T) {
	t.Parallel()
	clock := newClock()
	m := New(Options{Now: clock.Now, MaxLabsPerOwner: 2})
	ctx := context.Background()
	var ids []string
	for range 3 {
		lab, err := m.Create(ctx, "o")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, lab.ID)
		clock.Advance(time.Second)
	}
	if _, err := m.Get(ctx, "o", ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("oldest lab still there: %v", err)
	}
	for _, id := range ids[1:] {
		if _, err := m.Get(ctx, "o", id); err != nil {
			t.Errorf("lab %s: %v", id, err)
		}
	}
	if _, err := m.Create(ctx, "someone else"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Get(ctx, "o", ids[2]); err != nil {
		t.Errorf("another owner's create evicted this one's lab: %v", err)
	}
}

func TestIdleExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *Options) { o.IdleTTL = time.Hour })
	ctx := context.Background()
	e.clock.Advance(50 * time.Minute)
	want(t, e.get("settings"), http.StatusOK) // activity extends the life
	e.clock.Advance(50 * time.Minute)
	if _, err := e.m.Get(ctx, e.owner, e.id); err != nil {
		t.Fatalf("lab expired despite activity: %v", err)
	}
	e.clock.Advance(61 * time.Minute)
	if _, err := e.m.Get(ctx, e.owner, e.id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after IdleTTL: err = %v", err)
	}
	want(t, e.get("settings"), http.StatusNotFound)
}

// Two Managers over one Persister are two replicas: what one saves, the
// other sees on its very next request.
func TestReplicasShareState(t *testing.T) {
	t.Parallel()
	store := NewMemoryPersister()
	a := newEnv(t, func(o *Options) { o.Persist = store })
	b := a.on(New(Options{Persist: store, Now: a.clock.Now}))

	cookie := a.sessionLogin()
	want(t, b.get("api/me", "Cookie", cookie), http.StatusOK)
	pair := a.tokenLogin()
	want(t, b.get("api/me", bearerH(pair.AccessToken)...), http.StatusOK)

	// Revocation on A is seen by B at once.
	sid := strings.TrimPrefix(cookie, "lab_sid=")
	want(t, a.do(req{method: http.MethodDelete, path: "sessions/" + sid}), http.StatusOK)
	rec := b.get("api/me", "Cookie", cookie)
	want(t, rec, http.StatusUnauthorized)
	if r := reasonOf(t, rec); r != reasonSessionNotFound {
		t.Errorf("reason %q", r)
	}

	// Settings, deny-list and clock too.
	want(t, a.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	want(t, b.post("token/logout", nil, bearerH(pair.AccessToken)...), http.StatusOK)
	if r := reasonOf(t, a.get("api/me", bearerH(pair.AccessToken)...)); r != reasonTokenRevoked {
		t.Errorf("A after B's logout: %q", r)
	}
	p2 := b.tokenLogin()
	want(t, a.post("clock", map[string]string{"advance": "6m"}), http.StatusOK)
	if r := reasonOf(t, b.get("api/me", bearerH(p2.AccessToken)...)); r != reasonTokenExpired {
		t.Errorf("B after A moved the clock: %q", r)
	}

	// A refresh token rotated on B is reused on A: the family dies.
	p3 := b.tokenLogin()
	want(t, b.post("token/refresh", map[string]string{"refresh_token": p3.RefreshToken}), http.StatusOK)
	if r := reasonOf(t, a.post("token/refresh", map[string]string{"refresh_token": p3.RefreshToken})); !strings.Contains(r, "reuse detected") {
		t.Errorf("reuse on A: %q", r)
	}

	// RS256 keys made on A verify on B.
	want(t, a.put("settings", map[string]any{"alg": "RS256", "denylist": false}), http.StatusOK)
	p4 := a.tokenLogin()
	want(t, b.get("api/me", bearerH(p4.AccessToken)...), http.StatusOK)
}

func TestReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	pair := e.tokenLogin()
	want(t, e.put("settings", map[string]any{"token_ttl": "1m"}), http.StatusOK)
	want(t, e.post("clock", map[string]string{"advance": "30s"}), http.StatusOK)
	rec := e.post("reset", nil)
	want(t, rec, http.StatusOK)
	if sc := rec.Header().Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("reset does not clear the cookie: %q", sc)
	}
	if n := len(e.trace()); n != 0 {
		t.Errorf("trace has %d exchanges after reset", n)
	}
	if r := reasonOf(t, e.get("api/me", "Cookie", cookie)); r != reasonSessionNotFound {
		t.Errorf("old cookie after reset: %q", r)
	}
	if r := reasonOf(t, e.get("api/me", bearerH(pair.AccessToken)...)); r != reasonBadSignature {
		t.Errorf("old token after reset: %q (keys must be new)", r)
	}
	s := decode[settingsView](t, e.get("settings"))
	if s.TokenTTL != "5m0s" || !s.Now.Equal(e.clock.Now()) {
		t.Errorf("settings after reset: %+v", s)
	}
}

func TestMemoryPersisterNotFound(t *testing.T) {
	t.Parallel()
	p := NewMemoryPersister()
	_, _, err := p.LoadLab(context.Background(), "nope")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
	if err := p.DeleteLab(context.Background(), "nope"); err != nil {
		t.Fatal(err)
	}
}

// Many clients on one lab at once: every write lands (this process
// serialises its writes per lab) and nothing answers 5xx.
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const workers, rounds = 6, 5
	errs := make(chan string, workers*rounds*3)
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for range rounds {
				rec := e.post("session/login", alice)
				cookie, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
				if rec := e.get("api/me", "Cookie", cookie); rec.Code != http.StatusOK {
					errs <- "me: " + rec.Body.String()
				}
				rec = e.post("token/login", alice)
				if rec.Code != http.StatusOK {
					errs <- "token: " + rec.Body.String()
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list := decode[struct{ Sessions []struct{ ID string } }](t, e.get("sessions"))
	if len(list.Sessions) != workers*rounds {
		t.Errorf("%d sessions, want %d", len(list.Sessions), workers*rounds)
	}
	if n := len(e.trace()); n != workers*rounds*3 {
		t.Errorf("%d exchanges, want %d", n, workers*rounds*3)
	}
}
