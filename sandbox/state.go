package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"slices"
	"time"
)

// Lifetimes and caps inside a lab, in lab-clock time. The caps keep the
// snapshot small, since every replica reads it on every request.
const (
	sessionTTL     = 30 * time.Minute // idle timeout of a lab session
	refreshTTL     = 24 * time.Hour
	seenEvery      = 15 * time.Second // last_seen is written at most this often
	tombTTL        = 24 * time.Hour
	maxSessions    = 50
	maxTombs       = 50
	maxFamilies    = 20
	maxFamilyNodes = 50
	maxJTIs        = 200 // each of deny-list, allow-list, logged-out
)

// labState is everything two replicas must agree on about one lab; it is
// the JSON snapshot handed to the Persister. Short JSON names keep it
// small. The owner is not in it: the Persister's owner column is the
// truth (progress moves labs from a guest to an account by that column).
type labState struct {
	V         int64                `json:"v"`               // version, bumped on every save
	Gen       int                  `json:"gen"`             // bumped on reset
	Panel     string               `json:"panel,omitempty"` // the one panel this lab serves; "" = any (see doc.go)
	Created   time.Time            `json:"created"`
	Expires   time.Time            `json:"expires"` // idle deadline, Manager clock
	Offset    time.Duration        `json:"offset"`  // lab clock minus Manager clock
	Settings  settings             `json:"settings"`
	Keys      keyset               `json:"keys"`
	Sessions  map[string]*session  `json:"sessions,omitempty"`
	Tombs     map[string]tombstone `json:"tombs,omitempty"` // why a session is gone
	Families  []*family            `json:"families,omitempty"`
	Deny      map[string]time.Time `json:"deny,omitempty"`       // jti -> exp
	Allow     map[string]allowed   `json:"allow,omitempty"`      // jti -> token
	LoggedOut map[string]time.Time `json:"logged_out,omitempty"` // jti -> exp
	Reached   []string             `json:"reached,omitempty"`    // milestones, in order
	Facts     []string             `json:"facts,omitempty"`      // what the goals are judged from (goals.go)
	Atk       attackState          `json:"atk,omitzero"`         // the attack and scale labs
}

type settings struct {
	TokenTTL        time.Duration `json:"ttl"`
	Denylist        bool          `json:"deny"`
	RefreshRotation bool          `json:"rotate"`
	ReuseDetection  bool          `json:"reuse"`
	Allowlist       bool          `json:"allow"`
	Alg             string        `json:"alg"`
}

func defaultSettings() settings {
	return settings{TokenTTL: 5 * time.Minute, RefreshRotation: true, ReuseDetection: true, Alg: algHS256}
}

type session struct {
	User     string    `json:"u"`
	Created  time.Time `json:"c"`
	LastSeen time.Time `json:"s"`
	Auth     time.Time `json:"a,omitzero"`   // the last active authentication, when a step-up moved it past Created
	StepUp   bool      `json:"su,omitempty"` // made by a step-up (stepup.go)
}

// authTime is when the user last actively authenticated for this
// session: the login that created it, or the step-up that replaced it.
func (s *session) authTime() time.Time {
	if !s.Auth.IsZero() {
		return s.Auth
	}
	return s.Created
}

func (s *session) expires() time.Time { return s.LastSeen.Add(sessionTTL) }

type tombstone struct {
	Reason string    `json:"r"`
	At     time.Time `json:"at"`
}

type allowed struct {
	User string    `json:"u"`
	Exp  time.Time `json:"exp"`
}

// family is a chain of refresh tokens descended from one login.
type family struct {
	ID      string         `json:"id"`
	User    string         `json:"user"`
	Created time.Time      `json:"created"`
	Revoked string         `json:"revoked,omitempty"` // why; empty while alive
	Nodes   []*refreshNode `json:"nodes"`
}

// refreshNode is one refresh token, stored by the hash of its value.
type refreshNode struct {
	ID      string    `json:"id"` // first 128 bits of SHA-256(token), hex
	Parent  string    `json:"parent,omitempty"`
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
	Used    time.Time `json:"used,omitzero"`
	JTI     string    `json:"jti"` // the access token issued alongside
}

