// Package siteauth holds the primitives of the site's own auth — the real,
// carefully configured plane, never the lab's: password hashing (argon2id,
// through a Hasher that bounds how many hashes run at once), the key ring
// (cookie signing keys and the Ed25519 keys that sign API access tokens,
// both rotatable with overlap), access-token issuing and verification with
// golang-jwt, opaque refresh tokens, login rate limits, and the rules
// and labels of an account: CheckUsername, CheckEmail and
// CheckPasswordRules (the same for the sign-up form and authlab user),
// LocalPath (a ?next= that stays on the site), DeviceName and ClientName
// (a User-Agent as the sessions page lists it), Touches (one last-use
// write a minute per API sign-in).
//
// It knows nothing of HTTP routing or storage, and holds no package-level
// mutable state: the Hasher, the limiters and the key ring are values that
// run builds once and hands to the web server or to the CLI commands that
// need them (authlab keys, authlab user).
package siteauth
