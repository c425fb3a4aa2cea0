package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// The token-storage lab. The page keeps an access token where the
// learner chooses — localStorage, sessionStorage, a variable in memory,
// or an HttpOnly cookie set by storage/login — and a simulated injected
// script tries to take it. What the script finds goes to Mallory's
// collector (storage/exfil), from where she replays it. The server's
// part is the cookie mode, the collector, and telling which requests
// the injected script made (X-Lab-Payload: xss) so the trace and the
// milestones can say "stolen", "replayed" and "ridden".

const (
	tokenCookie = "lab_at"
	maxLoot     = 20
	payloadHdr  = "X-Lab-Payload"
)

// loot is one thing the injected script sent to Mallory.
type loot struct {
	Source string    `json:"src"`
	Token  string    `json:"tok,omitempty"` // hash of the token, never the token
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"at"`
}

// POST storage/login {"samesite": "Lax"|"Strict"|"None"}: a token for
// alice in an HttpOnly cookie that JavaScript cannot read. The browser
// sends it with every request to this lab by itself — which is what
// makes it CSRF-able unless SameSite or a CSRF token stops that.
func (m *Manager) storageLogin(c *call) {
	c.side = "token"
	in, ok := c.formOrJSON()
	if !ok || !c.ensureRSA() {
		return
	}
	same := map[string]http.SameSite{"": http.SameSiteLaxMode, "Lax": http.SameSiteLaxMode, "Strict": http.SameSiteStrictMode, "None": http.SameSiteNoneMode}
	ss, known := same[in["samesite"]]
	if !known {
		c.fail(http.StatusBadRequest, "bad_request", `samesite must be "Lax", "Strict" or "None"`)
		return
	}
	var token string
	var exp time.Time
	if !c.update(func(st *labState, now time.Time) error {
		var err error
		token, _, err = c.issueAccess(st, now, "alice")
		exp = now.Add(st.Settings.TokenTTL)
		return err
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: tokenCookie, Value: token, Path: c.cookiePath(), HttpOnly: true,
		Secure: c.secure() || ss == http.SameSiteNoneMode, SameSite: ss, Expires: exp})
	c.verdict = "access token for alice set in an HttpOnly cookie: no script can read it, but the browser sends it by itself"
	c.json(http.StatusOK, map[string]any{"stored": "cookie", "samesite": orString(in["samesite"], "Lax"), "expires_at": exp})
}

// POST storage/logout: the browser forgets the token cookie (and the
// lab's session cookie), so the next storage mode starts clean.
func (m *Manager) storageLogout(c *call) {
	c.side = "token"
	for _, name := range []string{tokenCookie, sessionCookie} {
		http.SetCookie(c.w, &http.Cookie{Name: name, Path: c.cookiePath(), MaxAge: -1, HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	}
	c.verdict = "cookies cleared: the browser holds no lab credential now"
	c.json(http.StatusOK, map[string]any{"cleared": true})
}

// POST storage/exfil {"source", "token"}: Mallory's collector. In real
// life it is on her own server; the lab keeps it here so nothing leaves
// the machine. It stores only a hash of what it got.
func (m *Manager) storageExfil(c *call) {
	c.side = "token"
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	src, tok := in["source"], in["token"]
	if src == "" || len(src) > 64 || len(tok) > maxJWT {
		c.fail(http.StatusBadRequest, "bad_request", `send {"source": "localStorage", "token": "…"}`)
		return
	}
	l := loot{Source: src, At: c.now()}
	if tok != "" {
		l.Token = tokenHash(tok)
		if d, err := DecodeJWT(tok); err == nil {
			l.User, _ = d.Payload["sub"].(string)
		}
	}
	if !c.update(func(st *labState, _ time.Time) error {
		st.Atk.Loot = append(st.Atk.Loot, l)
		if n := len(st.Atk.Loot); n > maxLoot {
			st.Atk.Loot = slices.Delete(st.Atk.Loot, 0, n-maxLoot)
		}
		return nil
	}) {
		return
	}
	switch {
	case tok == "":
		c.verdict = "Mallory's collector got nothing from " + src
		c.noteNothingStolen()
		if src == "document.cookie" {
			c.verdict += ": the token cookie is HttpOnly, invisible to scripts"
			c.reach(msXSSHttpOnly)
		}
	case src == "fetch hook":
		c.verdict = "Mallory's collector got a token caught by the fetch hook: memory hid it from a storage read, not from a script that waits"
		c.reach(msXSSHook)
	default:
		c.verdict = "Mallory's collector got a token from " + src
		c.reach(msXSSStorage)
	}
	c.json(http.StatusOK, map[string]any{"received": tok != "", "source": src})
}

// GET storage/loot: what Mallory has collected so far.
func (m *Manager) storageLoot(c *call) {
	out := c.st().Atk.Loot
	if out == nil {
		out = []loot{}
	}
	c.json(http.StatusOK, map[string]any{"loot": out})
}

// storageSeen adds the token-storage lab's view of an accepted token: a
// replay of stolen loot by Mallory, or the injected script riding the
// cookie from inside the page.
func (c *call) storageSeen(raw string, fromCookie bool) {
	if c.actor == actorAttacker && slices.ContainsFunc(c.st().Atk.Loot, func(l loot) bool { return l.Token == tokenHash(raw) }) {
		c.verdict += " — a token the injected script stole, replayed from Mallory's machine"
		c.reach(msXSSReplay)
	}
	if fromCookie && c.r.Header.Get(payloadHdr) == "xss" {
		c.verdict += " — sent by the injected script: it could not read the HttpOnly cookie, but the browser attached it anyway"
		c.reach(msXSSRide)
	}
}

func (m *Manager) addStorageRoutes(rs map[string]route) {
	rs["storage/login"] = recorded(http.MethodPost, m.storageLogin)
	rs["storage/logout"] = recorded(http.MethodPost, m.storageLogout)
	rs["storage/exfil"] = recorded(http.MethodPost, m.storageExfil)
	rs["storage/loot"] = getRoute(m.storageLoot)
}
