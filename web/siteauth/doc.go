// Package siteauth holds the primitives of the site's own auth — the real,
// carefully configured plane, never the lab's: password hashing
// (argon2id), the key ring (cookie signing keys and the Ed25519 keys that
// sign API access tokens, both rotatable with overlap), access-token
// issuing and verification with golang-jwt, opaque refresh tokens, and
// login rate limits. It knows nothing of HTTP routing or storage; the web
// layer wires it to progress.
package siteauth
