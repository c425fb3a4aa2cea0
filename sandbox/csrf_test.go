package sandbox

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// forged is the evil page's auto-submitted form, as the bank receives
// it: no site identity, Sec-Fetch-Site cross-site, and whatever cookie
// the browser chose to attach.
func (e *labEnv) forged(cookie string, extra ...string) (int, Exchange) {
	e.t.Helper()
	h := []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site", "Origin", "http://127.0.0.1:8080", "Accept", "text/html"}
	if cookie != "" {
		h = append(h, "Cookie", cookie)
	}
	rec := e.do(req{method: http.MethodPost, path: "bank/transfer", body: "to=mallory&amount=100", header: append(h, extra...), owner: ptr("")})
	xs := e.trace()
	return rec.Code, xs[len(xs)-1]
}

func (e *labEnv) bankLogin() string {
	e.t.Helper()
	rec := e.post("bank/login", alice)
	want(e.t, rec, http.StatusOK)
	pair, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	return pair
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	settings := func(v map[string]any) { t.Helper(); want(t, e.put("csrf/settings", v), http.StatusOK) }
	balance := func(cookie string) int {
		a := decode[struct{ Balance int }](t, e.get("bank/account", "Cookie", cookie))
		return a.Balance
	}

	// SameSite=None and no other defence: the cookie rides along, money moves.
	settings(map[string]any{"samesite": "None"})
	rec := e.post("bank/login", alice)
	if set := rec.Header().Get("Set-Cookie"); !strings.Contains(set, "SameSite=None") || !strings.Contains(set, "Secure") {
		t.Fatalf("bank cookie %q", set)
	}
	cookie, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	status, x := e.forged(cookie)
	if status != 200 || !slices.Contains(x.Milestones, msCSRFWorks) || balance(cookie) != 900 {
		t.Errorf("CSRF with SameSite=None: %d %v, balance %d", status, x.Milestones, balance(cookie))
	}
	if !strings.Contains(x.ResponseBody, "<h1>") {
		t.Errorf("a browser form navigation should get a page: %q", x.ResponseBody)
	}

	// SameSite=Lax: the browser keeps the cookie home.
	settings(map[string]any{"samesite": "Lax"})
	if set := e.post("bank/login", alice).Header().Get("Set-Cookie"); !strings.Contains(set, "SameSite=Lax") {
		t.Errorf("Lax cookie %q", set)
	}
	if status, x := e.forged(""); status != 401 || !slices.Contains(x.Milestones, msCSRFSameSite) {
		t.Errorf("CSRF with SameSite=Lax: %d %v", status, x.Milestones)
	}

	// The CSRF token: the cookie comes, the token does not.
	settings(map[string]any{"samesite": "None", "csrf_token": true})
	cookie = e.bankLogin()
	if status, x := e.forged(cookie); status != 403 || !slices.Contains(x.Milestones, msCSRFToken) {
		t.Errorf("CSRF with a CSRF token: %d %v", status, x.Milestones)
	}
	tok := decode[struct {
		CSRFToken string `json:"csrf_token"`
	}](t, e.get("bank/account", "Cookie", cookie)).CSRFToken
	rec = e.do(req{method: http.MethodPost, path: "bank/transfer", body: "to=bob&amount=5&csrf_token=" + tok,
		header: []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie, "Sec-Fetch-Site", "same-origin"}})
	want(t, rec, http.StatusOK) // the bank's own form carries it

	// The Origin / Sec-Fetch-Site check.
	settings(map[string]any{"csrf_token": false, "origin_check": true})
	if status, x := e.forged(cookie); status != 403 || !slices.Contains(x.Milestones, msCSRFOrigin) || !strings.Contains(x.Verdict, "CrossOriginProtection") {
		t.Errorf("CSRF with the origin check: %d %v", status, x.Milestones)
	}

	// Bearer mode: the cookie means nothing; the form cannot send a header.
	settings(map[string]any{"origin_check": false, "mode": "bearer"})
	rec = e.post("bank/login", alice)
	bt := decode[struct {
		AccessToken string `json:"access_token"`
	}](t, rec).AccessToken
	if bt == "" || !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("bearer login: %q %q", bt, rec.Header().Get("Set-Cookie"))
	}
	if status, x := e.forged(cookie); status != 401 || !slices.Contains(x.Milestones, msCSRFBearer) {
		t.Errorf("CSRF in bearer mode: %d %v", status, x.Milestones)
	}
	rec = e.do(req{method: http.MethodPost, path: "bank/transfer", body: map[string]string{"to": "bob", "amount": "1"}, header: bearerH(bt)})
	want(t, rec, http.StatusOK)
}

func TestCSRFBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.bankLogin()
	for _, body := range []string{"to=alice&amount=1", "to=eve&amount=1", "to=bob&amount=0", "to=bob&amount=x", "to=bob&amount=2000000"} {
		rec := e.do(req{method: http.MethodPost, path: "bank/transfer", body: body, header: []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie}})
		if rec.Code != 400 {
			t.Errorf("%s: %d", body, rec.Code)
		}
	}
	rec := e.do(req{method: http.MethodPost, path: "bank/transfer", body: "to=bob&amount=1001", header: []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie}})
	if rec.Code != http.StatusConflict {
		t.Errorf("overdraft: %d", rec.Code)
	}
	for _, body := range []any{map[string]any{"samesite": "none"}, map[string]any{"mode": "jwt"}, map[string]any{"x": 1}} {
		if rec := e.put("csrf/settings", body); rec.Code != 400 {
			t.Errorf("settings %v: %d", body, rec.Code)
		}
	}
	if rec := e.do(req{method: http.MethodPut, path: "csrf/settings", body: map[string]any{"samesite": "None"}, owner: ptr("")}); rec.Code != 404 {
		t.Errorf("a stranger changed the bank's settings: %d", rec.Code)
	}
}

func TestEvilHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"localhost:8080": "127.0.0.1:8080", "127.0.0.1:41234": "localhost:41234", "LOCALHOST": "127.0.0.1", "[::1]:80": "localhost:80", "example.com": "", "example.com:443": ""} {
		if got := EvilHost(in); got != want {
			t.Errorf("EvilHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// bankHome is a navigation to the bank's own page: what it carried
// decides what the page says.
func (e *labEnv) bankHome(site, cookie string) (string, Exchange) {
	e.t.Helper()
	h := []string{"Sec-Fetch-Site", site, "Sec-Fetch-Mode", "navigate", "Accept", "text/html"}
	if cookie != "" {
		h = append(h, "Cookie", cookie)
	}
	rec := e.do(req{method: http.MethodGet, path: "bank/home", header: h, owner: ptr("")})
	want(e.t, rec, http.StatusOK)
	xs := e.trace()
	return rec.Body.String(), xs[len(xs)-1]
}

// Lesson 03 step 3 as written: with SameSite=Strict, the evil page's plain
// link opens the bank logged out — the page reports what the navigation
// carried, not what a same-origin fetch would — and the bank's own link
// opens it logged in.
func TestCSRFStrictNavigation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.put("csrf/settings", map[string]any{"samesite": "Strict"}), http.StatusOK)
	cookie := e.bankLogin()

	// The browser leaves the Strict cookie home on the link from 127.0.0.1.
	page, x := e.bankHome("cross-site", "")
	if !strings.Contains(page, "Not logged in") || !strings.Contains(page, "SameSite=Strict") || slices.Contains(x.Milestones, msCSRFStrict) {
		t.Errorf("the link from the evil page: %s %v", page, x.Milestones)
	}
	// The link inside the bank starts same-origin and carries it.
	page, x = e.bankHome("same-origin", cookie)
	if !strings.Contains(page, "Logged in as alice") || !strings.Contains(page, "SameSite=Strict") || !slices.Contains(x.Milestones, msCSRFStrict) {
		t.Errorf("the link inside the bank: %s %v", page, x.Milestones)
	}
	// A Lax cookie on a cross-site link is sent, and the page says why.
	want(t, e.put("csrf/settings", map[string]any{"samesite": "Lax"}), http.StatusOK)
	lax := e.bankLogin()
	if page, _ := e.bankHome("cross-site", lax); !strings.Contains(page, "Logged in as alice") || !strings.Contains(page, "SameSite=Lax") {
		t.Errorf("a Lax cookie on a cross-site link: %s", page)
	}
}

// Lesson 03 step 4: the evil page on another port of this host is the
// same site, so the Strict cookie goes along; only the Origin check
// (Sec-Fetch-Site: same-site) refuses it.
func TestCSRFSameSiteOtherPort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.put("csrf/settings", map[string]any{"samesite": "Strict"}), http.StatusOK)
	cookie := e.bankLogin()
	status, x := e.forged(cookie, "Sec-Fetch-Site", "same-site", "Origin", "http://localhost:8081")
	if status != 200 || !slices.Contains(x.Milestones, msCSRFSamePort) || !strings.Contains(x.Verdict, "SameSite=Strict") {
		t.Errorf("same site, other port: %d %v %q", status, x.Milestones, x.Verdict)
	}
	want(t, e.put("csrf/settings", map[string]any{"origin_check": true}), http.StatusOK)
	if status, x := e.forged(cookie, "Sec-Fetch-Site", "same-site", "Origin", "http://localhost:8081"); status != 403 || !strings.Contains(x.Verdict, "same-site") {
		t.Errorf("same site, other port, Origin check: %d %q", status, x.Verdict)
	}

	// The settings name the evil page on the second listener, for a bank
	// on localhost or the listener's IP only.
	view := func(host string) string {
		r := httptest.NewRequest(http.MethodGet, "/lab/"+e.id+"/csrf/settings", nil)
		r.Host = host
		rec := httptest.NewRecorder()
		e.m.Handler().ServeHTTP(rec, r.WithContext(WithOwner(r.Context(), e.owner)))
		return decode[csrfView](t, rec).SameSiteURL
	}
	if got := view("localhost:8080"); got != "" {
		t.Errorf("no second listener, yet %q", got)
	}
	e.m.SetSameSiteListener("127.0.0.1:8081")
	for host, want := range map[string]string{
		"localhost:8080": "http://localhost:8081/lab/" + e.id + "/evil?bank=http%3A%2F%2Flocalhost%3A8080",
		"127.0.0.1:8080": "http://127.0.0.1:8081/lab/" + e.id + "/evil?bank=http%3A%2F%2F127.0.0.1%3A8080",
		"example.org":    "",
	} {
		if got := view(host); got != want {
			t.Errorf("same-site URL for a bank on %s: %q, want %q", host, got, want)
		}
	}
}

