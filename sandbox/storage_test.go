package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestTokenStorage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A token kept in web storage: the injected script takes it, Mallory
	// replays it from her machine.
	tok := e.tokenLogin().AccessToken
	exfil := func(src, tok string) Exchange {
		t.Helper()
		rec := e.do(req{method: http.MethodPost, path: "storage/exfil", body: map[string]string{"source": src, "token": tok}, owner: ptr("")})
		want(t, rec, http.StatusOK)
		xs := e.trace()
		return xs[len(xs)-1]
	}
	if x := exfil("localStorage", tok); !slices.Contains(x.Milestones, msXSSStorage) {
		t.Errorf("stealing from localStorage: %v", x.Milestones)
	}
	if status, x := e.attack("GET", "/api/me", map[string]string{"Authorization": "Bearer " + tok}, ""); status != 200 || !slices.Contains(x.Milestones, msXSSReplay) {
		t.Errorf("replaying the stolen token: %d %v", status, x.Milestones)
	}
	if x := exfil("fetch hook", tok); !slices.Contains(x.Milestones, msXSSHook) {
		t.Errorf("the fetch hook: %v", x.Milestones)
	}
	loot := decode[struct{ Loot []loot }](t, e.get("storage/loot")).Loot
	if len(loot) != 2 || loot[0].User != "alice" || strings.Contains(e.get("storage/loot").Body.String(), tok) {
		t.Errorf("loot %+v (the collector must keep hashes only)", loot)
	}

	// An HttpOnly cookie: nothing to steal, but the page's own requests
	// (the script's included) carry it.
	rec := e.post("storage/login", map[string]string{"samesite": "Strict"})
	want(t, rec, http.StatusOK)
	set := rec.Header().Get("Set-Cookie")
	if !strings.Contains(set, "lab_at=") || !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Strict") || !strings.Contains(set, "Path=/lab/"+e.id+"/") {
		t.Fatalf("token cookie %q", set)
	}
	cookie, _, _ := strings.Cut(set, ";")
	if x := exfil("document.cookie", ""); !slices.Contains(x.Milestones, msXSSHttpOnly) {
		t.Errorf("an empty document.cookie: %v", x.Milestones)
	}
	want(t, e.get("api/me", "Cookie", cookie, payloadHdr, "xss"), http.StatusOK)
	e.wantMilestone(msXSSRide)
	if rec := e.post("storage/login", map[string]string{"samesite": "Loose"}); rec.Code != 400 {
		t.Errorf("bad samesite: %d", rec.Code)
	}
	if rec := e.post("storage/login", map[string]string{"samesite": "None"}); !strings.Contains(rec.Header().Get("Set-Cookie"), "Secure") {
		t.Errorf("SameSite=None without Secure: %q", rec.Header().Get("Set-Cookie"))
	}
	for _, body := range []any{map[string]string{}, "{", map[string]string{"source": strings.Repeat("x", 65)}} {
		if rec := e.post("storage/exfil", body); rec.Code != 400 {
			t.Errorf("exfil %v: %d", body, rec.Code)
		}
	}
}
