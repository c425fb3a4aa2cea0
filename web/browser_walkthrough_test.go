//go:build !nobrowser

package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/authlab/authlab/sandbox"
)

// The walkthrough: every lab story, exactly as the lessons tell it.
//
// For each lab card of each lesson, at 1280 and at 360 px, a new learner
// (a browser context of their own) opens the lesson, reads the card's
// steps as the page renders them, presses the card's "Open the … lab"
// button and does each step as its text says, in order, with the
// controls the text names. A step whose text the walkthrough does not
// know fails the test: a lesson edit that breaks a story, or a new step,
// is taught here before it ships. A step that names a check must tick on
// the lab page; at the end every checked step is done, the goal (when
// the page states one) is solved, the page does not scroll sideways, and
// axe-core finds nothing serious inside the lab.

// walkStep does one step of a lab story, as its text says.
type walkStep func(w *walker)

// labWalkthrough is, per lab panel, the exact rendered text of every step
// of every lesson that teaches it (its textContent, spaces collapsed) →
// what a learner does for it. Narrative steps (no check) are here too:
// they do what they say and check what they promise, or say why not.
var labWalkthrough = map[string]map[string]walkStep{
	"twin-login": {
		// Lesson 02.
		"Log in as alice on the session side. In the trace, find the Set-Cookie response header and read its attributes (Path, HttpOnly, SameSite=Lax).": func(w *walker) {
			w.twinLogin("session")
			w.traceShows("session", "/session/login", "Set-Cookie", "lab_sid=", "Path=", "HttpOnly", "SameSite=Lax")
		},
		"Call /api/me. Find the Cookie: lab_sid=… request header and the verdict line that shows the store lookup.": func(w *walker) {
			w.twinMe("session")
			w.traceShows("session", "/api/me", "Cookie", "lab_sid=", "found in store")
		},
		`Look at "What your JavaScript can see". The lab_sid cookie is not in document.cookie, because it is HttpOnly.`: func(w *walker) {
			w.jsSeesNoCookie()
		},
		"Open the admin panel (/sessions) and find alice's record. Then log out and watch the record disappear and the cookie be cleared.": func(w *walker) {
			w.adminPanel()
			w.wait("alice's record in the admin panel", `Array.from(document.querySelectorAll(".session-list li")).some(li => li.textContent.includes("alice"))`)
			w.twinLogout("session")
			w.wait("the record gone", `!Array.from(document.querySelectorAll(".session-list li")).some(li => li.textContent.includes("alice"))`)
			w.traceShows("session", "/session/logout", "Set-Cookie", "lab_sid=;", "Max-Age=0")
		},
		// Lesson 07.
		"Log in as alice on the session side and find Set-Cookie in the response headers.": func(w *walker) {
			w.twinLogin("session")
			w.traceShows("session", "/session/login", "Set-Cookie", "lab_sid=")
		},
		"Log in as alice on the token side and find access_token in the JSON body.": func(w *walker) {
			w.twinLogin("token")
			w.traceShows("token", "/token/login", `"access_token"`)
		},
		`Call /api/me on the session side. The request carries Cookie: lab_sid=…, and the verdict line says "found in store".`: func(w *walker) {
			w.twinMe("session")
			w.traceShows("session", "/api/me", "Cookie", "lab_sid=", "found in store")
		},
		`Call /api/me on the token side. The request carries Authorization: Bearer eyJ…, and the verdict line says "signature valid".`: func(w *walker) {
			w.twinMe("token")
			w.traceShows("token", "/api/me", "Authorization", "Bearer eyJ", "signature valid")
		},
		"Compare the byte counts the panel shows for the two credentials. The session ID is a few dozen bytes; the JWT is several hundred.": func(w *walker) {
			cookie, bearer := w.credentialBytes()
			if cookie < 20 || cookie > 99 || bearer < 200 || bearer > 999 {
				w.t.Errorf("the panel shows a %d-byte Cookie header and a %d-byte Authorization header; the step promises a few dozen and several hundred", cookie, bearer)
			}
		},
		`Look at "What your JavaScript can see". The HttpOnly cookie is hidden from JavaScript; the token is in whatever storage you picked, readable by any script on the page.`: func(w *walker) {
			w.jsSeesNoCookie()
			if got := w.str(`document.querySelector(".token-storage").value`); got != "memory" {
				w.t.Errorf("the token storage picker opens on %q", got)
			}
		},
		"Copy both credentials into the attacker console, then log out on both sides. Predict, then replay each as Mallory. The cookie gets 401 session not found; the token still gets 200.": func(w *walker) {
			w.copyCredentials()
			w.twinLogout("session")
			w.twinLogout("token")
			w.replayCopied("Cookie", "401", "session not found")
			w.replayCopied("Authorization", "200", "")
		},
		// Lesson 04 (the two axes).
		"Log in as alice on both sides. The session side is design 1 (server state, cookie); the token side is design 4 (client state, header).": func(w *walker) {
			w.twinLogin("session")
			w.twinLogin("token")
		},
		`On the session side, open the admin panel (/sessions) and find alice's record: the state is on the server. On the token side, read the payload under "Decoded access token": the state is inside the credential.`: func(w *walker) {
			w.adminPanel()
			w.wait("alice's record in the admin panel", `Array.from(document.querySelectorAll(".session-list li")).some(li => li.textContent.includes("alice"))`)
			w.wait("the decoded payload names alice", `(e => e && e.checkVisibility() && e.textContent.includes('"sub"') && e.textContent.includes("alice"))(document.querySelector(".jwt-payload-json"))`)
		},
		"Call /api/me on both sides. Compare the trace: Cookie: lab_sid=… that the browser added, and Authorization: Bearer … that the page's code added.": func(w *walker) {
			w.twinMe("session")
			w.twinMe("token")
			w.traceShows("session", "/api/me", "Cookie", "lab_sid=")
			w.traceShows("token", "/api/me", "Authorization", "Bearer ")
		},
		// Lesson 14.
		"Log in as alice with the session on the left.": func(w *walker) { w.twinLogin("session") },
		"Log in as alice with a token on the right.":    func(w *walker) { w.twinLogin("token") },
		"Call /api/me on the session side.":             func(w *walker) { w.twinMe("session") },
		"Call /api/me on the token side. The answer names the same user; only via differs.": func(w *walker) {
			w.twinMe("token")
			w.traceShows("session", "/api/me", `"user":"alice"`, `"via":"session"`)
			w.traceShows("token", "/api/me", `"user":"alice"`, `"via":"token"`)
		},
		"Compare what travelled — Cookie versus Authorization — and their sizes in bytes.": func(w *walker) {
			w.traceShows("session", "/api/me", "Cookie")
			w.traceShows("token", "/api/me", "Authorization")
			if cookie, bearer := w.credentialBytes(); cookie >= bearer {
				w.t.Errorf("the Cookie header (%d bytes) is not smaller than the Authorization header (%d bytes)", cookie, bearer)
			}
		},
	},

	"revoke-vs-replay": {
		// Lesson 04.
		"Log in as alice on both sides. Copy the lab_sid cookie value and the access token into the attacker console.": func(w *walker) {
			w.twinLogin("session")
			w.twinLogin("token")
			w.copyCredentials()
		},
		"Predict, then replay both as Mallory. Both get 200 — a stolen credential works while it is valid.": func(w *walker) {
			w.replayCopied("Cookie", "200", "")
			w.replayCopied("Authorization", "200", "")
		},
		"Open the admin panel and revoke alice's session.": func(w *walker) { w.adminRevoke() },
		"As Mallory, replay the cookie — 401 session not found on the very next request. Replay the token — still 200.": func(w *walker) {
			w.replayCopied("Cookie", "401", "session not found")
			w.replayCopied("Authorization", "200", "")
		},
		"Log in as alice on the session side again, then log out there. The server deletes the session record: that cookie is now worthless, wherever a copy went.": func(w *walker) {
			w.twinLogin("session")
			w.twinLogout("session")
		},
		"Log alice out on the token side. The browser forgets the token; the server does nothing.": func(w *walker) {
			w.twinLogout("token")
		},
		"As Mallory, replay the token again. Still 200 until exp — nobody told the server.": func(w *walker) {
			w.replayCopied("Authorization", "200", "")
		},
		"Now turn on the deny-list, log in on the token side again, log out, and replay the new token as Mallory — 401 token revoked, after a lookup the server now makes on every token request. The first token still works — it was logged out before the list existed, and a deny-list only knows the logouts it saw.": func(w *walker) {
			w.denylistStory(true)
		},
		// Lesson 09.
		"Log in as alice on both sides. Copy the session cookie value and the access token into the attacker console.": func(w *walker) {
			w.twinLogin("session")
			w.twinLogin("token")
			w.copyCredentials()
		},
		"Log out on the session side. The server deletes the session record.":               func(w *walker) { w.twinLogout("session") },
		"Log out on the token side. The browser forgets the token; the server is not told.": func(w *walker) { w.twinLogout("token") },
		"Predict, then replay the cookie as Mallory. It gets 401 session not found.": func(w *walker) {
			w.replayCopied("Cookie", "401", "session not found")
		},
		"Replay the token as Mallory. It still gets 200.": func(w *walker) { w.replayCopied("Authorization", "200", "") },
		"Log in again on both sides and revoke alice's session from the admin panel. The session side dies on its next request; the token side keeps working.": func(w *walker) {
			w.twinLogin("session")
			w.twinLogin("token")
			w.adminRevoke()
			w.twinMe("session")
			w.twinMe("token")
			w.traceSays("session", "/api/me", "401")
			w.traceSays("token", "/api/me", "200")
		},
		"Turn the deny-list on, then log out on the token side and replay that token as Mallory. It now gets 401 token revoked — the logout wrote its jti to the list, and the trace shows the lookup the server makes. The token you logged out before still gets 200 — it was logged out before the list existed.": func(w *walker) {
			w.denylistStory(false)
			if x := w.notes["refused"]; !strings.Contains(x, "on deny-list") {
				w.t.Errorf("%s: the trace does not show the deny-list lookup that refused Mallory's replay: %s", w.step, x)
			}
		},
		// Lesson 16.
		"Log in both ways and copy both credentials into the attacker console.": func(w *walker) {
			w.twinLogin("session")
			w.twinLogin("token")
			w.copyCredentials()
		},
		"Log out on the session side.": func(w *walker) { w.twinLogout("session") },
		"Log out on the token side. Before sending, say out loud what each replay will return and why.": func(w *walker) {
			w.twinLogout("token") // the saying is the learner's
		},
		"Replay the cookie as Mallory.": func(w *walker) { w.replayCopied("Cookie", "401", "session not found") },
		"Replay the token as Mallory.":  func(w *walker) { w.replayCopied("Authorization", "200", "") },
		"Turn on the deny-list, log in on the token side again, log out, and replay the new token as Mallory. Explain what the server now does on every request — and why the first token still works.": func(w *walker) {
			w.denylistStory(true) // the explaining is the learner's
		},
	},

	"refresh-rotation": {
		// Lesson 09.
		"Set token_ttl to 30s and log in as alice on the token side. Note the refresh token R1.": func(w *walker) {
			w.applyTwinSettings(map[string]string{"token_ttl": "30s"})
			w.twinLogin("token")
			w.notes["R1"] = w.refreshTokenIssued()
		},
		"Advance the clock by one minute and call /api/me — 401 token expired.": func(w *walker) {
			w.advanceClock("1m")
			w.twinMe("token")
			w.traceSays("token", "/api/me", "401")
		},
		"Refresh and get a new pair: a new access token and a new refresh token R2.": func(w *walker) {
			w.twinRefresh()
			w.traceSays("token", "/token/refresh", "200")
			w.notes["R2"] = w.refreshTokenIssued()
			if w.notes["R2"] == w.notes["R1"] {
				w.t.Errorf("the refresh handed back R1 again: %s", w.str(latestExchange("token", "/token/refresh")))
			}
		},
		`Press "Replay an old refresh token" (it pastes R1) and send it as Mallory. With reuse_detection on, the server answers 401 and the family tree turns red.`: func(w *walker) {
			if !w.is(`document.querySelector('.settings-form input[name="reuse_detection"]').checked`) {
				w.t.Errorf("reuse_detection is off when the step says it is on")
			}
			if got := w.stealRefresh(); got != w.notes["R1"] {
				w.t.Errorf(`"Replay an old refresh token" pasted %.12s…, not R1 %.12s…`, got, w.notes["R1"])
			}
			w.sendAsMallory("401", "reuse")
			w.wait("the family tree red", `document.querySelector(".family-tree .family.revoked")`)
		},
		"Refresh as alice with R2. It fails too — the whole family was revoked. Now turn reuse_detection off, log in again, refresh, and replay the old token as Mallory — still 401 already used, because rotation alone refuses a spent token, but nothing is revoked and alice's new token keeps working. Turn rotation (refresh_rotation) off too and repeat — the refresh hands back the same token, and Mallory's replay gets 200.": func(w *walker) {
			w.twinRefresh()
			w.traceSays("token", "/token/refresh", "401")
			w.applyTwinSettings(map[string]string{"reuse_detection": "off"})
			w.twinLogin("token")
			w.twinRefresh()
			w.stealRefresh()
			w.sendAsMallory("401", "already used")
			w.twinRefresh()
			w.traceSays("token", "/token/refresh", "200")
			w.applyTwinSettings(map[string]string{"refresh_rotation": "off"})
			w.twinLogin("token")
			before := w.refreshTokenIssued()
			w.twinRefresh()
			if after := w.refreshTokenIssued(); after != before {
				w.t.Errorf("with rotation off the refresh handed back a new refresh token")
			}
			w.stealRefresh()
			w.sendAsMallory("200", "")
		},
	},

	"key-rotation": {
		// Lesson 09.
		"Log in as alice and note the kid in the token header.": func(w *walker) {
			w.rotationLogin("alice")
			w.notes["alice kid"] = w.str(`document.querySelector(".token-table tbody tr:nth-child(1) td:nth-child(2)").textContent`)
		},
		"Rotate the key. Log in as bob; his token carries the new kid.": func(w *walker) {
			w.rotateKey()
			w.rotationLogin("bob")
			if bob := w.str(`document.querySelector(".token-table tbody tr:nth-child(2) td:nth-child(2)").textContent`); bob == w.notes["alice kid"] {
				w.t.Errorf("bob's token names kid %s, as alice's did before the rotation", bob)
			}
		},
		"Call /api/me with alice's old token. It still verifies: the previous key is trusted until it is retired.": func(w *walker) {
			w.rotationMe(1, "200")
		},
		"Mark the old key compromised and call /api/me with alice's token. It fails on its next request; bob's still works.": func(w *walker) {
			w.retireKey(w.notes["alice kid"], true)
			w.rotationMe(1, "401")
			w.rotationMe(2, "200")
		},
		// Lesson 13.
		"Log in (the lab signs with EdDSA, whose public key it publishes), then open the lab's JWKS endpoint and find the key whose kid matches your token's header — the lookup a gateway does. Switch the lab to HS256, log in again and open the JWKS again: the new token's kid is not there — a shared secret is never published. Switch back to EdDSA.": func(w *walker) {
			if alg := w.str(`document.querySelector(".rotation-alg").value`); alg != "EdDSA" {
				w.t.Errorf("the lab signs with %s, the step says EdDSA", alg)
			}
			w.rotationLogin("alice")
			kid := w.str(`document.querySelector(".token-table tbody tr:nth-child(1) td:nth-child(2)").textContent`)
			w.notes["old kid"] = kid
			w.jwks()
			w.wait("the token's kid in the JWKS", `document.querySelector(".jwks-view").textContent.includes(`+jsString(`"kid": "`+kid+`"`)+`)`)
			w.setRotationAlg("HS256")
			w.rotationLogin("alice")
			hs := w.str(`document.querySelector(".token-table tbody tr:nth-child(2) td:nth-child(2)").textContent`)
			w.jwks()
			if w.is(`document.querySelector(".jwks-view").textContent.includes(` + jsString(hs) + `)`) {
				w.t.Errorf("the HS256 token's kid %s is in the JWKS", hs)
			}
			if got := w.str(`document.querySelector(".keys-result").textContent`); !strings.Contains(got, hs) || !strings.Contains(got, "not in the set") {
				w.t.Errorf("after an HS256 login the JWKS check says %q; it does not say that %s is missing", got, hs)
			}
			w.setRotationAlg("EdDSA")
		},
		"Rotate the signing key and log in again. The JWKS now lists two keys, and /api/me accepts both the old token and the new one.": func(w *walker) {
			w.rotateKey()
			w.rotationLogin("alice")
			w.jwks()
			if n := w.num(`JSON.parse(document.querySelector(".jwks-view").textContent).keys.length`); n != 2 {
				w.t.Errorf("the JWKS lists %d keys after the rotation", n)
			}
			w.rotationMe(1, "200")
			w.rotationMe(3, "200")
		},
		"Retire the old key and call the API with the old token. A gateway with a fresh key set rejects it.": func(w *walker) {
			w.retireKey(w.notes["old kid"], false)
			w.rotationMe(1, "401")
		},
	},

	"opaque-vs-jwt": {
		// Lesson 08.
		"Log in to issue a JWT and an opaque token for alice. Decode the JWT (its card's Decode button) and read sub, exp and jti without any key.": func(w *walker) {
			w.opaqueLogin()
			for _, claim := range []string{`"sub": "alice"`, `"exp":`, `"jti":`} {
				if got := w.decode("jwt"); !strings.Contains(got, claim) {
					w.t.Errorf("the decoded JWT lacks %s: %s", claim, got)
				}
			}
		},
		"Try the same with the opaque token. It decodes to random bytes — the data is only on the server, reached through the introspection endpoint.": func(w *walker) {
			if got := w.decode("opaque"); !strings.Contains(got, "random bytes") {
				w.t.Errorf("the decoded opaque token: %s", got)
			}
		},
		`Call the API with the opaque token. The verdict line says "introspection found an active token".`: func(w *walker) {
			w.opaqueMe("opaque", "200")
			w.opaqueVerdict("opaque", "introspection found an active token")
		},
		`Call the API with the JWT. The verdict line says "signature valid". Compare "the check alone" for both, which the panel measures by repeating just that check on the server (a signature verification against one read of the token's record from the store). A real introspection call adds a network round trip on top.`: func(w *walker) {
			w.opaqueMe("jwt", "200")
			w.opaqueVerdict("jwt", "signature valid")
			w.checkAloneShown("opaque", "jwt")
		},
		"Revoke the opaque token and call the API with it again — 401 at once.": func(w *walker) {
			w.opaqueRevoke()
			w.opaqueMe("opaque", "401")
		},
		"Call the API with the JWT of the same login. It keeps working until exp.": func(w *walker) {
			w.opaqueMe("jwt", "200")
		},
		// Lesson 11.
		"Log in and get an opaque token and a JWT. Decode both. The JWT shows alice's claims; the opaque token shows nothing.": func(w *walker) {
			w.opaqueLogin()
			if got := w.decode("jwt"); !strings.Contains(got, `"sub": "alice"`) {
				w.t.Errorf("the decoded JWT: %s", got)
			}
			if got := w.decode("opaque"); strings.Contains(got, "alice") || !strings.Contains(got, "No claims") {
				w.t.Errorf("the decoded opaque token: %s", got)
			}
		},
		"Call the API with the opaque token: an introspection lookup. Note the time of the check alone, which the panel measures on the server.": func(w *walker) {
			w.opaqueMe("opaque", "200")
			w.checkAloneShown("opaque")
		},
		"Call the API with the JWT: a signature check, no lookup. Compare its verdict line and time with the opaque token's.": func(w *walker) {
			w.opaqueMe("jwt", "200")
			w.opaqueVerdict("jwt", "signature valid")
			w.checkAloneShown("opaque", "jwt")
		},
		"Revoke the opaque token and call the API with it. It fails on its next use.": func(w *walker) {
			w.opaqueRevoke()
			w.opaqueMe("opaque", "401")
		},
		"Call the API with the PASETO v4.public token of the same login and compare its header with the JWT's — PASETO has no alg to edit.": func(w *walker) {
			w.opaqueMe("paseto", "200")
			if got := w.decode("paseto"); !strings.Contains(got, "v4.public") || strings.Contains(got, `"alg"`) {
				w.t.Errorf("the decoded PASETO token: %s", got)
			}
			if got := w.decode("jwt"); !strings.Contains(got, `"alg"`) {
				w.t.Errorf("the decoded JWT has no alg: %s", got)
			}
		},
	},

	"cost": {
		// Lesson 12.
		`Press "Log in both ways", then "Run the measurement". Compare HS256, RS256, EdDSA and ES256 verification with the session lookup in memory and in the database (and Redis, if configured).`: func(w *walker) {
			w.clickEl(`[data-action="login"]`)
			w.wait("the logins", `document.querySelector(".cost-status").textContent.includes("Logged in")`)
			w.costRun()
			rows := w.str(`document.querySelector(".cost-table tbody").textContent`)
			for _, want := range []string{"HS256", "RS256", "EdDSA", "ES256", "Session lookup, process memory", "Session lookup, SQLite"} {
				if !strings.Contains(rows, want) {
					w.t.Errorf("the measurement has no row for %s: %s", want, rows)
				}
			}
		},
		"Turn the deny-list on and run it again. The token path now includes a store lookup — note how close it gets to the session path.": func(w *walker) {
			w.clickEl(".cost-denylist")
			w.wait("the deny-list on", `document.querySelector(".cost-status").textContent.includes("Deny-list on")`)
			w.costRun()
			w.wait("the lookup in the token rows", `Array.from(document.querySelectorAll(".cost-table tbody td:first-child")).some(td => td.textContent.includes("deny-list lookup"))`)
		},
		"Read the bytes row. Compare your own session cookie and access token.": func(w *walker) {
			got := w.str(`document.querySelector(".bytes-table tbody").textContent`)
			if !strings.Contains(got, "your lab cookie") || !strings.Contains(got, "your access token") {
				w.t.Errorf("the bytes rows show no cookie or token of yours: %s", got)
			}
		},
	},

	"token-storage": {
		// Lesson 10.
		`Store the token in localStorage, log in as alice and press "Run the injected script". The grid shows the token read and sent to Mallory.`: func(w *walker) {
			w.storageMode("localStorage")
			w.storageLogin()
			w.injectedScript()
			w.gridSays("read", "localStorage", "yes")
			w.gridSays("sent", "localStorage", "yes")
		},
		`Read the row "Mallory replays it from her machine": she replayed the stolen token and got 200. Switch to sessionStorage, log in again and run the script again. Still stolen.`: func(w *walker) {
			w.waitGrid("replay", "localStorage", "200")
			w.storageMode("sessionStorage")
			w.storageLogin()
			w.injectedScript()
			w.gridSays("read", "sessionStorage", "from sessionStorage")
			w.waitGrid("replay", "sessionStorage", "200")
		},
		`Switch to memory, log in and run the script. The storage read finds nothing — but the script hooked fetch: press "The app calls GET /api/me" and the hook catches the token in flight.`: func(w *walker) {
			w.storageMode("memory")
			w.storageLogin()
			w.injectedScript()
			w.gridSays("read", "memory", "the hook waits")
			w.clickEl(`[data-action="call"]`)
			w.waitGrid("read", "memory", "caught in flight")
		},
		"Switch to an HttpOnly cookie, log in and run the script. It finds nothing to steal in document.cookie.": func(w *walker) {
			w.storageMode("cookie")
			w.storageLogin()
			w.injectedScript()
			w.gridSays("read", "cookie", "not in document.cookie")
		},
		`Look at the row "The script calls the API as you, from the page": the browser attached the cookie anyway. The row "Sent by the browser on its own (CSRF-able)" says yes only with SameSite=None: pick None in the cookie's SameSite menu and see it change, then pick Lax again.`: func(w *walker) {
			w.waitGrid("ride", "cookie", "attached the HttpOnly cookie")
			w.selectValue(`.storage-form select[name="samesite"]`, "None")
			w.waitGrid("csrf", "cookie", "yes")
			w.selectValue(`.storage-form select[name="samesite"]`, "Lax")
			w.waitGrid("csrf", "cookie", "not cross-site")
		},
	},

	"jwt-forgery": {
		// Lesson 11.
		"Log in as alice and get a genuine token.": func(w *walker) {
			w.clickEl(`.forgery-login button[type="submit"]`)
			w.wait("a genuine token", `document.querySelector(".genuine-token").value.split(".").length === 3`)
		},
		"With the verifier in naive mode, change sub to admin, set alg to none, drop the signature and send it. 200.": func(w *walker) {
			w.clickEl(`input[name="verifier"][value="naive"]`)
			w.wait("the naive verifier", `document.querySelector(".forgery-note").textContent.includes("Naive")`)
			w.clickEl(`[data-edit="admin"]`)
			w.selectValue(`.forgery-editor select[name="key"]`, "none")
			w.forge("", "200")
		},
		"Switch the lab to RS256, fetch the public key, re-sign your edited token as HS256 with it. 200 again — algorithm confusion.": func(w *walker) {
			w.selectValue(`.forgery-settings select[name="signer"]`, "RS256")
			w.wait("the RS256 signer", `document.querySelector(".forgery-note").textContent !== ""`)
			w.clickEl(`[data-edit="public-key"]`)
			w.wait("the public key", `document.querySelector(".public-key").textContent.includes("BEGIN PUBLIC KEY")`)
			w.forge("public key", "200")
		},
		"Switch to HS256 with the lab's weak secret, get a new genuine token and run the dictionary attack on it in your browser. Set sub to admin again, re-sign with the cracked secret and send it.": func(w *walker) {
			w.selectValue(`.forgery-settings select[name="signer"]`, "HS256-weak")
			w.wait("the weak signer", `document.querySelector(".forgery-note").textContent.includes("dictionary word")`)
			w.clickEl(`.forgery-login button[type="submit"]`)
			w.wait("an HS256 genuine token", `(() => { try { return JSON.parse(atob(document.querySelector(".genuine-token").value.split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))).alg === "HS256"; } catch { return false; } })()`)
			w.clickEl(`[data-action="crack"]`)
			w.wait("the cracked secret", `document.querySelector(".crack-result").textContent.includes("Cracked")`)
			w.clickEl(`[data-edit="admin"]`)
			w.forge("secret you typed", "200")
		},
		"Embed your own jwk in the header, sign with its private key and send it.": func(w *walker) {
			w.selectValue(`.forgery-editor select[name="key"]`, "jwk")
			w.forge("Mallory's", "200")
		},
		"Point kid at a key you chose (a path to /dev/null), sign with that key and send it.": func(w *walker) {
			w.clickEl(`[data-edit="kid"]`)
			w.forge("secret you typed", "200")
		},
		"Flip the verifier to safe and replay every forged token. Each header trick gets 401, and the panel names the golang-jwt option that stopped it; the token re-signed with the cracked secret still gets 200 — no verifier option fixes a weak secret.": func(w *walker) {
			w.clickEl(`input[name="verifier"][value="safe"]`)
			w.wait("the safe verifier", `document.querySelector(".forgery-note").textContent.includes("Safe")`)
			for _, f := range w.forged {
				got := w.sendForged(f.token)
				switch {
				case f.what == "secret you typed" && !strings.Contains(f.header, "dev/null"):
					if !strings.Contains(got, "Mallory got 200") {
						w.t.Errorf("the token re-signed with the cracked secret, to the safe verifier: %q", got)
					}
				case !strings.Contains(got, "Mallory got 401") || !strings.Contains(got, "Stopped by"):
					w.t.Errorf("a forged token (%s) to the safe verifier: %q, want 401 and the defence named", f.what, got)
				}
			}
		},
	},

	"fixation": {
		// Lesson 06.
		`With "rotate ID on login" off, let Mallory get a session ID and plant it in alice's browser.`: func(w *walker) {
			w.wait("the settings", `document.querySelector(".fixation-note").textContent !== ""`)
			w.fixationRotate(false)
			w.clickEl(`[data-action="visit"]`)
			w.wait("Mallory's ID", `document.querySelector(".mallory-sid").textContent.length > 8`)
			w.plant()
		},
		"Log in as alice.": func(w *walker) { w.fixationLogin("Logged in") },
		"As Mallory, call /api/me with the planted ID. Predict first — it answers 200 as alice.": func(w *walker) {
			if got, planted := w.str(`document.querySelector(".fixation-attack input[name=sid]").value`), w.str(`document.querySelector(".mallory-sid").textContent`); got != planted {
				w.t.Errorf("Mallory's console holds %q, not the planted ID %q", got, planted)
			}
			w.malloryUsesID("200", "alice")
		},
		`Turn "rotate ID on login" on and repeat: plant, log in as alice, call /api/me as Mallory with the planted ID. Alice's login got a fresh Set-Cookie; the planted ID now gets 401.`: func(w *walker) {
			w.fixationRotate(true)
			w.plant()
			w.fixationLogin("new session ID")
			w.malloryUsesID("401", "")
		},
		"Switch the ID generator to a counter and log in as alice. Let Mallory log in as herself (her own machine, her own cookie jar) — the server gives her the next number. She tries the numbers next to hers (−1, +1) and lands in alice's session.": func(w *walker) {
			w.selectValue(`.fixation-settings select[name="ids"]`, "counter")
			w.wait("counter IDs", `document.querySelector(".fixation-note").textContent.includes("from a counter")`)
			w.fixationLogin("Logged in")
			own := w.malloryLogsIn()
			if strings.Trim(own, "0123456789") != "" {
				w.t.Errorf("Mallory's own ID %q is not a number", own)
			}
			w.clickEl(`.fixation-attack button[data-step="-1"]`)
			w.malloryUsesID("200", "alice")
		},
		"Switch back to 128-bit random IDs, log in as alice again, let Mallory log in again and try the IDs next to her new one. Nobody is there.": func(w *walker) {
			w.selectValue(`.fixation-settings select[name="ids"]`, "random")
			w.wait("random IDs", `document.querySelector(".fixation-note").textContent.includes("128 random bits")`)
			w.fixationLogin("Logged in")
			own := w.malloryLogsIn()
			for _, step := range []string{"-1", "1"} {
				w.setField(`.fixation-attack input[name="sid"]`, own)
				w.clickEl(`.fixation-attack button[data-step="` + step + `"]`)
				w.malloryUsesID("401", "nobody")
			}
		},
	},

	"csrf": {
		// Lesson 03.
		"Set the cookie to SameSite=None, log in to the lab bank as alice (localhost), then open the evil page (served from 127.0.0.1, a different site) and let it auto-submit a transfer. The transfer goes through.": func(w *walker) {
			w.csrfSet(`input[name="samesite"][value="None"]`, true, "SameSite=None")
			w.bankLogin()
			if !strings.HasPrefix(w.b.location(w.t), "http://localhost:") || !strings.Contains(w.str(`document.querySelector(".evil-link").href`), "127.0.0.1") {
				w.t.Errorf("the bank is at %s and the evil page at %s", w.b.location(w.t), w.str(`document.querySelector(".evil-link").href`))
			}
			w.evilPage(".evil-link", "", "Lab bank: OK")
		},
		"Switch the cookie to SameSite=Lax, log in again, and repeat. The cross-site POST arrives with no cookie and is refused.": func(w *walker) {
			w.csrfSet(`input[name="samesite"][value="Lax"]`, true, "SameSite=Lax")
			w.bankLogin()
			w.evilPage(".evil-link", "", "Unauthorized")
		},
		`Switch to SameSite=Strict and log in again. Open the evil page, stop its countdown and follow its plain link to the bank. The bank's page, built from what that navigation carried, says you are not logged in. Click its "My account" link — a navigation that starts inside the bank — and you are logged in.`: func(w *walker) {
			w.csrfSet(`input[name="samesite"][value="Strict"]`, true, "SameSite=Strict")
			w.bankLogin()
			w.evilPlainLink()
		},
		`Keep Strict and open the evil page on another port of the same host (the panel's "Open the evil page on another port"; when that link is missing, the panel says how to start the server). It is cross-origin but same-site, so even the Strict cookie goes along and the transfer goes through.`: func(w *walker) {
			w.wait("the link to the evil page on another port", `!document.querySelector(".same-site-box").hidden`)
			w.evilPage(".same-site-link", "same site", "Lab bank: OK")
		},
		"Turn on the Origin / Sec-Fetch-Site check and repeat — a same-site request is refused too.": func(w *walker) {
			w.csrfSet(`input[name="origin_check"]`, true, "Origin check:")
			w.evilPage(".same-site-link", "same site", "Forbidden")
		},
		// Lesson 06.
		"Set the cookie to SameSite=None with no other defence. Log in as alice, open the evil page, and watch the transfer go through.": func(w *walker) {
			w.csrfSet(`input[name="samesite"][value="None"]`, true, "SameSite=None")
			for _, box := range []string{"csrf_token", "origin_check"} {
				if w.is(`document.querySelector('.csrf-settings input[name="` + box + `"]').checked`) {
					w.t.Errorf("the lab opens with %s on: not \"no other defence\"", box)
				}
			}
			w.bankLogin()
			w.evilPage(".evil-link", "", "Lab bank: OK")
		},
		"Keep SameSite=None but turn on the CSRF token. Repeat — the forged request has no token and is refused.": func(w *walker) {
			w.csrfSet(`input[name="csrf_token"]`, true, "CSRF token:")
			w.bankLogin()
			w.evilPage(".evil-link", "", "Forbidden")
		},
		"Turn the token off and turn on the Origin / Sec-Fetch-Site check. Repeat — the trace shows Sec-Fetch-Site cross-site and the request is refused.": func(w *walker) {
			w.csrfSet(`input[name="csrf_token"]`, false, "CSRF token:")
			w.csrfSet(`input[name="origin_check"]`, true, "Origin check:")
			w.bankLogin()
			w.evilPage(".evil-link", "", "Forbidden")
			w.wait("Sec-Fetch-Site: cross-site in the trace", `Array.from(document.querySelectorAll(".panel-trace .exchange")).some(x => x.querySelector("summary code").textContent.endsWith("/bank/transfer") && x.querySelector("summary .status").textContent === "403" && /Sec-Fetch-Site\s*cross-site/i.test(x.querySelector("details").textContent))`)
		},
		"Turn the Origin check off and switch to token mode, then repeat the attack. The forged form carries no Authorization header, so it fails whatever the cookie settings.": func(w *walker) {
			w.csrfSet(`input[name="origin_check"]`, false, "Origin check:")
			w.csrfSet(`input[name="mode"][value="bearer"]`, true, "Bearer mode")
			w.bankLogin()
			w.evilPage(".evil-link", "", "Unauthorized")
		},
	},

	"cluster": {
		// Lesson 05.
		"Set the balancer to round robin and the session store to per node. Log in as alice and send ten requests. Note which nodes answer 200 and which answer 401.": func(w *walker) {
			w.clusterSet("balance", "round-robin", "Round robin")
			w.clusterSet("store", "node", "")
			w.clusterLogin("session")
			if got := w.sendTen(); strings.HasPrefix(got, "10 of 10") || strings.HasPrefix(got, "0 of 10") {
				w.t.Errorf("round robin over per-node memory: %q", got)
			}
		},
		"Switch the balancer to sticky and send ten more. The balancer stamped the node that served your login in a lab_node cookie, so all ten now reach that node and succeed.": func(w *walker) {
			w.clusterSet("balance", "sticky", "Sticky")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("sticky: %q", got)
			}
			if got := w.str(`Array.from(new Set(Array.from(document.querySelectorAll(".ten-results li")).map(li => li.textContent.split(" ")[1]))).join(",")`); got != w.notes["node"] {
				w.t.Errorf("sticky sent the ten to %s; the login was on %s", got, w.notes["node"])
			}
		},
		`Restart ("deploy") that node and send ten more — alice is logged out.`: func(w *walker) {
			w.restartNode(w.notes["node"])
			if got := w.sendTen(); !strings.HasPrefix(got, "0 of 10") {
				w.t.Errorf("after deploying %s: %q", w.notes["node"], got)
			}
		},
		"Switch to the shared store (Redis when configured, else the database) with round robin. Log in, send ten requests, restart a node, send ten more. Every request succeeds.": func(w *walker) {
			w.clusterSet("store", "shared", "Shared store")
			w.clusterSet("balance", "round-robin", "")
			w.clusterLogin("session")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("shared store: %q", got)
			}
			w.restartNode("node-2")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("shared store after a restart: %q", got)
			}
		},
		"Log in with a token and send ten requests. Every node accepts the token without a store.": func(w *walker) {
			w.clusterLogin("token")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("token: %q", got)
			}
		},
		"Now rotate the signing key on one node only and send ten more: that node now refuses your token, signed with the key the others still share.": func(w *walker) {
			w.rotateNodeKey("2")
			if got := w.sendTen(); strings.HasPrefix(got, "10 of 10") || strings.HasPrefix(got, "0 of 10") {
				w.t.Errorf("after rotating node-2's key: %q", got)
			}
			if got := w.str(`Array.from(new Set(Array.from(document.querySelectorAll(".ten-results li.bad")).map(li => li.textContent.split(" ")[1]))).join(",")`); got != "node-2" {
				w.t.Errorf("after rotating node-2's key the refusals came from %q", got)
			}
		},
		// Lesson 15.
		"Put three nodes behind round-robin balancing with a per-node session store. Log in with a session and send ten requests — most fail on the nodes that don't have your session.": func(w *walker) {
			w.clusterSet("balance", "round-robin", "Round robin")
			w.clusterSet("store", "node", "")
			w.clusterLogin("session")
			if got := w.sendTen(); !regexp.MustCompile(`^[1-4] of 10`).MatchString(got) {
				w.t.Errorf("round robin over per-node memory: %q, want most to fail", got)
			}
		},
		"Switch to a shared store, log in again and send ten requests. All ten succeed on every node.": func(w *walker) {
			w.clusterSet("store", "shared", "Shared store")
			w.clusterLogin("session")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("shared store: %q", got)
			}
			if n := w.num(`new Set(Array.from(document.querySelectorAll(".ten-results li")).map(li => li.textContent.split(" ")[1])).size`); n != 3 {
				w.t.Errorf("the ten reached %d nodes, not every node", n)
			}
		},
		`Switch to sticky balancing with per-node stores, log in again, then "deploy" (restart) your node and send ten more. Your session is gone.`: func(w *walker) {
			w.clusterSet("balance", "sticky", "")
			w.clusterSet("store", "node", "Sticky")
			w.clusterLogin("session")
			w.restartNode(w.notes["node"])
			if got := w.sendTen(); !strings.HasPrefix(got, "0 of 10") {
				w.t.Errorf("after deploying %s: %q", w.notes["node"], got)
			}
		},
		"Switch back to round robin, log in with a token and send ten requests. It works on every node with no shared store.": func(w *walker) {
			w.clusterSet("balance", "round-robin", "")
			w.clusterLogin("token")
			if got := w.sendTen(); !strings.HasPrefix(got, "10 of 10") {
				w.t.Errorf("token: %q", got)
			}
			if n := w.num(`new Set(Array.from(document.querySelectorAll(".ten-results li")).map(li => li.textContent.split(" ")[1])).size`); n != 3 {
				w.t.Errorf("the ten reached %d nodes, not every node", n)
			}
		},
		"Rotate the key on one node only and send ten more: the tokens fail where the keys disagree.": func(w *walker) {
			w.rotateNodeKey("2")
			if got := w.sendTen(); strings.HasPrefix(got, "10 of 10") || strings.HasPrefix(got, "0 of 10") {
				w.t.Errorf("after rotating one node's key: %q", got)
			}
		},
	},

	"step-up": {
		// Lesson 15.
		"On the session side, log in as alice and send the transfer: 200, the login is fresh. Press Let 10 minutes pass and send it again: 403 — alice is still logged in, but her login is too old.": func(w *walker) {
			w.stepUpSessionLogin()
			w.stepUpTransfer("session", "200")
			w.stepUpLater()
			w.stepUpTransfer("session", "403")
		},
		"Type alice's password (wonderland) into the session side's Password field and press Re-enter the password. In the trace, that answer's Set-Cookie carries a new lab_sid. Send the transfer again: 200.": func(w *walker) {
			w.setField(stepUpSide("session")+`.su-reauth input[name=password]`, "wonderland")
			out := `document.querySelector('` + stepUpSide("session") + `[data-reauth]')`
			eval[bool](w.t, w.b, `(`+out+`.textContent = "", true)`)
			w.clickEl(stepUpSide("session") + `.su-reauth button[type="submit"]`)
			w.wait("the step-up's answer", out+`.textContent.includes("Password checked")`)
			w.wait("the step-up in the trace", stepUpExchanges("/stepup/session/reauth")+` > 0`)
			login, reauth := w.str(stepUpSetCookie("/stepup/session/login")), w.str(stepUpSetCookie("/stepup/session/reauth"))
			if !strings.HasPrefix(login, "lab_sid=") || !strings.HasPrefix(reauth, "lab_sid=") || login == reauth {
				w.t.Errorf("%s: the login set %q, the step-up %q: want a new lab_sid", w.step, login, reauth)
			}
			w.stepUpTransfer("session", "200")
		},
		`On the token side, log in as alice and read the token's auth_time, acr and amr. Press Let 10 minutes pass and send the transfer: 401, with RFC 9470's challenge — the error insufficient_user_authentication and max_age="300".`: func(w *walker) {
			w.notes["auth_time"] = w.stepUpTokenLogin()
			if acr, amr := w.str(`document.querySelector('[data-claim="acr"]').textContent`), w.str(`document.querySelector('[data-claim="amr"]').textContent`); !strings.HasPrefix(acr, "urn:") || amr != `["pwd"]` {
				w.t.Errorf("%s: the token's acr %q, amr %q", w.step, acr, amr)
			}
			w.stepUpLater()
			w.stepUpTransfer("token", "401")
			w.wait("the challenge on the token side", `(t => t.startsWith('Bearer error="insufficient_user_authentication"') && t.includes('max_age="300"'))(document.querySelector("[data-challenge]").textContent)`)
		},
		"Log in again on the token side: the new token's auth_time is 10 minutes later. Send the transfer: 200.": func(w *walker) {
			if now := w.stepUpTokenLogin(); now == w.notes["auth_time"] {
				w.t.Errorf("%s: the new token's auth_time %q is the old one's", w.step, now)
			}
			w.stepUpTransfer("token", "200")
		},
	},
}

