package sandbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The cost lab measures, on the learner's own server and while they
// watch, what each check costs per request: a JWT verification with each
// algorithm, a session lookup in process memory and in the lab store (the
// database, or whatever the Persister is), a deny-list lookup, and any
// probes the operator wired in (a Redis lookup). The operations are the
// very functions BenchmarkCost runs, so the page's figures and the
// benchmark's agree (docs/benchmarks.md, "Attack labs").

// CostProbe is an extra lookup the cost lab can time, such as a site
// session read from Redis. Run must be safe to call concurrently.
type CostProbe struct {
	Name string
	Run  func(ctx context.Context) error
}

const (
	costBudget    = 60 * time.Millisecond // per operation
	costRounds    = 4
	costMinRuns   = 32
	memSessions   = 10_000
	costCheckEach = 64 // iterations between clock reads
)

// costOp is one measured operation.
type costOp struct {
	Name  string
	Group string // "token" or "session"
	run   func() error
}

// costKeys are the cost lab's own keys, made once per Manager: an RSA
// key takes a noticeable fraction of a second to generate.
type costKeys struct {
	once sync.Once
	rsa  *rsa.PrivateKey
	ec   *ecdsa.PrivateKey
	ed   ed25519.PrivateKey
	hs   []byte
	mem  map[string]*session
	memK string
	mu   sync.RWMutex // guards mem the way a real in-process store would
	err  error
}

func (k *costKeys) init() error {
	k.once.Do(func() {
		if k.rsa, k.err = rsa.GenerateKey(rand.Reader, 2048); k.err != nil {
			return
		}
		if k.ec, k.err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); k.err != nil {
			return
		}
		_, k.ed, _ = ed25519.GenerateKey(rand.Reader)
		k.hs = make([]byte, 32)
		rand.Read(k.hs)
		k.mem = make(map[string]*session, memSessions)
		for i := range memSessions {
			id := randHex(16)
			k.mem[id] = &session{User: "user" + strconv.Itoa(i)}
			k.memK = id
		}
	})
	return k.err
}

// costOps builds the operations for lab id. With the deny-list on
// (denylist), every token check is the verification plus the deny-list
// lookup, as the lab's own token check is then: the toggle changes the
// figures it claims to. With it off, the lookup is timed alone on its own
// row, so the learner sees what turning it on would add.
func (m *Manager) costOps(ctx context.Context, id string, denylist bool) ([]costOp, map[string]string, error) {
	k := &m.cost
	if err := k.init(); err != nil {
		return nil, nil, err
	}
	now := time.Now()
	claims := jwt.RegisteredClaims{Issuer: issuer, Subject: "alice", Audience: jwt.ClaimStrings{"lab:" + id},
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)), IssuedAt: jwt.NewNumericDate(now), ID: randHex(16)}
	tokens := map[string]string{}
	var ops []costOp
	// The deny-list lives in the lab's snapshot, in the lab store: a
	// lookup is one read of it, like a session lookup, then a map probe.
	store := func() error { _, _, err := m.persist.LoadLab(ctx, id); return err }
	denied := map[string]time.Time{}
	deny := func() error {
		if err := store(); err != nil {
			return err
		}
		if _, ok := denied[claims.ID]; ok {
			return errors.New("denied")
		}
		return nil
	}
	for _, a := range []struct {
		alg       string
		method    jwt.SigningMethod
		sign, ver any
	}{
		{"HS256", jwt.SigningMethodHS256, k.hs, k.hs},
		{"RS256", jwt.SigningMethodRS256, k.rsa, &k.rsa.PublicKey},
		{"EdDSA", jwt.SigningMethodEdDSA, k.ed, k.ed.Public()},
		{"ES256", jwt.SigningMethodES256, k.ec, &k.ec.PublicKey},
	} {
		tok, err := jwt.NewWithClaims(a.method, claims).SignedString(a.sign)
		if err != nil {
			return nil, nil, err
		}
		tokens[a.alg] = tok
		verify := verifier(a.alg, "lab:"+id, a.ver)
		if denylist {
			ops = append(ops, costOp{"JWT verify " + a.alg + " + deny-list lookup", "token", func() error {
				if err := verify(tok); err != nil {
					return err
				}
				return deny()
			}})
			continue
		}
		ops = append(ops, costOp{"JWT verify " + a.alg, "token", func() error { return verify(tok) }})
	}
	ops = append(ops, costOp{"Session lookup, process memory", "session", func() error {
		k.mu.RLock()
		s := k.mem[k.memK]
		k.mu.RUnlock()
		if s == nil {
			return errors.New("missing")
		}
		return nil
	}})
	ops = append(ops, costOp{"Session lookup, " + m.storeName(), "session", store})
	if !denylist {
		ops = append(ops, costOp{"The deny-list lookup alone, " + m.storeName(), "session", deny})
	}
	for _, p := range m.probes {
		ops = append(ops, costOp{p.Name, "session", func() error { return p.Run(ctx) }})
	}
	return ops, tokens, nil
}

// verifier is the safe check of the twin lab for one algorithm.
func verifier(alg, aud string, key any) func(string) error {
	p := jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithAudience(aud), jwt.WithIssuer(issuer), jwt.WithExpirationRequired())
	return func(tok string) error {
		var c jwt.RegisteredClaims
		_, err := p.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return key, nil })
		return err
	}
}

