package sandbox

import (
	"context"
	"errors"
	"time"
)

// RoomResult counts what a room-wide action touched.
type RoomResult struct {
	Labs     int `json:"labs"`
	Sessions int `json:"sessions"`
	Tokens   int `json:"tokens"`
}

// RevokeOwnerSessions ends every lab session in every live lab of owner:
// a workshop's room-wide moment. Each session fails on its next request;
// the owner's lab tokens keep working until they expire, unless the
// deny-list is on — which is the lesson.
func (m *Manager) RevokeOwnerSessions(ctx context.Context, owner string) (RoomResult, error) {
	return m.eachOwnerLab(ctx, owner, func(st *labState, now time.Time, r *RoomResult) {
		for sid := range st.Sessions {
			st.bury(sid, "revoked by the instructor for the whole room", now)
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