// labStory is one lab card of one lesson.
type labStory struct {
	lesson string // slug
	file   string // where it is written
	lines  []int  // of its steps, there
	card   int    // which lab card of the lesson, from 0
	panel  string
	steps  int
	goal   bool // the block sets the lab's goal: following it solves the lab
	full   bool // also run axe-core
}

// renderedStep is one step of a lab card as the lesson page shows it.
type renderedStep struct {
	Text      string `json:"text"`
	Milestone string `json:"milestone"`
}

func TestBrowserLabWalkthrough(t *testing.T) {
	env := newTestEnv(t)
	b := newBrowserWithin(t, env.srv, 20*time.Minute) // the stories share it; each has its own limit

	// The CSRF stories need another site (the lab as localhost, the evil
	// page as 127.0.0.1) and another port of the same host.
	b.base = strings.Replace(b.base, "127.0.0.1", "localhost", 1)
	second := httptest.NewServer(env.srv.SameSiteHandler())
	t.Cleanup(second.Close)
	env.srv.labs.SetSameSiteListener(strings.TrimPrefix(second.URL, "http://"))
	if _, err := axeSource(); err != nil {
		t.Fatal(err)
	}

	var stories []labStory
	for _, l := range env.catalog.Lessons {
		card := 0
		for _, seg := range l.Body {
			if seg.Lab != nil {
				st := labStory{lesson: l.Slug, file: l.File, card: card, panel: seg.Lab.Name, steps: len(seg.Lab.Steps), goal: seg.Lab.Goal != nil}
				for _, step := range seg.Lab.Steps {
					st.lines = append(st.lines, step.Line)
				}
				stories = append(stories, st)
				card++
			}
		}
	}
	// Each panel's longest story also gets the axe-core check: the others
	// show the same page with less on it.
	for _, panel := range sandbox.Panels() {
		longest := -1
		for i, s := range stories {
			if s.panel == panel && (longest < 0 || s.steps > stories[longest].steps) {
				longest = i
			}
		}
		if longest < 0 {
			t.Errorf("no lesson tells the %s lab's story", panel)
			continue
		}
		stories[longest].full = true
	}
	slices.SortStableFunc(stories, func(a, b labStory) int {
		return slices.Index(sandbox.Panels(), a.panel) - slices.Index(sandbox.Panels(), b.panel)
	})
	start := time.Now()
	t.Cleanup(func() {
		t.Logf("%d stories at %d widths in %s", len(stories), len(labWidths), time.Since(start).Round(time.Second))
	})
	// One learner per story and width, each in a tab of their own: they
	// run side by side (go test's -parallel).
	for _, s := range stories {
		for _, width := range labWidths {
			if width < 1280 && !s.goal && !s.full {
				// On a phone: every lab's own story (the block that sets its
				// goal) and the one axe-core checks; the other lessons'
				// stories of the same lab at 1280 px only, to keep CI short.
				continue
			}
			t.Run(fmt.Sprintf("%s/%s/%d", s.panel, s.lesson, width), func(t *testing.T) {
				t.Parallel()
				began := time.Now()
				walkStory(t, b, s, width)
				t.Logf("walked in %s", time.Since(began).Round(100*time.Millisecond))
			})
		}
	}
}

