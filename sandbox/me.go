package sandbox

import (
	"net/http"
	"strconv"
	"time"
)

type meBody struct {
	User      string    `json:"user"`
	Via       string    `json:"via"`
	ExpiresAt time.Time `json:"expires_at"`
}

// GET api/me: who am I? An Authorization header is the credential the
// client chose to send, so it wins; otherwise the cookie the browser
// attached by itself. (A browser sends lab_sid with every request under
// the lab's path, token calls included.)
func (m *Manager) apiMe(c *call) {
	if c.r.Header.Get("Authorization") != "" {
		c.meToken(bearer(c.r), false)
		return
	}
	// The token-storage lab's HttpOnly token cookie (storage.go).
	if ck, err := c.r.Cookie(tokenCookie); err == nil && ck.Value != "" {
		c.meToken(ck.Value, true)
		return
	}
	if sid := c.sessionID(); sid != "" {
		c.meSession(sid)
		return
	}
	c.side = "session"
	c.verdict = "no cookie and no Authorization header: the server has nothing to go on"
	c.refuse(reasonNoCredentials, `Bearer realm="lab"`)
}

func (c *call) meSession(sid string) {
	c.side = "session"
	s, now := c.st().Sessions[sid], c.now()
	switch {
	case s == nil:
		reason, why := reasonSessionNotFound, "it never existed in this lab"
		if t, ok := c.st().Tombs[sid]; ok {
			why = "it was " + t.Reason
			if t.Reason == "expired" {
				reason, why = reasonSessionExpired, "it expired after "+sessionTTL.String()+" idle"
			}
		}
		c.store("find session "+short(sid), "not found")
		c.verdict = "no session " + short(sid) + " in store: " + why
		if c.actor == actorAttacker {
			c.reach(msReplaySession)
		}
		c.fixationSeen(sid, false)
		c.refuse(reason, `Bearer realm="lab"`)
		return
	case now.After(s.expires()):
		c.store("find session "+short(sid), "expired")
		c.verdict = "session " + short(sid) + " found but idle for " + ago(now.Sub(s.LastSeen)) + ": expired, now deleted"
		if !c.update(func(st *labState, now time.Time) error {
			if st.Sessions[sid] != nil {
				st.bury(sid, "expired", now)
			}
			return nil
		}) {
			return
		}
		if c.actor == actorAttacker {
			c.reach(msReplaySession)
		}
		c.refuse(reasonSessionExpired, `Bearer realm="lab"`)
		return
	}
	user := s.User
	if user == "" {
		c.store("find session "+short(sid), "found: no user")
		c.verdict = "session " + short(sid) + " found, but nobody has logged in with it (a pre-login session)"
		c.refuse(reasonNotLoggedIn, `Bearer realm="lab"`)
		return
	}
	if now.Sub(s.LastSeen) >= seenEvery {
		if !c.update(func(st *labState, now time.Time) error {
			if s := st.Sessions[sid]; s != nil {
				s.LastSeen = now
			}
			return nil
		}) {
			return
		}
		if ns := c.st().Sessions[sid]; ns != nil {
			s = ns
		}
	}
	c.store("find session "+short(sid), "found: "+user)
	c.verdict = "session " + short(sid) + " found in store (" + user + ")"
	c.noteMe("session", user)
	if c.r.Header.Get(payloadHdr) == "xss" {
		c.verdict += " — sent by the injected script: the browser attached the HttpOnly session cookie by itself"
		c.noteRidden()
	}
	if c.actor == actorLearner {
		c.reach(msSessionMe)
	} else {
		c.verdict += " — the cookie is all it takes: to the server, Mallory is " + user
	}
	c.fixationSeen(sid, true)
	c.json(http.StatusOK, meBody{User: user, Via: "session", ExpiresAt: s.expires()})
}

