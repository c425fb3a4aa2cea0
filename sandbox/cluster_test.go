package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type clusterAnswer struct {
	Node, User, Reason string
	AccessToken        string `json:"access_token"`
}

// browserJar is the little cookie jar a browser would be: what the
// cluster lab sets is sent back.
type browserJar map[string]string

func (j browserJar) header() []string {
	var parts []string
	for k, v := range j {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return nil
	}
	return []string{"Cookie", strings.Join(parts, "; ")}
}

func (j browserJar) take(h http.Header) {
	for _, sc := range h.Values("Set-Cookie") {
		pair, _, _ := strings.Cut(sc, ";")
		k, v, _ := strings.Cut(pair, "=")
		j[k] = v
	}
}

func (e *labEnv) clusterDo(j browserJar, method, path string, body any, extra ...string) (int, clusterAnswer) {
	e.t.Helper()
	rec := e.do(req{method: method, path: path, body: body, header: append(j.header(), extra...)})
	j.take(rec.Header())
	return rec.Code, decode[clusterAnswer](e.t, rec)
}

// ten sends ten requests through the balancer and counts the 200s and
// the nodes that answered.
func (e *labEnv) ten(j browserJar, extra ...string) (ok int, nodes map[string]bool) {
	nodes = map[string]bool{}
	for range 10 {
		status, a := e.clusterDo(j, http.MethodGet, "cluster/me", nil, extra...)
		nodes[a.Node] = true
		if status == 200 {
			ok++
		}
	}
	return ok, nodes
}

func TestCluster(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	settings := func(v map[string]any) { t.Helper(); want(t, e.put("cluster/settings", v), http.StatusOK) }
	login := map[string]string{"username": "alice", "password": "wonderland", "mode": "session"}

	// Round robin, per-node memory: one node in three knows the session.
	j := browserJar{}
	if status, _ := e.clusterDo(j, http.MethodPost, "cluster/login", login); status != 200 {
		t.Fatal("login")
	}
	if ok, nodes := e.ten(j); ok < 3 || ok > 4 || len(nodes) != 3 {
		t.Errorf("round robin, per node: %d of 10 ok on %v", ok, nodes)
	}
	e.wantMilestoneSomewhere(msClusterRRFails)

	// Sticky: all ten on one node; then that node is deployed.
	settings(map[string]any{"balance": "sticky"})
	j = browserJar{}
	_, a := e.clusterDo(j, http.MethodPost, "cluster/login", login)
	if ok, nodes := e.ten(j); ok != 10 || len(nodes) != 1 || !nodes[a.Node] {
		t.Errorf("sticky: %d of 10 on %v (logged in on %s)", ok, nodes, a.Node)
	}
	e.wantMilestoneSomewhere(msClusterSticky)
	want(t, e.post("cluster/restart", map[string]string{"node": a.Node}), http.StatusOK)
	if ok, _ := e.ten(j); ok != 0 {
		t.Errorf("after a deploy of the sticky node: %d of 10 ok", ok)
	}
	e.wantMilestoneSomewhere(msClusterDeploy)

	// Shared store, round robin, a restart in the middle: all succeed.
	settings(map[string]any{"balance": "round-robin", "store": "shared"})
	j = browserJar{}
	e.clusterDo(j, http.MethodPost, "cluster/login", login)
	want(t, e.post("cluster/restart", map[string]string{"node": "2"}), http.StatusOK)
	if ok, nodes := e.ten(j); ok != 10 || len(nodes) != 3 {
		t.Errorf("shared store: %d of 10 on %v", ok, nodes)
	}
	e.wantMilestoneSomewhere(msClusterShared)

	// Tokens: every node, no store — until one node's key is rotated.
	settings(map[string]any{"store": "node"})
	_, tok := e.clusterDo(browserJar{}, http.MethodPost, "cluster/login", map[string]string{"username": "alice", "password": "wonderland", "mode": "token"})
	if ok, _ := e.ten(browserJar{}, bearerH(tok.AccessToken)...); ok != 10 {
		t.Errorf("token on every node: %d of 10", ok)
	}
	e.wantMilestoneSomewhere(msClusterToken)
	want(t, e.post("cluster/rotate", map[string]string{"node": "3"}), http.StatusOK)
	if ok, _ := e.ten(browserJar{}, bearerH(tok.AccessToken)...); ok < 6 || ok > 7 {
		t.Errorf("one node rotated alone: %d of 10 ok", ok)
	}
	e.wantMilestoneSomewhere(msClusterKeySkew)

	// All nodes down: 502 with a reason; bad input: 400.
	for _, n := range []string{"1", "2", "3"} {
		want(t, e.post("cluster/restart", map[string]string{"node": n, "action": "kill"}), http.StatusOK)
	}
	if rec := e.get("cluster/me"); rec.Code != http.StatusBadGateway {
		t.Errorf("every node down: %d", rec.Code)
	}
	for _, c := range []struct{ path, body string }{{"cluster/restart", `{"node":"4"}`}, {"cluster/restart", `{"node":"1","action":"reboot"}`}, {"cluster/rotate", `{}`}} {
		if rec := e.post(c.path, c.body, "Content-Type", "application/json"); rec.Code != 400 {
			t.Errorf("%s %s: %d", c.path, c.body, rec.Code)
		}
	}
	if rec := e.put("cluster/settings", map[string]any{"balance": "random"}); rec.Code != 400 {
		t.Errorf("bad balance: %d", rec.Code)
	}
}

