package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const (
	minTokenTTL = 5 * time.Second
	maxTokenTTL = 24 * time.Hour
	maxAdvance  = 30 * 24 * time.Hour
	// maxOffset bounds the lab clock's lead in total: far enough for any
	// token or session lifetime a lab teaches, and far from the int64
	// nanoseconds a time.Duration wraps at (about 292 years).
	maxOffset = 366 * 24 * time.Hour
)

// GET sessions: the server's view — every session record, and for
// tokens, usually nothing at all.
func (m *Manager) listSessions(c *call) {
	st, now := c.st(), c.now()
	type sessionView struct {
		ID       string    `json:"id"`
		User     string    `json:"user"`
		Created  time.Time `json:"created"`
		LastSeen time.Time `json:"last_seen"`
		Expires  time.Time `json:"expires"`
	}
	type tokenView struct {
		JTI     string    `json:"jti"`
		User    string    `json:"user,omitempty"`
		Expires time.Time `json:"expires"`
	}
	sessions := []sessionView{}
	for id, s := range st.Sessions {
		if !now.After(s.expires()) {
			sessions = append(sessions, sessionView{id, s.User, s.Created, s.LastSeen, s.expires()})
		}
	}
	slices.SortFunc(sessions, func(a, b sessionView) int { return a.Created.Compare(b.Created) })
	allow, deny := []tokenView{}, []tokenView{}
	for jti, a := range st.Allow {
		allow = append(allow, tokenView{jti, a.User, a.Exp})
	}
	for jti, exp := range st.Deny {
		deny = append(deny, tokenView{JTI: jti, Expires: exp})
	}
	byExp := func(a, b tokenView) int { return a.Expires.Compare(b.Expires) }
	slices.SortFunc(allow, byExp)
	slices.SortFunc(deny, byExp)
	note := "The server keeps no list of access tokens: each JWT is checked by its signature and exp alone, so there is nothing here to revoke — a copy works until it expires."
	if st.Settings.Allowlist {
		note = "Allow-list on: the server records every access token it issues and refuses any other. That list is a session store by another name."
	}
	if st.Settings.Denylist {
		note += " Deny-list on: revoked jti values are kept until their exp, and every request is checked against them."
	}
	c.json(http.StatusOK, map[string]any{"sessions": sessions, "tokens_note": note, "allowlist": allow, "denylist": deny, "now": now})
}

// DELETE sessions/{sid}: the admin kills a session; with the allow-list
// on it also takes a jti; with the deny-list on, a jti is denied.
func (m *Manager) adminRevoke(c *call) {
	x := strings.TrimPrefix(c.rest, "sessions/")
	var what, user string
	ok := c.update(func(st *labState, now time.Time) error {
		if s := st.Sessions[x]; s != nil {
			what, user = "session", s.User
			st.bury(x, "revoked by the admin", now)
			return nil
		}
		if a, found := st.Allow[x]; found && st.Settings.Allowlist {
			what, user = "allowed token", a.User
			delete(st.Allow, x)
			if st.Settings.Denylist {
				addTime(&st.Deny, x, a.Exp)
			}
			return nil
		}
		if st.Settings.Denylist && validID(x) {
			what = "jti"
			addTime(&st.Deny, x, now.Add(maxTokenTTL)) // no token outlives that
			return nil
		}
		return userError{http.StatusNotFound, "not_found", "no session " + short(x) + " in store; tokens can be revoked by the server only with the allow-list or the deny-list on"}
	})
	switch what {
	case "session":
		c.side = "session"
		c.store("delete session "+short(x), "deleted")
		c.verdict = "session " + short(x) + " (" + user + ") revoked by the admin: its next request gets 401"
	case "allowed token":
		c.side = "token"
		c.store("remove jti "+short(x)+" from allow-list", "removed")
		c.verdict = "token jti " + short(x) + " (" + user + ") removed from the allow-list: refused from its next request"
	case "jti":
		c.side = "token"
		c.store("add jti "+short(x)+" to deny-list", "stored")
		c.verdict = "token jti " + short(x) + " on deny-list: refused from its next request"
	}
	if !ok {
		return
	}
	c.reachAsLearner(msAdminRevoke)
	c.json(http.StatusOK, map[string]any{"revoked": what, "id": x, "message": sentence(c.verdict)})
}

type settingsView struct {
	TokenTTL        string    `json:"token_ttl"`
	Denylist        bool      `json:"denylist"`
	RefreshRotation bool      `json:"refresh_rotation"`
	ReuseDetection  bool      `json:"reuse_detection"`
	Allowlist       bool      `json:"allowlist"`
	Alg             string    `json:"alg"`
	Now             time.Time `json:"now"`
	Note            string    `json:"note,omitempty"`
}

