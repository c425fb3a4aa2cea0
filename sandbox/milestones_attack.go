package sandbox

// Milestone IDs of the attack and scale labs.
const (
	msForgeLogin     = "forge-login"
	msForgeNone      = "forge-none"
	msForgeConfusion = "forge-confusion"
	msForgeWeak      = "forge-weak-secret"
	msForgeEmbedded  = "forge-embedded-key"
	msForgeKid       = "forge-kid"
	msForgeSafe      = "forge-safe-blocks"

	msFixPlant   = "fix-plant"
	msFixWorks   = "fix-works"
	msFixBlocked = "fix-blocked"
	msFixGuess   = "fix-guess"
	msFixRandom  = "fix-random"

	msRotJWKS        = "rot-jwks"
	msRotRotate      = "rot-rotate"
	msRotOldVerifies = "rot-old-verifies"
	msRotRetired     = "rot-retired"

	msOpqLogin      = "opq-login"
	msOpqIntrospect = "opq-introspect"
	msOpqJWT        = "opq-jwt"
	msOpqRevoked    = "opq-revoked"
	msOpqJWTLives   = "opq-jwt-lives"
	msOpqPaseto     = "opq-paseto"

	msCostRun      = "cost-run"
	msCostDenylist = "cost-denylist"

	msXSSStorage  = "xss-storage"
	msXSSReplay   = "xss-replay"
	msXSSHook     = "xss-hook"
	msXSSHttpOnly = "xss-httponly"
	msXSSRide     = "xss-ride"

	msCSRFWorks    = "csrf-works"
	msCSRFSameSite = "csrf-samesite"
	msCSRFToken    = "csrf-token"
	msCSRFOrigin   = "csrf-origin"
	msCSRFBearer   = "csrf-bearer"
	msCSRFStrict   = "csrf-strict"
	msCSRFSamePort = "csrf-same-site"

	msClusterRRFails = "cluster-rr-fails"
	msClusterSticky  = "cluster-sticky"
	msClusterDeploy  = "cluster-deploy"
	msClusterShared  = "cluster-shared"
	msClusterToken   = "cluster-token"
	msClusterKeySkew = "cluster-key-skew"

	msSUSessionStale  = "su-session-stale"
	msSUSessionStepUp = "su-session-stepup"
	msSUTokenStale    = "su-token-stale"
	msSUTokenFresh    = "su-token-fresh"
)

// Panels lists every lab panel that has its own steps, twin lab first.
func Panels() []string {
	return []string{"twin-login", "revoke-vs-replay", "refresh-rotation", "jwt-forgery", "fixation", "key-rotation", "opaque-vs-jwt", "cost", "token-storage", "csrf", "cluster", "step-up"}
}

