package sandbox

import (
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// solved reports whether the lab reported panel's goal to OnMilestone.
func (e *labEnv) solved(panel string) bool {
	return slices.Contains(e.milestones.list(), Goal(panel).ID)
}

// goalPath is one way to a panel's goal: before does all but the last
// move (the goal must not be met yet), last makes the move that meets
// it — or, for a path that must not solve, the move that still does not.
type goalPath struct {
	name         string
	before, last func(t *testing.T, e *labEnv)
	solves       bool
}

// Every panel's goal is detected on the server from what happened, by
// the guided path and by another valid one, and not by a near miss.
// Each path runs in a lab of its own, bound to the panel as the site
// binds them.
func TestGoals(t *testing.T) {
	t.Parallel()
	// Each builder makes fresh closures: the paths of a panel run in
	// parallel and keep their tokens to themselves.
	paths := map[string]func() []goalPath{
		"twin-login":       twinGoalPaths,
		"revoke-vs-replay": revokeGoalPaths,
		"refresh-rotation": refreshGoalPaths,
		"jwt-forgery":      forgeryGoalPaths,
		"fixation":         fixationGoalPaths,
		"key-rotation":     rotationGoalPaths,
		"opaque-vs-jwt":    opaqueGoalPaths,
		"cost":             costGoalPaths,
		"token-storage":    storageGoalPaths,
		"csrf":             csrfGoalPaths,
		"cluster":          clusterGoalPaths,
		"step-up":          stepUpGoalPaths,
	}
	for _, panel := range Panels() {
		build := paths[panel]
		if build == nil {
			t.Errorf("%s: no goal paths", panel)
			continue
		}
		ps := build()
		if len(ps) < 2 || !ps[0].solves || !ps[1].solves {
			t.Errorf("%s: want the guided path and an alternative path that solve the goal", panel)
		}
		for i, p := range ps {
			t.Run(panel+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				p := build()[i]
				e := panelEnv(t, newEnv(t), panel)
				p.before(t, e)
				if e.solved(panel) {
					t.Fatalf("solved before the last move")
				}
				p.last(t, e)
				if got := e.solved(panel); got != p.solves {
					t.Fatalf("solved = %v, want %v", got, p.solves)
				}
				if p.solves && !slices.ContainsFunc(e.trace(), func(x Exchange) bool { return slices.Contains(x.Milestones, Goal(panel).ID) }) {
					t.Errorf("no exchange lists the goal it met")
				}
				for _, id := range e.milestones.list() {
					if PanelOf(id) != panel {
						t.Errorf("the %s lab recorded %s, of %q", panel, id, PanelOf(id))
					}
				}
			})
		}
	}
}

func nop(*testing.T, *labEnv) {}

func twinGoalPaths() []goalPath {
	var cookie string
	return []goalPath{
		{name: "guided", before: func(t *testing.T, e *labEnv) {
			cookie = e.sessionLogin()
			want(t, e.get("api/me", "Cookie", cookie), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("api/me", bearerH(e.tokenLogin().AccessToken)...), http.StatusOK)
		}, solves: true},
		// Both credentials sent from Mallory's console: no step of the
		// learner's ticks, but /api/me answered as alice both ways.
		{name: "from the attacker console", before: func(t *testing.T, e *labEnv) {
			cookie = e.sessionLogin()
			if status, _ := e.attack("GET", "/api/me", map[string]string{"Cookie": cookie}, ""); status != 200 {
				t.Fatalf("cookie: %d", status)
			}
		}, last: func(t *testing.T, e *labEnv) {
			tok := e.tokenLogin().AccessToken
			if status, x := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + tok}, ""); status != 200 || slices.Contains(x.Milestones, msTokenMe) {
				t.Fatalf("token: %d %v", status, x.Milestones)
			}
		}, solves: true},
		{name: "bob is not alice", before: nop, last: func(t *testing.T, e *labEnv) {
			bob := map[string]string{"username": "bob", "password": "builder"}
			rec := e.post("session/login", bob)
			pair, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
			want(t, e.get("api/me", "Cookie", pair), http.StatusOK)
			tok := decode[tokenPair](t, e.post("token/login", bob)).AccessToken
			want(t, e.get("api/me", bearerH(tok)...), http.StatusOK)
		}},
	}
}

