package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
)

var (
	statusLineRe = regexp.MustCompile(`(?m)^HTTP/[0-9.]+ ([0-9]{3})`)
	curlBlockRe  = regexp.MustCompile(`(?s)<div class="curl">(.*?)</div>`)
	exportLineRe = regexp.MustCompile(`<pre class="curl-line" data-lab-export>([^<]*)</pre>`)
	curlTagRe    = regexp.MustCompile(`<[^>]*>`)
)

// terminal runs shell lines the way a learner's terminal does: curl on
// the PATH, and no BASE or LAB but what the pasted export line sets.
type terminal struct {
	t    *testing.T
	dir  string
	path string
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed (it is at /usr/bin/curl on the CI image): the curl lines were not exercised")
	}
	return &terminal{t: t, dir: t.TempDir(), path: os.Getenv("PATH") + ":" + strings.TrimSuffix(curl, "/curl")}
}

// run pastes the export line, then line, and returns curl's output and
// the HTTP status it printed (0 for a -s line, which prints none).
func (tm *terminal) run(export, line string) (string, int, error) {
	cmd := exec.Command("bash", "-c", export+"\n"+line)
	cmd.Dir = tm.dir
	cmd.Env = []string{"PATH=" + tm.path, "HOME=" + tm.dir}
	out, err := cmd.CombinedOutput()
	code := 0
	if m := statusLineRe.FindSubmatch(out); m != nil {
		code, _ = strconv.Atoi(string(m[1]))
	}
	return string(out), code, err
}

// exportLine is the "export BASE=… LAB=…" line the lab page at path
// shows, checked to name the running server and the lab.
func exportLine(t *testing.T, cl *client, ts *httptest.Server, id, path string) string {
	t.Helper()
	r := cl.do("GET", path, nil)
	m := exportLineRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no export line on the lab page", path, r.status)
	}
	line := html.UnescapeString(m[1])
	if want := "export BASE=" + ts.URL + " LAB=" + id; line != want {
		t.Fatalf("export line %q, want %q", line, want)
	}
	return line
}

// refusedLab reports an answer that means the lab ID alone was not
// enough: what a terminal must never get for a line a page shows.
func refusedLab(out string) bool {
	return strings.Contains(out, "labs belong to a site identity") || strings.Contains(out, `"message":"no lab `)
}