// wantMilestoneSomewhere checks that some exchange in the trace reached id.
func (e *labEnv) wantMilestoneSomewhere(id string) {
	e.t.Helper()
	for _, x := range e.trace() {
		if slices.Contains(x.Milestones, id) {
			return
		}
	}
	e.t.Errorf("no exchange reached %s", id)
}

// Lesson 05 step 2 as written: log in under round robin, then switch the
// balancer to sticky without logging in again. The balancer stamped the
// login's node in lab_node, so sticky sends all ten requests there.
func TestClusterStickyFollowsTheLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	j := browserJar{}
	status, a := e.clusterDo(j, http.MethodPost, "cluster/login", map[string]string{"username": "alice", "password": "wonderland", "mode": "session"})
	if status != 200 || j[nodeCookie] != strings.TrimPrefix(a.Node, "node-") {
		t.Fatalf("login: %d on %s, lab_node=%q", status, a.Node, j[nodeCookie])
	}
	if ok, _ := e.ten(j); ok == 10 || ok == 0 {
		t.Errorf("round robin, per node: %d of 10 ok", ok)
	}
	want(t, e.put("cluster/settings", map[string]any{"balance": "sticky"}), http.StatusOK)
	if ok, nodes := e.ten(j); ok != 10 || len(nodes) != 1 || !nodes[a.Node] {
		t.Errorf("sticky after a round-robin login: %d of 10 on %v (logged in on %s)", ok, nodes, a.Node)
	}
	e.wantMilestoneSomewhere(msClusterSticky)
}

// A restart's verdict counts the sessions it lost in words that agree
// with the number: "1 session … is gone", "2 sessions … are gone".
func TestClusterRestartCountsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	j := browserJar{}
	status, a := e.clusterDo(j, http.MethodPost, "cluster/login", map[string]string{"username": "alice", "password": "wonderland", "mode": "session"})
	if status != http.StatusOK {
		t.Fatalf("login: %d", status)
	}
	node := strings.TrimPrefix(a.Node, "node-")
	say := func(action string) string {
		t.Helper()
		want(t, e.post("cluster/restart", map[string]string{"node": node, "action": action}), http.StatusOK)
		xs := e.trace()
		return xs[len(xs)-1].Verdict
	}
	if v := say("restart"); !strings.Contains(v, ": 1 session in its memory is gone") {
		t.Errorf("restart with one session: %q", v)
	}
	if v := say("kill"); !strings.Contains(v, "and no session in its memory is lost") {
		t.Errorf("kill with none: %q", v)
	}
}