// walkStory walks one lab card's story as a new learner, in a tab of its own.
func walkStory(t *testing.T, b *browser, s labStory, width int64) {
	opened := time.Now()
	tab := b.tab(t)
	ctx, cancel := context.WithTimeout(tab.ctx, 3*time.Minute)
	t.Cleanup(cancel)
	tab.ctx = ctx
	w := &walker{t: t, b: tab, notes: map[string]string{}}
	height := map[int64]int64{1280: 800, 360: 740}[width]
	tab.run(t, "open the lesson", chromedp.EmulateViewport(width, height),
		chromedp.Navigate(b.base+"/lessons/"+s.lesson), chromedp.WaitVisible(chromedp.CSS("section.lab-card")))

	// The card, as the lesson renders it: its panel, its button, its steps
	// (each step's text without its "the lab checks this step" tag).
	card := `document.querySelectorAll("section.lab-card")[` + strconv.Itoa(s.card) + `]`
	if got := w.str(card + `.querySelector("input[name=panel]").value`); got != s.panel {
		t.Fatalf("lab card %d of %s opens %q, not %q", s.card, s.lesson, got, s.panel)
	}
	steps := eval[[]renderedStep](t, tab, `Array.from(`+card+`.querySelectorAll("ol.lab-steps > li")).map(li => { const c = li.cloneNode(true); c.querySelector("[data-step-tag]")?.remove(); return {text: c.textContent.replace(/\s+/g, " ").trim(), milestone: li.dataset.milestone || ""}; })`)
	if len(steps) == 0 {
		t.Fatalf("the %s lab card of %s shows no steps", s.panel, s.lesson)
	}
	table := labWalkthrough[s.panel]
	var unknown []string
	for i, st := range steps {
		if table[st.Text] == nil {
			where := s.file
			if i < len(s.lines) {
				where += ":" + strconv.Itoa(s.lines[i])
			}
			unknown = append(unknown, fmt.Sprintf("lesson text changed: teach the walkthrough this step: %s\n    (content/%s, step %d of the %s lab; add it to labWalkthrough[%q] in web/browser_walkthrough_test.go)", st.Text, where, i+1, s.panel, s.panel))
		}
	}
	if len(unknown) > 0 {
		t.Fatal(strings.Join(unknown, "\n"))
	}

	// The card's own button opens the lab.
	eval[bool](t, tab, `(`+card+`.dataset.walk = "", true)`)
	button := `section.lab-card[data-walk] form.lab-open button[type="submit"]`
	if got := w.str(`document.querySelector(` + jsString(button) + `).textContent`); !strings.HasPrefix(got, "Open the ") || !strings.HasSuffix(got, " lab") {
		t.Errorf("the lab card's button reads %q", got)
	}
	clickAsLearner(t, tab, button, "open the lab from lesson "+s.lesson)
	tab.run(t, "wait for the lab page", chromedp.WaitVisible(chromedp.CSS(".lab-page[data-ready]")))
	if got := w.str(`document.querySelector(".lab-page").dataset.panel`); got != s.panel {
		t.Fatalf("the card's button opened the %s lab, not %s", got, s.panel)
	}
	t.Logf("the lab open in %s", time.Since(opened).Round(100*time.Millisecond))

	for i, st := range steps {
		if st.Milestone != "" && !w.is(`document.querySelector('.lab-guide li[data-milestone="`+st.Milestone+`"]')`) {
			t.Fatalf("step %d names check %s, which the lab page does not list: %s", i+1, st.Milestone, st.Text)
		}
		w.step = fmt.Sprintf("step %d (%s)", i+1, st.Text)
		began := time.Now()
		table[st.Text](w)
		if st.Milestone != "" {
			w.wait("step "+strconv.Itoa(i+1)+" ticked on the lab page ("+st.Milestone+")", `document.querySelector('.lab-guide li[data-milestone="`+st.Milestone+`"].done')`)
		}
		t.Logf("step %d done in %s", i+1, time.Since(began).Round(100*time.Millisecond))
	}
	w.step = "the end of the story"
	for _, st := range steps {
		if st.Milestone != "" && !w.is(`document.querySelector('.lab-guide li[data-milestone="`+st.Milestone+`"].done')`) {
			t.Errorf("at the end of the story the step %q (%s) is not done", st.Text, st.Milestone)
		}
	}
	// The story of the block that sets the lab's goal solves it; another
	// lesson's block may tell only part of the lab (lesson 02's twin lab
	// is sessions only).
	if s.goal {
		w.wait("the goal solved", `(() => { const s = document.querySelector(".lab-solved"); return s && s.checkVisibility(); })()`)
	}

	// The page as the story left it, every disclosure open, fits the
	// window. For axe-core, the newest exchange of each trace stays open
	// (the others are the same markup, and a long trace would make the
	// check slow), with every other disclosure of the lab.
	eval[bool](t, tab, `(document.querySelectorAll(".lab-page details").forEach(d => d.open = true), true)`)
	what := fmt.Sprintf("the %s lab after lesson %s's story at %d px", s.panel, s.lesson, width)
	checked := time.Now()
	noSideScroll(t, tab, what)
	if s.full {
		eval[bool](t, tab, `(document.querySelectorAll(".lab-page .trace").forEach(list => list.querySelectorAll(".exchange details").forEach((d, i) => d.open = i === 0)), true)`)
		noAxeViolations(t, tab, ".lab-page", what)
	}
	if t.Failed() {
		tab.shot(t, fmt.Sprintf("walk-%s-%s-%d", s.panel, s.lesson, width))
	}
	t.Logf("the page checked in %s", time.Since(checked).Round(100*time.Millisecond))
	noConsoleProblems(t, tab)
}

