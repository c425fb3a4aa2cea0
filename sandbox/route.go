package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

// RouteOf splits {id}/{sub}, the path after /lab/, and reports whether
// the sandbox answers it: not the lab's page (GET of "" or of a name in
// labPages, the labs the site shows a page for) and not the evil page,
// which are the site's pages.
func RouteOf(method, rest string, labPages []string) (id, sub string, sandboxAnswers bool) {
	id, sub, _ = strings.Cut(rest, "/")
	if method == http.MethodGet && sub == "evil" {
		return id, sub, false
	}
	if method == http.MethodGet && !strings.Contains(sub, "/") && (sub == "" || slices.Contains(labPages, sub)) {
		return id, sub, false
	}
	return id, sub, true
}