// replay is Mallory sending tok to /api/me.
func (e *labEnv) replay(tok string) int {
	e.t.Helper()
	status, _ := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + tok}, "")
	return status
}

func revokeGoalPaths() []goalPath {
	var tok string
	loginLogout := func(t *testing.T, e *labEnv) {
		tok = e.tokenLogin().AccessToken
		want(t, e.post("token/logout", nil, bearerH(tok)...), http.StatusOK)
	}
	return []goalPath{
		{name: "guided: the deny-list", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
			loginLogout(t, e)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.replay(tok); s != 401 {
				t.Fatalf("replay: %d", s)
			}
		}, solves: true},
		{name: "the allow-list", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"allowlist": true}), http.StatusOK)
			loginLogout(t, e)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.replay(tok); s != 401 {
				t.Fatalf("replay: %d", s)
			}
		}, solves: true},
		// Logged out before the deny-list was on: the admin puts that
		// token's jti on the list, and Mallory's copy dies after all.
		{name: "the admin denies a token logged out earlier", before: func(t *testing.T, e *labEnv) {
			loginLogout(t, e)
			if s := e.replay(tok); s != 200 {
				t.Fatalf("replay before the list: %d", s)
			}
			want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
			d, _ := DecodeJWT(tok)
			want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + d.Payload["jti"].(string)}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.replay(tok); s != 401 {
				t.Fatalf("replay: %d", s)
			}
		}, solves: true},
		{name: "waiting for exp is not revoking", before: loginLogout, last: func(t *testing.T, e *labEnv) {
			want(t, e.post("clock", map[string]string{"advance": "1h"}), http.StatusOK)
			if s := e.replay(tok); s != 401 {
				t.Fatalf("replay: %d", s)
			}
		}},
		{name: "denied without a logout", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
			tok = e.tokenLogin().AccessToken
			d, _ := DecodeJWT(tok)
			want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + d.Payload["jti"].(string)}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.replay(tok); s != 401 {
				t.Fatalf("replay: %d", s)
			}
		}},
	}
}

// malloryRefresh is Mallory presenting a refresh token.
func (e *labEnv) malloryRefresh(refresh string) int {
	e.t.Helper()
	status, _ := e.attack("POST", "/token/refresh", map[string]string{"Content-Type": "application/json"}, `{"refresh_token":"`+refresh+`"}`)
	return status
}

func refreshGoalPaths() []goalPath {
	var r1 string
	expireAndRefresh := func(t *testing.T, e *labEnv) {
		want(t, e.put("settings", map[string]any{"token_ttl": "30s"}), http.StatusOK)
		p := e.tokenLogin()
		r1 = p.RefreshToken
		want(t, e.post("clock", map[string]string{"advance": "1m"}), http.StatusOK)
		want(t, e.post("token/refresh", map[string]string{"refresh_token": r1}), http.StatusOK)
	}
	return []goalPath{
		{name: "guided: reuse detection", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"token_ttl": "30s"}), http.StatusOK)
			p := e.tokenLogin()
			r1 = p.RefreshToken
			want(t, e.post("clock", map[string]string{"advance": "1m"}), http.StatusOK)
			want(t, e.get("api/me", bearerH(p.AccessToken)...), http.StatusUnauthorized)
			want(t, e.post("token/refresh", map[string]string{"refresh_token": r1}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.malloryRefresh(r1); s != 401 {
				t.Fatalf("Mallory's replay: %d", s)
			}
		}, solves: true},
		// Rotation alone refuses the spent token: nothing is revoked,
		// but Mallory's copy is still worthless.
		{name: "rotation without reuse detection", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"reuse_detection": false}), http.StatusOK)
			expireAndRefresh(t, e)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.malloryRefresh(r1); s != 401 {
				t.Fatalf("Mallory's replay: %d", s)
			}
		}, solves: true},
		{name: "renewed before expiry", before: func(t *testing.T, e *labEnv) {
			r1 = e.tokenLogin().RefreshToken
			want(t, e.post("token/refresh", map[string]string{"refresh_token": r1}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if s := e.malloryRefresh(r1); s != 401 {
				t.Fatalf("Mallory's replay: %d", s)
			}
		}},
		{name: "a made-up refresh token", before: expireAndRefresh, last: func(t *testing.T, e *labEnv) {
			if s := e.malloryRefresh("not-a-token-of-this-lab"); s != 401 {
				t.Fatalf("Mallory's guess: %d", s)
			}
		}},
	}
}

