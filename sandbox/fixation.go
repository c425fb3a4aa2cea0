package sandbox

import (
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fixation lab. Mallory gets a pre-login session ID from the lab
// (fixation/visit), plants it in the learner's browser (fixation/plant
// stands in for a link carrying the ID, a sibling subdomain's cookie or
// an injected script), and waits for alice to log in. With "rotate ID
// on login" off, session/login keeps the ID the browser came with, so
// Mallory's copy is now alice's session. Session IDs from a counter let
// her skip the planting: she logs in as herself (her own browser, her
// own cookie jar, so alice's session lives on), reads the number she was
// given, and tries the ones next to it.

const maxPlanted = 10

// fixationState is the fixation lab's part of the snapshot.
type fixationState struct {
	KeepID  bool     `json:"keep,omitempty"`    // vulnerable: login keeps the browser's session ID
	Counter bool     `json:"counter,omitempty"` // vulnerable: session IDs from a counter
	Next    int64    `json:"next,omitempty"`    // the counter
	Planted []string `json:"planted,omitempty"` // IDs planted in the learner's browser
}

// newSessionID is 128 random bits, or the next number when the counter
// toggle is on.
func (s *labState) newSessionID() string {
	f := &s.Atk.Fixation
	if !f.Counter {
		return randHex(16)
	}
	for {
		f.Next++
		id := strconv.FormatInt(1000+f.Next, 10)
		if _, taken := s.Sessions[id]; !taken {
			return id
		}
	}
}

// login makes the session for a successful login. The safe default
// replaces whatever session the browser had with a new ID; with KeepID
// on, the ID the browser came with is kept — even one the server never
// issued, as permissive session stores do.
func (s *labState) login(old, user string, now time.Time) (sid string, kept bool) {
	if s.Atk.Fixation.KeepID && validSessionValue(old) {
		ss := s.Sessions[old]
		if ss == nil && len(s.Sessions) < maxSessions {
			if s.Sessions == nil {
				s.Sessions = map[string]*session{}
			}
			ss = &session{Created: now}
			s.Sessions[old] = ss
			delete(s.Tombs, old)
		}
		if ss != nil {
			ss.User, ss.LastSeen = user, now
			return old, true
		}
	}
	if _, had := s.Sessions[old]; had {
		s.bury(old, "replaced by a new login", now)
	}
	return s.addSession(user, now), false
}

// validSessionValue accepts what a session cookie may hold: 1 to 64
// letters, digits, '-' or '_'.
func validSessionValue(v string) bool {
	if v == "" || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isCounterID(sid string) bool {
	_, err := strconv.ParseUint(sid, 10, 63)
	return err == nil
}

// fixationSeen ticks the fixation lab's milestones when Mallory presents
// a session ID to api/me; found says whether it answered 200.
//
// The guess counts only as a guess: an ID next to one the server gave
// Mallory herself (her own login, in her own browser), never the ID of
// her own session and never one the learner's page handed her.
func (c *call) fixationSeen(sid string, found bool) {
	if c.actor != actorAttacker {
		return
	}
	st := c.st()
	f := st.Atk.Fixation
	planted := slices.Contains(f.Planted, sid)
	var user string
	if s := st.Sessions[sid]; s != nil {
		user = s.User
	}
	own := neighbourOf(sid, mallorysOwn(st))
	switch {
	case planted && found:
		c.reach(msFixWorks)
		c.verdict += " — the ID Mallory planted before the login"
		if user != malloryUser {
			c.noteFixation("in:plant")
		}
	case planted:
		if t, ok := st.Tombs[sid]; ok && t.Reason == "replaced by a new login" {
			c.reach(msFixBlocked)
			c.verdict += " — the login rotated the ID, so Mallory's planted copy is worthless"
			c.noteFixation("shut:plant")
		}
	case found && user == malloryUser:
		c.verdict += " — that is Mallory's own session, the ID the server gave her: now she tries the IDs next to it"
	case found && own != "" && isCounterID(sid):
		c.reach(msFixGuess)
		c.verdict += " — Mallory was given " + own + " for her own login and counted to " + sid + ": " + user + "'s session"
		c.noteFixation("in:guess")
	case found && isCounterID(sid):
		c.verdict += " — but Mallory has no ID of her own to count from: let her log in as herself first, then try the numbers next to hers"
	case !found && own != "" && !isCounterID(sid) && !f.Counter:
		if st.reached(msFixGuess) {
			c.reach(msFixRandom)
			c.verdict += " — IDs are 128 random bits now: the neighbour of Mallory's own " + short(own) + " belongs to nobody"
		}
		c.noteFixation("shut:guess")
	}
}

// malloryUser is the demo app's attacker account (any password works).
const malloryUser = "mallory"

// mallorysOwn is the IDs of Mallory's own live sessions, the newest
// first: the ones the server gave her when she logged in as herself.
func mallorysOwn(st *labState) []string {
	var ids []string
	for id, s := range st.Sessions {
		if s.User == malloryUser {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := st.Sessions[b].Created.Compare(st.Sessions[a].Created); c != 0 {
			return c
		}
		return strings.Compare(b, a)
	})
	return ids
}

// maxNeighbour is how far from her own ID Mallory's guess may be and
// still count as counting from it.
const maxNeighbour = 10

// neighbourOf is the ID in own that sid lies nearest to, 1 to
// maxNeighbour away and of the same kind (counter numbers, or 32 hex
// digits); the first in own on a tie; "" when none is near.
func neighbourOf(sid string, own []string) string {
	best, bestD := "", big.NewInt(maxNeighbour+1)
	for _, o := range own {
		if o == sid {
			continue
		}
		var a, b big.Int
		switch {
		case isCounterID(sid) && isCounterID(o):
			a.SetString(sid, 10)
			b.SetString(o, 10)
		case isRandomID(sid) && isRandomID(o):
			a.SetString(sid, 16)
			b.SetString(o, 16)
		default:
			continue
		}
		if d := a.Sub(&a, &b); d.CmpAbs(bestD) < 0 {
			best, bestD = o, d.Abs(d)
		}
	}
	return best
}

// isRandomID reports whether sid looks like a random session ID: 32
// lowercase hex digits.
func isRandomID(sid string) bool {
	if len(sid) != 32 {
		return false
	}
	for i := 0; i < len(sid); i++ {
		if c := sid[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

type fixationView struct {
	RotateOnLogin bool   `json:"rotate_on_login"`
	IDs           string `json:"ids"` // "random" or "counter"
	Planted       string `json:"planted,omitempty"`
	Note          string `json:"note"`
}

func (c *call) fixationView() fixationView {
	f := c.st().Atk.Fixation
	v := fixationView{RotateOnLogin: !f.KeepID, IDs: "random"}
	if f.Counter {
		v.IDs = "counter"
	}
	if n := len(f.Planted); n > 0 {
		v.Planted = f.Planted[n-1]
	}
	v.Note = "Login issues a new session ID and buries the old one: an ID known before the login is worth nothing after it. The cost: one more store write per login."
	if f.KeepID {
		v.Note = "Login keeps the session ID the browser came with: whoever knew it before the login now shares the logged-in session."
	}
	if f.Counter {
		v.Note += " IDs come from a counter: the next and previous ones are someone else's."
	} else {
		v.Note += " IDs are 128 random bits: guessing one is hopeless."
	}
	return v
}

// GET fixation/settings
func (m *Manager) fixationState(c *call) { c.json(http.StatusOK, c.fixationView()) }

// PUT fixation/settings {"rotate_on_login": bool, "ids": "random"|"counter"}
func (m *Manager) fixationSettings(c *call) {
	var p struct {
		Rotate *bool   `json:"rotate_on_login"`
		IDs    *string `json:"ids"`
	}
	if !c.patchJSON(&p, "rotate_on_login, ids") {
		return
	}
	if p.IDs != nil && *p.IDs != "random" && *p.IDs != "counter" {
		c.fail(http.StatusBadRequest, "bad_request", `ids must be "random" or "counter"`)
		return
	}
	if c.update(func(st *labState, _ time.Time) error {
		if p.Rotate != nil {
			st.Atk.Fixation.KeepID = !*p.Rotate
		}
		if p.IDs != nil {
			st.Atk.Fixation.Counter = *p.IDs == "counter"
		}
		return nil
	}) {
		c.json(http.StatusOK, c.fixationView())
	}
}

// POST fixation/visit: a pre-login session, as any visitor gets one
// (Mallory included). It carries no user.
func (m *Manager) fixationVisit(c *call) {
	c.side = "session"
	var sid string
	if !c.update(func(st *labState, now time.Time) error {
		sid = st.addSession("", now)
		return nil
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: sid, Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	c.store("store session "+short(sid), "stored (no user yet)")
	c.verdict = "pre-login session " + short(sid) + " for a visitor: no user in it yet"
	c.json(http.StatusOK, map[string]any{"session_id": sid, "user": nil})
}

// POST fixation/plant {"sid": "…"}: the learner's browser receives the
// session ID Mallory chose — as a link carrying ?sid=, a cookie set by a
// sibling subdomain, or an injected script would deliver it.
func (m *Manager) fixationPlant(c *call) {
	c.side = "session"
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	sid := in["sid"]
	if !validSessionValue(sid) {
		c.fail(http.StatusBadRequest, "bad_request", "sid must be 1 to 64 letters, digits, '-' or '_' (the value of Mallory's lab_sid)")
		return
	}
	if !c.update(func(st *labState, _ time.Time) error {
		f := &st.Atk.Fixation
		f.Planted = append(slices.DeleteFunc(f.Planted, func(s string) bool { return s == sid }), sid)
		if n := len(f.Planted); n > maxPlanted {
			f.Planted = slices.Delete(f.Planted, 0, n-maxPlanted)
		}
		return nil
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: sid, Path: c.cookiePath(), HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
	c.verdict = "Mallory's session ID " + short(sid) + " is now your browser's lab_sid: the next login decides whether it stays"
	c.reachAsLearner(msFixPlant)
	c.json(http.StatusOK, map[string]any{"planted": sid, "message": sentence(c.verdict)})
}

func (m *Manager) addFixationRoutes(rs map[string]route) {
	rs["fixation/settings"] = settingsRoute(m.fixationState, m.fixationSettings)
	rs["fixation/visit"] = recorded(http.MethodPost, m.fixationVisit)
	rs["fixation/plant"] = recorded(http.MethodPost, m.fixationPlant)
}