// walker is one learner following one lab story.
type walker struct {
	t    *testing.T
	b    *browser
	step string // what the learner is doing, for messages

	notes  map[string]string // what the learner noted on the way
	copied map[string]string // attacker-console lines copied, by header name
	forged []forgedToken     // every token Mallory forged and sent
}

type forgedToken struct{ what, header, token string }

func (w *walker) wait(what, cond string) {
	w.t.Helper()
	waitFor(w.t, w.b, what+" — "+w.step, cond)
}

func (w *walker) is(expr string) bool {
	w.t.Helper()
	return eval[bool](w.t, w.b, "!!("+expr+")")
}

func (w *walker) str(expr string) string {
	w.t.Helper()
	return eval[string](w.t, w.b, "String("+expr+")")
}

func (w *walker) num(expr string) int {
	w.t.Helper()
	return eval[int](w.t, w.b, expr)
}

// clickEl clicks the element as a learner would (see clickAsLearner).
func (w *walker) clickEl(sel string) {
	w.t.Helper()
	w.wait("the control "+sel, `document.querySelector(`+jsString(sel)+`)`)
	clickAsLearner(w.t, w.b, sel, w.step)
}

// clickAsLearner clicks the element matching sel as a learner would: it
// must be visible, enabled and on top where it is drawn, once scrolled
// into view. The click is the element's own, not at screen coordinates:
// the lab pages redraw lists and results after every answer (and scroll
// smoothly), and a coordinate click can land on whatever moved under it.
func clickAsLearner(t *testing.T, b *browser, sel, doing string) {
	t.Helper()
	if why := eval[string](t, b, `(() => {
		const e = document.querySelector(`+jsString(sel)+`);
		if (!e) return "it is not on the page";
		e.scrollIntoView({block: "center", behavior: "instant"});
		if (!e.checkVisibility({visibilityProperty: true})) return "it is not visible";
		if (e.disabled || e.closest("[inert]")) return "it is disabled";
		const r = e.getClientRects()[0]; // a link may wrap: its first line
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (hit && hit !== e && !e.contains(hit) && !Array.from(e.labels || []).some(l => l.contains(hit))) return "it is covered by " + hit.tagName.toLowerCase() + "." + hit.className;
		e.click();
		return "";
	})()`); why != "" {
		t.Fatalf("%s: a learner cannot click %s: %s", doing, sel, why)
	}
}