func forgeryGoalPaths() []goalPath {
	var forged string
	return []goalPath{
		{name: "guided: alg none", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
			forged = e.forge(e.forgeryLogin(), "none", "", toAdmin)
			if status, a, _ := e.forgedMe(forged); status != 200 || !a.Admin {
				t.Fatalf("naive: %d %+v", status, a)
			}
			want(t, e.put("forgery/settings", map[string]any{"verifier": "safe"}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if status, _, _ := e.forgedMe(forged); status != 401 {
				t.Fatalf("safe: %d", status)
			}
		}, solves: true},
		// The weak secret fools even the safe verifier; the fix is a key
		// that cannot be guessed, and the same token dies.
		{name: "a cracked secret, then a strong key", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("forgery/settings", map[string]any{"signer": "HS256-weak"}), http.StatusOK)
			genuine := e.forgeryLogin()
			forged = e.forge(genuine, "hmac", crack(t, genuine), toAdmin)
			if status, a, _ := e.forgedMe(forged); status != 200 || !a.Admin {
				t.Fatalf("cracked secret: %d %+v", status, a)
			}
			want(t, e.put("forgery/settings", map[string]any{"signer": "HS256"}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if status, _, _ := e.forgedMe(forged); status != 401 {
				t.Fatalf("strong key: %d", status)
			}
		}, solves: true},
		{name: "refused, but never an admin", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
			forged = e.forge(e.forgeryLogin(), "none", "", func(_, p map[string]any) { p["sub"] = "bob" })
			if status, a, _ := e.forgedMe(forged); status != 200 || a.Admin {
				t.Fatalf("naive: %d %+v", status, a)
			}
			want(t, e.put("forgery/settings", map[string]any{"verifier": "safe"}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if status, _, _ := e.forgedMe(forged); status != 401 {
				t.Fatalf("safe: %d", status)
			}
		}},
	}
}

func fixationGoalPaths() []goalPath {
	var sid string
	mallory := func(t *testing.T, e *labEnv, sid string, status int) {
		t.Helper()
		if got, x := e.attack("GET", "/api/me", map[string]string{"Cookie": "lab_sid=" + sid}, ""); got != status {
			t.Fatalf("Mallory with %s: %d, want %d (%s)", sid, got, status, x.Verdict)
		}
	}
	plantedIn := func(t *testing.T, e *labEnv) {
		want(t, e.put("fixation/settings", map[string]any{"rotate_on_login": false}), http.StatusOK)
		sid = e.malloryVisit()
		e.plantAndLogin(sid)
		mallory(t, e, sid, 200)
	}
	// randomNeighbour is Mallory trying the ID next to her new random one.
	randomNeighbour := func(t *testing.T, e *labEnv) {
		want(t, e.put("fixation/settings", map[string]any{"ids": "random"}), http.StatusOK)
		e.sessionLogin()
		var next big.Int
		next.SetString(e.malloryLogin(), 16)
		next.Add(&next, big.NewInt(1))
		mallory(t, e, fmt.Sprintf("%032x", &next), 401)
	}
	return []goalPath{
		{name: "guided: a planted ID, then rotation", before: func(t *testing.T, e *labEnv) {
			plantedIn(t, e)
			want(t, e.put("fixation/settings", map[string]any{"rotate_on_login": true}), http.StatusOK)
			sid = e.malloryVisit()
			e.plantAndLogin(sid)
		}, last: func(t *testing.T, e *labEnv) { mallory(t, e, sid, 401) }, solves: true},
		{name: "a counted ID, then random IDs", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("fixation/settings", map[string]any{"ids": "counter"}), http.StatusOK)
			e.sessionLogin()
			n, _ := strconv.Atoi(e.malloryLogin())
			mallory(t, e, strconv.Itoa(n-1), 200)
		}, last: randomNeighbour, solves: true},
		{name: "the other hole closed", before: plantedIn, last: randomNeighbour},
	}
}

