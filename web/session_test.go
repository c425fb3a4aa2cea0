package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/siteauth"
)

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	cl.signup("ivy_9", "a password for ivy")
	if r := cl.do("GET", "/account/sessions", nil); r.status != 200 {
		t.Fatalf("signed in: %d", r.status)
	}
	start := time.Now().UTC()
	env.srv.sessions.now = func() time.Time { return start.Add(6 * 24 * time.Hour) } // idle 6 days < 7
	if r := cl.do("GET", "/account/sessions", nil); r.status != 200 {
		t.Fatalf("a session idle for 6 days ended (idle timeout is 7 days): %d", r.status)
	}
	env.srv.sessions.now = func() time.Time { return start.Add(6*24*time.Hour + 8*24*time.Hour) } // idle 8 days since the touch
	if r := cl.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
		t.Errorf("a session idle for 8 days still works: %d", r.status)
	}
}

func TestSecureCookiesWhenForced(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	keys, _ := siteauth.LoadKeyRing(filepath.Join(t.TempDir(), "keys"), time.Now())
	srv, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: keys, SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	hc := ts.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	resp, err := hc.PostForm(ts.URL+"/signup", url.Values{"username": {"jack_10"}, "password": {"a password for jack"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	set := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-authlab=", "Secure", "HttpOnly", "Path=/", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %q", set, want)
		}
	}
	if strings.Contains(set, "Domain=") {
		t.Errorf("a __Host- cookie with a Domain: %q", set)
	}
}
