package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// forge runs the token editor on tok's header and payload, changed by
// edit, and signs with key.
func (e *labEnv) forge(tok string, key, secret string, edit func(h, p map[string]any)) string {
	e.t.Helper()
	d, err := DecodeJWT(tok)
	if err != nil {
		e.t.Fatal(err)
	}
	edit(d.Header, d.Payload)
	hb, _ := json.Marshal(d.Header)
	pb, _ := json.Marshal(d.Payload)
	rec := e.post("forgery/sign", map[string]any{"header": string(hb), "payload": json.RawMessage(pb), "key": key, "secret": secret})
	want(e.t, rec, http.StatusOK)
	return decode[struct{ Token string }](e.t, rec).Token
}

func (e *labEnv) forgeryLogin() string {
	e.t.Helper()
	rec := e.post("forgery/login", alice)
	want(e.t, rec, http.StatusOK)
	return decode[struct {
		AccessToken string `json:"access_token"`
	}](e.t, rec).AccessToken
}

type forgeryAnswer struct {
	User, Role, Attack, Defence, Reason string
	Admin                               bool
}

// forgedMe sends tok to forgery/me as Mallory and returns the answer.
func (e *labEnv) forgedMe(tok string) (int, forgeryAnswer, Exchange) {
	e.t.Helper()
	status, x := e.attack("GET", "/forgery/me", map[string]string{"Authorization": "Bearer " + tok}, "")
	var a forgeryAnswer
	if err := json.Unmarshal([]byte(x.ResponseBody), &a); err != nil {
		e.t.Fatalf("forgery/me answered %q", x.ResponseBody)
	}
	return status, a, x
}

func toAdmin(_, p map[string]any) { p["sub"], p["role"] = "admin", "admin" }

// crack is the browser's dictionary attack, in Go.
func crack(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	for _, w := range weakWords() {
		m := hmac.New(sha256.New, []byte(w))
		m.Write([]byte(parts[0] + "." + parts[1]))
		if hmac.Equal(m.Sum(nil), sig) {
			return w
		}
	}
	t.Fatal("the weak secret is not in the word list")
	return ""
}

// Every attack of the jwt-forgery lab works against the naive verifier
// and fails against the safe one, which names the defence.
func TestForgeryAttacks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	genuine := e.forgeryLogin()
	if status, a, _ := e.forgedMe(genuine); status != 200 || a.User != "alice" || a.Admin || a.Attack != "" {
		t.Fatalf("genuine token: %d %+v", status, a)
	}
	attacks := []struct {
		name, key, secret string
		edit              func(h, p map[string]any)
		kind, milestone   string
	}{
		{"alg none", "none", "", toAdmin, kindNone, msForgeNone},
		{"RS256 to HS256 with the public key", "public-key", "", toAdmin, kindConfusion, msForgeConfusion},
		{"embedded jwk", "jwk", "", toAdmin, kindJWK, msForgeEmbedded},
		{"jku to Mallory's key set", "jku", "", toAdmin, kindJKU, msForgeEmbedded},
		{"kid path to /dev/null", "hmac", "", func(h, p map[string]any) { toAdmin(h, p); h["kid"] = "../../../dev/null" }, kindKid, msForgeKid},
	}
	forged := map[string]string{}
	want(t, e.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
	for _, a := range attacks {
		tok := e.forge(genuine, a.key, a.secret, a.edit)
		forged[a.name] = tok
		status, ans, x := e.forgedMe(tok)
		if status != 200 || !ans.Admin || ans.Attack != a.kind || !slices.Contains(x.Milestones, a.milestone) {
			t.Errorf("naive, %s: %d %+v %v (%s)", a.name, status, ans, x.Milestones, x.Verdict)
		}
	}
	// A token edited but not re-signed fails even the naive verifier.
	tampered := strings.Split(forged["embedded jwk"], ".")
	orig := strings.Split(genuine, ".")
	if status, _, _ := e.forgedMe(orig[0] + "." + tampered[1] + "." + orig[2]); status != 401 {
		t.Errorf("naive verifier accepted an edited payload with the old signature: %d", status)
	}

	want(t, e.put("forgery/settings", map[string]any{"verifier": "safe"}), http.StatusOK)
	for _, a := range attacks {
		status, ans, x := e.forgedMe(forged[a.name])
		if status != 401 || ans.Defence == "" || ans.Attack != a.kind || !slices.Contains(x.Milestones, msForgeSafe) && a.name == attacks[0].name {
			t.Errorf("safe, %s: %d %+v %v", a.name, status, ans, x.Milestones)
		}
		if !strings.Contains(ans.Defence, "jwt.") && !strings.Contains(ans.Defence, "keyfunc") {
			t.Errorf("safe, %s: the defence does not name the golang-jwt option: %q", a.name, ans.Defence)
		}
	}
	if status, a, _ := e.forgedMe(genuine); status != 200 || a.User != "alice" {
		t.Errorf("safe verifier refused the genuine token: %d %+v", status, a)
	}
}

