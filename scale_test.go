package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlab/authlab/internal/testsupport"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gorilla/securecookie"
)

// scaleServices returns a Postgres URL with a schema of this test's own
// and the Redis URL, or skips when the services are not configured.
func scaleServices(t *testing.T) (dbURL, redisURL string) {
	t.Helper()
	pg, rd := os.Getenv("AUTHLAB_TEST_POSTGRES_URL"), os.Getenv("AUTHLAB_TEST_REDIS_URL")
	if pg == "" || rd == "" {
		t.Skip("replica test skipped: set AUTHLAB_TEST_POSTGRES_URL and AUTHLAB_TEST_REDIS_URL (CI sets both)")
	}
	return testsupport.PostgresSchema(t, pg), rd
}

// browserClient keeps cookies and does not follow redirects.
func browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(t *testing.T, hc *http.Client, method, u string, body io.Reader, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestReplicas runs two real servers on one Postgres schema and Redis,
// with a round-robin proxy in front: a revocation on one replica is
// refused by the other on the very next request.
func TestReplicas(t *testing.T) {
	dbURL, redisURL := scaleServices(t)
	data := t.TempDir()
	a, _, _ := startRun(t, "--data", data, "--database-url", dbURL, "--redis-url", redisURL)
	b, _, _ := startRun(t, "--data", data, "--database-url", dbURL, "--redis-url", redisURL)
	replicas := []string{a, b}
	var turn atomic.Int64
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		target, _ := url.Parse(replicas[turn.Add(1)%2])
		r.SetURL(target)
	}})
	defer proxy.Close()

	// Sign up through the proxy, then use the site across both replicas.
	owner := browserClient()
	form := "application/x-www-form-urlencoded"
	if code, body := send(t, owner, "POST", proxy.URL+"/signup", strings.NewReader("username=replica_owner&password=a+long+password"), "Content-Type", form); code != http.StatusSeeOther {
		t.Fatalf("sign up through the proxy: %d %s", code, body)
	}
	for i := 0; i < 6; i++ {
		if code, body := send(t, owner, "GET", proxy.URL+"/account/sessions", nil); code != 200 || !strings.Contains(body, "replica_owner") {
			t.Fatalf("request %d through the proxy lost the session: %d", i, code)
		}
	}

	t.Run("session revocation", func(t *testing.T) { sessionRevocationTrials(t, replicas, owner, proxy.URL, data, redisURL, 1000) })
	t.Run("token deny-list", func(t *testing.T) { denyListTrials(t, replicas, 20) })
	t.Run("lab story", func(t *testing.T) { labAcrossReplicas(t, replicas, owner, proxy.URL) })
}