// attackMilestones are the steps of the attack and scale labs' panels.
func attackMilestones(panel string) []Milestone {
	switch panel {
	case "jwt-forgery":
		return []Milestone{
			{msForgeLogin, "Log in and get a genuine token for alice"},
			{msForgeNone, `Naive verifier: set alg to "none", drop the signature — 200`},
			{msForgeConfusion, "Sign HS256 with the lab's RSA public key as the secret — algorithm confusion"},
			{msForgeWeak, "Crack the weak HMAC secret in your browser and re-sign"},
			{msForgeEmbedded, "Sign with your own key and embed it (jwk) or point at it (jku)"},
			{msForgeKid, "Point kid at a key you know (a path to /dev/null)"},
			{msForgeSafe, "Safe verifier: a forged token gets 401 and the defence is named"},
		}
	case "fixation":
		return []Milestone{
			{msFixPlant, "As Mallory, get a session ID and plant it in your browser"},
			{msFixWorks, "Rotation off: log in as alice — Mallory's planted ID now answers 200 as alice"},
			{msFixBlocked, "Rotation on: plant and log in again — the planted ID gets 401"},
			{msFixGuess, "Counter IDs: log in as alice, let Mallory log in as herself and try the numbers next to her own ID"},
			{msFixRandom, "Random IDs: both log in again, and the ID next to Mallory's new one belongs to nobody"},
		}
	case "key-rotation":
		return []Milestone{
			{msRotJWKS, "Log in, fetch the lab's JWKS and find the key whose kid your token names (EdDSA or RS256: an HS256 secret is never published)"},
			{msRotRotate, "Rotate the signing key: new tokens get the new kid"},
			{msRotOldVerifies, "Call /api/me with a token from before the rotation: it still verifies"},
			{msRotRetired, "Mark the old key compromised: its tokens die on their next request"},
		}
	case "opaque-vs-jwt":
		return []Milestone{
			{msOpqLogin, "Log in: one opaque token, one JWT and one PASETO token for alice"},
			{msOpqIntrospect, "Call the API with the opaque token: the server looks it up"},
			{msOpqJWT, "Call the API with the JWT: a signature check, no lookup"},
			{msOpqRevoked, "Revoke the opaque token: its next use gets 401"},
			{msOpqJWTLives, "Call with the JWT of the same login: still 200 until exp"},
			{msOpqPaseto, "Call with the PASETO v4.public token: no alg to edit"},
		}
	case "cost":
		return []Milestone{
			{msCostRun, "Run the measurement: JWT verification per algorithm beside session lookups"},
			{msCostDenylist, "Turn the deny-list on and run it again: the token path now includes a lookup"},
		}
	case "token-storage":
		return []Milestone{
			{msXSSStorage, "Token in localStorage or sessionStorage: the injected script reads it and sends it to Mallory"},
			{msXSSReplay, "Mallory replays the stolen token from her machine: 200"},
			{msXSSHook, "Token in memory: a storage read finds nothing, the fetch hook catches it on the next API call"},
			{msXSSHttpOnly, "Token in an HttpOnly cookie: the script finds nothing to steal"},
			{msXSSRide, "…but the script can still call the API from the page: the browser attaches the cookie"},
		}
	case "csrf":
		return []Milestone{
			{msCSRFWorks, "SameSite=None, no other defence: log in, open the evil page — the transfer goes through"},
			{msCSRFSameSite, "SameSite=Lax (log in again): the cross-site POST arrives without the cookie"},
			{msCSRFStrict, "SameSite=Strict (log in again): the evil page's plain link opens the bank page logged out; the bank's own My account link opens it logged in"},
			{msCSRFSamePort, "Still Strict: the evil page on another port of this host is the same site, so the cookie goes along and the transfer goes through"},
			{msCSRFToken, "SameSite=None with the CSRF token on: the forged request has no token and is refused"},
			{msCSRFOrigin, "Token off, Origin / Sec-Fetch-Site check on: refused as cross-site"},
			{msCSRFBearer, "Bearer mode: the forged form carries no Authorization header, whatever the cookies"},
		}
	case "cluster":
		return []Milestone{
			{msClusterRRFails, "Round robin, sessions in each node: log in, send ten requests — some nodes answer 401"},
			{msClusterSticky, "Sticky balancing: all ten reach your node and succeed"},
			{msClusterDeploy, "Restart (deploy) your node: the sticky session is gone"},
			{msClusterShared, "Shared store: every node finds the session"},
			{msClusterToken, "Token mode: every node accepts the token, no store needed"},
			{msClusterKeySkew, "Rotate the key on one node only: tokens fail where the keys disagree"},
		}
	case "step-up":
		return []Milestone{
			{msSUSessionStale, "Session: log in, let 10 minutes pass, send the transfer — 403, the login is too old"},
			{msSUSessionStepUp, "Re-enter the password (new auth_time, new session ID) and send the transfer again — 200"},
			{msSUTokenStale, "Token: log in, let 10 minutes pass, send the transfer — 401 insufficient_user_authentication, max_age"},
			{msSUTokenFresh, "Log in again for a fresh token (a newer auth_time) and send the transfer — 200"},
		}
	}
	return nil
}
