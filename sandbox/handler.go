package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

const (
	actorLearner  = "learner"
	actorAttacker = "attacker"

	maxBody       = 16 << 10 // any lab request body
	maxAttackBody = 48 << 10 // the attack form carries headers and a body of up to 16 KiB each
)

// route is one path under /lab/{id}/: its handlers by method and whether
// its exchanges go in the trace. Only the demo app's own endpoints are
// recorded; the page's plumbing (trace, events, settings…) is not, or
// every poll would fill the trace.
type route struct {
	methods map[string]func(*call)
	record  bool
	limit   int64
}

func (m *Manager) buildRoutes() map[string]route {
	rec := func(method string, h func(*call)) route {
		return route{methods: map[string]func(*call){method: h}, record: true, limit: maxBody}
	}
	plain := func(hs map[string]func(*call)) route { return route{methods: hs, limit: maxBody} }
	rs := map[string]route{
		"session/login":  rec(http.MethodPost, m.sessionLogin),
		"session/logout": rec(http.MethodPost, m.sessionLogout),
		"token/login":    rec(http.MethodPost, m.tokenLogin),
		"token/refresh":  rec(http.MethodPost, m.tokenRefresh),
		"token/logout":   rec(http.MethodPost, m.tokenLogout),
		"api/me":         rec(http.MethodGet, m.apiMe),
		"sessions/*":     rec(http.MethodDelete, m.adminRevoke),
		"token/families": plain(map[string]func(*call){http.MethodGet: m.families}),
		"sessions":       plain(map[string]func(*call){http.MethodGet: m.listSessions}),
		"settings":       plain(map[string]func(*call){http.MethodGet: m.getSettings, http.MethodPut: m.putSettings}),
		"clock":          plain(map[string]func(*call){http.MethodPost: m.advanceClock}),
		"reset":          plain(map[string]func(*call){http.MethodPost: m.resetLab}),
		"trace":          plain(map[string]func(*call){http.MethodGet: m.getTrace}),
		"events":         plain(map[string]func(*call){http.MethodGet: m.events}),
		"diagram":        plain(map[string]func(*call){http.MethodGet: m.diagram}),
		"decode":         plain(map[string]func(*call){http.MethodPost: m.decode}),
		"attack":         {methods: map[string]func(*call){http.MethodPost: m.attack}, limit: maxAttackBody},
	}
	m.addAttackRoutes(rs)
	return rs
}

// call is one request to one lab: the snapshot it started from (replaced
// after each write), and what the handler answered, for the recorder.
type call struct {
	m     *Manager
	e     *entry
	snap  *snapshot
	w     http.ResponseWriter
	r     *http.Request
	id    string
	rest  string // the path after /lab/{id}/
	actor string
	body  []byte
	start time.Time

	status   int
	respBody []byte
	side     string
	verdict  string
	reached  []string
	facts    []string // toward the panel's goal (goals.go), committed with the milestones
	storeOp  string   // what the server asked its store, for the diagram
	storeRes string
}

func (c *call) st() *labState       { return c.snap.st }
func (c *call) now() time.Time      { return c.m.now().Add(c.snap.st.Offset) }
func (c *call) reach(ids ...string) { c.reached = append(c.reached, ids...) }

// reachAsLearner records milestones that only the learner's own clicks
// count for (Mallory logging in is not the learner logging in).
func (c *call) reachAsLearner(ids ...string) {
	if c.actor == actorLearner {
		c.reach(ids...)
	}
}
func (c *call) store(op, res string) { c.storeOp, c.storeRes = op, res }
func (c *call) cookiePath() string   { return "/lab/" + c.id + "/" }

// secure is a lab cookie's Secure attribute: over TLS, or always when the
// server runs behind a TLS-terminating proxy (--secure-cookies).
func (c *call) secure() bool { return c.r.TLS != nil || c.m.secure }

// update runs a load-modify-save on this lab; on failure it has already
// answered and returns false.
func (c *call) update(fn func(st *labState, now time.Time) error) bool {
	snap, err := c.m.update(c.r.Context(), c.e, fn)
	if err != nil {
		var ue userError
		switch {
		case errors.As(err, &ue):
			c.fail(ue.status, ue.code, ue.reason)
		case errors.Is(err, ErrNotFound):
			c.fail(http.StatusNotFound, "not_found", "this lab no longer exists")
		default:
			c.fail(http.StatusServiceUnavailable, "unavailable", "the lab store is unavailable; try again")
		}
		return false
	}
	c.snap = snap
	return true
}

// userError aborts an update with a 4xx answer.
type userError struct {
	status       int
	code, reason string
}

func (u userError) Error() string { return u.reason }