// selectValue picks an option of a select, as a learner does.
func (w *walker) selectValue(sel, value string) {
	w.t.Helper()
	w.b.run(w.t, "choose "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
	eval[bool](w.t, w.b, `(document.querySelector(`+jsString(sel)+`).dispatchEvent(new Event("change", {bubbles: true})), true)`)
}

// setField types a value into a text field (replacing what is there).
func (w *walker) setField(sel, value string) {
	w.t.Helper()
	setValue(w.t, w.b, sel, value)
}

// ---- The twin lab (twin-login, revoke-vs-replay, refresh-rotation) ----------

// twinExchanges counts the learner's own exchanges of one side whose path
// ends with path.
func twinExchanges(side, path string) string {
	return `Array.from(document.querySelectorAll('.trace[data-side="` + side + `"] .exchange:not(.attacker) summary code')).filter(c => c.textContent.split("?")[0].endsWith(` + jsString(path) + `)).length`
}

// twinDo clicks sel and waits for the exchange it sends to path to show
// in the side's trace.
func (w *walker) twinDo(side, sel, path string) {
	w.t.Helper()
	n := w.num(twinExchanges(side, path))
	w.clickEl(sel)
	w.wait(path+" in the "+side+" trace", twinExchanges(side, path)+` > `+strconv.Itoa(n))
}

func (w *walker) twinLogin(side string) {
	w.t.Helper()
	w.twinDo(side, `.side-`+side+` .login-form button[type="submit"]`, "/"+side+"/login")
	if side == "token" {
		w.wait("the decoded token", `!document.querySelector(".jwt-view").hidden`)
	}
	w.wait("the admin panel after the login", `!document.querySelector(".session-list").textContent.includes("No sessions.")`)
}

func (w *walker) twinMe(side string) {
	w.t.Helper()
	w.twinDo(side, `[data-action="`+side+`-me"]`, "/api/me")
}

func (w *walker) twinLogout(side string) {
	w.t.Helper()
	w.twinDo(side, `[data-action="`+side+`-logout"]`, "/"+side+"/logout")
	if side == "token" {
		w.wait("the token forgotten", `document.querySelector(".jwt-view").hidden`)
	}
}

func (w *walker) twinRefresh() {
	w.t.Helper()
	w.twinDo("token", `[data-action="token-refresh"]`, "/token/refresh")
	w.wait("the family tree drawn", `document.querySelector(".family-tree .family")`)
}

// latestExchange is the text of the side's newest exchange of the
// learner's to path, its details included.
func latestExchange(side, path string) string {
	return `(Array.from(document.querySelectorAll('.trace[data-side="` + side + `"] .exchange:not(.attacker)')).find(x => x.querySelector("summary code").textContent.split("?")[0].endsWith(` + jsString(path) + `)) || {textContent: ""}).textContent`
}

// traceShows checks the side's newest exchange to path shows each want.
func (w *walker) traceShows(side, path string, want ...string) {
	w.t.Helper()
	got := w.str(latestExchange(side, path))
	for _, s := range want {
		if !strings.Contains(got, s) {
			w.t.Errorf("%s: the %s trace's newest %s does not show %q: %s", w.step, side, path, s, got)
		}
	}
}

// traceSays checks the status of the side's newest exchange to path.
func (w *walker) traceSays(side, path, status string) {
	w.t.Helper()
	got := w.str(`(Array.from(document.querySelectorAll('.trace[data-side="` + side + `"] .exchange:not(.attacker)')).find(x => x.querySelector("summary code").textContent.split("?")[0].endsWith(` + jsString(path) + `)) || {querySelector: () => ({textContent: "none"})}).querySelector("summary .status").textContent`)
	if got != status {
		w.t.Errorf("%s: the newest %s on the %s side answered %s, want %s", w.step, path, side, got, status)
	}
}

func (w *walker) jsSeesNoCookie() {
	w.t.Helper()
	if got := w.str(`document.querySelector(".doc-cookie").textContent`); strings.Contains(got, "lab_sid") {
		w.t.Errorf(`"What your JavaScript can see" shows the session cookie: %s`, got)
	}
	if c := w.str(`document.cookie`); strings.Contains(c, "lab_sid") {
		w.t.Errorf("document.cookie holds the HttpOnly cookie: %s", c)
	}
}

// credentialBytes are the sizes the trace shows for the newest /api/me
// of each side: the Cookie header and the Authorization header.
func (w *walker) credentialBytes() (cookie, bearer int) {
	w.t.Helper()
	size := func(side, header string) int {
		m := regexp.MustCompile(header + ` header: (\d+) bytes`).FindStringSubmatch(w.str(latestExchange(side, "/api/me")))
		if m == nil {
			w.t.Fatalf("%s: the %s side's /api/me shows no %s size", w.step, side, header)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return size("session", "Cookie"), size("token", "Authorization")
}

// adminPanel finds the admin panel on the twin lab page.
func (w *walker) adminPanel() {
	w.t.Helper()
	if got := w.str(`document.querySelector("#admin-title").textContent`); !strings.Contains(got, "admin panel") {
		w.t.Errorf("the lab page has no section called the admin panel: %q", got)
	}
}

// adminRevoke presses Revoke beside alice's session in the admin panel.
func (w *walker) adminRevoke() {
	w.t.Helper()
	w.adminPanel()
	w.wait("alice's session in the admin panel", `Array.from(document.querySelectorAll(".session-list li")).some(li => li.textContent.includes("alice") && li.querySelector("button"))`)
	// By position: the list is redrawn after every action, the same rows
	// in the same order.
	row := w.num(`Array.from(document.querySelectorAll(".session-list li")).findIndex(li => li.textContent.includes("alice")) + 1`)
	w.clickEl(`.session-list li:nth-child(` + strconv.Itoa(row) + `) button`)
	w.wait("alice's session gone from the admin panel", `!Array.from(document.querySelectorAll(".session-list li")).some(li => li.textContent.includes("alice"))`)
}

// copyCredentials presses each paste button of the attacker console and
// keeps the line it pastes (each replaces the other), as a learner
// copying them would.
func (w *walker) copyCredentials() {
	w.t.Helper()
	w.copied = map[string]string{}
	for _, steal := range []string{"steal-cookie", "steal-token"} {
		w.setField(".attack-form textarea[name=headers]", "")
		w.clickEl(`[data-action="` + steal + `"]`)
		line := w.str(`document.querySelector(".attack-form textarea[name=headers]").value`)
		name, _, _ := strings.Cut(line, ":")
		w.copied[name] = line
	}
	if !regexp.MustCompile(`^Cookie: lab_sid=[0-9a-f]{16,}$`).MatchString(w.copied["Cookie"]) || !strings.HasPrefix(w.copied["Authorization"], "Authorization: Bearer eyJ") {
		w.t.Fatalf("%s: the attacker console got %q", w.step, w.copied)
	}
}

// replayCopied sends one copied line as Mallory, with a prediction, and
// checks her result.
func (w *walker) replayCopied(header, status, why string) {
	w.t.Helper()
	if w.copied[header] == "" {
		w.t.Fatalf("%s: nothing copied for %s", w.step, header)
	}
	w.setField(".attack-form textarea[name=headers]", w.copied[header])
	w.sendAsMallory(status, why)
}

// sendAsMallory predicts status, sends the attacker console as it stands
// and checks Mallory's result.
func (w *walker) sendAsMallory(status, why string) {
	w.t.Helper()
	w.clickEl(`.attack-form input[name="predict"][value="` + status + `"]`)
	eval[bool](w.t, w.b, `(document.querySelector(".attack-result").textContent = "", true)`)
	w.clickEl(`.attack-form button[type="submit"]`)
	w.wait("Mallory's result", `document.querySelector(".attack-result").textContent.includes("Mallory got")`)
	got := w.str(`document.querySelector(".attack-result p").textContent`)
	if !strings.Contains(got, "Mallory got "+status) {
		w.t.Errorf("%s: %q, want %s", w.step, got, status)
	}
	// The reason is in her result line or in her exchange in the trace.
	if x := w.str(newestMallory); !strings.Contains(got, why) && !strings.Contains(x, why) {
		w.t.Errorf("%s: Mallory's result %q and her exchange %q do not say %q", w.step, got, x, why)
	}
}

// newestMallory is the text of Mallory's newest exchange in the twin
// lab's trace, its details included.
const newestMallory = `(Array.from(document.querySelectorAll(".trace .exchange.attacker")).sort((a, b) => Number(b.dataset.time) - Number(a.dataset.time))[0] || {textContent: ""}).textContent`

// denylistStory turns the deny-list on, logs in on the token side again
// (when the text says so), logs out, and replays the new token as
// Mallory: refused. The token copied first still gets 200.
func (w *walker) denylistStory(login bool) {
	w.t.Helper()
	w.applyTwinSettings(map[string]string{"denylist": "on"})
	if login {
		w.twinLogin("token")
	}
	w.twinLogout("token")
	w.setField(".attack-form textarea[name=headers]", "")
	w.clickEl(`[data-action="steal-token"]`)
	if got := w.str(`document.querySelector(".attack-form textarea[name=headers]").value`); got == w.copied["Authorization"] {
		w.t.Fatalf("%s: Paste the stolen token pasted the first token, not the new one", w.step)
	}
	w.sendAsMallory("401", "revoked")
	w.notes["refused"] = w.str(newestMallory)
	w.replayCopied("Authorization", "200", "")
}

// applyTwinSettings changes the Defences form ("on", "off" or a value)
// as a learner does: a box applies when it is ticked; a typed value
// with Apply.
func (w *walker) applyTwinSettings(set map[string]string) {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".settings-note").textContent = "", true)`)
	typed, ticked := false, false
	for name, v := range set {
		sel := `.settings-form input[name="` + name + `"]`
		switch v {
		case "on", "off":
			if w.is(`document.querySelector('`+sel+`').checked`) != (v == "on") {
				w.clickEl(sel)
				ticked = true
			}
		default:
			w.setField(sel, v)
			typed = true
		}
	}
	if typed {
		w.clickEl(`.settings-form button[type="submit"]`)
	} else if !ticked {
		return // already as asked: nothing to apply
	}
	w.wait("the settings applied", `document.querySelector(".settings-note").textContent.includes("Applied")`)
}

// refreshTokenIssued is the refresh token of the newest login or refresh
// (from its response body in the trace: the last body of the exchange).
func (w *walker) refreshTokenIssued() string {
	w.t.Helper()
	return w.str(`(() => { const x = Array.from(document.querySelectorAll('.trace[data-side="token"] .exchange:not(.attacker)')).find(x => /\/token\/(login|refresh)$/.test(x.querySelector("summary code").textContent) && x.querySelector("summary .status").textContent === "200"); const body = x ? Array.from(x.querySelectorAll("pre.x-body")).at(-1) : null; const m = body && body.textContent.match(/"refresh_token":\s*"([^"]+)"/); return m ? m[1] : ""; })()`)
}

// stealRefresh presses "Replay an old refresh token" and returns the
// refresh token it put in the body.
func (w *walker) stealRefresh() string {
	w.t.Helper()
	w.clickEl(`[data-action="steal-refresh"]`)
	return w.str(`JSON.parse(document.querySelector(".attack-form textarea[name=body]").value).refresh_token`)
}

// advanceClock presses a clock button and waits until the page's clock
// has moved: the access token's countdown reads "expired".
func (w *walker) advanceClock(d string) {
	w.t.Helper()
	w.clickEl(`[data-advance="` + d + `"]`)
	w.wait("the lab clock past the token's exp", `document.querySelector(".jwt-countdown").textContent === "expired"`)
}

// ---- key-rotation -------------------------------------------------------------

func (w *walker) rotationLogin(user string) {
	w.t.Helper()
	n := w.num(`document.querySelectorAll(".token-table button[data-me]").length`)
	w.clickEl(`[data-login="` + user + `"]`)
	w.wait(user+"'s token", `document.querySelectorAll(".token-table button[data-me]").length === `+strconv.Itoa(n+1))
}

// rotationMe calls /api/me with the row-th token (from 1) and checks the
// answer.
func (w *walker) rotationMe(row int, status string) {
	w.t.Helper()
	cell := `document.querySelector(".token-table tbody tr:nth-child(` + strconv.Itoa(row) + `) td:nth-child(3)")`
	eval[bool](w.t, w.b, `(`+cell+`.textContent = "", true)`)
	w.clickEl(`.token-table button[data-me="` + strconv.Itoa(row-1) + `"]`)
	w.wait("the answer to token "+strconv.Itoa(row), cell+`.textContent !== "" && `+cell+`.textContent !== "—"`)
	if got := w.str(cell + `.textContent`); !strings.HasPrefix(got, status) {
		w.t.Errorf("%s: /api/me with token %d: %q, want %s", w.step, row, got, status)
	}
}

func (w *walker) rotateKey() {
	w.t.Helper()
	w.clickEl(`[data-action="rotate"]`)
	w.wait("a previous key", `document.querySelector(".key-table button[data-retire]")`)
}

func (w *walker) retireKey(kid string, compromised bool) {
	w.t.Helper()
	attr := "data-retire"
	if compromised {
		attr = "data-compromised"
	}
	w.clickEl(`.key-table button[` + attr + `="` + kid + `"]`)
	w.wait("the key "+kid+" dropped", `Array.from(document.querySelectorAll(".key-table tbody tr")).some(tr => tr.textContent.includes(`+jsString(kid)+`) && /retired|compromised/.test(tr.children[2].textContent))`)
}

func (w *walker) jwks() {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".keys-result").textContent = "", true)`)
	w.clickEl(`[data-action="jwks"]`)
	w.wait("the JWKS", `document.querySelector(".keys-result").textContent !== ""`)
}

func (w *walker) setRotationAlg(alg string) {
	w.t.Helper()
	w.selectValue(".rotation-alg", alg)
	want := "New tokens are signed with kid"
	if alg == "HS256" {
		want = "shared secrets"
	}
	w.wait("the lab signing with "+alg, `document.querySelector(".alg-note").textContent.includes(`+jsString(want)+`)`)
}

// ---- opaque-vs-jwt -------------------------------------------------------------

func opaqueCard(kind string) string { return `.token-card[data-kind="` + kind + `"] ` }

func (w *walker) opaqueLogin() {
	w.t.Helper()
	w.clickEl(`.opaque-login button[type="submit"]`)
	w.wait("three tokens", `document.querySelector('.token-card[data-kind="paseto"] [data-token]').textContent.startsWith("v4.public.")`)
}

func (w *walker) decode(kind string) string {
	w.t.Helper()
	w.clickEl(opaqueCard(kind) + `[data-decode]`)
	return w.str(`document.querySelector('` + opaqueCard(kind) + `[data-decoded]').textContent`)
}

func (w *walker) opaqueMe(kind, status string) {
	w.t.Helper()
	costMeasuring.Lock()
	defer costMeasuring.Unlock()
	out := `document.querySelector('` + opaqueCard(kind) + `[data-result]')`
	eval[bool](w.t, w.b, `(`+out+`.textContent = "", document.querySelector('`+opaqueCard(kind)+`[data-verdict]').textContent = "", true)`)
	w.clickEl(opaqueCard(kind) + `[data-me]`)
	w.wait(kind+"'s answer", out+`.textContent !== ""`)
	if got := w.str(out + `.textContent`); !strings.HasPrefix(got, status) {
		w.t.Errorf("%s: the API with the %s token: %q, want %s", w.step, kind, got, status)
	}
}

func (w *walker) opaqueVerdict(kind, want string) {
	w.t.Helper()
	w.wait("the server's verdict for the "+kind+" token", `document.querySelector('`+opaqueCard(kind)+`[data-verdict]').textContent.includes("The server:")`)
	if got := w.str(`document.querySelector('` + opaqueCard(kind) + `[data-verdict]').textContent`); !strings.Contains(got, want) {
		w.t.Errorf("%s: the %s token's verdict line: %q, want %q", w.step, kind, got, want)
	}
}

func (w *walker) checkAloneShown(kinds ...string) {
	w.t.Helper()
	for _, kind := range kinds {
		if got := w.str(`document.querySelector('` + opaqueCard(kind) + `[data-check]').textContent`); !strings.Contains(got, "The check alone") {
			w.t.Errorf("%s: the %s card shows no time of the check alone: %q", w.step, kind, got)
		}
	}
}

func (w *walker) opaqueRevoke() {
	w.t.Helper()
	w.clickEl(opaqueCard("opaque") + `[data-revoke]`)
	w.wait("revoked", `document.querySelector('`+opaqueCard("opaque")+`[data-result]').textContent.includes("Revoked")`)
}

// ---- cost -------------------------------------------------------------------

// costMeasuring keeps the walkthrough's stories that time checks on the
// server (the cost lab's run, the opaque lab's "check alone") from asking
// at the same moment: the server measures one at a time and skips or
// refuses the other.
var costMeasuring sync.Mutex

func (w *walker) costRun() {
	w.t.Helper()
	costMeasuring.Lock()
	defer costMeasuring.Unlock()
	eval[bool](w.t, w.b, `(document.querySelector(".cost-status").textContent = "", true)`)
	w.clickEl(`[data-action="run"]`)
	w.wait("the figures", `document.querySelector(".cost-status").textContent.startsWith("Done")`)
}

// ---- token-storage --------------------------------------------------------------

func (w *walker) storageMode(mode string) {
	w.t.Helper()
	w.clickEl(`.storage-form input[name="mode"][value="` + mode + `"]`)
}

func (w *walker) storageLogin() {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".storage-status").textContent = "", true)`)
	w.clickEl(`[data-action="login"]`)
	w.wait("the login", `document.querySelector(".storage-status").textContent.startsWith("Logged in")`)
}

