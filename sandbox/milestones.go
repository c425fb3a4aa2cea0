package sandbox

import (
	"slices"
	"time"
)

// Milestone is one guided step of a lab panel, ticked when an exchange
// achieves it — or the panel's goal (Goal), met when its facts say so.
type Milestone struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Milestone IDs, as reported to OnMilestone and in Exchange.Milestones
// (a goal's is "goal-" + its panel, see goals.go).
const (
	msSessionLogin  = "session-login"
	msTokenLogin    = "token-login"
	msSessionMe     = "session-me"
	msTokenMe       = "token-me"
	msSessionLogout = "session-logout"
	msReplaySession = "replay-session-fails"
	msTokenLogout   = "token-logout"
	msReplayToken   = "replay-token-works"
	msAdminRevoke   = "admin-revoke"
	msDenylist      = "denylist-blocks"
	msTokenExpired  = "token-expired"
	msRefresh       = "refresh"
	msReuse         = "reuse-detected"
)

// Milestones returns the ordered steps of a lab panel (one of Panels),
// or nil for an unknown panel.
// Each call returns a new slice.
func Milestones(panel string) []Milestone {
	switch panel {
	case "twin-login":
		return []Milestone{
			{msSessionLogin, "Log in with a session: the server answers with Set-Cookie"},
			{msTokenLogin, "Log in with a token: the JWT comes back in the JSON body"},
			{msSessionMe, "Call /api/me with the cookie the browser sends by itself"},
			{msTokenMe, "Call /api/me with Authorization: Bearer and compare the sizes"},
		}
	case "revoke-vs-replay":
		return []Milestone{
			{msSessionLogout, "Log out of the session: the server deletes its record"},
			{msReplaySession, "As Mallory, replay the stolen cookie: 401 at once"},
			{msTokenLogout, "Log out of the token: the browser forgets it, the server does nothing"},
			{msReplayToken, "As Mallory, replay the stolen token: still 200 until exp"},
			{msAdminRevoke, "Revoke from the admin panel: the session dies on its next request"},
			{msDenylist, "Turn the deny-list on, then log in and out with a token and replay it: now refused"},
		}
	case "refresh-rotation":
		return []Milestone{
			{msTokenExpired, "Fast-forward the clock past exp: the access token is refused"},
			{msRefresh, "Refresh: a new access token and a new refresh token"},
			{msReuse, "As Mallory, replay an old refresh token: the whole family is revoked"},
		}
	}
	return attackMilestones(panel)
}

// PanelOf is the panel whose step or goal milestone id is, or "" for
// none. Every milestone ID belongs to exactly one panel.
func PanelOf(id string) string {
	if p := goalPanel(id); p != "" {
		return p
	}
	for _, p := range Panels() {
		for _, ms := range Milestones(p) {
			if ms.ID == id {
				return p
			}
		}
	}
	return ""
}

// inPanel keeps the milestones of ids that belong to panel (its steps
// and its goal); a lab bound to no panel ("") keeps them all.
func inPanel(ids []string, panel string) []string {
	if panel == "" || len(ids) == 0 {
		return ids
	}
	steps := Milestones(panel)
	return slices.DeleteFunc(ids, func(id string) bool {
		return id != goalPrefix+panel && !slices.ContainsFunc(steps, func(ms Milestone) bool { return ms.ID == id })
	})
}

// commitMilestones keeps only the milestones of the lab's own panel (an
// exchange of the fixation lab never ticks a revoke-vs-replay step, even
// when the same request would), stores the facts the call noted, judges
// the goal on them, stores the milestones reached for the first time
// (a goal met now among them) and returns those; a call that reached
// nothing new and noted nothing new costs no write.
func (m *Manager) commitMilestones(c *call) []string {
	c.reached = inPanel(c.reached, c.st().Panel)
	var missing []string
	for _, id := range c.reached {
		if !c.st().reached(id) && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 && len(c.facts) == 0 {
		return nil
	}
	var fresh, met []string
	snap, err := m.update(c.r.Context(), c.e, func(st *labState, _ time.Time) error {
		fresh, met = fresh[:0], nil
		added := false
		for _, f := range c.facts {
			added = st.addFact(f) || added
		}
		for _, id := range missing {
			if !st.reached(id) {
				st.Reached = append(st.Reached, id)
				fresh = append(fresh, id)
			}
		}
		met = st.solveGoals()
		fresh = append(fresh, met...)
		if len(fresh) == 0 && !added {
			return errNoChange // another replica got there first
		}
		return nil
	})
	if err != nil {
		m.log.WarnContext(c.r.Context(), "sandbox: record milestone", "err", err)
		return nil
	}
	c.snap = snap
	c.reached = append(c.reached, met...)
	return fresh
}