type settingsPatch struct {
	TokenTTL        *string `json:"token_ttl"`
	Denylist        *bool   `json:"denylist"`
	RefreshRotation *bool   `json:"refresh_rotation"`
	ReuseDetection  *bool   `json:"reuse_detection"`
	Allowlist       *bool   `json:"allowlist"`
	Alg             *string `json:"alg"`
}

func (c *call) settingsView() settingsView {
	s := c.st().Settings
	v := settingsView{s.TokenTTL.String(), s.Denylist, s.RefreshRotation, s.ReuseDetection, s.Allowlist, s.Alg, c.now(), ""}
	var notes []string
	if s.Denylist {
		notes = append(notes, "Deny-list: a lookup per request — state again. From now on every token logout puts its jti on the list; a token logged out before it was on is not on it.")
	}
	if s.Allowlist {
		notes = append(notes, "Allow-list: every token must be found in the server's list — a session store by another name; tokens issued while it was off are refused.")
	}
	if s.ReuseDetection && !s.RefreshRotation {
		notes = append(notes, "Reuse detection needs rotation: without it a refresh token is meant to be used again, so reuse is never detected.")
	}
	if s.Alg == algRS256 {
		notes = append(notes, "RS256: the lab's RSA key is made on first use, which takes a moment; tokens get about 256 bytes longer.")
	}
	v.Note = strings.Join(notes, " ")
	return v
}

// GET settings
func (m *Manager) getSettings(c *call) { c.json(http.StatusOK, c.settingsView()) }

// PUT settings: fields not sent keep their value.
func (m *Manager) putSettings(c *call) {
	var p settingsPatch
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		c.fail(http.StatusBadRequest, "bad_request", "send JSON with any of token_ttl, denylist, refresh_rotation, reuse_detection, allowlist, alg ("+err.Error()+")")
		return
	}
	var ttl time.Duration
	if p.TokenTTL != nil {
		d, err := time.ParseDuration(strings.TrimSpace(*p.TokenTTL))
		if err != nil || d < minTokenTTL || d > maxTokenTTL {
			c.fail(http.StatusBadRequest, "bad_request", `token_ttl must be a Go duration from 5s to 24h, like "30s" or "5m"`)
			return
		}
		ttl = d
	}
	if p.Alg != nil && !slices.Contains(validAlgs(), *p.Alg) {
		c.fail(http.StatusBadRequest, "bad_request", "alg must be HS256, RS256 or EdDSA")
		return
	}
	ok := c.update(func(st *labState, _ time.Time) error {
		s := &st.Settings
		if p.TokenTTL != nil {
			s.TokenTTL = ttl
		}
		setIf(&s.Denylist, p.Denylist)
		setIf(&s.RefreshRotation, p.RefreshRotation)
		setIf(&s.ReuseDetection, p.ReuseDetection)
		setIf(&s.Allowlist, p.Allowlist)
		setIf(&s.Alg, p.Alg)
		return nil
	})
	if ok {
		c.json(http.StatusOK, c.settingsView())
	}
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// POST clock {"advance": "10m"}: move the lab's clock forward.
func (m *Manager) advanceClock(c *call) {
	var in struct {
		Advance string `json:"advance"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil {
		c.fail(http.StatusBadRequest, "bad_request", `send {"advance": "10m"}`)
		return
	}
	d, err := time.ParseDuration(strings.TrimSpace(in.Advance))
	if err != nil || d <= 0 || d > maxAdvance {
		c.fail(http.StatusBadRequest, "bad_request", `advance must be a positive Go duration up to 720h, like "10m"`)
		return
	}
	if c.update(func(st *labState, _ time.Time) error {
		if st.Offset+d > maxOffset {
			return userError{http.StatusBadRequest, "clock_limit", fmt.Sprintf("the lab clock is already %s ahead and moves at most %s ahead in all; reset the lab to start again", st.Offset, maxOffset)}
		}
		st.Offset += d
		return nil
	}) {
		c.json(http.StatusOK, map[string]any{"now": c.now(), "offset": c.st().Offset.String()})
	}
}

// POST reset: a fresh lab under the same ID. Every key is new, so every
// token issued before is refused, and the browser's cookie is cleared.
func (m *Manager) resetLab(c *call) {
	if c.update(func(st *labState, _ time.Time) error { st.reset(); return nil }) {
		http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Path: c.cookiePath(), MaxAge: -1, HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
		c.json(http.StatusOK, map[string]any{"reset": true, "now": c.now()})
	}
}