// storeName says what the lab store is.
func (m *Manager) storeName() string {
	if b, ok := m.persist.(interface{ Backend() string }); ok {
		switch b.Backend() {
		case "sqlite":
			return "SQLite"
		case "postgres":
			return "Postgres"
		}
		return b.Backend()
	}
	return "the lab store (process memory)"
}

// measure runs fn for about budget, in costRounds rounds, and returns
// the fastest round's nanoseconds per call: a server shares its CPU, and
// the best round is the one least disturbed by everything else.
func measure(fn func() error, budget time.Duration) (float64, int, error) {
	if err := fn(); err != nil { // warm up, and fail fast
		return 0, 0, err
	}
	best, total := 0.0, 0
	for range costRounds {
		start := time.Now()
		n := 0
		for {
			for range costCheckEach {
				if err := fn(); err != nil {
					return 0, total, err
				}
			}
			n += costCheckEach
			if el := time.Since(start); el >= budget/costRounds && n >= costMinRuns {
				if ns := float64(el.Nanoseconds()) / float64(n); best == 0 || ns < best {
					best = ns
				}
				break
			}
		}
		total += n
	}
	return best, total, nil
}

type costResult struct {
	Name    string  `json:"name"`
	Group   string  `json:"group"`
	NsPerOp float64 `json:"ns_per_op"`
	Runs    int     `json:"runs"`
}

type costBytes struct {
	Name  string `json:"name"`
	Bytes int    `json:"bytes"`
}

// POST cost/run: measure every operation now. One run at a time per
// process: the figures mean nothing if two runs share the CPU.
func (m *Manager) costRun(c *call) {
	if !m.costMu.TryLock() {
		c.fail(http.StatusTooManyRequests, "busy", "a measurement is running on this server; try again in a second")
		return
	}
	defer m.costMu.Unlock()
	denylist := c.st().Settings.Denylist
	ops, tokens, err := m.costOps(c.r.Context(), c.id, denylist)
	if err != nil {
		c.fail(http.StatusServiceUnavailable, "unavailable", "could not prepare the measurement")
		return
	}
	results := make([]costResult, 0, len(ops))
	for _, op := range ops {
		ns, n, err := measure(op.run, costBudget)
		if err != nil {
			c.fail(http.StatusServiceUnavailable, "unavailable", op.Name+" failed: "+err.Error())
			return
		}
		results = append(results, costResult{op.Name, op.Group, ns, n})
	}
	bytes := []costBytes{{"Cookie: lab_sid=<128-bit ID>", len("Cookie: " + sessionCookie + "=" + randHex(16))}}
	for _, alg := range []string{"HS256", "RS256", "EdDSA", "ES256"} {
		bytes = append(bytes, costBytes{"Authorization: Bearer <" + alg + " JWT>", len("Authorization: Bearer ") + len(tokens[alg])})
	}
	if sid := c.sessionID(); sid != "" {
		bytes = append(bytes, costBytes{"your lab cookie", len("Cookie: " + sessionCookie + "=" + sid)})
	}
	if tok := bearer(c.r); tok != "" {
		bytes = append(bytes, costBytes{"your access token", len("Authorization: Bearer ") + len(tok)})
	}
	if denylist {
		c.reachAsLearner(msCostDenylist)
	}
	c.reachAsLearner(msCostRun)
	c.noteCostRun(denylist)
	c.verdict = "measured " + strconv.Itoa(len(results)) + " checks on this server"
	if denylist {
		c.verdict += "; deny-list on, so every token check includes its lookup"
	}
	c.json(http.StatusOK, map[string]any{
		"results": results, "bytes": bytes, "store": m.storeName(), "denylist": denylist,
		"note": "Each figure is one check on this server, right now, one request at a time. A network round trip is about 1,000,000 ns; a page render several.",
	})
}

// checkBudget is how long a lab endpoint that reports its own check's
// cost (opaque/me) times it: enough for a steady fastest round, short
// enough that the request stays quick.
const checkBudget = 8 * time.Millisecond

// checkTime is one check timed alone, in process, the cost lab's way.
type checkTime struct {
	NsPerOp float64 `json:"ns_per_op"`
	Runs    int     `json:"runs"`
	What    string  `json:"what"` // what was repeated, for the page
}

// timeCheck repeats fn for checkBudget and returns its fastest round's
// time per call; ok is false when fn fails or a cost measurement holds
// the CPU (two timings at once would measure each other).
func (m *Manager) timeCheck(what string, fn func() error) (checkTime, bool) {
	if !m.costMu.TryLock() {
		return checkTime{}, false
	}
	defer m.costMu.Unlock()
	ns, n, err := measure(fn, checkBudget)
	if err != nil {
		return checkTime{}, false
	}
	return checkTime{NsPerOp: ns, Runs: n, What: what}, true
}

// String reads like the cost lab's figures: "12.3 µs".
func (t checkTime) String() string {
	switch ns := t.NsPerOp; {
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'f', 1, 64) + " µs"
	default:
		return strconv.FormatFloat(ns, 'f', 0, 64) + " ns"
	}
}

func (m *Manager) addCostRoutes(rs map[string]route) {
	rs["cost/run"] = recorded(http.MethodPost, m.costRun)
}
