package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The step-up lab. A bank in the lab moves money only for a login at
// most stepUpMaxAge old on the lab clock: being logged in is not enough,
// the user must have proved who they are recently. The freshness is the
// auth_time the server recorded at the last active authentication —
// never the session's last request, nor a token's iat.
//
//   - Session: stepup/session/login is the ordinary session login; its
//     record's creation time is its auth_time. A transfer on a stale
//     session gets 403 reauthentication_required with the max_age;
//     stepup/session/reauth checks the password again, records a new
//     auth_time and issues a new session ID (the old one dies), as
//     OWASP asks after any privilege change (ASVS 5.0 V7.2.4).
//   - Token: stepup/token logs in and returns a JWT carrying auth_time,
//     acr and amr (OIDC Core §2, RFC 9068 §2.2.1). A transfer with a
//     token whose auth_time is too old — or absent — gets RFC 9470 §3's
//     401 with WWW-Authenticate: Bearer
//     error="insufficient_user_authentication", max_age="300". The client
//     answers by authenticating again (stepup/token with the password):
//     a fresh token with a newer auth_time. The lab issues no refresh
//     token here; a refresh would keep the old auth_time (OIDC Core §12.2).
//
// The lab clock moves the login into the past (the panel's "let 10
// minutes pass" is POST clock). Access tokens live stepUpTokenTTL in
// this panel, longer than max_age, so a token can be valid and still
// too old for the bank: the point of the lab.

const (
	stepUpMaxAge   = 5 * time.Minute
	stepUpTokenTTL = 15 * time.Minute
	stepUpACR      = "urn:authlab:acr:password" // the lab's one class: a password, checked by the lab
	maxStepUpSent  = 20
)

// stepUpState is what the step-up bank keeps: the transfers it made.
type stepUpState struct {
	Transfers []transfer `json:"xfers,omitempty"`
}

// left is what user has after the transfers on record, from startBalance.
func (s *stepUpState) left(user string) int {
	n := startBalance
	for _, t := range s.Transfers {
		if t.From == user {
			n -= t.Amount
		}
		if t.To == user {
			n += t.Amount
		}
	}
	return n
}

// stepUpClaims are a step-up token's claims: the registered ones and
// what the login was (OIDC Core §2; RFC 9068 §2.2.1 for access tokens).
type stepUpClaims struct {
	jwt.RegisteredClaims
	AuthTime int64    `json:"auth_time,omitempty"`
	ACR      string   `json:"acr,omitempty"`
	AMR      []string `json:"amr,omitempty"`
}

// stepUpChallenge is the RFC 9470 §3 challenge of a transfer whose
// token's login is too old (or unknown).
func stepUpChallenge() string {
	return `Bearer error="insufficient_user_authentication", error_description="A login within the last 5 minutes is required", max_age="` +
		strconv.Itoa(int(stepUpMaxAge/time.Second)) + `"`
}

// tooOld reports whether a login at auth (zero: unknown) is older than
// the bank's max_age at now. A login exactly max_age old still counts.
func tooOld(auth, now time.Time) bool {
	return auth.IsZero() || now.Sub(auth) > stepUpMaxAge
}

// POST stepup/token {username, password}: a JWT that records the login:
// auth_time now, acr, amr ["pwd"]. Logging in again is how a client
// answers the step-up challenge.
func (m *Manager) stepUpToken(c *call) {
	c.side = "token"
	cr, ok := c.credentials()
	if !ok || !c.ensureRSA() {
		return
	}
	var access string
	var authTime time.Time
	ok = c.update(func(st *labState, now time.Time) error {
		authTime = now.Truncate(time.Second)
		var err error
		access, _, err = c.issueAccessWith(st, now, cr.Username, func(rc jwt.RegisteredClaims) jwt.Claims {
			return stepUpClaims{RegisteredClaims: rc, AuthTime: authTime.Unix(), ACR: stepUpACR, AMR: []string{"pwd"}}
		})
		return err
	})
	if !ok {
		return
	}
	c.verdict = "password checked: a JWT for " + cr.Username + " with auth_time " + authTime.Format("15:04:05") + " (now), acr and amr [pwd]; it is valid " + c.st().Settings.TokenTTL.String() + ", the bank wants a login younger than " + stepUpMaxAge.String()
	c.w.Header().Set("Pragma", "no-cache")
	c.json(http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": int(c.st().Settings.TokenTTL / time.Second),
		"auth_time": authTime.Unix(), "acr": stepUpACR, "amr": []string{"pwd"}})
}