// TestLessonCurlExamples takes every curl block from the rendered lesson
// pages, pastes the lab page's export line and then the block into a
// shell, exactly as a learner would, and runs it with the real curl
// against a running server. A page with curl blocks must say where
// $BASE and $LAB come from; no line may be refused for want of the site
// session, hit a missing endpoint or a server error.
func TestLessonCurlExamples(t *testing.T) {
	t.Parallel()
	tm := newTerminal(t)
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	n := 0
	for _, l := range env.catalog.Lessons {
		if len(l.Curls) == 0 {
			continue
		}
		cl := newClient(t, ts)
		page := cl.do("GET", "/lessons/"+l.Slug, nil)
		if page.status != http.StatusOK {
			t.Fatalf("GET /lessons/%s: %d", l.Slug, page.status)
		}
		if !strings.Contains(page.body, `class="callout callout-note lesson-terminal"`) || !strings.Contains(page.body, "export BASE=") {
			t.Errorf("%s: curl blocks, but nothing says where $BASE and $LAB come from", l.File)
		}
		var shown []string
		for _, m := range curlBlockRe.FindAllStringSubmatch(page.body, -1) {
			shown = append(shown, strings.TrimSpace(html.UnescapeString(curlTagRe.ReplaceAllString(m[1], ""))))
		}
		if len(shown) != len(l.Curls) {
			t.Fatalf("%s: the page shows %d curl blocks, the lesson has %d", l.File, len(shown), len(l.Curls))
		}
		id, path := newLab(t, cl, "")
		export := exportLine(t, cl, ts, id, path)
		for i, line := range shown {
			n++
			where := l.File + ":" + strconv.Itoa(l.Curls[i].Line)
			if line != strings.TrimSpace(l.Curls[i].Command) {
				t.Errorf("%s: the page shows %q, the lesson says %q", where, line, l.Curls[i].Command)
			}
			out, code, err := tm.run(export, line)
			switch {
			case err != nil:
				t.Errorf("%s: %s: %v\n%s", where, line, err, out)
			case refusedLab(out):
				t.Errorf("%s: %s is refused without the site session, which a terminal does not have\n%s", where, line, out)
			case strings.Contains(line, " -i") && code == 0:
				t.Errorf("%s: no HTTP status in the output of %s\n%s", where, line, out)
			case code == 401 && !strings.Contains(strings.ToLower(out), "www-authenticate"), code == 404, code == 405, code >= 500:
				t.Errorf("%s: %s answered %d\n%s", where, line, code, out)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d curl examples found in the lessons", n)
	}
}

// TestPanelCurlLinesWork does what a learner does on a lab panel: clicks
// through the demo's logins (and the owner-only buttons), opens the trace
// and pastes a recorded curl line after the page's export line. Each
// line must get the answer the page got — never a refusal for want of
// the site session — and an owner-only endpoint shows no line at all.
// Every panel's page shows the export line.
func TestPanelCurlLinesWork(t *testing.T) {
	t.Parallel()
	tm := newTerminal(t)
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	var twinID, twinExport string
	for _, panel := range lessons.LabNames() {
		// As the lesson's "Open the lab" buttons do: one lab per panel.
		r := cl.do("POST", "/lab", url.Values{"panel": {panel}, "reuse": {"1"}}, "Accept", "application/json")
		var out struct{ ID, URL string }
		if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != http.StatusCreated && r.status != http.StatusOK {
			t.Fatalf("POST /lab %s: %d %s", panel, r.status, r.body)
		}
		id, path := out.ID, out.URL
		line := exportLine(t, cl, ts, id, path)
		if panel == "twin-login" {
			twinID, twinExport = id, line
		}
	}
	alice := map[string]string{"username": "alice", "password": "wonderland"}
	type exchange struct {
		Method, Path, Curl string
		Status             int
	}
	latest := func() exchange {
		t.Helper()
		r := cl.do("GET", "/lab/"+twinID+"/trace", nil)
		var tr struct{ Exchanges []exchange }
		if err := json.Unmarshal([]byte(r.body), &tr); err != nil || r.status != 200 || len(tr.Exchanges) == 0 {
			t.Fatalf("trace: %d %v", r.status, err)
		}
		return tr.Exchanges[len(tr.Exchanges)-1]
	}
	n := 0
	for _, c := range []struct {
		path  string
		body  any
		owner bool // only the lab's owner may call it: no curl line
	}{
		{path: "session/login", body: alice}, {path: "api/me"}, {path: "token/login", body: alice},
		{path: "forgery/login", body: alice}, {path: "opaque/login", body: alice}, {path: "cluster/login", body: alice},
		{path: "bank/login", body: alice}, {path: "storage/login", body: alice}, {path: ".well-known/jwks.json"},
		{path: "cost/run", body: map[string]any{}, owner: true}, {path: "keys/rotate", body: map[string]any{}, owner: true},
	} {
		method := "POST"
		if c.body == nil {
			method = "GET"
		}
		var r reply
		if c.body == nil {
			r = cl.do(method, "/lab/"+twinID+"/"+c.path, nil)
		} else {
			r = cl.doJSON(method, "/lab/"+twinID+"/"+c.path, c.body)
		}
		if r.status == 404 || r.status >= 500 {
			t.Fatalf("the page's %s %s: %d %s", method, c.path, r.status, r.body)
		}
		x := latest()
		if !strings.HasSuffix(x.Path, "/"+c.path) {
			t.Fatalf("%s %s: not the latest exchange (%s)", method, c.path, x.Path)
		}
		if c.owner {
			if x.Curl != "" {
				t.Errorf("%s: a curl line for an owner-only endpoint, which a terminal can only get a 404 from: %s", x.Path, x.Curl)
			}
			continue
		}
		if x.Curl == "" {
			t.Errorf("%s %s: no curl line", x.Method, x.Path)
			continue
		}
		n++
		out, code, err := tm.run(twinExport, x.Curl)
		switch {
		case err != nil:
			t.Errorf("%s: %v\n%s", x.Curl, err, out)
		case refusedLab(out):
			t.Errorf("%s is refused without the site session\n%s", x.Curl, out)
		case code != x.Status:
			t.Errorf("%s answered %d, the page got %d\n%s", x.Curl, code, x.Status, out)
		}
	}
	if n < 9 {
		t.Errorf("only %d curl lines run", n)
	}
}

// TestLabReferrerPolicy: the lab ID is in every /lab/ URL, so neither a
// lab page, the evil page nor the lab's own answers let it leave in a
// Referer header.
func TestLabReferrerPolicy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)
	id, path := newLab(t, cl, "csrf")
	for _, p := range []string{path, "/lab/" + id + "/evil", "/lab/" + id + "/api/me", "/lab/" + id + "/trace"} {
		r := cl.do("GET", p, nil)
		if got := r.header.Get("Referrer-Policy"); got != "same-origin" && got != "no-referrer" {
			t.Errorf("GET %s (%d): Referrer-Policy %q", p, r.status, got)
		}
	}
}