func (w *walker) injectedScript() {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".xss-status").textContent = "", true)`)
	w.clickEl(`[data-action="xss"]`)
	w.wait("the payload run", `document.querySelector(".xss-status").textContent.startsWith("Payload run")`)
}

func gridCell(row, mode string) string {
	col := map[string]string{"localStorage": "1", "sessionStorage": "2", "memory": "3", "cookie": "4"}[mode]
	return `document.querySelector('.storage-grid tr[data-row="` + row + `"] td:nth-of-type(` + col + `)')`
}

func (w *walker) gridSays(row, mode, want string) {
	w.t.Helper()
	if got := w.str(gridCell(row, mode) + `.textContent`); !strings.Contains(got, want) {
		w.t.Errorf("%s: the grid's %s row for %s says %q, want %q", w.step, row, mode, got, want)
	}
}

func (w *walker) waitGrid(row, mode, want string) {
	w.t.Helper()
	w.wait("the grid's "+row+" row for "+mode, gridCell(row, mode)+`.textContent.includes(`+jsString(want)+`)`)
}

// ---- jwt-forgery -----------------------------------------------------------------

// forge signs the editor's content (the sign note names signed) and
// sends it as Mallory, checking her status; the token is kept for the
// safe verifier's replay.
func (w *walker) forge(signed, status string) {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".sign-note").textContent = "", true)`)
	w.clickEl(`[data-edit="sign"]`)
	w.wait("the signed token", `document.querySelector(".sign-note").textContent.startsWith("Signed")`)
	if note := w.str(`document.querySelector(".sign-note").textContent`); !strings.Contains(note, signed) {
		w.t.Errorf("%s: signed %q, want it signed with %q", w.step, note, signed)
	}
	token := w.str(`document.querySelector(".forgery-editor textarea[name=forged]").value`)
	w.forged = append(w.forged, forgedToken{what: signed, header: w.str(`document.querySelector(".forgery-editor textarea[name=header]").value`), token: token})
	eval[bool](w.t, w.b, `(document.querySelector(".forgery-result").textContent = "", true)`)
	w.clickEl(`.forgery-editor button[type="submit"]`)
	w.wait("Mallory's result", `document.querySelector(".forgery-result").textContent.includes("Mallory got")`)
	if got := w.str(`document.querySelector(".forgery-result").textContent`); !strings.Contains(got, "Mallory got "+status) {
		w.t.Errorf("%s: %q, want %s", w.step, got, status)
	}
}