// labIDOpens is the one rule for what the lab ID alone opens (see "What
// the lab ID grants" in doc.go): the demo app — the endpoints a lesson or
// a panel shows as a curl line, and the twin lab's admin view, settings
// and clock, which the lessons drive from a terminal. Everything else is
// the page's own plumbing or an attack lab's switch, and only the lab's
// owner reaches it. A request from anyone else — no site identity, or
// another learner's — gets the same answer on every route.
func labIDOpens(rest string) bool {
	switch rest {
	case "sessions", "settings", "clock", "token/families",
		"forgery/login", "forgery/public-key", "opaque/login", "opaque/revoke",
		"cluster/login", "bank/login", "storage/login", "storage/logout",
		"stepup/session/login", "stepup/session/reauth", "stepup/token":
		return true
	}
	return attackMethod(rest) != "" || strings.HasPrefix(rest, "sessions/")
}

// serve handles one lab request for actor and returns the exchange it
// recorded, if any.
func (m *Manager) serve(w http.ResponseWriter, r *http.Request, actor string) *Exchange {
	// The demo app's endpoints are what a stranger (Mallory, a curl line
	// pasted in a terminal, an evil site's form) reaches with the lab ID
	// alone: the unguessable ID is the capability, whoever sends it. The
	// rest is the owner's, and anyone else — with a site identity or
	// without — gets the same 404 as for a lab that does not exist.
	owner := ownerFrom(r.Context())
	id, rest, ok := splitLabPath(r.URL.Path)
	if !ok {
		notFound(w, "no such lab endpoint")
		return nil
	}
	open := labIDOpens(rest)
	e, snap, err := m.open(r.Context(), owner, id, open)
	if errors.Is(err, ErrNotFound) {
		msg := "no lab " + short(id) + " here: it does not exist, has expired, or is not yours"
		if !open {
			msg += " (" + rest + " answers only the lab's owner, from the lab page)"
		}
		notFound(w, msg)
		return nil
	}
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "unavailable", Message: "the lab store is unavailable; try again"})
		return nil
	}
	key := rest
	if strings.HasPrefix(rest, "sessions/") {
		key = "sessions/*"
	}
	rt, ok := m.routes[key]
	if !ok || (key == "sessions/*" && len(rest) == len("sessions/")) {
		notFound(w, "no such lab endpoint: "+rest)
		return nil
	}
	h := rt.methods[r.Method]
	if h == nil {
		allow := make([]string, 0, len(rt.methods))
		for meth := range rt.methods {
			allow = append(allow, meth)
		}
		sort.Strings(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method_not_allowed", Message: rest + " answers " + strings.Join(allow, ", ")})
		return nil
	}
	c := &call{m: m, e: e, snap: snap, w: w, r: r, id: id, rest: rest, actor: actor, start: time.Now()}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	if c.body, err = io.ReadAll(io.LimitReader(r.Body, rt.limit+1)); err != nil {
		c.fail(http.StatusBadRequest, "bad_request", "could not read the request body")
		return nil
	}
	if int64(len(c.body)) > rt.limit {
		c.fail(http.StatusRequestEntityTooLarge, "too_large", "the request body is over the lab's limit")
		return nil
	}
	if snap, err := m.touch(r.Context(), e, snap); err == nil {
		c.snap = snap
	}
	h(c)
	if !rt.record {
		return nil
	}
	return m.finish(c)
}

// splitLabPath takes "/lab/{id}/rest" (or "/{id}/rest" when mounted with
// the prefix stripped) apart.
func splitLabPath(p string) (id, rest string, ok bool) {
	p = strings.TrimPrefix(p, "/lab")
	if !strings.HasPrefix(p, "/") {
		return "", "", false
	}
	id, rest, ok = strings.Cut(p[1:], "/")
	return id, rest, ok && validID(id)
}

type errorBody struct {
	Error   string `json:"error"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message"`
}

func (c *call) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal","message":"could not encode the answer"}`)
	}
	setJSONHeaders(c.w.Header())
	c.w.WriteHeader(status)
	c.w.Write(b)
	c.status, c.respBody = status, b
}

// jsonContentType and noStore are the values of every JSON answer's
// headers, made once and shared (capped, so an Add copies); a handler
// that wants another value replaces the slice with Set.
var (
	jsonContentType = []string{"application/json; charset=utf-8"}[:1:1]
	noStore         = []string{"no-store"}[:1:1]
)

func setJSONHeaders(h http.Header) {
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
}

// fail answers with {error, reason, message}; the reason doubles as the
// verdict unless the handler set a more telling one.
func (c *call) fail(status int, code, reason string) {
	if c.verdict == "" {
		c.verdict = reason
	}
	c.json(status, errorBody{Error: code, Reason: reason, Message: sentence(reason)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	setJSONHeaders(w.Header())
	w.WriteHeader(status)
	w.Write(b)
}

func notFound(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusNotFound, errorBody{Error: "not_found", Message: msg})
}

// sentence capitalises a reason for people.
func sentence(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:] + "."
}
