package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/siteauth"
)

// client is a browser-like HTTP client with its own cookie jar that
// does not follow redirects, so tests see every 303.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newClient(t *testing.T, ts *httptest.Server) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: ts.URL, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (cl *client) do(method, path string, form url.Values, hdr ...string) reply {
	cl.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, cl.base+path, body)
	if err != nil {
		cl.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := cl.hc.Do(req)
	if err != nil {
		cl.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (cl *client) cookie(name string) string {
	u, _ := url.Parse(cl.base)
	for _, c := range cl.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (cl *client) signup(user, pw string) reply {
	cl.t.Helper()
	r := cl.do("POST", "/signup", url.Values{"username": {user}, "password": {pw}})
	if r.status != http.StatusSeeOther {
		cl.t.Fatalf("sign up %s: %d\n%s", user, r.status, r.body)
	}
	return r
}

func (cl *client) signin(user, pw string) reply {
	cl.t.Helper()
	return cl.do("POST", "/signin", url.Values{"username": {user}, "password": {pw}})
}

func TestSignUpSignInSignOut(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	a := newClient(t, ts)

	r := a.signup("alice_1", "correct horse battery")
	set := r.header.Get("Set-Cookie")
	for _, want := range []string{siteCookie + "=", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age="} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %q", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Secure on plain HTTP without --secure-cookies: %q", set)
	}
	if home := a.do("GET", "/", nil); !strings.Contains(home.body, "alice_1") || !strings.Contains(home.body, "Welcome, alice_1") {
		t.Errorf("home after sign-up does not greet the account")
	}

	dup := newClient(t, ts).do("POST", "/signup", url.Values{"username": {"alice_1"}, "password": {"another password"}})
	if dup.status != http.StatusConflict || !strings.Contains(dup.body, "That username is taken") || !strings.Contains(dup.body, `value="alice_1"`) {
		t.Errorf("duplicate sign-up: %d", dup.status)
	}
	bad := newClient(t, ts).do("POST", "/signup", url.Values{"username": {"x"}, "email": {"nope"}, "password": {"short"}})
	for _, want := range []string{"Use 3 to 32 letters", "does not look like an email", "at least 8 characters", `value="nope"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("bad sign-up page lacks %q", want)
		}
	}
	if bad.status != http.StatusUnprocessableEntity || strings.Contains(bad.body, "short") && strings.Contains(bad.body, `value="short"`) {
		t.Errorf("bad sign-up: %d (or the password was echoed)", bad.status)
	}

	b := newClient(t, ts)
	wrong := b.signin("alice_1", "wrong password!")
	if wrong.status != http.StatusUnauthorized || !strings.Contains(wrong.body, "do not match") || strings.Contains(wrong.body, "wrong password!") {
		t.Errorf("wrong password: %d", wrong.status)
	}
	unknown := b.signin("nobody_here", "whatever123")
	if unknown.status != http.StatusUnauthorized || !strings.Contains(unknown.body, "do not match") {
		t.Errorf("unknown user: %d, want the same answer as a wrong password", unknown.status)
	}
	if r := b.signin("alice_1", "correct horse battery"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.status)
	}
	if r := b.do("GET", "/account/sessions", nil); r.status != 200 || strings.Count(r.body, "<tr") != 3 {
		t.Errorf("sessions page: %d, want a header row and two sessions", r.status)
	}
	if r := b.do("POST", "/signout", url.Values{}); r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("sign out: %d %q", r.status, r.header.Get("Set-Cookie"))
	}
	if r := b.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
		t.Errorf("sessions page after sign-out: %d, want a redirect to sign in", r.status)
	}
	if r := b.do("GET", "/signout", nil); r.status != http.StatusSeeOther {
		t.Errorf("GET /signout changed state or showed a form to nobody: %d", r.status)
	}
}

func TestSessionFixationAndMerge(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	g := newClient(t, ts)
	slug := env.catalog.Lessons[0].Slug

	if r := g.do("GET", "/", nil); r.header.Get("Set-Cookie") != "" {
		t.Fatalf("a plain page view set a cookie: %q", r.header.Get("Set-Cookie"))
	}
	if r := g.do("POST", "/lessons/"+slug+"/complete", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("complete as guest: %d %s", r.status, r.body)
	}
	guestCookie := g.cookie(siteCookie)
	if guestCookie == "" {
		t.Fatal("no guest session after completing a lesson")
	}
	if r := g.do("GET", "/", nil); !strings.Contains(r.body, "Progress saved on this device") {
		t.Error("the guest is not told where the progress lives")
	}
	r := g.signup("bob_2", "a long enough password")
	if after := g.cookie(siteCookie); after == "" || after == guestCookie {
		t.Fatalf("the session ID did not change at sign-up")
	}
	if home := g.do("GET", "/", nil); !strings.Contains(home.body, "Kept from this device: 1 lesson") {
		t.Errorf("sign-up does not say what was kept")
	}
	_ = r
	// The guest's old cookie is dead: replaying it gives a guest-less visit.
	thief := newClient(t, ts)
	u, _ := url.Parse(ts.URL)
	thief.hc.Jar.SetCookies(u, []*http.Cookie{{Name: siteCookie, Value: guestCookie}})
	if r := thief.do("GET", "/", nil); strings.Contains(r.body, "Progress saved on this device") || strings.Contains(r.body, "bob_2") {
		t.Error("the pre-login session ID still works after sign-up (fixation)")
	}
	acct, err := env.store.LearnerByUsername(context.Background(), "bob_2")
	if err != nil {
		t.Fatal(err)
	}
	got, err := env.store.Lessons(context.Background(), acct.ID)
	if err != nil || got[slug].CompletedAt == nil {
		t.Errorf("the completed lesson was not merged into the account: %v %+v", err, got)
	}
}

func TestRevokeSessions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	laptop, phone, tablet := newClient(t, ts), newClient(t, ts), newClient(t, ts)
	laptop.signup("carol_3", "password for carol")
	phone.signin("carol_3", "password for carol")
	tablet.signin("carol_3", "password for carol")

	page := laptop.do("GET", "/account/sessions", nil).body
	handles := handleRe.FindAllStringSubmatch(page, -1)
	if len(handles) != 2 {
		t.Fatalf("want 2 revoke buttons (not for this browser), got %d", len(handles))
	}
	if r := laptop.do("POST", "/account/sessions/"+handles[0][1]+"/revoke", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	alive := 0
	for _, cl := range []*client{phone, tablet} {
		if r := cl.do("GET", "/account/sessions", nil); r.status == 200 {
			alive++
		}
	}
	if alive != 1 {
		t.Fatalf("after revoking one of two other sessions, %d still work", alive)
	}
	if r := laptop.do("POST", "/account/sessions/revoke-others", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke others: %d", r.status)
	}
	for _, cl := range []*client{phone, tablet} {
		if r := cl.do("GET", "/account/sessions", nil); r.status != http.StatusSeeOther {
			t.Errorf("a session still works after sign out everywhere else: %d", r.status)
		}
	}
	if r := laptop.do("GET", "/account/sessions", nil); r.status != 200 {
		t.Errorf("the current session was revoked too: %d", r.status)
	}
	other := newClient(t, ts)
	other.signup("dave_4", "password for dave")
	if r := other.do("POST", "/account/sessions/"+handles[1][1]+"/revoke", url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("revoking another account's session: %d, want 404", r.status)
	}
}

func TestCrossSiteFormsRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	form := url.Values{"username": {"eve_5"}, "password": {"password for eve"}}
	for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		r := cl.do("POST", "/signup", form, hdr...)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "came from another site") {
			t.Errorf("cross-site POST with %s: %d", hdr[0], r.status)
		}
	}
	if r := cl.do("POST", "/signup", form, "Sec-Fetch-Site", "same-origin", "Origin", ts.URL); r.status != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d", r.status)
	}
}

func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	standStill(env)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	var last reply
	for i := 0; i < 8; i++ {
		last = cl.signin("frank_6", "wrong-password")
		if last.status == http.StatusTooManyRequests {
			break
		}
	}
	if last.status != http.StatusTooManyRequests || !regexp.MustCompile(`Try again in [0-9]+ s\.`).MatchString(last.body) || last.header.Get("Retry-After") == "" {
		t.Fatalf("no rate limit after repeated failures: %d", last.status)
	}
}

// A room behind one address (a NAT) signs in together: successful
// sign-ins do not use up the address's allowance, failed ones do, and a
// sign-in over the API counts the same way.
func TestRoomSignsInFromOneAddress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	standStill(env)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	hash, err := siteauth.NewHasher(0).Hash("the room password")
	if err != nil {
		t.Fatal(err)
	}
	const room = 22 // more than the address's 20 attempts at once
	for i := range room {
		if _, err := env.store.NewAccount(context.Background(), "member_"+itoa(i), "", hash, false); err != nil {
			t.Fatal(err)
		}
	}
	for i := range room {
		if r := newClient(t, ts).signin("member_"+itoa(i), "the room password"); r.status != http.StatusSeeOther {
			t.Fatalf("member %d of a room behind one address: %d %s", i, r.status, r.body)
		}
	}
	for i := range room { // the API's sign-in, from another one address
		code, out, _ := apiCall(t, env, "POST", "/api/v1/token", "", map[string]string{"username": "member_" + itoa(i), "password": "the room password"})
		if code != http.StatusOK {
			t.Fatalf("API sign-in %d from one address: %d %v", i, code, out)
		}
	}
	limited := 0
	for i := range room {
		if r := newClient(t, ts).signin("member_"+itoa(i), "a wrong password"); r.status == http.StatusTooManyRequests {
			limited = i
			break
		}
	}
	if limited == 0 || limited > 20 {
		t.Errorf("failed sign-ins from one address limited after %d, want after at most 20", limited)
	}
}

func TestMalformedAuthInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	u, _ := url.Parse(ts.URL)
	cl.hc.Jar.SetCookies(u, []*http.Cookie{{Name: siteCookie, Value: "garbage%%%"}})
	for _, tc := range []struct {
		method, path, body, ctype string
	}{
		{"POST", "/signin", "%zz", "application/x-www-form-urlencoded"},
		{"POST", "/signup", strings.Repeat("a=b&", 10000), "application/x-www-form-urlencoded"},
		{"GET", "/account/sessions", "", ""},
		{"POST", "/account/sessions/nope/revoke", "", "application/x-www-form-urlencoded"},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := cl.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s: %d", tc.method, tc.path, resp.StatusCode)
		}
	}
}

var handleRe = regexp.MustCompile(`action="/account/sessions/([0-9a-f]{64})/revoke"`)

func TestProgressOnHomeAndLesson(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	first, second := env.catalog.Lessons[0], env.catalog.Lessons[1]
	if home := cl.do("GET", "/", nil); strings.Contains(home.body, "<progress") || !strings.Contains(home.body, "Start with") {
		t.Error("a new visitor sees progress bars")
	}
	cl.do("POST", "/lessons/"+first.Slug+"/complete", url.Values{})
	cl.do("GET", "/lessons/"+second.Slug, nil)
	anchor := ""
	for a := range second.Anchors {
		anchor = a
		break
	}
	if r := cl.do("POST", "/lessons/"+second.Slug+"/visit", url.Values{"position": {anchor}, "seconds": {"42"}}); r.status != http.StatusNoContent {
		t.Fatalf("visit beacon: %d", r.status)
	}
	home := cl.do("GET", "/", nil).body
	for _, want := range []string{`<progress class="progress" value="1" max="` + itoa(len(env.catalog.Lessons)) + `"`, "Resume: “" + second.Title, "#" + anchor, "✓ Completed", "Started"} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	page := cl.do("GET", "/lessons/"+first.Slug, nil).body
	if !strings.Contains(page, "You completed this lesson") {
		t.Error("the lesson page does not show completion")
	}
	cl.do("POST", "/lessons/"+first.Slug+"/reset", url.Values{})
	if page := cl.do("GET", "/lessons/"+first.Slug, nil).body; strings.Contains(page, "You completed this lesson") {
		t.Error("reset did not forget the completion")
	}
	if r := cl.do("POST", "/lessons/no-such/complete", url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("completing an unknown lesson: %d", r.status)
	}
	// A visitor who never did anything: the beacon records nothing.
	anon := newClient(t, ts)
	if r := anon.do("POST", "/lessons/"+first.Slug+"/visit", url.Values{"seconds": {"5"}}); r.status != http.StatusNoContent || anon.cookie(siteCookie) != "" {
		t.Errorf("the visit beacon created a learner: %d", r.status)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSharedPageCacheNeverPersonal(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	anon, user := newClient(t, ts), newClient(t, ts)
	slug := env.catalog.Lessons[0].Slug
	first := anon.do("GET", "/lessons/"+slug, nil).body // fills the cache
	user.signup("henry_8", "a password for henry")
	user.do("POST", "/lessons/"+slug+"/complete", url.Values{})
	if page := user.do("GET", "/lessons/"+slug, nil).body; !strings.Contains(page, "henry_8") || !strings.Contains(page, "You completed this lesson") {
		t.Error("a signed-in learner got the shared anonymous page")
	}
	for _, path := range []string{"/", "/lessons/" + slug} {
		if page := anon.do("GET", path, nil).body; strings.Contains(page, "henry_8") || strings.Contains(page, "You completed") {
			t.Errorf("%s: an anonymous visitor sees someone's personal page", path)
		}
	}
	if again := anon.do("GET", "/lessons/"+slug, nil).body; again != first {
		t.Error("the anonymous page changed between two requests")
	}
	gz := anon.do("GET", "/lessons/"+slug, nil, "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || gz.header.Get("Content-Length") == "" {
		t.Errorf("cached page not served gzip-compressed: %v", gz.header)
	}
}

// standStill puts the server's sign-in limits on a clock that stands
// still, so a test of how many guesses pass does not depend on how fast
// the machine hashes: under the race detector on a slow machine a
// dummy hash took 7 s, the address's bucket (one guess back every 3 s)
// refilled faster than the test spent it, and 30 guesses were never
// limited.
func standStill(env *testEnv) {
	still := time.Now()
	env.srv.check.signIn = siteauth.NewSignInLimits(func() time.Time { return still })
}

// TestForwardedForIsNotTrusted: without configured proxies, a client
// cannot escape the per-address limit by inventing X-Forwarded-For.
func TestForwardedForIsNotTrusted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	standStill(env)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	limited := false
	for i := 0; i < 30 && !limited; i++ {
		r := cl.do("POST", "/signin", url.Values{"username": {"user" + itoa(i)}, "password": {"wrong password"}},
			"X-Forwarded-For", "198.51.100."+itoa(i))
		limited = r.status == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("30 sign-in attempts from one address with invented X-Forwarded-For were never limited")
	}
}
