package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestLabIDRuleSameForEveryone walks every lab route and method: a
// request with no site identity and one from a signed-in stranger, both
// carrying the lab ID, get the same answer. The owner-only routes answer
// both with the 404 of a lab that does not exist (and let the owner
// through); the open ones never refuse either.
func TestLabIDRuleSameForEveryone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	keys := make([]string, 0, len(e.m.routes))
	for k := range e.m.routes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	owners, opens := 0, 0
	for _, key := range keys {
		path := strings.Replace(key, "*", "0123456789abcdef", 1)
		methods := make([]string, 0, 2)
		for meth := range e.m.routes[key].methods {
			methods = append(methods, meth)
		}
		slices.Sort(methods)
		for _, meth := range methods {
			anon := e.do(req{method: meth, path: path, owner: ptr("")})
			stranger := e.do(req{method: meth, path: path, owner: ptr("learner-2")})
			if anon.Code != stranger.Code {
				t.Errorf("%s %s: %d with no identity, %d for a signed-in stranger", meth, path, anon.Code, stranger.Code)
			}
			refused := strings.Contains(anon.Body.String(), `"message":"no lab `)
			if labIDOpens(path) {
				opens++
				if refused || strings.Contains(stranger.Body.String(), `"message":"no lab `) {
					t.Errorf("%s %s opens with the lab ID, but was refused: %s", meth, path, anon.Body)
				}
				continue
			}
			owners++
			if anon.Code != http.StatusNotFound || !refused || anon.Body.String() != stranger.Body.String() {
				t.Errorf("%s %s is the owner's: %d %s / %d %s", meth, path, anon.Code, anon.Body, stranger.Code, stranger.Body)
			}
			if path == "events" {
				continue // a stream: it would not end
			}
			if own := e.do(req{method: meth, path: path}); strings.Contains(own.Body.String(), `"message":"no lab `) {
				t.Errorf("%s %s refused its owner: %d %s", meth, path, own.Code, own.Body)
			}
		}
	}
	if owners < 10 || opens < 20 {
		t.Errorf("only %d owner-only and %d open route methods walked", owners, opens)
	}
}
