package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestFirstInstructorSetupLink(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	link := env.srv.SetupPath()
	if !strings.HasPrefix(link, "/setup/") || len(link) < 30 {
		t.Fatalf("no setup link on a fresh install: %q", link)
	}
	cl := newClient(t, ts)
	if r := cl.do("GET", "/setup/wrong-token", nil); r.status != http.StatusNotFound {
		t.Errorf("a wrong token: %d", r.status)
	}
	if r := cl.do("GET", link, nil); r.status != 200 || !strings.Contains(r.body, "Create the first instructor account") || !strings.Contains(r.body, `action="`+link+`"`) {
		t.Fatalf("setup form: %d", r.status)
	}
	if r := cl.do("POST", link, url.Values{"username": {"head_teacher"}, "password": {"a long password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("setup: %d %s", r.status, r.body)
	}
	l, err := env.store.LearnerByUsername(context.Background(), "head_teacher")
	if err != nil || !l.Instructor {
		t.Fatalf("the setup account is not an instructor: %+v %v", l, err)
	}
	if r := newClient(t, ts).do("POST", link, url.Values{"username": {"second"}, "password": {"a long password"}}); r.status != http.StatusNotFound {
		t.Errorf("the link works twice: %d", r.status)
	}
	if env.srv.SetupPath() != "" {
		t.Error("the setup link is still offered after use")
	}
}