// sendForged pastes a forged token into the editor and sends it.
func (w *walker) sendForged(token string) string {
	w.t.Helper()
	w.setField(".forgery-editor textarea[name=forged]", token)
	eval[bool](w.t, w.b, `(document.querySelector(".forgery-result").textContent = "", true)`)
	w.clickEl(`.forgery-editor button[type="submit"]`)
	w.wait("Mallory's result", `document.querySelector(".forgery-result").textContent.includes("Mallory got")`)
	return w.str(`document.querySelector(".forgery-result").textContent`)
}

// ---- fixation --------------------------------------------------------------------

func (w *walker) fixationRotate(on bool) {
	w.t.Helper()
	if w.is(`document.querySelector('.fixation-settings input[name="rotate_on_login"]').checked`) != on {
		eval[bool](w.t, w.b, `(document.querySelector(".fixation-note").textContent = "", true)`)
		w.clickEl(`.fixation-settings input[name="rotate_on_login"]`)
	}
	want := "keeps the session ID"
	if on {
		want = "issues a new session ID"
	}
	w.wait("rotation "+map[bool]string{true: "on", false: "off"}[on], `document.querySelector(".fixation-note").textContent.includes(`+jsString(want)+`)`)
}

func (w *walker) plant() {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".plant-result").textContent = "", true)`)
	w.clickEl(`[data-action="plant"]`)
	w.wait("the planted ID", `document.querySelector(".plant-result").textContent.includes("Planted")`)
}

func (w *walker) fixationLogin(want string) {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".login-result").textContent = "", true)`)
	w.clickEl(`.fixation-login button[type="submit"]`)
	w.wait("the login", `document.querySelector(".login-result").textContent.includes(`+jsString(want)+`)`)
}

