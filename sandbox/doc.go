// Package sandbox is authlab's lab plane: each learner's own, deliberately
// inspectable copy of a tiny app that signs people in two ways — a cookie
// session and a bearer JWT — and shows every HTTP exchange it serves.
//
// # Labs and owners
//
// A Manager creates Labs for an owner (the site's learner ID, resolved by
// the web layer and passed in the request context with WithOwner) and
// serves them through one http.Handler mounted under /lab/. A lab ID is
// 128 random bits in hex. Another owner's lab, an unknown one and an
// expired one all answer the same 404. Labs expire after IdleTTL without
// a request, and an owner keeps at most MaxLabsPerOwner of them (16: one
// per panel, with room to spare).
//
// # One lab per panel
//
// The site gives each panel its own lab (CreateFor; ForPanel finds it
// again), rather than one lab with every panel's scenario in it. A lab
// records its panel, and only that panel's milestones count in it: the
// fixation lab's Mallory replaying her planted ID gets the same 401 as
// the revoke-vs-replay story, but ticks no revoke-vs-replay step. Its
// settings, clock, sessions, tokens and trace are the panel's alone, so
// a 30 s token lifetime set for refresh-rotation never reaches the twin
// lab, and "Reset lab" resets one panel. A panel's lab opens (and resets)
// to the defaults except where its story needs another start
// (panelSettings: the key-rotation lab signs with EdDSA, because an HS256
// key is never in a JWKS). Separate labs needed no tag on
// each request and no per-panel copy of every setting, and the curl line
// a panel shows names its lab by its ID, as before. A lab made by Create
// is bound to no panel and counts every milestone (tests, API clients).
// Room-wide workshop actions walk every lab of the owner, so they reach
// every panel.
//
// A step once done stays done: the web layer records each milestone for
// the learner (OnMilestone, progress.Store) and draws the steps from that
// record, not from the trace. The record outlives restarts, the 200
// exchanges of the trace, a reset (which keeps Reached, so nothing is
// reported twice) and the lab itself, and moves with a guest's progress
// on sign-in. The guest's labs move too: the store hands them to the
// account, and a Persister with OwnerLister lets ForPanel and room-wide
// actions find them under their new owner.
//
// # Goals
//
// Each panel has one goal besides its steps: a challenge in one sentence
// ("Log alice out, then make Mallory's copy of her token stop working —
// without rotating the key"), whose text and "what you proved" line are
// in the one lesson block that sets it (docs/content.md). The steps are
// the hints. The goal is a milestone too, "goal-" + the panel (Goal;
// Milestones lists only the steps), reported through OnMilestone and
// kept in Reached, so it lasts like the steps: across restarts, resets
// and sign-in. It is judged on the server, independently of the steps:
// where a handler decides an answer it notes a fact for the goal it
// bears on (goals.go: "a token alice logged out, replayed by Mallory,
// refused by the deny-list or the allow-list"), the facts are saved with
// the request's milestones, and the panel's test over its facts decides.
// So a learner who gets there another valid way — the allow-list instead
// of the deny-list, a token instead of a shared store on the cluster,
// Mallory's console instead of the page's buttons — solves it too, and a
// near miss (a token that merely expired, a transfer refused because
// nobody was logged in) does not. Facts are the lab's state: they count
// only in the panel's own lab, stop once its goal is met, and a reset
// clears those of a goal not yet met.
//
// # What the lab ID grants
//
// One rule, labIDOpens in handler.go, for every lab route. The lab ID is
// the key to the lab's demo app: whoever sends it — the owner's page, a
// terminal with no site session, an evil site's form, another learner —
// reaches the demo API (session/*, token/login|refresh|logout, api/me;
// the attack labs' logins, logouts, me, introspect, revoke, bank, evil
// page targets, JWKS) and the twin lab's admin view (sessions, DELETE
// sessions/{id}, token/families), settings and clock, which the lessons
// drive from a terminal. That is what makes every curl line a lesson or
// a panel shows work verbatim after the lab page's "export BASE=…
// LAB=…" line. Everything in it is the learner's own demo data. The
// rest is the page's plumbing or an attack lab's switch — trace, events,
// reset, diagram, decode, Mallory's console, the attack labs' settings
// and tools (forgery/sign, keys, keys/rotate and keys/retire,
// cluster/restart and cluster/rotate, cost/run, fixation/plant,
// storage/loot) — and answers only the lab's owner. Anyone else gets
// the 404 of a lab that does not exist, with or without a site identity,
// so a signed-in stranger and a cookie-less request always get the same
// answer. A recorded exchange on an owner-only endpoint shows no curl
// line, since a terminal could only get that 404. The ID must not leave
// the learner's pages: everything under /lab/ (lab pages, the evil page,
// the lab's answers) is sent with Referrer-Policy: same-origin.

