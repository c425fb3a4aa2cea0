package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The cluster lab: three in-process nodes behind a load balancer, inside
// the lab. The balancer is round robin or sticky (a lab_node cookie,
// stamped on every login with the node that served it, as a balancer
// that inserts a server cookie does: switching to sticky pins the
// browser to the node that holds its session);
// sessions live in each node's memory or in a shared store — which is
// the lab snapshot itself, kept in the database (or Redis) that all
// replicas share. Tokens need no store: every node verifies them with
// the signing key — until one node's key is rotated alone. Restarting a
// node ("deploy") empties its memory.

const (
	clusterNodes   = 3
	clusterCookie  = "lab_csid"
	nodeCookie     = "lab_node"
	maxNodeSession = 20
)

type clusterState struct {
	Sticky bool                      `json:"sticky,omitempty"`
	Shared bool                      `json:"shared,omitempty"`
	Next   int                       `json:"next,omitempty"` // round-robin position
	Nodes  [clusterNodes]clusterNode `json:"nodes,omitzero"`
	Store  map[string]string         `json:"store,omitempty"` // the shared store: sid -> user
}

type clusterNode struct {
	Down     bool              `json:"down,omitempty"`
	Restarts int               `json:"restarts,omitempty"`
	KeyGen   int               `json:"keygen,omitempty"` // >0: this node's key was rotated alone
	Sessions map[string]string `json:"s,omitempty"`      // the node's own memory: sid -> user
}

// pick chooses a node: the sticky cookie's if sticky and that node is
// up, else the next live node in turn. It moves the round-robin cursor,
// so it runs inside an update.
func (cs *clusterState) pick(stickyNode string) (node int, how string) {
	if cs.Sticky {
		if i, err := strconv.Atoi(stickyNode); err == nil && i >= 1 && i <= clusterNodes && !cs.Nodes[i-1].Down {
			return i - 1, "sticky cookie " + nodeCookie + "=" + stickyNode
		}
	}
	for k := range clusterNodes {
		i := (cs.Next + k) % clusterNodes
		if !cs.Nodes[i].Down {
			cs.Next = i + 1
			if cs.Sticky {
				return i, "no usable sticky cookie: round robin picked it"
			}
			return i, "round robin"
		}
	}
	return -1, "every node is down"
}

func nodeName(i int) string { return "node-" + strconv.Itoa(i+1) }

// nodeKey is the HMAC key node i signs and verifies with: the lab's, or
// its own once rotated alone.
func nodeKey(st *labState, i int) (key []byte, kid string) {
	g := st.Atk.Cluster.Nodes[i].KeyGen
	if g == 0 {
		return st.Keys.HS, "cluster"
	}
	m := hmac.New(sha256.New, st.Keys.HS)
	m.Write([]byte(nodeName(i) + "/" + strconv.Itoa(g)))
	return m.Sum(nil), nodeName(i) + "-k" + strconv.Itoa(g)
}