// sessionRevocationTrials: each trial signs a new "device" in (a session
// record written straight to Redis, as a sign-in on any replica would),
// checks it works, revokes it through one replica and uses it on the other.
func sessionRevocationTrials(t *testing.T, replicas []string, owner *http.Client, proxyURL, data, redisURL string, trials int) {
	ctx := context.Background()
	rdb, err := progress.OpenRedis(ctx, redisURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	sessions := progress.NewRedisSessions(rdb, "authlab:")
	keys, err := siteauth.LoadKeyRing(filepath.Join(data, "keys"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var pairs [][]byte
	for _, k := range keys.CookieKeys() {
		pairs = append(pairs, k, nil)
	}
	codecs := securecookie.CodecsFromPairs(pairs...)
	for _, c := range codecs {
		c.(*securecookie.SecureCookie).SetSerializer(securecookie.NopEncoder{})
	}
	// The owner's learner ID, from the data export.
	_, export := send(t, owner, "GET", proxyURL+"/account/export", nil)
	var ex struct {
		Learner struct{ ID string } `json:"learner"`
	}
	if err := json.Unmarshal([]byte(export), &ex); err != nil || ex.Learner.ID == "" {
		t.Fatalf("export: %v %.200s", err, export)
	}
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	stale := 0
	for i := 0; i < trials; i++ {
		revokeOn, useOn := replicas[i%2], replicas[(i+1)%2]
		raw := siteauth.RandomToken(32)
		now := time.Now().UTC()
		rec := &progress.SessionRecord{ID: progress.SessionKey(raw), LearnerID: ex.Learner.ID,
			Data: []byte(`{"learner":"` + ex.Learner.ID + `","username":"replica_owner"}`), UserAgent: "trial", Addr: "127.0.0.1",
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
		if err := sessions.CreateSession(ctx, rec); err != nil {
			t.Fatal(err)
		}
		cookie, err := securecookie.EncodeMulti("authlab", []byte(raw), codecs...)
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := send(t, plain, "GET", useOn+"/account/sessions", nil, "Cookie", "authlab="+cookie); code != 200 {
			t.Fatalf("trial %d: the new session does not work: %d", i, code)
		}
		if code, _ := send(t, owner, "POST", revokeOn+"/account/sessions/"+rec.ID+"/revoke", strings.NewReader(""), "Content-Type", "application/x-www-form-urlencoded"); code != http.StatusSeeOther {
			t.Fatalf("trial %d: revoke on %s: %d", i, revokeOn, code)
		}
		if code, _ := send(t, plain, "GET", useOn+"/account/sessions", nil, "Cookie", "authlab="+cookie); code != http.StatusSeeOther {
			stale++
		}
	}
	t.Logf("%d revocations across replicas, %d stale acceptances", trials, stale)
	if stale != 0 {
		t.Errorf("%d of %d revoked sessions were still accepted by the other replica", stale, trials)
	}
}

// denyListTrials: an API sign-in logged out on one replica is over on
// the other on the next request: its access token is refused (the
// deny-list and the sign-in's family, both read from the shared
// database) and so is its refresh token. Each trial signs in anew, since
// logging out ends the sign-in; the refresh in between crosses replicas.
func denyListTrials(t *testing.T, replicas []string, trials int) {
	hc := &http.Client{Timeout: 10 * time.Second}
	js := "application/json"
	code, body := send(t, hc, "POST", replicas[0]+"/signup", strings.NewReader("username=replica_api&password=api+password+1"), "Content-Type", "application/x-www-form-urlencoded")
	if code != http.StatusSeeOther && code != http.StatusOK {
		t.Fatalf("sign up: %d %.200s", code, body)
	}
	var pair struct{ AccessToken, RefreshToken string }
	pairFrom := func(s string) {
		var raw map[string]any
		json.Unmarshal([]byte(s), &raw)
		pair.AccessToken, _ = raw["access_token"].(string)
		pair.RefreshToken, _ = raw["refresh_token"].(string)
	}
	staleAccess, staleRefresh := 0, 0
	for i := 0; i < trials; i++ {
		x, y := replicas[i%2], replicas[(i+1)%2]
		code, body = send(t, hc, "POST", x+"/api/v1/token", strings.NewReader(`{"username":"replica_api","password":"api password 1"}`), "Content-Type", js)
		if code != 200 {
			t.Fatalf("trial %d: token: %d %s", i, code, body)
		}
		pairFrom(body)
		code, body = send(t, hc, "POST", y+"/api/v1/token/refresh", strings.NewReader(`{"refresh_token":"`+pair.RefreshToken+`"}`), "Content-Type", js)
		if code != 200 {
			t.Fatalf("trial %d: refresh on the other replica: %d %s", i, code, body)
		}
		pairFrom(body)
		if code, _ := send(t, hc, "GET", x+"/api/v1/me", nil, "Authorization", "Bearer "+pair.AccessToken); code != 200 {
			t.Fatalf("trial %d: fresh token refused: %d", i, code)
		}
		if code, _ := send(t, hc, "POST", x+"/api/v1/logout", nil, "Authorization", "Bearer "+pair.AccessToken); code != 200 {
			t.Fatalf("trial %d: logout: %d", i, code)
		}
		if code, _ := send(t, hc, "GET", y+"/api/v1/me", nil, "Authorization", "Bearer "+pair.AccessToken); code != 401 {
			staleAccess++
		}
		if code, _ := send(t, hc, "POST", y+"/api/v1/token/refresh", strings.NewReader(`{"refresh_token":"`+pair.RefreshToken+`"}`), "Content-Type", js); code != 400 {
			staleRefresh++
		}
	}
	t.Logf("%d API logouts across replicas: %d stale access tokens, %d stale refresh tokens accepted", trials, staleAccess, staleRefresh)
	if staleAccess != 0 || staleRefresh != 0 {
		t.Errorf("of %d signed-out API sign-ins, the other replica still accepted %d access tokens and %d refresh tokens", trials, staleAccess, staleRefresh)
	}
}

// labAcrossReplicas: story 2 of the twin lab with each step on the
// other replica.
func labAcrossReplicas(t *testing.T, replicas []string, owner *http.Client, proxyURL string) {
	code, body := send(t, owner, "POST", replicas[0]+"/lab", strings.NewReader(""), "Accept", "application/json", "Content-Type", "application/x-www-form-urlencoded")
	if code != http.StatusCreated {
		t.Fatalf("create lab: %d %s", code, body)
	}
	var lab struct{ ID string }
	json.Unmarshal([]byte(body), &lab)
	base := func(i int) string { return replicas[i%2] + "/lab/" + lab.ID }
	plain := &http.Client{Timeout: 10 * time.Second}
	code, _ = send(t, owner, "POST", base(1)+"/session/login", strings.NewReader("username=alice&password=wonderland"), "Content-Type", "application/x-www-form-urlencoded")
	if code != 200 {
		t.Fatalf("lab login on replica 2: %d", code)
	}
	u, _ := url.Parse(replicas[1] + "/lab/" + lab.ID + "/")
	var sid string
	for _, c := range owner.Jar.Cookies(u) {
		if c.Name == "lab_sid" {
			sid = c.Value
		}
	}
	if code, _ := send(t, plain, "GET", base(0)+"/api/me", nil, "Cookie", "lab_sid="+sid); code != 200 {
		t.Fatalf("the lab session from replica 2 is unknown on replica 1: %d", code)
	}
	if code, _ := send(t, owner, "POST", base(1)+"/session/logout", strings.NewReader("")); code != 200 {
		t.Fatalf("lab logout: %d", code)
	}
	if code, _ := send(t, plain, "GET", base(0)+"/api/me", nil, "Cookie", "lab_sid="+sid); code != 401 {
		t.Errorf("replaying the lab cookie on the other replica after logout: %d, want 401", code)
	}
	// With Redis configured, the cost lab times a session read from it too.
	code, body = send(t, owner, "POST", base(0)+"/cost/run", nil, "Accept", "application/json")
	if code != 200 || !strings.Contains(body, "Session lookup, Redis") {
		t.Errorf("the cost lab on Redis: %d, no Redis row in %.300s", code, body)
	}
}
