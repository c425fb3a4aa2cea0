package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/siteauth"
)

// visitor is a browser at a client address of its own, talking to the
// handler directly (httptest.Server would give every client 127.0.0.1).
type visitor struct {
	t       *testing.T
	env     *testEnv
	addr    string
	cookies map[string]*http.Cookie
}

func newVisitor(t *testing.T, env *testEnv, addr string) *visitor {
	return &visitor{t: t, env: env, addr: addr, cookies: map[string]*http.Cookie{}}
}

// post sends a form and keeps the cookies the reply sets.
func (v *visitor) post(path string, form url.Values) *httptest.ResponseRecorder {
	v.t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = v.addr + ":40000"
	for _, c := range v.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	v.env.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c
		}
	}
	return rec
}

func (v *visitor) signin(user, pw string) int {
	v.t.Helper()
	return v.post("/signin", url.Values{"username": {user}, "password": {pw}}).Code
}

// TestOwnerSignsInWhileHammered: guesses at an account from many
// addresses reach its ceiling and slow every unknown browser, but the
// owner still signs in from a browser that has signed in before; and
// guesses from one address never lock out the owner elsewhere.
func TestOwnerSignsInWhileHammered(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	still := time.Now() // no refills while the test hashes
	env.srv.check.signIn = siteauth.NewSignInLimits(func() time.Time { return still })
	const pw = "the owner's passphrase"
	newAccount(t, env, "Victim_Owner", pw)
	newAccount(t, env, "mallory_own", "mallory's own password")

	owner := newVisitor(t, env, "198.51.100.7")
	if code := owner.signin("victim_owner", pw); code != http.StatusSeeOther {
		t.Fatalf("the owner's first sign-in: %d", code)
	}
	dev := owner.cookies[deviceCookie]
	if dev == nil || !dev.HttpOnly || dev.SameSite != http.SameSiteLaxMode || dev.Path != "/" || dev.MaxAge <= 0 {
		t.Fatalf("no device cookie (HttpOnly, SameSite=Lax, Path=/) after signing in: %+v", dev)
	}

	// One address: five guesses, then 429 for 30 s, for that address only.
	attacker := newVisitor(t, env, "203.0.113.66")
	var last *httptest.ResponseRecorder
	for range 6 {
		last = attacker.post("/signin", url.Values{"username": {"VICTIM_OWNER"}, "password": {"guess"}})
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") != "30" {
		t.Fatalf("6th guess from one address: %d Retry-After %q, want 429 and 30", last.Code, last.Header().Get("Retry-After"))
	}
	if code := newVisitor(t, env, "198.51.100.8").signin("Victim_Owner", pw); code != http.StatusSeeOther {
		t.Fatalf("the owner, on a new browser elsewhere, locked out by one address's guesses: %d", code)
	}

	// Many addresses: the account's ceiling stops them.
	limited := 0
	for i := range 30 {
		if newVisitor(t, env, "10.9.0."+strconv.Itoa(i+1)).signin("victim_owner", "guess "+strconv.Itoa(i)) == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("30 guesses from 30 addresses were never limited: the account has no ceiling")
	}
	if code := newVisitor(t, env, "10.9.1.1").signin("victim_owner", pw); code != http.StatusTooManyRequests {
		t.Errorf("an unknown browser past the ceiling: %d, want 429 (spraying stays expensive)", code)
	}
	// A device cookie of another account exempts nothing here.
	mallory := newVisitor(t, env, "10.9.1.2")
	if code := mallory.signin("mallory_own", "mallory's own password"); code != http.StatusSeeOther {
		t.Fatalf("mallory's own sign-in: %d", code)
	}
	if code := mallory.signin("victim_owner", "guess"); code != http.StatusTooManyRequests {
		t.Errorf("a device cookie of another account got past the ceiling: %d", code)
	}
	// The owner's known browser, even from a new address, gets in.
	owner.addr = "192.0.2.44"
	delete(owner.cookies, siteCookie)
	if code := owner.signin("Victim_Owner", pw); code != http.StatusSeeOther {
		t.Fatalf("the owner on a known device while the account is hammered: %d", code)
	}
	// The API's sign-in counts against the same ceiling.
	code, _, _ := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": "victim_owner", "password": "guess"})
	if code != http.StatusTooManyRequests {
		t.Errorf("API guess past the ceiling: %d, want 429", code)
	}
}

// TestUsernamesIgnoreCaseOnTheSite: Alice3 and alice3 are one account;
// it signs in in any case and keeps its display form.
func TestUsernamesIgnoreCaseOnTheSite(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	newClient(t, ts).signup("Alice3", "a long password")
	if r := newClient(t, ts).do("POST", "/signup", url.Values{"username": {"alice3"}, "password": {"another password"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "taken") {
		t.Errorf("sign-up as alice3 beside Alice3: %d", r.status)
	}
	cl := newClient(t, ts)
	if r := cl.signin("ALICE3", "a long password"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in as ALICE3: %d", r.status)
	}
	if r := cl.do("GET", "/account/sessions", nil); !strings.Contains(r.body, "Alice3") {
		t.Errorf("the display form is lost: %d", r.status)
	}
}

// TestSetupLinkOnceAcrossReplicas: two replicas over one database each
// print a setup link; used at once, exactly one makes an instructor, and
// the other link is dead afterwards.
func TestSetupLinkOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	dbCfg := replicaDB(t)
	keysDir := t.TempDir()
	var srvs []*Server
	for range 2 {
		env := newTestEnvOver(t, dbCfg, keysDir)
		srvs = append(srvs, env.srv)
	}
	links := []string{srvs[0].SetupPath(), srvs[1].SetupPath()}
	if links[0] == "" || links[1] == "" {
		t.Fatalf("a fresh install without setup links: %q", links)
	}
	codes := make(chan int, 2)
	for i, srv := range srvs {
		go func() {
			req := httptest.NewRequest("POST", links[i], strings.NewReader(url.Values{"username": {"head_" + strconv.Itoa(i)}, "password": {"a long password"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
	}
	won := 0
	for range 2 {
		if code := <-codes; code == http.StatusSeeOther {
			won++
		} else if code != http.StatusNotFound {
			t.Errorf("the losing setup: %d, want 404", code)
		}
	}
	n, err := srvs[0].store.CountInstructors(context.Background())
	if won != 1 || n != 1 || err != nil {
		t.Fatalf("%d setup links worked, %d instructors (%v); want 1", won, n, err)
	}
	for i, srv := range srvs {
		req := httptest.NewRequest("GET", links[i], nil)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound {
			t.Errorf("replica %d's link still shows its form: %d", i, rec.Code)
		}
	}
}

// TestDeviceCookieSecureWhenForced: with --secure-cookies the device
// cookie is a __Host- cookie with Secure, even over plain HTTP behind a
// TLS-terminating proxy.
func TestDeviceCookieSecureWhenForced(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	keys, err := siteauth.LoadKeyRing(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: keys, SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = srv
	newAccount(t, env, "secure_sam", "a password for sam")
	v := newVisitor(t, env, "198.51.100.30")
	if code := v.signin("secure_sam", "a password for sam"); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", code)
	}
	c := v.cookies["__Host-"+deviceCookie]
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Errorf("device cookie with --secure-cookies: %+v", c)
	}
}