// TestEvilTarget: the evil page posts only to a loopback bank, the one
// named or else the other loopback name of this host.
func TestEvilTarget(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		param, host string
		tls         bool
		want        string
	}{
		{"", "localhost:8080", false, "http://127.0.0.1:8080"},
		{"", "127.0.0.1:8080", true, "https://localhost:8080"},
		{"", "authlab.example.org", false, ""},
		{"http://localhost:9000", "example.org", false, "http://localhost:9000"},
		{"https://[::1]:9000/", "example.org", false, "https://[::1]:9000"},
		{"http://evil.example.org", "localhost:8080", false, ""},
		{"javascript:alert(1)", "localhost:8080", false, ""},
		{"http://localhost:9000/bank", "localhost:8080", false, ""},
		{"http://localhost:9000/?x=1", "localhost:8080", false, ""},
		{"http://user@localhost:9000", "localhost:8080", false, ""},
	} {
		if got := EvilTarget(tt.param, tt.host, tt.tls); got != tt.want {
			t.Errorf("EvilTarget(%q, %q, %v) = %q, want %q", tt.param, tt.host, tt.tls, got, tt.want)
		}
	}
}

// TestBankPagesNeedNoFavicon: the bank's two HTML pages name an empty
// icon, so a browser landing there (the evil page's form, a link) asks
// the lab for no /favicon.ico and logs no 404 beside the lesson's point.
func TestBankPagesNeedNoFavicon(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body, _ := e.bankHome("cross-site", "")
	h := []string{"Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"}
	rec := e.do(req{method: http.MethodPost, path: "bank/transfer", body: "to=mallory&amount=100", header: h, owner: ptr("")})
	for name, page := range map[string]string{"bank/home": body, "bank/transfer": rec.Body.String()} {
		if !strings.Contains(page, `<link rel=icon href="data:,">`) {
			t.Errorf("%s names no icon: %s", name, page)
		}
	}
}
