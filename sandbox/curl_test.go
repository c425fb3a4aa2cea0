package sandbox

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCurlLinesWork pastes the recorded curl lines into a real shell
// against a real server, as a learner would: no site identity comes with
// them, and the demo endpoints answer anyway (the lab ID is the key).
func TestCurlLinesWork(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl on this machine")
	}
	e := newEnv(t, func(o *Options) { o.Now = nil })
	// The page's requests carry the site identity; curl's do not.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("site"); err == nil {
			r = r.WithContext(WithOwner(r.Context(), c.Value))
			http.SetCookie(w, &http.Cookie{Name: "site", Value: c.Value, Path: "/", HttpOnly: true}) // a site session refresh
		}
		e.m.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	page := func(method, path, body string, header ...string) {
		r, _ := http.NewRequest(method, srv.URL+"/lab/"+e.id+"/"+path, strings.NewReader(body))
		r.Header.Set("Cookie", "site="+e.owner)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	run := func(line string) string {
		t.Helper()
		out, err := exec.Command("sh", "-c", line).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return string(out)
	}
	last := func() Exchange {
		xs := e.trace()
		return xs[len(xs)-1]
	}

	page("POST", "session/login", `{"username":"alice","password":"wonderland"}`, "Content-Type", "application/json")
	out := run(last().Curl)
	if !strings.Contains(out, "200 OK") || !strings.Contains(out, "Set-Cookie: lab_sid=") {
		t.Fatalf("login curl:\n%s", out)
	}
	sid := strings.TrimPrefix(strings.Fields(out[strings.Index(out, "Set-Cookie: "):])[1], "lab_sid=")
	sid = strings.TrimSuffix(sid, ";")

	page("GET", "api/me", "", "Cookie", "site="+e.owner+"; lab_sid="+sid)
	if out := run(last().Curl); !strings.Contains(out, "200 OK") || !strings.Contains(out, `"via":"session"`) {
		t.Errorf("session me curl:\n%s", out)
	}

	page("POST", "token/login", "username=bob&password=builder", "Content-Type", "application/x-www-form-urlencoded")
	out = run(last().Curl)
	tok := out[strings.Index(out, `"access_token":"`)+16:]
	tok = tok[:strings.IndexByte(tok, '"')]
	page("GET", "api/me", "", "Authorization", "Bearer "+tok)
	if out := run(last().Curl); !strings.Contains(out, "200 OK") || !strings.Contains(out, `"user":"bob"`) {
		t.Errorf("token me curl:\n%s", out)
	}

	// Mallory's requests, and a body with a quote in it, survive the shell.
	page("POST", "attack", `{"path":"/session/login","method":"POST","headers":{"Content-Type":"application/json"},"body":"{\"username\":\"alice\",\"password\":\"it's\"}"}`)
	x := last()
	if x.Actor != "attacker" || x.Status != 401 {
		t.Fatalf("attack %+v", x)
	}
	if out := run(x.Curl); !strings.Contains(out, "401 Unauthorized") || last().RequestBody != x.RequestBody {
		t.Errorf("attack curl sent %q, want %q:\n%s", last().RequestBody, x.RequestBody, out)
	}

	// The site's own cookies never reach the trace (nor its curl lines).
	for _, x := range e.trace() {
		for _, h := range append(x.RequestHeaders, x.ResponseHeaders...) {
			if strings.Contains(h.Value, "site=") {
				t.Errorf("site cookie recorded: %s: %s", h.Name, h.Value)
			}
		}
		if strings.Contains(x.Curl, "site=") {
			t.Errorf("site cookie in curl: %s", x.Curl)
		}
	}

	// Without an identity only the demo app (with its settings, clock
	// and admin view) answers; the page's trace stays the owner's, and
	// anyone else gets the 404 of a lab that is not there.
	resp, err := http.Get(srv.URL + "/lab/" + e.id + "/trace")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("trace with no identity: %d", resp.StatusCode)
	}

	// Every recorded endpoint, as the page calls it: its curl line gets
	// the page's answer from a terminal (never the owner's 404), and an
	// owner-only endpoint shows no line at all.
	recordedRoutes := 0
	for key, rt := range e.m.routes {
		if !rt.record {
			continue
		}
		for meth := range rt.methods {
			recordedRoutes++
			path := strings.Replace(key, "*", "0123456789abcdef", 1)
			body := ""
			if meth == http.MethodPost {
				body = `{"username":"alice","password":"wonderland"}`
			}
			page(meth, path, body, "Content-Type", "application/json")
			x := last()
			if !strings.HasSuffix(x.Path, "/"+path) {
				t.Fatalf("%s %s: not recorded (last %s)", meth, path, x.Path)
			}
			if !labIDOpens(path) {
				if x.Curl != "" {
					t.Errorf("%s %s is the owner's, but shows a curl line: %s", meth, path, x.Curl)
				}
				continue
			}
			out := run(x.Curl)
			m := regexp.MustCompile(`HTTP/[0-9.]+ ([0-9]{3})`).FindStringSubmatch(out)
			if m == nil || strings.Contains(out, `"message":"no lab `) {
				t.Errorf("%s: refused\n%s", x.Curl, out)
				continue
			}
			if code, _ := strconv.Atoi(m[1]); code != x.Status && (code == 401 || code == 404 || code >= 500) {
				t.Errorf("%s: %d, the page got %d\n%s", x.Curl, code, x.Status, out)
			}
		}
	}
	if recordedRoutes < 25 {
		t.Errorf("only %d recorded routes", recordedRoutes)
	}
}
