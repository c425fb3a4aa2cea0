package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const sessionCookie = "lab_sid"

// The lab's demo users. Mallory is the attacker and needs no password:
// the lab is about what she can do with what she steals, not her login.
func checkPassword(user, password string) bool {
	want := map[string]string{"alice": "wonderland", "bob": "builder"}[user]
	switch {
	case user == "mallory":
		return true
	case want == "":
		return false
	}
	return subtle.ConstantTimeCompare([]byte(password), []byte(want)) == 1
}

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// credentials reads username and password from a JSON or form body; with
// no Content-Type it tries JSON, then form encoding.
func (c *call) credentials() (credentials, bool) {
	var cr credentials
	ct := strings.ToLower(c.r.Header.Get("Content-Type"))
	isJSON := strings.Contains(ct, "json") || (ct == "" && len(c.body) > 0 && c.body[0] == '{')
	if isJSON {
		if err := json.Unmarshal(c.body, &cr); err != nil {
			c.fail(http.StatusBadRequest, "bad_request", "the body is not the JSON {\"username\", \"password\"}")
			return cr, false
		}
	} else {
		q, err := url.ParseQuery(string(c.body))
		if err != nil {
			c.fail(http.StatusBadRequest, "bad_request", "the body is neither JSON nor a form")
			return cr, false
		}
		cr.Username, cr.Password = q.Get("username"), q.Get("password")
	}
	cr.Username = strings.TrimSpace(cr.Username)
	if cr.Username == "" {
		c.fail(http.StatusBadRequest, "bad_request", "send a username (and a password): alice/wonderland, bob/builder or mallory")
		return cr, false
	}
	if !checkPassword(cr.Username, cr.Password) {
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="lab"`)
		c.fail(http.StatusUnauthorized, "invalid_credentials", "wrong username or password")
		return cr, false
	}
	return cr, true
}

// POST session/login: a new random session ID in a cookie, the record in
// the lab's store. A session the browser already had is replaced, never
// reused (no session fixation).
func (m *Manager) sessionLogin(c *call) {
	c.side = "session"
	cr, ok := c.credentials()
	if !ok {
		return
	}
	old := c.sessionID()
	var sid string
	var kept bool
	var exp time.Time
	ok = c.update(func(st *labState, now time.Time) error {
		sid, kept = st.login(old, cr.Username, now) // fixation.go: rotation unless the lab turned it off
		exp = st.Sessions[sid].expires()
		return nil
	})
	if !ok {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: sid, Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	c.store("store session "+short(sid), "stored ("+cr.Username+")")
	c.verdict = "new session " + short(sid) + " stored for " + cr.Username + "; the browser gets only its ID, in an HttpOnly cookie"
	if kept {
		c.verdict = "session ID " + short(sid) + " kept across the login (rotation is off): whoever knew it before now holds " + cr.Username + "'s session"
	} else if old != "" && old != sid {
		c.verdict += "; the ID the browser came with (" + short(old) + ") is dead"
	}
	c.reachAsLearner(msSessionLogin)
	c.json(http.StatusOK, map[string]any{"user": cr.Username, "via": "session", "expires_at": exp})
}

// POST session/logout: delete the record and tell the browser to drop
// the cookie.
func (m *Manager) sessionLogout(c *call) {
	c.side = "session"
	sid := c.sessionID()
	var user string
	if sid != "" {
		if _, ok := c.st().Sessions[sid]; ok {
			ok = c.update(func(st *labState, now time.Time) error {
				if s := st.Sessions[sid]; s != nil {
					user = s.User
					st.bury(sid, "deleted at logout", now)
				}
				return nil
			})
			if !ok {
				return
			}
		}
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: "", Path: c.cookiePath(), MaxAge: -1, HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	switch {
	case user != "":
		c.store("delete session "+short(sid), "deleted")
		c.verdict = "session " + short(sid) + " (" + user + ") deleted from the store: that cookie is now worthless, wherever a copy went"
		c.reachAsLearner(msSessionLogout)
	case sid != "":
		c.store("delete session "+short(sid), "not there")
		c.verdict = "no session " + short(sid) + " in store to delete; the cookie is cleared anyway"
	default:
		c.verdict = "no session cookie came with the request; nothing to delete"
	}
	c.json(http.StatusOK, map[string]any{"logged_out": user != "", "message": sentence(c.verdict)})
}

// sessionID is the lab_sid cookie's value, if any.
func (c *call) sessionID() string {
	ck, err := c.r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return ck.Value
}
