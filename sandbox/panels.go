package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// attackState is the attack and scale labs' part of a lab snapshot. Its
// zero value is every lab's default, and every default is the safe
// setting: a vulnerable behaviour exists only after the learner flips
// its toggle, and only inside this lab. Empty parts are left out of the
// JSON, so a lab that never opens these panels pays nothing for them.
type attackState struct {
	Forgery  forgeryState  `json:"forge,omitzero"`
	Fixation fixationState `json:"fix,omitzero"`
	Opaque   opaqueState   `json:"opaque,omitzero"`
	Loot     []loot        `json:"loot,omitempty"` // what the simulated XSS sent to Mallory
	CSRF     csrfState     `json:"csrf,omitzero"`
	Cluster  clusterState  `json:"cluster,omitzero"`
	StepUp   stepUpState   `json:"stepup,omitzero"`
}

// addAttackRoutes registers the attack and scale labs' endpoints, each
// lab's in its own file. Recorded routes are demo-app endpoints (they go
// in the trace); the rest are the page's plumbing.
func (m *Manager) addAttackRoutes(rs map[string]route) {
	m.addForgeryRoutes(rs)
	m.addFixationRoutes(rs)
	m.addRotationRoutes(rs)
	m.addOpaqueRoutes(rs)
	m.addCostRoutes(rs)
	m.addStorageRoutes(rs)
	m.addCSRFRoutes(rs)
	m.addClusterRoutes(rs)
	m.addStepUpRoutes(rs)
}

func recorded(method string, h func(*call)) route {
	return route{methods: map[string]func(*call){method: h}, record: true, limit: maxBody}
}

func plainRoute(hs map[string]func(*call)) route { return route{methods: hs, limit: maxBody} }

func getRoute(h func(*call)) route { return plainRoute(map[string]func(*call){http.MethodGet: h}) }

func postRoute(h func(*call)) route { return plainRoute(map[string]func(*call){http.MethodPost: h}) }

func settingsRoute(get, put func(*call)) route {
	return plainRoute(map[string]func(*call){http.MethodGet: get, http.MethodPut: put})
}

// openMethod is the method of each attack-lab endpoint that Mallory's
// console may target: what an "evil site" or a gateway fetching the JWKS
// calls. All of them are open to the lab ID alone (labIDOpens), which
// opens a few more: the demo's own logins and revoke.
func openMethod(rest string) string {
	switch rest {
	case "forgery/me", "opaque/me", "bank/account", "bank/home", "cluster/me", ".well-known/jwks.json", "mallory/jwks.json":
		return http.MethodGet
	case "fixation/visit", "opaque/introspect", "bank/transfer", "storage/exfil", "stepup/transfer":
		return http.MethodPost
	}
	return ""
}

// patchJSON decodes a settings body strictly: unknown fields are refused
// with a reason that names the known ones.
func (c *call) patchJSON(v any, fields string) bool {
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		c.fail(http.StatusBadRequest, "bad_request", "send JSON with any of "+fields+" ("+err.Error()+")")
		return false
	}
	return true
}

// formOrJSON reads a flat body of string fields, JSON or form encoded.
func (c *call) formOrJSON() (map[string]string, bool) {
	out := map[string]string{}
	if len(bytes.TrimSpace(c.body)) == 0 {
		return out, true
	}
	ct := strings.ToLower(c.r.Header.Get("Content-Type"))
	if strings.Contains(ct, "json") || (ct == "" && c.body[0] == '{') {
		var raw map[string]any
		if err := json.Unmarshal(c.body, &raw); err != nil {
			c.fail(http.StatusBadRequest, "bad_request", "the body is not a JSON object")
			return nil, false
		}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				out[k] = v
			case float64, bool:
				b, _ := json.Marshal(v)
				out[k] = string(b)
			}
		}
		return out, true
	}
	q, err := url.ParseQuery(string(c.body))
	if err != nil {
		c.fail(http.StatusBadRequest, "bad_request", "the body is neither JSON nor a form")
		return nil, false
	}
	for k := range q {
		out[k] = q.Get(k)
	}
	return out, true
}

// openPaths lists the endpoints openMethod opens, for error messages.
func openPaths() []string {
	return []string{"/forgery/me", "/fixation/visit", "/opaque/me", "/opaque/introspect", "/bank/account", "/bank/transfer", "/storage/exfil", "/stepup/transfer", "/cluster/me", "/.well-known/jwks.json", "/mallory/jwks.json"}
}

// ValidLabID reports whether s has the shape of a lab ID, for pages
// (like the CSRF lab's evil page) that only carry one along.
func ValidLabID(s string) bool { return validID(s) }
