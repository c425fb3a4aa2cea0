package sandbox

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The opaque-vs-jwt lab. One login hands out three access tokens for
// the same user: an opaque reference token (32 random bytes; the data
// lives only on the server, reached by introspection, RFC 7662), a JWT
// (the twin lab's, signed with the lab key) and a PASETO v4.public token.
// opaque/me accepts any of them and says how it checked each: a lookup
// for the opaque one, a signature for the other two. Revoking (RFC 7009)
// kills the opaque token at once; the JWT of the same login lives on.

const maxOpaque = 20

type opaqueState struct {
	Tokens []opaqueToken `json:"tokens,omitempty"`
	Seed   []byte        `json:"seed,omitempty"` // the lab's PASETO key, made on first use
	Kid    string        `json:"kid,omitempty"`
}

// opaqueToken is what the server keeps about an opaque token: all of it.
type opaqueToken struct {
	ID      string    `json:"id"` // hash of the value, like refresh tokens
	User    string    `json:"u"`
	JTI     string    `json:"jti"`            // the JWT issued by the same login
	PJTI    string    `json:"pjti,omitempty"` // the PASETO issued by the same login
	Issued  time.Time `json:"iat"`
	Exp     time.Time `json:"exp"`
	Revoked bool      `json:"rev,omitempty"`
}

func (o *opaqueState) find(value string) *opaqueToken {
	id := refreshID(value)
	for i := range o.Tokens {
		if o.Tokens[i].ID == id {
			return &o.Tokens[i]
		}
	}
	return nil
}

// POST opaque/login: the three tokens for one login.
func (m *Manager) opaqueLogin(c *call) {
	c.side = "token"
	cr, ok := c.credentials()
	if !ok || !c.ensureRSA() {
		return
	}
	var opaque, jwtTok, pst string
	ok = c.update(func(st *labState, now time.Time) error {
		access, jti, err := c.issueAccess(st, now, cr.Username)
		if err != nil {
			return err
		}
		raw := make([]byte, 32)
		rand.Read(raw)
		opaque = base64.RawURLEncoding.EncodeToString(raw)
		o := &st.Atk.Opaque
		exp := now.Add(st.Settings.TokenTTL)
		pjti := randHex(16)
		o.Tokens = append(o.Tokens, opaqueToken{ID: refreshID(opaque), User: cr.Username, JTI: jti, PJTI: pjti, Issued: now, Exp: exp})
		if n := len(o.Tokens); n > maxOpaque {
			o.Tokens = slices.Delete(o.Tokens, 0, n-maxOpaque)
		}
		if o.Seed == nil {
			o.Seed = make([]byte, ed25519.SeedSize)
			rand.Read(o.Seed)
			o.Kid = "pst-" + randHex(4)
		}
		msg, _ := json.Marshal(map[string]any{"iss": issuer, "sub": cr.Username, "aud": "lab:" + c.id,
			"iat": now.Format(time.RFC3339), "exp": exp.Format(time.RFC3339), "jti": pjti})
		footer, _ := json.Marshal(map[string]string{"kid": o.Kid})
		pst = pasetoSign(ed25519.NewKeyFromSeed(o.Seed), msg, footer)
		jwtTok = access
		return nil
	})
	if !ok {
		return
	}
	c.store("store opaque token "+short(refreshID(opaque)), "stored ("+cr.Username+")")
	c.verdict = "three tokens for " + cr.Username + ": an opaque one (the server stores what it means), a JWT and a PASETO (both carry their claims, signed)"
	c.reachAsLearner(msOpqLogin)
	c.json(http.StatusOK, map[string]any{"opaque_token": opaque, "access_token": jwtTok, "paseto": pst, "token_type": "Bearer",
		"expires_in": int(c.st().Settings.TokenTTL / time.Second)})
}

// tokenParam is the token of an RFC 7662/7009 request: form or JSON
// "token", or the bearer header.
func (c *call) tokenParam() (string, bool) {
	in, ok := c.formOrJSON()
	if !ok {
		return "", false
	}
	if t := strings.TrimSpace(in["token"]); t != "" {
		return t, true
	}
	if t := bearer(c.r); t != "" {
		return t, true
	}
	c.fail(http.StatusBadRequest, "invalid_request", "send token=… (form) or {\"token\": \"…\"}")
	return "", false
}