// POST stepup/session/reauth {password}: the session's user proves who
// they are again. The record gets a new auth_time under a new session ID;
// the old ID is deleted, so a copy of it taken before the step-up is
// worth nothing after.
func (m *Manager) stepUpReauth(c *call) {
	c.side = "session"
	sid := c.sessionID()
	s := c.st().Sessions[sid]
	if sid == "" || s == nil || s.User == "" || c.now().After(s.expires()) {
		c.verdict = "no live session to step up: log in first"
		c.refuse(reasonSessionNotFound, `Bearer realm="lab"`)
		return
	}
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	if !checkPassword(s.User, in["password"]) {
		c.verdict = "re-authentication refused: wrong password for " + s.User + "; the session keeps its old auth_time"
		c.refuse("wrong password", `Bearer realm="lab"`)
		return
	}
	user := s.User
	var fresh string
	var authTime time.Time
	if !c.update(func(st *labState, now time.Time) error {
		if st.Sessions[sid] == nil {
			return userError{http.StatusUnauthorized, "unauthorized", reasonSessionNotFound}
		}
		st.bury(sid, "replaced at step-up", now)
		fresh = st.addSession(user, now)
		authTime = now
		st.Sessions[fresh].Auth, st.Sessions[fresh].StepUp = now, true
		return nil
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: fresh, Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	c.store("delete session "+short(sid)+", store "+short(fresh), "stored ("+user+", auth_time now)")
	c.verdict = "password checked again: session " + short(sid) + " deleted, new session " + short(fresh) + " with auth_time " + authTime.Format("15:04:05") + " — a copy of the old ID is now worthless"
	c.json(http.StatusOK, map[string]any{"user": user, "auth_time": authTime.Unix(), "amr": []string{"pwd"}, "acr": stepUpACR, "session_rotated": true})
}

// POST stepup/transfer {to, amount}: with Authorization: Bearer (which
// wins) or the session cookie. Refused when the login behind the
// credential is older than max_age.
func (m *Manager) stepUpTransfer(c *call) {
	var user string
	var auth time.Time
	var stepped bool
	if c.r.Header.Get("Authorization") != "" {
		c.side = "token"
		raw := bearer(c.r)
		chk := c.checkAccess(raw)
		if raw == "" || chk.reason != "" {
			c.verdict = "no transfer: " + orString(chk.detail, `the Authorization header is not "Bearer <token>"`)
			c.refuse(orString(chk.reason, reasonMalformed), `Bearer realm="lab", error="invalid_token"`)
			return
		}
		var claims stepUpClaims
		// The signature was checked above; this reads the claims again
		// for the one checkAccess does not keep.
		if _, _, err := jwt.NewParser().ParseUnverified(raw, &claims); err == nil && claims.AuthTime > 0 {
			auth = time.Unix(claims.AuthTime, 0)
		}
		user = chk.user
		if tooOld(auth, c.now()) {
			c.verdict = "no transfer: the token is valid, but " + loginAge(auth, c.now()) + "; RFC 9470 challenge: authenticate again"
			c.reachAsLearner(msSUTokenStale)
			c.note("step-up", "stale:token")
			c.w.Header().Set("WWW-Authenticate", stepUpChallenge())
			c.json(http.StatusUnauthorized, map[string]any{"error": "insufficient_user_authentication", "max_age": int(stepUpMaxAge / time.Second),
				"message": "The token is valid, but its login is too old for a transfer. Log in again for a fresh token."})
			return
		}
	} else {
		c.side = "session"
		sid := c.sessionID()
		s := c.st().Sessions[sid]
		if sid == "" || s == nil || s.User == "" || c.now().After(s.expires()) {
			reason := reasonSessionNotFound
			if sid == "" {
				reason = reasonNoCredentials
			}
			c.verdict = "no transfer: no live session came with the request"
			c.refuse(reason, `Bearer realm="lab"`)
			return
		}
		c.store("find session "+short(sid), "found: "+s.User+", auth_time "+s.authTime().Format("15:04:05"))
		user, auth, stepped = s.User, s.authTime(), s.StepUp
		if tooOld(auth, c.now()) {
			c.verdict = "no transfer: session " + short(sid) + " is valid, but " + loginAge(auth, c.now()) + "; re-enter the password"
			c.reachAsLearner(msSUSessionStale)
			c.note("step-up", "stale:session")
			c.json(http.StatusForbidden, map[string]any{"error": "reauthentication_required", "max_age": int(stepUpMaxAge / time.Second), "auth_time": auth.Unix(),
				"message": "You are logged in, but not recently enough for a transfer. Re-enter your password."})
			return
		}
	}
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	to := strings.TrimSpace(in["to"])
	amount, err := strconv.Atoi(strings.TrimSpace(in["amount"]))
	switch {
	case !slices.Contains([]string{"alice", "bob", "mallory"}, to):
		c.fail(http.StatusBadRequest, "bad_request", "to must be alice, bob or mallory")
		return
	case to == user:
		c.fail(http.StatusBadRequest, "bad_request", "a transfer to yourself changes nothing")
		return
	case err != nil || amount < 1 || amount > startBalance:
		c.fail(http.StatusBadRequest, "bad_request", "amount must be a whole number from 1 to "+strconv.Itoa(startBalance))
		return
	}
	var left int
	if !c.update(func(st *labState, now time.Time) error {
		b := &st.Atk.StepUp
		if b.left(user) < amount {
			return userError{http.StatusBadRequest, "insufficient_funds", user + " has only " + strconv.Itoa(b.left(user))}
		}
		b.Transfers = append(b.Transfers, transfer{From: user, To: to, Amount: amount, At: now})
		if n := len(b.Transfers); n > maxStepUpSent {
			b.Transfers = slices.Delete(b.Transfers, 0, n-maxStepUpSent)
		}
		left = b.left(user)
		return nil
	}) {
		return
	}
	c.verdict = "transferred " + strconv.Itoa(amount) + " from " + user + " to " + to + ": the " + c.side + "'s login is " + ago(c.now().Sub(auth)) + " old, within max_age " + stepUpMaxAge.String()
	if c.known("step-up", "stale:"+c.side) {
		c.note("step-up", "ok:"+c.side)
	}
	switch {
	case c.side == "session" && stepped:
		c.reachAsLearner(msSUSessionStepUp)
	case c.side == "token" && (c.known("step-up", "stale:token") || c.st().reached(msSUTokenStale)):
		c.reachAsLearner(msSUTokenFresh)
	}
	c.json(http.StatusOK, map[string]any{"transferred": amount, "from": user, "to": to, "left": left, "auth_time": auth.Unix(), "via": c.side})
}

// loginAge says how old a login is, for a verdict.
func loginAge(auth, now time.Time) string {
	if auth.IsZero() {
		return "it says nothing about when the user logged in (no auth_time)"
	}
	return "its login (auth_time " + auth.Format("15:04:05") + ") is " + ago(now.Sub(auth)) + " old, over max_age " + stepUpMaxAge.String()
}

func (m *Manager) addStepUpRoutes(rs map[string]route) {
	rs["stepup/session/login"] = recorded(http.MethodPost, m.sessionLogin)
	rs["stepup/session/reauth"] = recorded(http.MethodPost, m.stepUpReauth)
	rs["stepup/token"] = recorded(http.MethodPost, m.stepUpToken)
	rs["stepup/transfer"] = recorded(http.MethodPost, m.stepUpTransfer)
}