// malloryLogsIn has Mallory log in as herself and returns the ID she got.
func (w *walker) malloryLogsIn() string {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".mallory-own").textContent = "", true)`)
	w.clickEl(`[data-action="mallory-login"]`)
	w.wait("Mallory's own login", `document.querySelector(".mallory-own").textContent.includes("gave Mallory")`)
	return w.str(`document.querySelector(".fixation-attack input[name=sid]").value`)
}

// malloryUsesID predicts status and sends the console's ID as Mallory.
func (w *walker) malloryUsesID(status, want string) {
	w.t.Helper()
	w.clickEl(`.fixation-attack input[name="predict"][value="` + status + `"]`)
	eval[bool](w.t, w.b, `(document.querySelector(".fixation-result").textContent = "", true)`)
	w.clickEl(`.fixation-attack button[type="submit"]`)
	w.wait("Mallory's result", `document.querySelector(".fixation-result").textContent.includes("Mallory got")`)
	if got := w.str(`document.querySelector(".fixation-result").textContent`); !strings.Contains(got, "Mallory got "+status) || !strings.Contains(got, want) {
		w.t.Errorf("%s: %q, want %s %s", w.step, got, status, want)
	}
}

// ---- csrf ------------------------------------------------------------------------

// csrfSet checks (or clears) a control of the bank's defences and waits
// for the note to say so.
func (w *walker) csrfSet(sel string, on bool, note string) {
	w.t.Helper()
	sel = ".csrf-settings " + sel
	if w.is(`document.querySelector(`+jsString(sel)+`).checked`) != on {
		// The note is redrawn from the server's answer.
		eval[bool](w.t, w.b, `(document.querySelector(".csrf-note").textContent = "", true)`)
		w.clickEl(sel)
		w.wait("the bank's settings applied", `document.querySelector(".csrf-note").textContent !== ""`)
	}
	if got := w.str(`document.querySelector(".csrf-note").textContent`); strings.Contains(got, note) != on {
		w.t.Fatalf("%s: after setting %s to %v the bank says %q", w.step, sel, on, got)
	}
}

func (w *walker) bankLogin() {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".bank-status").textContent = "", true)`)
	w.clickEl(`.bank-login button[type="submit"]`)
	w.wait("the bank login", `document.querySelector(".bank-status").textContent.includes("Logged in")`)
}

// newTab clicks a link that opens in a new tab and returns that tab and
// what closes it.
func (w *walker) newTab(sel string) (*browser, context.CancelFunc) {
	w.t.Helper()
	href := w.str(`document.querySelector(` + jsString(sel) + `).href`)
	// By its address, which names this story's lab: other stories open
	// tabs at the same time.
	ch := chromedp.WaitNewTarget(w.b.ctx, func(i *target.Info) bool { return i.Type == "page" && i.URL == href })
	w.clickEl(sel)
	var id target.ID
	select {
	case id = <-ch:
	case <-time.After(10 * time.Second):
		w.t.Fatalf("%s: %s (%s) opened no tab", w.step, sel, href)
	}
	ctx, cancel := chromedp.NewContext(w.b.ctx, chromedp.WithTargetID(id))
	w.t.Cleanup(cancel)
	o := &browser{ctx: ctx, base: w.b.base, shotsDir: w.b.shotsDir}
	o.watch(ctx)
	if err := chromedp.Do(ctx); err != nil {
		w.t.Fatalf("%s: attach to the tab %s opened: %v", w.step, sel, err)
	}
	return o, cancel
}

// evilPage opens an evil page from the lab's link (a new tab), lets it
// auto-submit its transfer, checks the bank's answer, closes the tab and
// waits for the lab to show the forged request.
func (w *walker) evilPage(link, eyebrow, want string) {
	w.t.Helper()
	n := w.num(`Array.from(document.querySelectorAll(".panel-trace .exchange summary code")).filter(c => c.textContent.endsWith("/bank/transfer")).length`)
	evil, closeEvil := w.newTab(link)
	defer closeEvil()
	if eyebrow != "" {
		waitFor(w.t, evil, "the evil page", `document.querySelector(".eyebrow") && document.querySelector(".eyebrow").textContent.includes(`+jsString(eyebrow)+`)`)
	}
	got := bankLanding(w.t, evil) // the page sends its form by itself
	if !strings.Contains(got, want) {
		w.t.Errorf("%s: the bank answered the evil page: %s, want %q", w.step, got, want)
	}
	closeEvil()
	w.wait("the forged transfer in the lab's trace", `Array.from(document.querySelectorAll(".panel-trace .exchange summary code")).filter(c => c.textContent.endsWith("/bank/transfer")).length > `+strconv.Itoa(n))
}

// evilPlainLink opens the evil page, stops its countdown, follows its
// plain link to the bank (logged out: Strict), then the bank's own "My
// account" link (logged in).
func (w *walker) evilPlainLink() {
	w.t.Helper()
	evil, closeEvil := w.newTab(".evil-link")
	defer closeEvil()
	waitFor(w.t, evil, "the evil page", `document.querySelector('.evil-page [data-action="stop"]')`)
	clickAsLearner(w.t, evil, `[data-action="stop"]`, w.step)
	clickAsLearner(w.t, evil, `.evil-bank-link`, w.step)
	if got := bankLanding(w.t, evil); !strings.Contains(got, "Not logged in") {
		w.t.Errorf("%s: the bank page from the evil page's plain link: %s", w.step, got)
	}
	clickAsLearner(w.t, evil, `.bank-inside`, w.step)
	waitFor(w.t, evil, "the bank's own link", `(document.querySelector(".bank-state") || {textContent: ""}).textContent.startsWith("Logged in as alice")`)
}

// ---- cluster ------------------------------------------------------------------------

// clusterSet picks a balancer or store radio and waits until the panel
// shows the server's answer for the radios as they now stand (its note
// names the setting that matters: the shared store, else the balancer);
// note is what that note then says.
func (w *walker) clusterSet(name, value, note string) {
	w.t.Helper()
	sel := `.cluster-settings input[name="` + name + `"][value="` + value + `"]`
	if !w.is(`document.querySelector(` + jsString(sel) + `).checked`) {
		w.clickEl(sel)
	}
	w.wait("the cluster settings applied", `(() => {
		const on = (n, v) => document.querySelector('.cluster-settings input[name="' + n + '"][value="' + v + '"]').checked;
		const want = on("store", "shared") ? "Shared store" : on("balance", "sticky") ? "Sticky" : "Round robin";
		return document.querySelector(`+jsString(sel)+`).checked && document.querySelector(".cluster-note").textContent.startsWith(want);
	})()`)
	if got := w.str(`document.querySelector(".cluster-note").textContent`); !strings.Contains(got, note) {
		w.t.Fatalf("%s: after choosing %s %s the panel says %q", w.step, name, value, got)
	}
}

// clusterLogin logs in with a session or a token and notes the node.
func (w *walker) clusterLogin(mode string) {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".cluster-status").textContent = "", true)`)
	w.clickEl(`[data-login="` + mode + `"]`)
	w.wait("the login", `document.querySelector(".cluster-status").textContent.includes("Logged in")`)
	if m := regexp.MustCompile(`node-\d`).FindString(w.str(`document.querySelector(".cluster-status").textContent`)); m != "" {
		w.notes["node"] = m
	}
}

func (w *walker) sendTen() string {
	w.t.Helper()
	eval[bool](w.t, w.b, `(document.querySelector(".ten-summary").textContent = "", true)`)
	w.clickEl(`[data-action="ten"]`)
	w.wait("ten requests", `document.querySelector(".ten-summary").textContent.includes("of 10")`)
	return w.str(`document.querySelector(".ten-summary").textContent`)
}

func (w *walker) restartNode(node string) {
	w.t.Helper()
	n := strings.TrimPrefix(node, "node-")
	before := w.str(`document.querySelectorAll(".node-card")[` + n + ` - 1].textContent`)
	w.clickEl(`.node-card button[data-do="restart"][data-node="` + n + `"]`)
	w.wait(node+" restarted", `document.querySelectorAll(".node-card")[`+n+` - 1].textContent !== `+jsString(before))
}

func (w *walker) rotateNodeKey(n string) {
	w.t.Helper()
	w.clickEl(`.node-card button[data-do="rotate"][data-node="` + n + `"]`)
	w.wait("node-"+n+"'s new key", `document.querySelectorAll(".node-card")[`+n+` - 1].textContent.includes("node-`+n+`-k1")`)
}

// ---- step-up ------------------------------------------------------------------

func stepUpSide(side string) string { return `.stepup-side[data-side="` + side + `"] ` }

// stepUpExchanges counts the panel's exchanges whose path ends with path.
func stepUpExchanges(path string) string {
	return `Array.from(document.querySelectorAll(".panel-trace .exchange summary code")).filter(c => c.textContent.endsWith(` + jsString(path) + `)).length`
}

// stepUpSetCookie is the cookie pair the newest exchange to path set, or "".
func stepUpSetCookie(path string) string {
	return `(() => {
		const x = Array.from(document.querySelectorAll(".panel-trace .exchange")).find(x => x.querySelector("summary code").textContent.endsWith(` + jsString(path) + `));
		const dt = x && Array.from(x.querySelectorAll("dt")).find(d => d.textContent === "Set-Cookie");
		return dt ? dt.nextElementSibling.textContent.split(";")[0] : "";
	})()`
}

func (w *walker) stepUpSessionLogin() {
	w.t.Helper()
	out := `document.querySelector('` + stepUpSide("session") + `[data-login]')`
	eval[bool](w.t, w.b, `(`+out+`.textContent = "", true)`)
	w.clickEl(stepUpSide("session") + `.su-login button[type="submit"]`)
	w.wait("logged in on the session side", out+`.textContent.startsWith("Logged in")`)
}

// stepUpTokenLogin logs in on the token side and returns the auth_time
// the page shows for the new token.
func (w *walker) stepUpTokenLogin() string {
	w.t.Helper()
	out := `document.querySelector('` + stepUpSide("token") + `[data-result]')`
	eval[bool](w.t, w.b, `(`+out+`.textContent = "", true)`)
	w.clickEl(stepUpSide("token") + `.su-token-login button[type="submit"]`)
	w.wait("a fresh token", out+`.textContent.startsWith("A fresh token")`)
	return w.str(`document.querySelector('[data-claim="auth_time"]').textContent`)
}

func (w *walker) stepUpLater() {
	w.t.Helper()
	out := `document.querySelector(".su-later-result")`
	eval[bool](w.t, w.b, `(`+out+`.textContent = "", true)`)
	w.clickEl(`.su-later`)
	w.wait("the lab clock 10 minutes on", out+`.textContent.includes("10 minutes older")`)
}

func (w *walker) stepUpTransfer(side, status string) {
	w.t.Helper()
	out := `document.querySelector('` + stepUpSide(side) + `[data-result]')`
	eval[bool](w.t, w.b, `(`+out+`.textContent = "", true)`)
	n := w.num(stepUpExchanges("/stepup/transfer"))
	w.clickEl(stepUpSide(side) + `.su-transfer button[type="submit"]`)
	w.wait("the bank's answer on the "+side+" side", out+`.textContent !== ""`)
	if got := w.str(out + `.textContent`); !strings.HasPrefix(got, status) {
		w.t.Errorf("%s: the %s side's transfer: %q, want %s", w.step, side, got, status)
	}
	w.wait("the transfer in the trace", stepUpExchanges("/stepup/transfer")+` > `+strconv.Itoa(n))
}
