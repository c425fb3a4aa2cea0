package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Goals. Every panel states one goal, a challenge in one sentence (the
// lesson that sets it has its text, see docs/content.md), and the lab
// decides on the server whether it was met — from what its endpoints
// saw, not from which steps were ticked, so a learner who reaches the
// goal another valid way solves it too.
//
// A goal is a milestone like the steps (reported once through
// OnMilestone, kept in Reached across resets, listed in the exchange
// that reached it), but it is not a step: Milestones(panel) lists the
// steps, Goal(panel) the goal. Its test reads facts: short observations
// the handlers note as they answer ("Mallory's copy of a logged-out
// token was refused"), each "panel:what", kept in the lab's snapshot
// until the goal is met or the lab is reset. A fact is written once,
// with the milestones of the same request; a lab whose goal is met
// notes nothing more.

// goalDef is one panel's goal: its milestone ID, a stand-in statement
// (the lessons have the real text) and its test over the lab's facts.
type goalDef struct {
	panel, text string
	solved      func(f facts) bool
}

// facts is one panel's facts, without the "panel:" prefix.
type facts []string

func (f facts) has(what string) bool { return slices.Contains(f, what) }

// goalDefs are the panels' goals, in the order of Panels.
var goalDefs = []goalDef{
	{"twin-login", "Get /api/me to answer as alice twice: once from a session cookie, once from a bearer token.",
		func(f facts) bool { return f.has("session") && f.has("token") }},
	{"revoke-vs-replay", "Log alice out, then make Mallory's copy of her token stop working — without rotating the key.",
		func(f facts) bool { return f.has("refused") }},
	{"refresh-rotation", "Renew alice's expired access token without her password, and make sure an old refresh token replayed by Mallory is refused.",
		func(f facts) bool { return f.has("renewed") && f.has("refused") }},
	{"jwt-forgery", "Get forgery/me to call you an admin with a token the lab never signed, then make the server refuse that same token.",
		func(f facts) bool { return f.has("blocked") }},
	{"fixation", "Get Mallory into alice's session without stealing anything from alice, then close the hole she used.",
		func(f facts) bool {
			return (f.has("in:plant") && f.has("shut:plant")) || (f.has("in:guess") && f.has("shut:guess"))
		}},
	{"key-rotation", "A signing key has leaked: make every token it signed fail at once, while tokens from the key that replaces it keep working.",
		func(f facts) bool { return f.has("dead") && f.has("alive") }},
	{"opaque-vs-jwt", "Revoke one of alice's logins, then show that one of its tokens dies at once while another lives on.",
		func(f facts) bool {
			return slices.ContainsFunc(f, func(s string) bool {
				jti, ok := strings.CutPrefix(s, "dead:")
				return ok && f.has("lives:"+jti)
			})
		}},
	{"cost", "Measure what the deny-list adds to every token check on this server.",
		func(f facts) bool { return f.has("off") && f.has("on") }},
	{"token-storage", "Keep alice's token where the injected script cannot steal it, then find out what the script can still do.",
		func(f facts) bool { return f.has("kept") && f.has("ridden") }},
	{"csrf", "Let the evil page move alice's money with her own cookie, then make the same page fail while she stays logged in.",
		func(f facts) bool { return f.has("stopped") }},
	{"cluster", "Restart (deploy) a node after alice logs in, and make that node still accept her login.",
		func(f facts) bool { return f.has("survived") }},
	{"step-up", "Let alice's login grow too old for the bank, then get a transfer through again — once on a session, once with a token — without changing the bank's rule.",
		func(f facts) bool { return f.has("ok:session") && f.has("ok:token") }},
}

// goalPrefix starts every goal milestone ID: "goal-" + the panel.
const goalPrefix = "goal-"

// Goal is the goal of a lab panel (one of Panels): the milestone that
// says it was met, with a stand-in statement for a panel no lesson sets
// a goal for. It is the zero Milestone for an unknown panel.
func Goal(panel string) Milestone {
	for _, g := range goalDefs {
		if g.panel == panel {
			return Milestone{ID: goalPrefix + panel, Text: g.text}
		}
	}
	return Milestone{}
}

// goalPanel is the panel whose goal id is, or "".
func goalPanel(id string) string {
	p, ok := strings.CutPrefix(id, goalPrefix)
	if !ok || Goal(p).ID == "" {
		return ""
	}
	return p
}

// note records a fact of panel's goal for this request. A lab bound to
// another panel, or whose goal is already met, notes nothing: its facts
// could decide nothing.
func (c *call) note(panel, what string) {
	st := c.st()
	if (st.Panel != "" && st.Panel != panel) || st.reached(goalPrefix+panel) {
		return
	}
	if f := panel + ":" + what; !slices.Contains(st.Facts, f) && !slices.Contains(c.facts, f) {
		c.facts = append(c.facts, f)
	}
}

// known reports whether panel's fact is on record or noted by this request.
func (c *call) known(panel, what string) bool {
	f := panel + ":" + what
	return slices.Contains(c.st().Facts, f) || slices.Contains(c.facts, f)
}

// knownWith is the first fact of panel starting with prefix, on record
// or noted by this request, without the prefix; ok is false for none.
func (c *call) knownWith(panel, prefix string) (rest string, ok bool) {
	p := panel + ":" + prefix
	for _, list := range [][]string{c.facts, c.st().Facts} {
		for _, f := range slices.Backward(list) {
			if r, ok := strings.CutPrefix(f, p); ok {
				return r, true
			}
		}
	}
	return "", false
}

// maxFacts caps a lab's facts; the oldest go first.
const maxFacts = 48

// addFact keeps f, and reports whether it is new.
func (s *labState) addFact(f string) bool {
	if slices.Contains(s.Facts, f) {
		return false
	}
	s.Facts = append(s.Facts, f)
	if n := len(s.Facts); n > maxFacts {
		s.Facts = slices.Delete(s.Facts, 0, n-maxFacts)
	}
	return true
}

// solveGoals adds to Reached the goals the lab's facts now meet (the
// lab's own panel's, or every panel's for a lab bound to none), drops
// the facts of a met goal, and returns the goals met now.
func (s *labState) solveGoals() []string {
	var met []string
	for _, g := range goalDefs {
		id := goalPrefix + g.panel
		if (s.Panel != "" && s.Panel != g.panel) || s.reached(id) {
			continue
		}
		if g.solved(s.factsOf(g.panel)) {
			s.Reached = append(s.Reached, id)
			met = append(met, id)
			s.Facts = slices.DeleteFunc(s.Facts, func(f string) bool { return strings.HasPrefix(f, g.panel+":") })
		}
	}
	return met
}

// factsOf is panel's facts without their prefix.
func (s *labState) factsOf(panel string) facts {
	var out facts
	for _, f := range s.Facts {
		if rest, ok := strings.CutPrefix(f, panel+":"); ok {
			out = append(out, rest)
		}
	}
	return out
}

// ---- What each panel notes -------------------------------------------------
//
// The handlers call these where they decide an answer; each says what
// the fact means for its goal.

// noteMe: /api/me answered 200 for user through a session cookie or a
// bearer token (twin-login: the two ways, whoever sent them).
func (c *call) noteMe(via, user string) {
	if user == "alice" {
		c.note("twin-login", via)
	}
}

// noteTokenRefused: /api/me refused an access token. Mallory's copy of a
// token alice logged out, refused by the deny-list or the allow-list,
// meets revoke-vs-replay's goal (waiting for exp does not: nobody
// revoked it); a token of a retired key is key-rotation's "dead".
func (c *call) noteTokenRefused(chk tokenCheck) {
	switch chk.reason {
	case reasonTokenRevoked, reasonNotAllowed:
		if _, out := c.st().LoggedOut[chk.jti]; out && c.actor == actorAttacker && chk.user == "alice" {
			c.note("revoke-vs-replay", "refused")
		}
	case reasonKeyRetired:
		c.note("key-rotation", "dead")
	}
}

// noteTokenAccepted: /api/me accepted an access token. After a key was
// retired, a token of the key that signs now is key-rotation's "alive".
func (c *call) noteTokenAccepted(chk tokenCheck) {
	st := c.st()
	if len(st.Keys.Retired) > 0 && chk.kid == currentKid(&st.Keys, st.Settings.Alg) {
		c.note("key-rotation", "alive")
	}
}

// noteRefreshed: the learner renewed an access token with a refresh
// token; expired says the access token issued with that refresh token
// had expired (refresh-rotation's "renewed": no password needed).
func (c *call) noteRefreshed(expired bool) {
	if expired && c.actor == actorLearner {
		c.note("refresh-rotation", "renewed")
	}
}

// noteRefreshRefused: a genuine refresh token of this lab was refused
// (spent, or its family revoked). From Mallory's console that is her
// stolen copy made worthless, by rotation alone or with reuse detection.
func (c *call) noteRefreshRefused() {
	if c.actor == actorAttacker {
		c.note("refresh-rotation", "refused")
	}
}

// noteForgery: forgery/me answered a forged token (kind != ""). One
// that made the caller an admin is remembered by its hash; the safe
// verifier refusing that same token meets the goal.
func (c *call) noteForgery(raw string, accepted, admin, naive bool) {
	h := tokenHash(raw)
	switch {
	case accepted && admin:
		c.note("jwt-forgery", "admin:"+h)
	case !accepted && !naive && c.known("jwt-forgery", "admin:"+h):
		c.note("jwt-forgery", "blocked")
	}
}

// noteOpaqueDead: a revoked opaque token was refused (or introspected
// inactive); the fact names its login by the JWT issued with it.
func (c *call) noteOpaqueDead(value string) {
	if t := c.st().Atk.Opaque.find(value); t != nil {
		c.note("opaque-vs-jwt", "dead:"+t.JTI)
	}
}

// noteCostRun: a cost measurement with the deny-list on or off.
func (c *call) noteCostRun(denylist bool) {
	if denylist {
		c.note("cost", "on")
	} else {
		c.note("cost", "off")
	}
}

// noteNothingStolen: the injected script sent Mallory nothing. It counts
// when the request carried a live HttpOnly credential the script could
// not read: the token cookie, or a session cookie.
func (c *call) noteNothingStolen() {
	if ck, err := c.r.Cookie(tokenCookie); err == nil && ck.Value != "" && c.checkAccess(ck.Value).reason == "" {
		c.note("token-storage", "kept")
		return
	}
	if s := c.st().Sessions[c.sessionID()]; s != nil && s.User != "" && !c.now().After(s.expires()) {
		c.note("token-storage", "kept")
	}
}

// noteRidden: /api/me answered 200 to the injected script through a
// cookie the browser attached by itself.
func (c *call) noteRidden() {
	if c.r.Header.Get(payloadHdr) == "xss" {
		c.note("token-storage", "ridden")
	}
}

// noteCSRFIn: a transfer from another origin went through on the
// victim's cookie.
func (c *call) noteCSRFIn() { c.note("csrf", "in") }

// noteCSRFStopped: a forged transfer from another origin was refused by
// a defence, after one went through. A refusal for want of a cookie
// counts only while the victim still has a live bank session: logging
// out is no defence.
func (c *call) noteCSRFStopped(needSession bool) {
	if !c.known("csrf", "in") {
		return
	}
	if needSession && !c.liveBankSession() {
		return
	}
	c.note("csrf", "stopped")
}

// liveBankSession reports whether someone is still logged in to the bank.
func (c *call) liveBankSession() bool {
	st := c.st()
	for _, b := range st.Atk.CSRF.Issued {
		if s := st.Sessions[b.SID]; s != nil && s.User != "" && !c.now().After(s.expires()) {
			return true
		}
	}
	return false
}

// noteFixation: Mallory got into someone's session without theft (in),
// or the hole she used was closed (shut), by plant or by guess.
func (c *call) noteFixation(what string) {
	if hole, ok := strings.CutPrefix(what, "shut:"); ok && !c.known("fixation", "in:"+hole) {
		return
	}
	c.note("fixation", what)
}

// noteBorn: a cluster login issued the credential cred (a session ID
// or a token's jti) when the nodes had restarted this often.
func (c *call) noteBorn(cred string) {
	var counts []string
	for _, n := range c.st().Atk.Cluster.Nodes {
		counts = append(counts, strconv.Itoa(n.Restarts))
	}
	c.note("cluster", "born:"+cred+":"+strings.Join(counts, "."))
}

// noteClusterAccepted: node accepted cred, and node has restarted since
// the login — a deploy emptied its memory, yet the login works there:
// it lives outside the node (a shared store, or the token itself).
func (c *call) noteClusterAccepted(cred string, node int) {
	rest, ok := c.knownWith("cluster", "born:"+cred+":")
	if !ok {
		return
	}
	counts := strings.Split(rest, ".")
	if node >= len(counts) {
		return
	}
	if born, err := strconv.Atoi(counts[node]); err == nil && c.st().Atk.Cluster.Nodes[node].Restarts > born {
		c.note("cluster", "survived")
	}
}

// tokenExpiredBy reports whether an access token issued at issued had
// expired by now under the lab's token lifetime.
func tokenExpiredBy(st *labState, issued, now time.Time) bool {
	return now.After(issued.Add(st.Settings.TokenTTL))
}
