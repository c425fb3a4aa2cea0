package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/ttlcache"
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

// newLabOwners is the table from a site cookie's value to the viewer it
// named.
func newLabOwners() *ttlcache.Cache[Viewer] {
	return &ttlcache.Cache[Viewer]{TTL: labOwnerTTL, Max: maxLabOwners}
}

// labRouteOf splits /lab/{id}/{sub} and reports whether the sandbox
// answers it (not a lab page, not the evil page, which are site pages).
func labRouteOf(method, rest string) (id, sub string, sandboxAnswers bool) {
	return sandbox.RouteOf(method, rest, lessons.LabNames())
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