func (c *call) meToken(raw string, fromCookie bool) {
	c.side = "token"
	if raw == "" {
		c.verdict = `the Authorization header is not "Bearer <token>"`
		c.refuse(reasonMalformed, `Bearer realm="lab", error="invalid_request"`)
		return
	}
	chk := c.checkAccess(raw)
	if chk.lookedUp {
		c.store("look up jti "+short(chk.jti), orString(chk.reason, "ok"))
	}
	c.verdict = chk.detail
	if chk.reason != "" {
		switch chk.reason {
		case reasonTokenExpired:
			c.reach(msTokenExpired)
		case reasonTokenRevoked:
			c.reach(msDenylist)
		case reasonKeyRetired:
			c.reach(msRotRetired)
		}
		c.noteTokenRefused(chk)
		c.refuse(chk.reason, `Bearer realm="lab", error="invalid_token", error_description=`+strconv.Quote(chk.reason))
		return
	}
	c.storageSeen(raw, fromCookie)
	c.noteMe("token", chk.user)
	c.noteTokenAccepted(chk)
	if fromCookie {
		c.noteRidden()
	}
	if c.st().Keys.isPastKid(chk.kid) {
		c.verdict += "; kid " + chk.kid + " is a previous key, still trusted until it is retired"
		c.reach(msRotOldVerifies)
	}
	if c.actor == actorLearner {
		c.reach(msTokenMe)
	} else if _, out := c.st().LoggedOut[chk.jti]; out {
		c.verdict += " — the victim logged this token out, but nothing on the server knows"
		if c.st().Settings.Denylist {
			// A deny-list is written at logout: this logout happened
			// while it was off, so the list never heard of the token.
			c.verdict += ": it was logged out while the deny-list was off, and a deny-list only knows the logouts it saw — log in again, log out, and replay that token"
		}
		c.reach(msReplayToken)
	}
	c.json(http.StatusOK, meBody{User: chk.user, Via: "token", ExpiresAt: chk.exp})
}

// refuse answers 401 with a WWW-Authenticate challenge and {error, reason}.
func (c *call) refuse(reason, challenge string) {
	c.w.Header().Set("WWW-Authenticate", challenge)
	code := "unauthorized"
	if c.side == "token" {
		code = "invalid_token"
	}
	c.fail(http.StatusUnauthorized, code, reason)
}

// POST token/logout: with the deny-list off the server has nothing to
// forget — logging out is the client dropping its copy; with it on, the
// jti is refused until exp.
func (m *Manager) tokenLogout(c *call) {
	c.side = "token"
	raw := bearer(c.r)
	if raw == "" {
		c.fail(http.StatusBadRequest, "bad_request", "send the access token in Authorization: Bearer <token>")
		return
	}
	chk := c.checkAccess(raw)
	if chk.reason != "" && chk.reason != reasonTokenRevoked && chk.reason != reasonNotAllowed {
		c.verdict = "nothing to log out: " + chk.detail
		c.json(http.StatusOK, map[string]any{"revoked": false, "message": sentence(c.verdict)})
		return
	}
	var deny, allow bool
	ok := c.update(func(st *labState, now time.Time) error {
		addTime(&st.LoggedOut, chk.jti, chk.exp)
		if deny = st.Settings.Denylist; deny {
			addTime(&st.Deny, chk.jti, chk.exp)
		}
		if _, allow = st.Allow[chk.jti]; allow {
			delete(st.Allow, chk.jti)
		}
		return nil
	})
	if !ok {
		return
	}
	left := ago(chk.exp.Sub(c.now()))
	switch {
	case deny:
		c.store("add jti "+short(chk.jti)+" to deny-list", "stored")
		c.verdict = "token jti " + short(chk.jti) + " on deny-list for its last " + left + ": every request now pays a lookup — state again"
	case allow:
		c.store("remove jti "+short(chk.jti)+" from allow-list", "removed")
		c.verdict = "token jti " + short(chk.jti) + " removed from the allow-list: refused from now on"
	default:
		c.verdict = "the server holds no token state: the token stays valid until exp (" + left + " more)"
	}
	c.reachAsLearner(msTokenLogout)
	c.json(http.StatusOK, map[string]any{"revoked": deny || allow, "message": sentence(c.verdict), "expires_at": chk.exp})
}
