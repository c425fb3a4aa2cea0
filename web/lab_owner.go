package web

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authlab/authlab/lessons"
)

// What a lab request needs of its owner. A request the sandbox answers
// (everything under /lab/{id}/ but the lab pages and the evil page)
// needs one thing from the site: the learner behind the site cookie, so
// that owner-only routes open for the lab's owner (sandbox/doc.go, "What
// the lab ID grants"; the demo API needs only the ID). That learner is
// looked up in the site session once and then trusted, for the same
// cookie, for labOwnerTTL: a lab page polls its trace and events many
// times a second, and each lookup is a database read. A site session
// revoked meanwhile (signed out, "sign out everywhere", the account
// deleted) stops opening the owner's lab routes within labOwnerTTL, on
// every replica (each keeps its own table); the site's own pages look the
// session up on every request as before (TestLabOwnerBound).

// labOwnerTTL is how long a looked-up lab owner is trusted.
const labOwnerTTL = 5 * time.Second

// maxLabOwners bounds the table; when full it starts over.
const maxLabOwners = 10_000

// labOwners maps a site cookie's value to the viewer it named.
type labOwners struct {
	off bool // benchmarks turn it off to measure the lookup on every request
	mu  sync.Mutex
	m   map[string]labOwner
}

type labOwner struct {
	v     Viewer
	until time.Time
}

func (lo *labOwners) get(cookie string, now time.Time) (*Viewer, bool) {
	if lo.off {
		return nil, false
	}
	lo.mu.Lock()
	defer lo.mu.Unlock()
	o, ok := lo.m[cookie]
	if !ok || !now.Before(o.until) {
		return nil, false
	}
	v := o.v
	return &v, true
}

func (lo *labOwners) put(cookie string, v *Viewer, now time.Time) {
	lo.mu.Lock()
	defer lo.mu.Unlock()
	if lo.m == nil || len(lo.m) >= maxLabOwners {
		lo.m = map[string]labOwner{}
	}
	lo.m[cookie] = labOwner{v: *v, until: now.Add(labOwnerTTL)}
}

// labRouteOf splits /lab/{id}/{sub} and reports whether the sandbox
// answers it (not a lab page, not the evil page, which are site pages).
func labRouteOf(method, rest string) (id, sub string, sandboxAnswers bool) {
	id, sub, _ = strings.Cut(rest, "/")
	if method == http.MethodGet && sub == "evil" {
		return id, sub, false
	}
	if method == http.MethodGet && !strings.Contains(sub, "/") && (sub == "" || slices.Contains(lessons.LabNames(), sub)) {
		return id, sub, false
	}
	return id, sub, true
}

// sandboxRequest reports whether r goes to the sandbox handler.
func sandboxRequest(r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/lab/")
	if !ok {
		return false
	}
	_, _, yes := labRouteOf(r.Method, rest)
	return yes
}
