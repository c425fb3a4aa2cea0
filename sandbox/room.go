package sandbox

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// RoomResult counts what a room-wide action touched.
type RoomResult struct {
	Labs     int `json:"labs"`
	Sessions int `json:"sessions"`
	Tokens   int `json:"tokens"`
}

// roomRevoked is the tombstone reason of a session the room-wide moment
// ended; OwnerSides reads it.
const roomRevoked = "revoked by the instructor for the whole room"

// RevokeOwnerSessions ends every lab session in every live lab of owner:
// a workshop's room-wide moment. Each session fails on its next request;
// the owner's lab tokens keep working until they expire, unless the
// deny-list is on — which is the lesson.
func (m *Manager) RevokeOwnerSessions(ctx context.Context, owner string) (RoomResult, error) {
	return m.eachOwnerLab(ctx, owner, func(st *labState, now time.Time, r *RoomResult) {
		for sid := range st.Sessions {
			st.bury(sid, roomRevoked, now)
			r.Sessions++
		}
	})
}

// SetOwnerDenylist turns the token deny-list on or off in every live lab
// of owner.
func (m *Manager) SetOwnerDenylist(ctx context.Context, owner string, on bool) (RoomResult, error) {
	return m.eachOwnerLab(ctx, owner, func(st *labState, _ time.Time, _ *RoomResult) {
		st.Settings.Denylist = on
	})
}

// DenyOwnerTokens is the second half of the room-wide moment: it turns
// the deny-list on in every live lab of owner and puts the jti of every
// access token those labs issued that may still be unexpired on it, so
// each of them fails on its next request — the revocation a JWT alone
// cannot give, bought with a lookup on every request.
func (m *Manager) DenyOwnerTokens(ctx context.Context, owner string) (RoomResult, error) {
	return m.eachOwnerLab(ctx, owner, func(st *labState, now time.Time, r *RoomResult) {
		st.Settings.Denylist = true
		for _, f := range st.Families {
			for _, n := range f.Nodes {
				exp := n.Issued.Add(maxTokenTTL) // whatever the TTL was then, no token outlives that
				if n.JTI == "" || !now.Before(exp) {
					continue
				}
				if _, done := st.Deny[n.JTI]; !done {
					addTime(&st.Deny, n.JTI, exp)
					r.Tokens++
				}
			}
		}
	})
}

func (m *Manager) eachOwnerLab(ctx context.Context, owner string, fn func(*labState, time.Time, *RoomResult)) (RoomResult, error) {
	var res RoomResult
	if owner == "" {
		return res, nil
	}
	idx, err := m.loadIndex(ctx, owner)
	if err != nil {
		return res, err
	}
	for _, l := range idx {
		e, _, err := m.open(ctx, owner, l.ID, false)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return res, err
		}
		if _, err := m.update(ctx, e, func(st *labState, now time.Time) error {
			fn(st, now, &res)
			return nil
		}); err != nil && !errors.Is(err, ErrNotFound) {
			return res, err
		}
		res.Labs++
	}
	return res, nil
}

// Sides is how each side of an owner's labs would answer now, as the
// HTTP status the lab's own page would see: 200 let in, 401 refused, 0
// not logged in on that side.
type Sides struct {
	Session int `json:"session"`
	Token   int `json:"token"`
}

// OwnerSides reads, from the labs' state on the server, how owner's labs
// would answer on each side: what a workshop's board tallies after the
// room-wide moment, whatever the attendee's page reports. Over several
// labs, a side let in anywhere is in, else refused anywhere is refused.
//
// The session side is in while a lab session lives, refused when one
// was ended by the room-wide revoke (a logout leaves nothing to send);
// the token side follows the newest access token a lab issued, unless
// it was logged out: refused when expired, deny-listed or not on the
// allow-list, else in.
func (m *Manager) OwnerSides(ctx context.Context, owner string) (Sides, error) {
	var out Sides
	if owner == "" {
		return out, nil
	}
	idx, err := m.loadIndex(ctx, owner)
	if err != nil {
		return out, err
	}
	for _, l := range idx {
		_, snap, err := m.open(ctx, owner, l.ID, false)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		st := snap.st
		s, t := st.sides(m.now().Add(st.Offset))
		out.Session, out.Token = strongerSide(out.Session, s), strongerSide(out.Token, t)
	}
	return out, nil
}

// sides is OwnerSides for one lab at the lab's time now.
func (s *labState) sides(now time.Time) (session, token int) {
	for _, x := range s.Sessions {
		if now.Before(x.expires()) {
			session = http.StatusOK
			break
		}
	}
	if session == 0 {
		for _, t := range s.Tombs {
			if t.Reason == roomRevoked {
				session = http.StatusUnauthorized
				break
			}
		}
	}
	var newest *refreshNode
	for _, f := range s.Families {
		for _, n := range f.Nodes {
			if n.JTI != "" && (newest == nil || !n.Issued.Before(newest.Issued)) { // the later-issued one of a tie
				newest = n
			}
		}
	}
	if newest == nil {
		return session, 0
	}
	if _, out := s.LoggedOut[newest.JTI]; out {
		return session, 0
	}
	_, denied := s.Deny[newest.JTI]
	_, allowed := s.Allow[newest.JTI]
	switch {
	case !now.Before(newest.Issued.Add(s.Settings.TokenTTL)),
		s.Settings.Denylist && denied,
		s.Settings.Allowlist && !allowed:
		return session, http.StatusUnauthorized
	}
	return session, http.StatusOK
}

// strongerSide combines one side of two labs: in beats refused beats
// not logged in.
func strongerSide(a, b int) int {
	rank := func(s int) int {
		switch s {
		case http.StatusOK:
			return 2
		case 0:
			return 0
		}
		return 1
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}