func newState(now time.Time) *labState {
	return &labState{Created: now, Settings: defaultSettings(), Keys: newKeyset()}
}

// reset empties the lab but keeps its identity, its panel, its
// clock-independent history (reached milestones and goals, so progress
// is not reported twice) and its version line. Reset clears the lab,
// never the learner's record of the steps done or the goal met; the
// facts toward a goal not yet met are the lab's state and go with it.
func (s *labState) reset() {
	*s = labState{V: s.V, Gen: s.Gen + 1, Panel: s.Panel, Created: s.Created, Settings: panelSettings(s.Panel), Keys: newKeyset(), Reached: s.Reached}
}

func (s *labState) reached(id string) bool { return slices.Contains(s.Reached, id) }

func (s *labState) bury(sid, reason string, now time.Time) {
	delete(s.Sessions, sid)
	if s.Tombs == nil {
		s.Tombs = map[string]tombstone{}
	}
	s.Tombs[sid] = tombstone{Reason: reason, At: now}
}

// addSession stores a new session, evicting the least recently seen one
// when the lab is full.
func (s *labState) addSession(user string, now time.Time) string {
	if s.Sessions == nil {
		s.Sessions = map[string]*session{}
	}
	for len(s.Sessions) >= maxSessions {
		oldest := ""
		for id, ss := range s.Sessions {
			if oldest == "" || ss.LastSeen.Before(s.Sessions[oldest].LastSeen) {
				oldest = id
			}
		}
		s.bury(oldest, "evicted: too many sessions in this lab", now)
	}
	sid := s.newSessionID()
	s.Sessions[sid] = &session{User: user, Created: now, LastSeen: now}
	return sid
}

// prune drops what has expired and holds every collection to its cap.
func (s *labState) prune(now time.Time) {
	for sid, ss := range s.Sessions {
		if now.After(ss.expires()) {
			s.bury(sid, "expired", now)
		}
	}
	for sid, t := range s.Tombs {
		if now.Sub(t.At) > tombTTL {
			delete(s.Tombs, sid)
		}
	}
	capOldest(s.Tombs, maxTombs, func(t tombstone) time.Time { return t.At })
	s.Families = slices.DeleteFunc(s.Families, func(f *family) bool {
		return now.After(f.Created.Add(refreshTTL)) && allExpired(f, now)
	})
	if n := len(s.Families); n > maxFamilies {
		s.Families = slices.Delete(s.Families, 0, n-maxFamilies)
	}
	for _, f := range s.Families {
		if n := len(f.Nodes); n > maxFamilyNodes {
			f.Nodes = slices.Delete(f.Nodes, 0, n-maxFamilyNodes)
		}
	}
	pruneTimes(s.Deny, now)
	pruneTimes(s.LoggedOut, now)
	maps.DeleteFunc(s.Allow, func(_ string, a allowed) bool { return now.After(a.Exp) })
	capOldest(s.Allow, maxJTIs, func(a allowed) time.Time { return a.Exp })
}

func allExpired(f *family, now time.Time) bool {
	for _, n := range f.Nodes {
		if !now.After(n.Expires) {
			return false
		}
	}
	return true
}

func pruneTimes(m map[string]time.Time, now time.Time) {
	maps.DeleteFunc(m, func(_ string, exp time.Time) bool { return now.After(exp) })
	capOldest(m, maxJTIs, func(t time.Time) time.Time { return t })
}

// capOldest deletes the entries with the earliest times until m has at
// most n entries.
func capOldest[V any](m map[string]V, n int, at func(V) time.Time) {
	for len(m) > n {
		oldest := ""
		for k, v := range m {
			if oldest == "" || at(v).Before(at(m[oldest])) {
				oldest = k
			}
		}
		delete(m, oldest)
	}
}

func addTime(m *map[string]time.Time, k string, t time.Time) {
	if *m == nil {
		*m = map[string]time.Time{}
	}
	(*m)[k] = t
}

// randHex returns n random bytes as lowercase hex.
func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// validID reports whether s has the shape of a lab ID (128 bits, hex).
func validID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// short is the first characters of an ID, for verdicts: enough to tell
// two apart on the page.
func short(id string) string {
	if len(id) <= 6 {
		return id
	}
	return id[:6] + "…"
}
