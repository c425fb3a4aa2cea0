package sandbox

import "testing"

// TestRouteOf: the lab's page and the evil page are the site's, every
// other path under /lab/{id}/ the sandbox's.
func TestRouteOf(t *testing.T) {
	pages := []string{"csrf", "cost"}
	for _, c := range []struct {
		method, rest, id, sub string
		sandbox               bool
	}{
		{"GET", "abc", "abc", "", false},
		{"GET", "abc/", "abc", "", false},
		{"GET", "abc/csrf", "abc", "csrf", false},
		{"GET", "abc/evil", "abc", "evil", false},
		{"POST", "abc/csrf", "abc", "csrf", true},
		{"GET", "abc/csrf/trace", "abc", "csrf/trace", true},
		{"GET", "abc/trace", "abc", "trace", true},
		{"POST", "abc/evil", "abc", "evil", true},
	} {
		id, sub, yes := RouteOf(c.method, c.rest, pages)
		if id != c.id || sub != c.sub || yes != c.sandbox {
			t.Errorf("RouteOf(%s %s) = %q %q %v, want %q %q %v", c.method, c.rest, id, sub, yes, c.id, c.sub, c.sandbox)
		}
	}
}