// introspection is RFC 7662's answer.
type introspection struct {
	Active    bool   `json:"active"`
	Sub       string `json:"sub,omitempty"`
	Exp       int64  `json:"exp,omitempty"`
	Iat       int64  `json:"iat,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	Aud       string `json:"aud,omitempty"`
	Iss       string `json:"iss,omitempty"`
}

// introspect looks an opaque token up; why says why it is inactive.
func (c *call) introspect(value string) (introspection, string) {
	t := c.st().Atk.Opaque.find(value)
	switch {
	case t == nil:
		return introspection{}, "unknown token"
	case t.Revoked:
		return introspection{}, reasonTokenRevoked
	case c.now().After(t.Exp):
		return introspection{}, reasonTokenExpired
	}
	return introspection{Active: true, Sub: t.User, Exp: t.Exp.Unix(), Iat: t.Issued.Unix(), TokenType: "Bearer", Aud: "lab:" + c.id, Iss: issuer}, ""
}

// POST opaque/introspect (RFC 7662). A real authorization server makes
// the resource server authenticate first; the lab shows the exchange.
func (m *Manager) opaqueIntrospect(c *call) {
	c.side = "token"
	value, ok := c.tokenParam()
	if !ok {
		return
	}
	out, why := c.introspect(value)
	c.store("look up token "+short(refreshID(value)), orString(why, "active: "+out.Sub))
	c.verdict = "introspection: " + orString(why, "active token for "+out.Sub)
	if why == reasonTokenRevoked {
		c.noteOpaqueDead(value)
	}
	c.json(http.StatusOK, out)
}

// POST opaque/revoke (RFC 7009): always 200, so a client cannot probe
// which tokens exist.
func (m *Manager) opaqueRevoke(c *call) {
	c.side = "token"
	value, ok := c.tokenParam()
	if !ok {
		return
	}
	var user string
	if !c.update(func(st *labState, _ time.Time) error {
		t := st.Atk.Opaque.find(value)
		if t == nil || t.Revoked {
			return errNoChange
		}
		t.Revoked, user = true, t.User
		return nil
	}) {
		return
	}
	if user != "" {
		c.store("mark token "+short(refreshID(value))+" revoked", "done")
		c.verdict = "opaque token of " + user + " revoked: its next use fails. The JWT from the same login is not on any list — it keeps working until exp"
	} else {
		c.verdict = "nothing to revoke (RFC 7009 answers 200 anyway)"
	}
	c.json(http.StatusOK, map[string]any{"revoked": user != ""})
}

// GET opaque/me: any of the three tokens; the verdict says how it was
// checked.
func (m *Manager) opaqueMe(c *call) {
	c.side = "token"
	raw := bearer(c.r)
	switch {
	case raw == "":
		c.verdict = "no Authorization: Bearer header"
		c.refuse(reasonNoCredentials, `Bearer realm="lab"`)
	case strings.HasPrefix(raw, "v4."):
		c.mePaseto(raw)
	case strings.Count(raw, ".") == 2:
		chk := c.checkAccess(raw)
		c.verdict = chk.detail
		if chk.reason != "" {
			c.refuse(chk.reason, `Bearer realm="lab", error="invalid_token"`)
			return
		}
		c.verdict = "JWT: " + chk.detail + " — no lookup, the token carries its claims"
		c.reachAsLearner(msOpqJWT)
		for _, t := range c.st().Atk.Opaque.Tokens {
			if t.JTI == chk.jti && t.Revoked {
				c.verdict += "; the opaque token of the same login is revoked, this one lives until exp"
				c.reachAsLearner(msOpqJWTLives)
				c.note("opaque-vs-jwt", "lives:"+t.JTI)
			}
		}
		tm, timed := m.timeCheck("the JWT check: signature ("+chk.alg+"), exp, iss and aud", func() error {
			if again := c.checkAccess(raw); again.reason != "" {
				return errors.New(again.reason)
			}
			return nil
		})
		c.json(http.StatusOK, c.timed(map[string]any{"user": chk.user, "via": "jwt", "expires_at": chk.exp}, tm, timed))
	default:
		out, why := c.introspect(raw)
		c.store("look up token "+short(refreshID(raw)), orString(why, "active: "+out.Sub))
		if why != "" {
			c.verdict = "introspection: " + why + " — the server's record decides, at once"
			if why == reasonTokenRevoked {
				c.reachAsLearner(msOpqRevoked)
				c.noteOpaqueDead(raw)
			}
			c.refuse(why, `Bearer realm="lab", error="invalid_token"`)
			return
		}
		c.verdict = "opaque token: introspection found an active token for " + out.Sub + " (one lookup per request)"
		c.reachAsLearner(msOpqIntrospect)
		// The lookup as the lab does it: read the lab's state from its
		// store (where the token's record lives), then find the record.
		tm, timed := m.timeCheck("the introspection lookup: one read of the lab store ("+m.storeName()+") and a search for the token's record", func() error {
			if _, _, err := m.persist.LoadLab(c.r.Context(), c.id); err != nil {
				return err
			}
			if again, why := c.introspect(raw); !again.Active {
				return errors.New(why)
			}
			return nil
		})
		c.json(http.StatusOK, c.timed(map[string]any{"user": out.Sub, "via": "opaque", "expires_at": time.Unix(out.Exp, 0).UTC()}, tm, timed))
	}
}

func (c *call) mePaseto(raw string) {
	o := c.st().Atk.Opaque
	if o.Seed == nil {
		c.verdict = "this lab has issued no PASETO token yet"
		c.refuse(reasonBadSignature, `Bearer realm="lab", error="invalid_token"`)
		return
	}
	msg, _, err := pasetoVerify(ed25519.NewKeyFromSeed(o.Seed).Public().(ed25519.PublicKey), raw)
	var claims struct {
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Exp string `json:"exp"`
		Jti string `json:"jti"`
	}
	if err == nil && json.Unmarshal(msg, &claims) != nil {
		err = errPaseto
	}
	exp, perr := time.Parse(time.RFC3339, claims.Exp)
	switch {
	case err != nil:
		c.verdict = "PASETO refused: " + err.Error()
		c.refuse(reasonBadSignature, `Bearer realm="lab", error="invalid_token"`)
		return
	case perr != nil || c.now().After(exp):
		c.verdict = "PASETO signature valid, but it has expired (or has no exp)"
		c.refuse(reasonTokenExpired, `Bearer realm="lab", error="invalid_token"`)
		return
	case claims.Aud != "lab:"+c.id:
		c.verdict = "PASETO signature valid, but it is for " + claims.Aud
		c.refuse(reasonWrongAudience, `Bearer realm="lab", error="invalid_token"`)
		return
	}
	c.verdict = "PASETO v4.public: Ed25519 signature valid, exp in " + ago(exp.Sub(c.now())) + " — the version fixes the algorithm, so there is no alg to forge"
	c.reachAsLearner(msOpqPaseto)
	// Like the JWT, the PASETO of a revoked login lives on: another
	// token of that login, which meets the goal just as well.
	for _, t := range o.Tokens {
		if claims.Jti != "" && t.PJTI == claims.Jti && t.Revoked {
			c.verdict += "; the opaque token of the same login is revoked, this one lives until exp"
			c.note("opaque-vs-jwt", "lives:"+t.JTI)
		}
	}
	pub := ed25519.NewKeyFromSeed(o.Seed).Public().(ed25519.PublicKey)
	tm, timed := c.m.timeCheck("the PASETO check: the Ed25519 signature", func() error {
		_, _, err := pasetoVerify(pub, raw)
		return err
	})
	c.json(http.StatusOK, c.timed(map[string]any{"user": claims.Sub, "via": "paseto", "expires_at": exp}, tm, timed))
}

// timed adds the check's own time to an opaque/me answer and to its
// verdict. The whole request's duration is mostly the lab's recording
// and the store's write-back; only the check itself compares the two
// designs.
func (c *call) timed(out map[string]any, tm checkTime, ok bool) map[string]any {
	if !ok {
		return out
	}
	out["check"] = tm
	c.verdict += "; " + tm.What + ", timed alone: " + tm.String() + " per check (fastest of 4 rounds, " + strconv.Itoa(tm.Runs) + " runs)"
	return out
}

func (m *Manager) addOpaqueRoutes(rs map[string]route) {
	rs["opaque/login"] = recorded(http.MethodPost, m.opaqueLogin)
	rs["opaque/introspect"] = recorded(http.MethodPost, m.opaqueIntrospect)
	rs["opaque/revoke"] = recorded(http.MethodPost, m.opaqueRevoke)
	rs["opaque/me"] = recorded(http.MethodGet, m.opaqueMe)
}