// A guessable HMAC secret falls to a dictionary attack whatever the
// verifier; a random 256-bit one does not.
func TestForgeryWeakSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want(t, e.put("forgery/settings", map[string]any{"signer": "HS256-weak"}), http.StatusOK)
	if list := e.get("forgery/wordlist"); list.Code != 200 || len(strings.Fields(list.Body.String())) < 50 {
		t.Fatalf("word list: %d", list.Code)
	}
	genuine := e.forgeryLogin()
	secret := crack(t, genuine)
	tok := e.forge(genuine, "hmac", secret, toAdmin)
	for _, verifier := range []string{"naive", "safe"} {
		want(t, e.put("forgery/settings", map[string]any{"verifier": verifier}), http.StatusOK)
		status, a, x := e.forgedMe(tok)
		if status != 200 || !a.Admin || a.Attack != kindWeak || !slices.Contains(x.Milestones, msForgeWeak) && verifier == "naive" {
			t.Errorf("%s verifier, cracked secret: %d %+v", verifier, status, a)
		}
	}
	// The defence: 256 random bits. The same dictionary finds nothing,
	// and a guess is refused with the defence named.
	want(t, e.put("forgery/settings", map[string]any{"signer": "HS256"}), http.StatusOK)
	strong := e.forgeryLogin()
	parts := strings.Split(strong, ".")
	for _, w := range weakWords() {
		m := hmac.New(sha256.New, []byte(w))
		m.Write([]byte(parts[0] + "." + parts[1]))
		if base64.RawURLEncoding.EncodeToString(m.Sum(nil)) == parts[2] {
			t.Fatalf("the random secret is the word %q", w)
		}
	}
	if status, a, _ := e.forgedMe(e.forge(strong, "hmac", secret, toAdmin)); status != 401 || a.Reason != "bad signature" {
		t.Errorf("guessed secret against a random one: %d %+v", status, a)
	}
	if rec := e.post("forgery/sign", map[string]any{"header": `{"alg":"HS256"}`, "payload": `{}`, "key": "public-key"}); rec.Code != 400 {
		t.Errorf("public-key signing with an HMAC signer: %d", rec.Code)
	}
}

// Bad input to the editor and the settings is a 400 with a reason.
func TestForgeryBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, body := range []any{
		"not json",
		map[string]any{"header": `{"alg":`, "payload": `{}`, "key": "none"},
		map[string]any{"header": `{}`, "payload": `[]`, "key": "none"},
		map[string]any{"header": `{}`, "payload": `{}`, "key": "private"},
		map[string]any{"header": `{}`, "key": "none"},
	} {
		if rec := e.post("forgery/sign", body); rec.Code != 400 || reasonOf(t, rec) == "" {
			t.Errorf("sign %v: %d %s", body, rec.Code, rec.Body)
		}
	}
	for _, body := range []any{map[string]any{"verifier": "trusting"}, map[string]any{"signer": "none"}, map[string]any{"alg": "HS256"}} {
		if rec := e.put("forgery/settings", body); rec.Code != 400 {
			t.Errorf("settings %v: %d", body, rec.Code)
		}
	}
	if rec := e.get("forgery/me"); rec.Code != 401 {
		t.Errorf("no token: %d", rec.Code)
	}
	// The naive verifier is weak, not crashy.
	want(t, e.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
	for _, tok := range []string{"x", "a.b.c", "e30.e30.", "eyJhbGciOiJSUzI1NiIsImp3ayI6eyJrdHkiOiJSU0EiLCJuIjoiQUFBQSIsImUiOiJBUUFCIn19.e30.AAAA"} {
		if rec := e.get("forgery/me", bearerH(tok)...); rec.Code != 401 {
			t.Errorf("naive verifier, %q: %d", tok, rec.Code)
		}
	}
}

// A forged token is bound to the lab that issued the key it abuses: the
// public-key confusion token of one lab fails in another, and no lab
// token works on a lab's twin endpoints.
func TestForgeryIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other, err := e.m.Create(t.Context(), "learner-2")
	if err != nil {
		t.Fatal(err)
	}
	o := *e
	o.owner, o.id = "learner-2", other.ID
	want(t, e.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
	want(t, o.put("forgery/settings", map[string]any{"verifier": "naive"}), http.StatusOK)
	tok := e.forge(e.forgeryLogin(), "public-key", "", toAdmin)
	if status, _, _ := e.forgedMe(tok); status != 200 {
		t.Fatalf("confusion in its own lab: %d", status)
	}
	if status, _, _ := o.forgedMe(tok); status != 401 {
		t.Errorf("confusion token of one lab accepted by another: %d", status)
	}
	if rec := e.get("api/me", bearerH(tok)...); rec.Code != 401 {
		t.Errorf("a forged token passed the twin lab's verifier: %d", rec.Code)
	}
}

func FuzzParseEdit(f *testing.F) {
	f.Add([]byte(`{"header":"{\"alg\":\"none\"}","payload":{"sub":"admin"},"key":"none"}`))
	f.Add([]byte(`{"header":{"alg":"HS256","kid":"../../dev/null"},"payload":"{}","key":"hmac","secret":""}`))
	f.Add([]byte(`{"header":"","payload":"","key":"jwk"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		spec, err := parseEdit(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		if _, _, _, err := spec.sign([]byte("pem"), "http://x/lab/y/mallory/jwks.json"); err != nil {
			t.Fatalf("a checked edit failed to sign: %v", err)
		}
	})
}

func FuzzNaiveVerify(f *testing.F) {
	e := newEnv(f)
	e.put("forgery/settings", map[string]any{"verifier": "naive"})
	genuine := e.forgeryLogin()
	f.Add(genuine)
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")
	f.Add("eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uLy4uL2Rldi9udWxsIn0.e30.")
	f.Add("eyJhbGciOiJFUzI1NiIsImp3ayI6eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6IkFBIiwieSI6IkFBIn19.e30.AA")
	f.Fuzz(func(t *testing.T, tok string) {
		e := e.on(e.m)
		e.t = t
		rec := e.get("forgery/me", "Authorization", "Bearer "+tok)
		if rec.Code != 200 && rec.Code != 401 {
			t.Fatalf("status %d for %q: %s", rec.Code, tok, rec.Body)
		}
	})
}
