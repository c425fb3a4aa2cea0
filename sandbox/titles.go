package sandbox

import "strings"

// Title is a panel's display name.
func Title(panel string) string {
	switch panel {
	case "twin-login":
		return "Twin login"
	case "revoke-vs-replay":
		return "Revoke vs replay"
	case "refresh-rotation":
		return "Refresh rotation"
	case "csrf":
		return "CSRF"
	case "jwt-forgery":
		return "JWT forgery"
	case "opaque-vs-jwt":
		return "Opaque vs JWT"
	case "step-up":
		return "Step-up"
	}
	return strings.ToUpper(panel[:1]) + strings.ReplaceAll(panel[1:], "-", " ")
}

// Intro is the heading and the opening paragraph of a panel's lab page.
func Intro(panel string) (heading, intro string) {
	switch panel {
	case "jwt-forgery":
		return "Forge a JWT", "A JWT is only as strong as the code that checks it. Edit a token, re-sign it with no key, with the public key, with a cracked secret or with a key of your own — and watch a naive verifier believe every one, until you switch to the safe one."
	case "fixation":
		return "Session fixation and guessable IDs", "Mallory doesn't steal your session ID: she gives you one. Plant her ID in your browser, log in, and see whether the server keeps it. Then make IDs predictable and let her guess a neighbour's."
	case "key-rotation":
		return "Rotate a signing key", "Every token names the key that signed it (kid); verifiers find that key in a published key set (JWKS). Rotate, watch old tokens keep working, then drop a compromised key and watch every token it signed die at once."
	case "opaque-vs-jwt":
		return "Opaque token, JWT, PASETO", "One login, three access tokens. The opaque one means nothing without the server; the JWT and the PASETO token carry their claims. Decode them, call the API with each, and revoke."
	case "cost":
		return "What each check costs", "Measure on this server what a JWT verification costs with each algorithm, what a session lookup costs in memory and in the database, and what the deny-list adds — and how many bytes each credential adds to every request."
	case "token-storage":
		return "Where to keep a token", "Keep the access token in localStorage, sessionStorage, memory or an HttpOnly cookie, then let an injected script loose on the page. See what it steals, what Mallory replays from her machine, and what it can do without stealing anything."
	case "csrf":
		return "Cross-site request forgery", "A bank in your lab, and a page on another site that asks it to pay Mallory. Your browser decides whether your cookie goes along. Flip SameSite, a CSRF token, an Origin check or bearer tokens — and watch the same attack fail."
	case "cluster":
		return "Sessions and tokens on a cluster", "Three nodes behind a load balancer, in your lab. Keep sessions in each node's memory or in a shared store, balance round robin or sticky, restart a node, log in with a token — and measure which claims about scaling hold."
	case "step-up":
		return "Step up before a transfer", "The lab bank wants a login less than 5 minutes old before it moves money. Log in with a session and with a token, let the login grow old, and watch the transfer refused — then prove who you are again and see what the server records: a new auth_time, a new session ID, a fresh token."
	case "revoke-vs-replay":
		return "Log out, revoke, replay", "Steal the cookie and the token, log out both ways, then replay them as Mallory. The session dies at once; the token lives until it expires — unless the deny-list was on when it was logged out: turn it on, log in and out again, and replay."
	case "refresh-rotation":
		return "Short tokens, rotating refresh", "Fast-forward the lab clock until the access token expires, refresh it, then replay an old refresh token as Mallory and watch reuse detection revoke the whole family."
	}
	return "One app, two ways to remember you", "The same tiny app in session mode and in token mode, side by side. Log in both ways and watch every header the server saw and sent."
}