// The site's own cookies travel to /lab/ too (Path=/). The recorder keeps
// only lab_* cookies of the learner's requests and responses, so the
// site's HttpOnly session cookie never reaches the lab page's JavaScript.
//
// # State, replicas and the Persister
//
// Everything two replicas must agree on — sessions, refresh-token
// families, deny-list and allow-list, settings, the lab clock, signing
// keys, milestones reached — is one small JSON snapshot (labState) kept
// through a Persister (progress implements it over SQL; MemoryPersister
// is the in-process default). Every request asks the Persister about the
// lab, so a revocation saved by one replica is seen by the next request
// on any other. Each save draws a random stamp that the store keeps
// beside the snapshot (StampedPersister, which both stores implement):
// a request reads only the stamp and owner, and uses the decoded snapshot
// the process holds while they are the ones it holds; otherwise it loads
// the snapshot, and decodes it only when the bytes differ. A snapshot
// also remembers the access tokens its keys verified (verify.go), which a
// new snapshot forgets. Every state change is load-modify-save with a
// version number; a published snapshot is never modified (writers decode
// a fresh copy). Reads write nothing except, at most every few seconds,
// a session's last_seen and the lab's idle deadline, and a milestone the
// first time it is reached.
//
// What stays in process: the trace (the last 200 exchanges), the event
// streams (SSE) fed from it, and parsed keys. Traces are not shared
// between replicas; GET trace on the replica that served the requests is
// the fallback when an event stream lands elsewhere.
//
// # The demo app
//
// Users alice/wonderland, bob/builder and mallory (any password). Session
// login sets lab_sid (HttpOnly, SameSite=Lax, Path=/lab/{id}/) and keeps
// the record in the snapshot; logout deletes it, so a replayed cookie dies
// at once. Token login returns a JWT (HS256 by default, RS256 or EdDSA,
// with a kid; iss "authlab-lab", aud "lab:{id}") and an opaque refresh
// token stored only as a hash, in a family with parent links. Token
// logout changes nothing on the server unless the deny-list is on — which
// is the lesson. The list is written at logout, so it holds only the
// logouts made while it was on; turning it on does not reach back to a
// token logged out before. Rotation, reuse detection (which revokes the family),
// deny-list and allow-list are per-lab settings; the lab clock can be
// moved forward to reach expiry without waiting.
//
// # The recorder
//
// Every request to a demo endpoint (session/*, token/login, refresh,
// logout, api/me, DELETE sessions/{id}) becomes an Exchange: headers as
// the server saw them, the answer with each Set-Cookie attribute
// explained, a verdict line, header sizes and a curl line that works
// against the running server. The page's own plumbing (trace, events,
// settings, clock, diagram…) is not recorded, or polling would fill the
// trace. Lab secrets are shown to the learner — it is their sandbox — and
// never logged.
//
// The attacker console (POST attack) builds Mallory's request in process
// and sends it to this lab's demo endpoints only: no outbound network,
// none of the victim's cookies, only the headers she typed.
//
// # The attack and scale labs
//
// Nine more panels run on the same machinery, each in its own file:
// jwt-forgery (forgery*.go: a token editor, a naive verifier beside the
// safe one), fixation, key-rotation (rotation.go: kid, JWKS, retiring a
// key), opaque-vs-jwt (opaque.go, paseto.go), cost (timing each check on
// this server), token-storage (storage.go: a simulated XSS and Mallory's
// collector), csrf (a bank, its own page bank/home drawn from what the
// navigation carried, and an evil page on another site — and, with the
// optional second loopback listener, on another port of the same host:
// the same site, another origin) and cluster (three nodes behind a
// balancer that stamps the login's node in a cookie) and step-up
// (stepup.go: a bank that wants a recent login — a re-authentication
// under a new session ID, RFC 9470's challenge for a token). Their state
// is labState.Atk, whose
// zero value is every lab's safe default: a vulnerable behaviour exists
// only after the learner flips its toggle, and only in that lab. Their
// milestones are in milestones_attack.go; openMethod lists the attack
// labs' endpoints Mallory's console may target (the evil page's form and
// link, a gateway fetching the JWKS).
//
// # What the site shows of a panel
//
// Title and Intro name a panel and open its page. ProgressOf turns the
// milestones recorded for a learner into each panel's Progress (steps
// done, goal met), which the course map, the lesson pages, the lab page
// and "Export my data" (Export) show; Solved is the set of met goals that
// lessons.Lesson.Completed takes. EvilTarget picks the bank the CSRF
// lab's evil page may post to: a loopback origin only.
package sandbox