func rotationGoalPaths() []goalPath {
	var old, fresh string
	return []goalPath{
		{name: "guided: rotate, then retire the old key", before: func(t *testing.T, e *labEnv) {
			old = e.tokenLogin().AccessToken
			want(t, e.post("keys/rotate", nil), http.StatusOK)
			fresh = e.tokenLogin().AccessToken
			want(t, e.post("keys/retire", map[string]any{"kid": kidOf(t, old), "compromised": true}), http.StatusOK)
			want(t, e.get("api/me", bearerH(old)...), http.StatusUnauthorized)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("api/me", bearerH(fresh)...), http.StatusOK)
		}, solves: true},
		// No rotation first: marking the signing key compromised rotates
		// it out by itself.
		{name: "compromise the current key", before: func(t *testing.T, e *labEnv) {
			old = e.tokenLogin().AccessToken
			want(t, e.post("keys/retire", map[string]any{"kid": kidOf(t, old), "compromised": true}), http.StatusOK)
			fresh = e.tokenLogin().AccessToken
			want(t, e.get("api/me", bearerH(fresh)...), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("api/me", bearerH(old)...), http.StatusUnauthorized)
		}, solves: true},
		{name: "rotated but nothing retired", before: func(t *testing.T, e *labEnv) {
			old = e.tokenLogin().AccessToken
			want(t, e.post("keys/rotate", nil), http.StatusOK)
			want(t, e.get("api/me", bearerH(old)...), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("api/me", bearerH(e.tokenLogin().AccessToken)...), http.StatusOK)
		}},
	}
}

func opaqueGoalPaths() []goalPath {
	var tk, other opaqueTokens
	login := func(t *testing.T, e *labEnv) opaqueTokens {
		t.Helper()
		rec := e.post("opaque/login", alice)
		want(t, rec, http.StatusOK)
		return decode[opaqueTokens](t, rec)
	}
	return []goalPath{
		{name: "guided", before: func(t *testing.T, e *labEnv) {
			tk = login(t, e)
			want(t, e.post("opaque/revoke", map[string]string{"token": tk.Opaque}), http.StatusOK)
			want(t, e.get("opaque/me", bearerH(tk.Opaque)...), http.StatusUnauthorized)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("opaque/me", bearerH(tk.JWT)...), http.StatusOK)
		}, solves: true},
		// Ask the authorization server, as a gateway would: introspection
		// says the revoked token is inactive.
		{name: "introspection", before: func(t *testing.T, e *labEnv) {
			tk = login(t, e)
			want(t, e.post("opaque/revoke", "token="+tk.Opaque, "Content-Type", "application/x-www-form-urlencoded"), http.StatusOK)
			want(t, e.get("opaque/me", bearerH(tk.JWT)...), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			rec := e.post("opaque/introspect", map[string]string{"token": tk.Opaque})
			if want(t, rec, http.StatusOK); !strings.Contains(rec.Body.String(), `"active":false`) {
				t.Fatalf("introspection: %s", rec.Body)
			}
		}, solves: true},
		// The other token that lives on can be the PASETO of the same
		// login: it too carries its claims and is on no list.
		{name: "the PASETO lives on", before: func(t *testing.T, e *labEnv) {
			tk = login(t, e)
			want(t, e.post("opaque/revoke", map[string]string{"token": tk.Opaque}), http.StatusOK)
			want(t, e.get("opaque/me", bearerH(tk.Opaque)...), http.StatusUnauthorized)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("opaque/me", bearerH(tk.Paseto)...), http.StatusOK)
		}, solves: true},
		{name: "the PASETO of another login", before: func(t *testing.T, e *labEnv) {
			tk, other = login(t, e), login(t, e)
			want(t, e.post("opaque/revoke", map[string]string{"token": tk.Opaque}), http.StatusOK)
			want(t, e.get("opaque/me", bearerH(tk.Opaque)...), http.StatusUnauthorized)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("opaque/me", bearerH(other.Paseto)...), http.StatusOK)
		}},
		{name: "two different logins", before: func(t *testing.T, e *labEnv) {
			tk, other = login(t, e), login(t, e)
			want(t, e.post("opaque/revoke", map[string]string{"token": tk.Opaque}), http.StatusOK)
			want(t, e.get("opaque/me", bearerH(tk.Opaque)...), http.StatusUnauthorized)
		}, last: func(t *testing.T, e *labEnv) {
			want(t, e.get("opaque/me", bearerH(other.JWT)...), http.StatusOK)
		}},
	}
}