// route runs the balancer for this request; -1 when no node is up.
// login says the request is a login, which the balancer stamps.
func (c *call) route(login bool) (int, string, bool) {
	var node int
	var how string
	sticky := ""
	if ck, err := c.r.Cookie(nodeCookie); err == nil {
		sticky = ck.Value
	}
	if !c.update(func(st *labState, _ time.Time) error {
		node, how = st.Atk.Cluster.pick(sticky)
		return nil
	}) {
		return 0, "", false
	}
	if node < 0 {
		c.verdict = "load balancer: every node is down"
		c.fail(http.StatusBadGateway, "bad_gateway", "every node is down: restart one")
		return 0, "", false
	}
	c.w.Header().Set("X-Lab-Node", nodeName(node))
	// A login is always stamped with the node that served it, whatever
	// the balancing: round robin ignores the cookie, and sticky then
	// follows it to the node that holds the session.
	if sticky != strconv.Itoa(node+1) && (login || c.st().Atk.Cluster.Sticky) {
		http.SetCookie(c.w, &http.Cookie{Name: nodeCookie, Value: strconv.Itoa(node + 1), Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	}
	return node, how, true
}

// POST cluster/login {"mode": "session"|"token", username, password}
func (m *Manager) clusterLogin(c *call) {
	c.side = "session"
	cr, ok := c.credentials()
	if !ok {
		return
	}
	in, _ := c.formOrJSON()
	mode := orString(in["mode"], "session")
	if mode != "session" && mode != "token" {
		c.fail(http.StatusBadRequest, "bad_request", `mode must be "session" or "token"`)
		return
	}
	node, how, ok := c.route(true)
	if !ok {
		return
	}
	if mode == "token" {
		c.side = "token"
		key, kid := nodeKey(c.st(), node)
		now, jti := c.now(), randHex(8)
		t := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{Issuer: issuer, Subject: cr.Username, Audience: jwt.ClaimStrings{"lab:" + c.id},
			ExpiresAt: jwt.NewNumericDate(now.Add(c.st().Settings.TokenTTL)), IssuedAt: jwt.NewNumericDate(now), ID: jti})
		t.Header["kid"] = kid
		tok, err := t.SignedString(key)
		if err != nil {
			c.fail(http.StatusServiceUnavailable, "unavailable", "could not sign")
			return
		}
		c.verdict = nodeName(node) + " (" + how + ") signed a token for " + cr.Username + " with key " + kid
		c.noteBorn(jti)
		c.json(http.StatusOK, map[string]any{"node": nodeName(node), "access_token": tok, "kid": kid})
		return
	}
	sid := randHex(16)
	var shared bool
	if !c.update(func(st *labState, _ time.Time) error {
		cs := &st.Atk.Cluster
		if shared = cs.Shared; shared {
			cs.Store = putCapped(cs.Store, sid, cr.Username)
		} else {
			cs.Nodes[node].Sessions = putCapped(cs.Nodes[node].Sessions, sid, cr.Username)
		}
		return nil
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: clusterCookie, Value: sid, Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	where := nodeName(node) + "'s own memory"
	if shared {
		where = "the shared store"
	}
	c.store("store session "+short(sid), "stored in "+where)
	c.verdict = nodeName(node) + " (" + how + ") stored session " + short(sid) + " for " + cr.Username + " in " + where
	c.noteBorn(sid)
	c.json(http.StatusOK, map[string]any{"node": nodeName(node), "user": cr.Username, "store": where})
}

func putCapped(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	for len(m) >= maxNodeSession {
		for old := range m {
			delete(m, old)
			break
		}
	}
	m[k] = v
	return m
}

// GET cluster/me: through the balancer to one node.
func (m *Manager) clusterMe(c *call) {
	node, how, ok := c.route(false)
	if !ok {
		return
	}
	st := c.st()
	cs := st.Atk.Cluster
	name := nodeName(node)
	if raw := bearer(c.r); raw != "" {
		c.side = "token"
		key, kid := nodeKey(st, node)
		var claims jwt.RegisteredClaims
		now := c.now()
		_, err := jwt.NewParser(jwt.WithValidMethods([]string{algHS256}), jwt.WithAudience("lab:"+c.id), jwt.WithIssuer(issuer),
			jwt.WithTimeFunc(func() time.Time { return now }), jwt.WithExpirationRequired()).
			ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return key, nil })
		if err != nil {
			reason := safeReason(err)
			c.verdict = name + " (" + how + ") refused the token: " + reason
			if reason == "bad signature" {
				c.verdict += " — this node verifies with key " + kid + ", the token was signed with another"
				c.reach(msClusterKeySkew)
			}
			c.clusterRefuse(name, reason)
			return
		}
		c.verdict = name + " (" + how + ") verified the token with key " + kid + ": no store needed"
		c.reachAsLearner(msClusterToken)
		c.noteClusterAccepted(claims.ID, node)
		c.json(http.StatusOK, map[string]any{"node": name, "user": claims.Subject, "via": "token"})
		return
	}
	c.side = "session"
	ck, err := c.r.Cookie(clusterCookie)
	if err != nil || ck.Value == "" {
		c.verdict = name + " (" + how + "): no session cookie"
		c.clusterRefuse(name, reasonNoCredentials)
		return
	}
	sid := ck.Value
	user, where := cs.Nodes[node].Sessions[sid], name+"'s memory"
	if cs.Shared {
		user, where = cs.Store[sid], "the shared store"
	}
	c.store("find session "+short(sid)+" in "+where, orString(user, "not found"))
	if user == "" {
		c.verdict = name + " (" + how + ") looked in " + where + ": no session " + short(sid)
		switch {
		case cs.Sticky && cs.Nodes[node].Restarts > 0 && !cs.Shared:
			c.verdict += " — the node restarted (a deploy) and its memory went with it"
			c.reach(msClusterDeploy)
		case !cs.Sticky && !cs.Shared:
			c.verdict += " — the login landed on another node, and each node knows only its own sessions"
			c.reach(msClusterRRFails)
		}
		c.clusterRefuse(name, reasonSessionNotFound)
		return
	}
	c.verdict = name + " (" + how + ") found session " + short(sid) + " in " + where + " (" + user + ")"
	switch {
	case cs.Shared:
		c.reachAsLearner(msClusterShared)
	case cs.Sticky:
		c.reachAsLearner(msClusterSticky)
	}
	c.noteClusterAccepted(sid, node)
	c.json(http.StatusOK, map[string]any{"node": name, "user": user, "via": "session"})
}

func (c *call) clusterRefuse(node, reason string) {
	c.w.Header().Set("WWW-Authenticate", `Bearer realm="lab"`)
	c.json(http.StatusUnauthorized, map[string]any{"error": "unauthorized", "reason": reason, "node": node, "message": sentence(reason)})
}

type clusterView struct {
	Balance string       `json:"balance"` // "round-robin" or "sticky"
	Store   string       `json:"store"`   // "node" or "shared"
	Nodes   []nodeStatus `json:"nodes"`
	Note    string       `json:"note"`
}

type nodeStatus struct {
	Name     string `json:"name"`
	Up       bool   `json:"up"`
	Sessions int    `json:"sessions"`
	Restarts int    `json:"restarts"`
	Key      string `json:"key"`
}

func (c *call) clusterView() clusterView {
	st := c.st()
	cs := st.Atk.Cluster
	v := clusterView{Balance: "round-robin", Store: "node"}
	if cs.Sticky {
		v.Balance = "sticky"
	}
	if cs.Shared {
		v.Store = "shared"
	}
	for i, n := range cs.Nodes {
		_, kid := nodeKey(st, i)
		v.Nodes = append(v.Nodes, nodeStatus{Name: nodeName(i), Up: !n.Down, Sessions: len(n.Sessions), Restarts: n.Restarts, Key: kid})
	}
	switch {
	case cs.Shared:
		v.Note = "Shared store: every node reads the same sessions — here the lab state in " + c.m.storeName() + ", shared by the replicas of this server. The cost: one network hop to the store per request, and the store must stay up."
	case cs.Sticky:
		v.Note = "Sticky balancing: the balancer stamped the node that served your login in the lab_node cookie, and every request with that cookie goes back to it. The cost: a restart or a dead node logs its users out, and load spreads unevenly."
	default:
		v.Note = "Round robin with sessions in each node's memory: a session exists on one node only."
	}
	return v
}

// GET cluster/settings
func (m *Manager) clusterStateGet(c *call) { c.json(http.StatusOK, c.clusterView()) }

// PUT cluster/settings {"balance": "round-robin"|"sticky", "store": "node"|"shared"}
func (m *Manager) clusterSettingsPut(c *call) {
	var p struct {
		Balance *string `json:"balance"`
		Store   *string `json:"store"`
	}
	if !c.patchJSON(&p, "balance, store") {
		return
	}
	if p.Balance != nil && *p.Balance != "round-robin" && *p.Balance != "sticky" {
		c.fail(http.StatusBadRequest, "bad_request", `balance must be "round-robin" or "sticky"`)
		return
	}
	if p.Store != nil && *p.Store != "node" && *p.Store != "shared" {
		c.fail(http.StatusBadRequest, "bad_request", `store must be "node" or "shared"`)
		return
	}
	if c.update(func(st *labState, _ time.Time) error {
		cs := &st.Atk.Cluster
		if p.Balance != nil {
			cs.Sticky = *p.Balance == "sticky"
		}
		if p.Store != nil {
			cs.Shared = *p.Store == "shared"
		}
		return nil
	}) {
		c.json(http.StatusOK, c.clusterView())
	}
}

// nodeParam reads {"node": "1".."3"} (or "node-2").
func (c *call) nodeParam() (int, map[string]string, bool) {
	in, ok := c.formOrJSON()
	if !ok {
		return 0, nil, false
	}
	v := in["node"]
	if len(v) > 5 && v[:5] == "node-" {
		v = v[5:]
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 1 || i > clusterNodes {
		c.fail(http.StatusBadRequest, "bad_request", `node must be 1, 2 or 3`)
		return 0, nil, false
	}
	return i - 1, in, true
}

// POST cluster/restart {"node", "action": "restart"|"kill"}: a deploy
// restarts a node with empty memory; kill leaves it down.
func (m *Manager) clusterRestart(c *call) {
	node, in, ok := c.nodeParam()
	if !ok {
		return
	}
	action := orString(in["action"], "restart")
	if action != "restart" && action != "kill" {
		c.fail(http.StatusBadRequest, "bad_request", `action must be "restart" or "kill"`)
		return
	}
	var lost int
	if !c.update(func(st *labState, _ time.Time) error {
		n := &st.Atk.Cluster.Nodes[node]
		lost = len(n.Sessions)
		n.Sessions, n.Down = nil, action == "kill"
		n.Restarts++
		return nil
	}) {
		return
	}
	c.verdict = nodeName(node) + " restarted (a deploy): " + sessionsGone(lost)
	if action == "kill" {
		c.verdict = nodeName(node) + " is down: the balancer sends its users elsewhere, and " + sessionsGone(lost)
	}
	c.json(http.StatusOK, c.clusterView())
}

// sessionsGone says how many sessions a node's memory lost, in words
// that agree with the number.
func sessionsGone(n int) string {
	switch n {
	case 0:
		return "no session in its memory is lost"
	case 1:
		return "1 session in its memory is gone"
	}
	return strconv.Itoa(n) + " sessions in its memory are gone"
}

// POST cluster/rotate {"node"}: rotate the signing key on one node only.
func (m *Manager) clusterRotate(c *call) {
	node, _, ok := c.nodeParam()
	if !ok {
		return
	}
	if !c.update(func(st *labState, _ time.Time) error {
		st.Atk.Cluster.Nodes[node].KeyGen++
		return nil
	}) {
		return
	}
	_, kid := nodeKey(c.st(), node)
	c.verdict = nodeName(node) + " now signs and verifies with key " + kid + " — alone: the other nodes still use the old one"
	c.json(http.StatusOK, c.clusterView())
}

func (m *Manager) addClusterRoutes(rs map[string]route) {
	rs["cluster/settings"] = settingsRoute(m.clusterStateGet, m.clusterSettingsPut)
	rs["cluster/login"] = recorded(http.MethodPost, m.clusterLogin)
	rs["cluster/me"] = recorded(http.MethodGet, m.clusterMe)
	rs["cluster/restart"] = recorded(http.MethodPost, m.clusterRestart)
	rs["cluster/rotate"] = recorded(http.MethodPost, m.clusterRotate)
}
