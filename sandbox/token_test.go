package sandbox

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// TestTokenLogin checks each algorithm's tokens with golang-jwt directly,
// the way another ecosystem's verifier would.
func TestTokenLogin(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"HS256", "RS256", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			want(t, e.put("settings", map[string]any{"alg": alg, "token_ttl": "30s"}), http.StatusOK)
			p := e.tokenLogin()
			if p.TokenType != "Bearer" || p.ExpiresIn != 30 || p.RefreshToken == "" {
				t.Fatalf("pair %+v", p)
			}
			_, blob, err := e.m.persist.LoadLab(context.Background(), e.id)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := decodeState(blob)
			var claims jwt.RegisteredClaims
			tok, err := jwt.ParseWithClaims(p.AccessToken, &claims, func(tok *jwt.Token) (any, error) {
				switch alg {
				case "RS256":
					k, err := x509.ParsePKCS8PrivateKey(st.Keys.RSDER)
					if err != nil {
						return nil, err
					}
					return &k.(*rsa.PrivateKey).PublicKey, nil
				case "EdDSA":
					return ed25519.NewKeyFromSeed(st.Keys.EdSeed).Public(), nil
				}
				return st.Keys.HS, nil
			}, jwt.WithValidMethods([]string{alg}), jwt.WithTimeFunc(e.clock.Now), jwt.WithAudience("lab:"+e.id), jwt.WithIssuer("authlab-lab"))
			if err != nil {
				t.Fatalf("golang-jwt refuses the lab's token: %v", err)
			}
			if kid, _ := tok.Header["kid"].(string); kid == "" {
				t.Error("no kid")
			}
			if claims.Subject != "alice" || len(claims.ID) != 32 || claims.ExpiresAt.Sub(claims.IssuedAt.Time).Seconds() != 30 {
				t.Errorf("claims %+v", claims)
			}
			rec := e.get("api/me", bearerH(p.AccessToken)...)
			want(t, rec, http.StatusOK)
			if me := decode[meBody](t, rec); me.User != "alice" || me.Via != "token" || !me.ExpiresAt.Equal(claims.ExpiresAt.Time) {
				t.Errorf("me %+v", me)
			}
			xs := e.trace()
			if v := xs[len(xs)-1].Verdict; !strings.Contains(v, "JWT signature valid ("+alg+"), exp in 30s") {
				t.Errorf("verdict %q", v)
			}
		})
	}
}

func TestTokenRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.tokenLogin()
	parts := strings.Split(p.AccessToken, ".")
	otherLab, err := e.m.Create(context.Background(), e.owner)
	if err != nil {
		t.Fatal(err)
	}
	foreign := e.on(e.m)
	foreign.id = otherLab.ID
	fp := foreign.tokenLogin()
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"bob","aud":["lab:` + e.id + `"],"iss":"authlab-lab","exp":9999999999,"jti":"x"}`))
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	cases := []struct {
		name, token, reason string
	}{
		{"garbage", "abc", reasonMalformed},
		{"two parts", parts[0] + "." + parts[1], reasonMalformed},
		{"payload edited", parts[0] + "." + forged + "." + parts[2], reasonBadSignature},
		{"alg none", none + "." + parts[1] + ".", reasonBadSignature},
		{"signature cut", parts[0] + "." + parts[1] + "." + parts[2][:10], reasonBadSignature},
		{"another lab's token", fp.AccessToken, reasonWrongAudience},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.get("api/me", bearerH(c.token)...)
			want(t, rec, http.StatusUnauthorized)
			if r := reasonOf(t, rec); r != c.reason {
				t.Errorf("reason %q, want %q", r, c.reason)
			}
			wa := rec.Header().Get("WWW-Authenticate")
			if !strings.Contains(wa, `error="invalid_token"`) || !strings.Contains(wa, `error_description="`+c.reason+`"`) {
				t.Errorf("WWW-Authenticate %q", wa)
			}
		})
	}
	want(t, e.post("clock", map[string]string{"advance": "5m1s"}), http.StatusOK)
	if r := reasonOf(t, e.get("api/me", bearerH(p.AccessToken)...)); r != reasonTokenExpired {
		t.Errorf("after exp: %q", r)
	}
}

func TestTokenLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.tokenLogin()
	rec := e.post("token/logout", nil, bearerH(p.AccessToken)...)
	want(t, rec, http.StatusOK)
	xs := e.trace()
	if v := xs[len(xs)-1].Verdict; !strings.Contains(v, "the server holds no token state: the token stays valid until exp") {
		t.Errorf("verdict %q", v)
	}
	want(t, e.get("api/me", bearerH(p.AccessToken)...), http.StatusOK)

	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	p = e.tokenLogin()
	want(t, e.post("token/logout", nil, bearerH(p.AccessToken)...), http.StatusOK)
	if r := reasonOf(t, e.get("api/me", bearerH(p.AccessToken)...)); r != reasonTokenRevoked {
		t.Errorf("denied token: %q", r)
	}
	list := decode[struct {
		Denylist []struct{ JTI string } `json:"denylist"`
	}](t, e.get("sessions"))
	if len(list.Denylist) != 1 {
		t.Errorf("deny-list %+v", list)
	}
	want(t, e.post("token/logout", nil), http.StatusBadRequest)
	want(t, e.post("token/logout", nil, bearerH("abc")...), http.StatusOK) // nothing to revoke
}

func TestAllowlist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.tokenLogin()
	rec := e.put("settings", map[string]any{"allowlist": true})
	want(t, rec, http.StatusOK)
	if n := decode[settingsView](t, rec).Note; !strings.Contains(n, "Allow-list") {
		t.Errorf("note %q", n)
	}
	if r := reasonOf(t, e.get("api/me", bearerH(before.AccessToken)...)); r != reasonNotAllowed {
		t.Errorf("token from before: %q", r)
	}
	p := e.tokenLogin()
	want(t, e.get("api/me", bearerH(p.AccessToken)...), http.StatusOK)
	list := decode[struct {
		Allowlist  []struct{ JTI, User string } `json:"allowlist"`
		TokensNote string                       `json:"tokens_note"`
	}](t, e.get("sessions"))
	if len(list.Allowlist) != 1 || list.Allowlist[0].User != "alice" || !strings.Contains(list.TokensNote, "Allow-list on") {
		t.Fatalf("sessions %+v", list)
	}
	want(t, e.do(req{method: http.MethodDelete, path: "sessions/" + list.Allowlist[0].JTI}), http.StatusOK)
	if r := reasonOf(t, e.get("api/me", bearerH(p.AccessToken)...)); r != reasonNotAllowed {
		t.Errorf("after admin kill: %q", r)
	}
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	refresh := func(e *labEnv, tok string, viaHeader bool) (int, tokenPair, string) {
		var rec *httptest.ResponseRecorder
		if viaHeader {
			rec = e.post("token/refresh", nil, bearerH(tok)...)
		} else {
			rec = e.post("token/refresh", map[string]string{"refresh_token": tok})
		}
		if rec.Code != http.StatusOK {
			return rec.Code, tokenPair{}, reasonOf(t, rec)
		}
		return rec.Code, decode[tokenPair](t, rec), ""
	}
	t.Run("rotation and reuse detection", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		p0 := e.tokenLogin()
		_, p1, _ := refresh(e, p0.RefreshToken, false)
		if p1.RefreshToken == "" || p1.RefreshToken == p0.RefreshToken || p1.AccessToken == p0.AccessToken {
			t.Fatalf("no rotation: %+v", p1)
		}
		code, p2, _ := refresh(e, p1.RefreshToken, true)
		if code != 200 {
			t.Fatal("refresh via Authorization failed")
		}
		if code, _, r := refresh(e, p0.RefreshToken, false); code != 401 || r != "refresh token reuse detected: family revoked" {
			t.Fatalf("reuse: %d %q", code, r)
		}
		if code, _, r := refresh(e, p2.RefreshToken, false); code != 401 || !strings.Contains(r, "revoked") {
			t.Errorf("newest token of a revoked family: %d %q", code, r)
		}
		fams := decode[struct {
			Families []struct {
				Revoked string
				Tokens  []struct{ ID, Parent, Status string }
			}
		}](t, e.get("token/families")).Families
		if len(fams) != 1 || fams[0].Revoked == "" || len(fams[0].Tokens) != 3 {
			t.Fatalf("families %+v", fams)
		}
		toks := fams[0].Tokens
		if toks[0].Parent != "" || toks[1].Parent != toks[0].ID || toks[2].Parent != toks[1].ID || toks[2].Status != "revoked" {
			t.Errorf("tree %+v", toks)
		}
	})
	t.Run("rotation off", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		want(t, e.put("settings", map[string]any{"refresh_rotation": false}), http.StatusOK)
		p0 := e.tokenLogin()
		for range 2 {
			if code, p, _ := refresh(e, p0.RefreshToken, false); code != 200 || p.RefreshToken != p0.RefreshToken {
				t.Fatalf("%d %+v", code, p)
			}
		}
	})
	t.Run("reuse detection off", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		want(t, e.put("settings", map[string]any{"reuse_detection": false}), http.StatusOK)
		p0 := e.tokenLogin()
		_, p1, _ := refresh(e, p0.RefreshToken, false)
		if code, _, r := refresh(e, p0.RefreshToken, false); code != 401 || !strings.Contains(r, "already used") {
			t.Errorf("reuse: %d %q", code, r)
		}
		if code, _, _ := refresh(e, p1.RefreshToken, false); code != 200 {
			t.Error("family revoked although reuse detection is off")
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		want(t, e.post("token/refresh", nil), http.StatusBadRequest)
		if code, _, r := refresh(e, "nope", false); code != 401 || r != "unknown refresh token" {
			t.Errorf("unknown: %d %q", code, r)
		}
		p := e.tokenLogin()
		want(t, e.post("clock", map[string]string{"advance": "25h"}), http.StatusOK)
		if code, _, r := refresh(e, p.RefreshToken, false); code != 401 || r != "refresh token expired" {
			t.Errorf("expired: %d %q", code, r)
		}
	})
}