func costGoalPaths() []goalPath {
	run := func(deny bool) func(t *testing.T, e *labEnv) {
		return func(t *testing.T, e *labEnv) {
			want(t, e.put("settings", map[string]any{"denylist": deny}), http.StatusOK)
			want(t, e.post("cost/run", nil), http.StatusOK)
		}
	}
	return []goalPath{
		{name: "guided: off, then on", before: run(false), last: run(true), solves: true},
		{name: "on, then off", before: run(true), last: run(false), solves: true},
		{name: "on twice", before: run(true), last: run(true)},
	}
}

func storageGoalPaths() []goalPath {
	var cookie string
	exfil := func(t *testing.T, e *labEnv, src, tok string) {
		t.Helper()
		want(t, e.post("storage/exfil", map[string]string{"source": src, "token": tok}, "Cookie", cookie), http.StatusOK)
	}
	ride := func(t *testing.T, e *labEnv) {
		want(t, e.get("api/me", "Cookie", cookie, payloadHdr, "xss"), http.StatusOK)
	}
	return []goalPath{
		{name: "guided: an HttpOnly token cookie", before: func(t *testing.T, e *labEnv) {
			rec := e.post("storage/login", map[string]string{"samesite": "Lax"})
			want(t, rec, http.StatusOK)
			cookie, _, _ = strings.Cut(rec.Header().Get("Set-Cookie"), ";")
			exfil(t, e, "document.cookie", "")
		}, last: ride, solves: true},
		// A session cookie is HttpOnly too: nothing to steal, and the
		// script still rides it.
		{name: "an HttpOnly session cookie", before: func(t *testing.T, e *labEnv) {
			cookie = e.sessionLogin()
			ride(t, e)
		}, last: func(t *testing.T, e *labEnv) { exfil(t, e, "storage", "") }, solves: true},
		{name: "nothing stolen because nobody was logged in", before: func(t *testing.T, e *labEnv) {
			cookie = ""
			exfil(t, e, "storage", "")
		}, last: func(t *testing.T, e *labEnv) {
			rec := e.post("storage/login", map[string]string{"samesite": "Lax"})
			cookie, _, _ = strings.Cut(rec.Header().Get("Set-Cookie"), ";")
			ride(t, e)
		}},
	}
}

func csrfGoalPaths() []goalPath {
	settings := func(t *testing.T, e *labEnv, v map[string]any) {
		t.Helper()
		want(t, e.put("csrf/settings", v), http.StatusOK)
	}
	var cookie string
	in := func(t *testing.T, e *labEnv) {
		settings(t, e, map[string]any{"samesite": "None"})
		cookie = e.bankLogin()
		if status, _ := e.forged(cookie); status != 200 {
			t.Fatalf("CSRF with SameSite=None: %d", status)
		}
	}
	return []goalPath{
		{name: "guided: SameSite=Lax", before: func(t *testing.T, e *labEnv) {
			in(t, e)
			settings(t, e, map[string]any{"samesite": "Lax"})
			e.bankLogin()
		}, last: func(t *testing.T, e *labEnv) {
			if status, _ := e.forged(""); status != 401 { // the browser kept the Lax cookie home
				t.Fatalf("Lax: %d", status)
			}
		}, solves: true},
		{name: "the Origin check", before: func(t *testing.T, e *labEnv) {
			in(t, e)
			settings(t, e, map[string]any{"origin_check": true})
		}, last: func(t *testing.T, e *labEnv) {
			if status, _ := e.forged(cookie); status != 403 {
				t.Fatalf("Origin check: %d", status)
			}
		}, solves: true},
		{name: "the CSRF token", before: func(t *testing.T, e *labEnv) {
			in(t, e)
			settings(t, e, map[string]any{"csrf_token": true})
		}, last: func(t *testing.T, e *labEnv) {
			if status, _ := e.forged(cookie); status != 403 {
				t.Fatalf("CSRF token: %d", status)
			}
		}, solves: true},
		// Alice's session has expired: the page fails because nobody is
		// logged in, which defends nothing.
		{name: "alice logged out", before: func(t *testing.T, e *labEnv) {
			in(t, e)
			settings(t, e, map[string]any{"samesite": "Lax"})
			want(t, e.post("clock", map[string]string{"advance": "1h"}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if status, _ := e.forged(""); status != 401 {
				t.Fatalf("no cookie: %d", status)
			}
		}},
	}
}

func clusterGoalPaths() []goalPath {
	var j browserJar
	var tok, node string
	session := map[string]string{"username": "alice", "password": "wonderland", "mode": "session"}
	return []goalPath{
		{name: "guided: the shared store", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("cluster/settings", map[string]any{"store": "shared"}), http.StatusOK)
			j = browserJar{}
			_, a := e.clusterDo(j, http.MethodPost, "cluster/login", session)
			want(t, e.post("cluster/restart", map[string]string{"node": a.Node}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, _ := e.ten(j); ok != 10 {
				t.Fatalf("shared store after a restart: %d of 10", ok)
			}
		}, solves: true},
		{name: "the shared store, another node restarted", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("cluster/settings", map[string]any{"store": "shared"}), http.StatusOK)
			j = browserJar{}
			_, a := e.clusterDo(j, http.MethodPost, "cluster/login", session)
			other := map[string]string{"node-1": "2", "node-2": "3", "node-3": "1"}[a.Node]
			want(t, e.post("cluster/restart", map[string]string{"node": other}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, _ := e.ten(j); ok != 10 {
				t.Fatalf("shared store after a restart: %d of 10", ok)
			}
		}, solves: true},
		{name: "a token", before: func(t *testing.T, e *labEnv) {
			_, a := e.clusterDo(browserJar{}, http.MethodPost, "cluster/login", map[string]string{"username": "alice", "password": "wonderland", "mode": "token"})
			tok, node = a.AccessToken, a.Node
			want(t, e.post("cluster/restart", map[string]string{"node": node}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, nodes := e.ten(browserJar{}, bearerH(tok)...); ok != 10 || !nodes[node] {
				t.Fatalf("token after a restart: %d of 10 on %v", ok, nodes)
			}
		}, solves: true},
		{name: "restarted before the login", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("cluster/settings", map[string]any{"store": "shared"}), http.StatusOK)
			for _, n := range []string{"1", "2", "3"} {
				want(t, e.post("cluster/restart", map[string]string{"node": n}), http.StatusOK)
			}
			j = browserJar{}
			e.clusterDo(j, http.MethodPost, "cluster/login", session)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, _ := e.ten(j); ok != 10 {
				t.Fatalf("shared store: %d of 10", ok)
			}
		}},
		{name: "sticky sessions lost in the deploy", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("cluster/settings", map[string]any{"balance": "sticky"}), http.StatusOK)
			j = browserJar{}
			_, a := e.clusterDo(j, http.MethodPost, "cluster/login", session)
			want(t, e.post("cluster/restart", map[string]string{"node": a.Node}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, _ := e.ten(j); ok != 0 {
				t.Fatalf("sticky after a restart: %d of 10", ok)
			}
		}},
		{name: "sticky on a node that did not restart", before: func(t *testing.T, e *labEnv) {
			want(t, e.put("cluster/settings", map[string]any{"store": "shared", "balance": "sticky"}), http.StatusOK)
			j = browserJar{}
			_, a := e.clusterDo(j, http.MethodPost, "cluster/login", session)
			other := map[string]string{"node-1": "2", "node-2": "3", "node-3": "1"}[a.Node]
			want(t, e.post("cluster/restart", map[string]string{"node": other}), http.StatusOK)
		}, last: func(t *testing.T, e *labEnv) {
			if ok, _ := e.ten(j); ok != 10 {
				t.Fatalf("sticky on a node that did not restart: %d of 10", ok)
			}
		}},
	}
}

// A goal once met stays met through a reset, like the steps; the facts
// toward a goal not yet met are the lab's state, and a reset clears them.
func TestGoalSurvivesReset(t *testing.T) {
	t.Parallel()
	e := panelEnv(t, newEnv(t), "cost")
	want(t, e.post("cost/run", nil), http.StatusOK)
	want(t, e.post("reset", nil), http.StatusOK)
	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	want(t, e.post("cost/run", nil), http.StatusOK)
	if e.solved("cost") {
		t.Fatal("the run before the reset still counts toward the goal")
	}
	want(t, e.put("settings", map[string]any{"denylist": false}), http.StatusOK)
	want(t, e.post("cost/run", nil), http.StatusOK)
	if !e.solved("cost") {
		t.Fatal("both runs after the reset did not meet the goal")
	}
	want(t, e.post("reset", nil), http.StatusOK)
	snap, _, err := e.m.read(t.Context(), e.id)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.st.reached(Goal("cost").ID) || len(snap.st.Facts) != 0 {
		t.Errorf("after a reset: reached %v, facts %v", snap.st.Reached, snap.st.Facts)
	}
	n := len(e.milestones.list())
	want(t, e.post("cost/run", nil), http.StatusOK)
	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	want(t, e.post("cost/run", nil), http.StatusOK)
	if got := e.milestones.list()[n:]; slices.Contains(got, Goal("cost").ID) {
		t.Errorf("the goal was reported twice: %v", got)
	}
}

// A lab bound to one panel notes no facts for another panel's goal and
// never meets it: the revoke-vs-replay lab does all the twin lab asks.
func TestGoalStaysInItsPanel(t *testing.T) {
	t.Parallel()
	e := panelEnv(t, newEnv(t), "revoke-vs-replay")
	want(t, e.get("api/me", "Cookie", e.sessionLogin()), http.StatusOK)
	want(t, e.get("api/me", bearerH(e.tokenLogin().AccessToken)...), http.StatusOK)
	if e.solved("twin-login") {
		t.Error("the revoke-vs-replay lab met the twin lab's goal")
	}
	snap, _, err := e.m.read(t.Context(), e.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.st.Facts) != 0 {
		t.Errorf("facts of another panel kept: %v", snap.st.Facts)
	}
}

// Every panel has a goal, and the goal belongs to it.
func TestEveryPanelHasAGoal(t *testing.T) {
	t.Parallel()
	for _, p := range Panels() {
		g := Goal(p)
		if g.ID == "" || g.Text == "" || PanelOf(g.ID) != p {
			t.Errorf("%s: goal %+v, PanelOf %q", p, g, PanelOf(g.ID))
		}
		if slices.ContainsFunc(Milestones(p), func(m Milestone) bool { return m.ID == g.ID }) {
			t.Errorf("%s: the goal is listed among the steps", p)
		}
	}
	if len(goalDefs) != len(Panels()) || Goal("nope").ID != "" {
		t.Errorf("%d goals for %d panels", len(goalDefs), len(Panels()))
	}
}
