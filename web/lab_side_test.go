package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestLabCardOpensItsSide: a lesson whose lab block names one side of
// the twin lab (mode: session) opens the lab with the other side folded
// away, so lesson 02 does not put JWTs in front of a learner six lessons
// before they are taught; a split block opens both, and the page itself
// keeps both sides (one click shows the folded one).
func TestLabCardOpensItsSide(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	cl := newClient(t, ts)

	// The cards: lesson 02 (mode: session) sends the side, lesson 04
	// (mode: split) sends none, and a block whose panel has no sides
	// (csrf, mode: session, in lesson 07) sends none either.
	for _, tc := range []struct{ slug, panel, side string }{
		{"sessions", "twin-login", "session"},
		{"two-axes", "twin-login", ""},
		{"session-attacks", "csrf", ""},
	} {
		r := cl.do("GET", "/lessons/"+tc.slug, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d", tc.slug, r.status)
		}
		i := strings.Index(r.body, `<input type="hidden" name="panel" value="`+tc.panel+`">`)
		if i < 0 {
			t.Fatalf("%s has no %s card", tc.slug, tc.panel)
		}
		form := r.body[i : i+strings.Index(r.body[i:], "</form>")]
		has := strings.Contains(form, `name="side"`)
		if want := `<input type="hidden" name="side" value="` + tc.side + `">`; tc.side != "" && !strings.Contains(form, want) || tc.side == "" && has {
			t.Errorf("%s's %s card form, want side %q:\n%s", tc.slug, tc.panel, tc.side, form)
		}
	}

	open := func(v url.Values) reply {
		t.Helper()
		v.Set("reuse", "1")
		return cl.do("POST", "/lab", v)
	}
	r := open(url.Values{"panel": {"twin-login"}, "side": {"session"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasSuffix(loc, "/twin-login?side=session") {
		t.Fatalf("POST /lab side=session: %d %q", r.status, loc)
	}
	page := cl.do("GET", loc, nil).body
	for _, want := range []string{
		`<section class="side side-session" aria-labelledby="session-title">`,
		`<section class="side side-token" aria-labelledby="token-title" hidden>`,
		`so the token side is folded away. <button type="button" class="button button-small" data-action="show-both">Show the token side too</button>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the lab page folded to the session side lacks %s", want)
		}
	}
	if r := open(url.Values{"panel": {"twin-login"}}); r.header.Get("Location") != strings.TrimSuffix(loc, "?side=session") {
		t.Errorf("the same lab without a side: %q, want %q", r.header.Get("Location"), strings.TrimSuffix(loc, "?side=session"))
	} else if page := cl.do("GET", r.header.Get("Location"), nil).body; strings.Contains(page, `-title" hidden>`) || strings.Contains(page, "data-side-note") {
		t.Error("the lab page without a side folds one")
	}
	if page := cl.do("GET", strings.Replace(loc, "side=session", "side=token", 1), nil).body; !strings.Contains(page, `<section class="side side-session" aria-labelledby="session-title" hidden>`) || !strings.Contains(page, "Show the session side too") {
		t.Error("?side=token does not fold the session side")
	}
	if page := cl.do("GET", strings.Replace(loc, "side=session", "side=both", 1), nil); page.status != 200 || strings.Contains(page.body, "data-side-note") {
		t.Errorf("an unknown side in the address: %d, or it folds a side", page.status)
	}

	// A side is only for the twin lab's panels; a wrong one is refused
	// with its reason.
	if r := open(url.Values{"panel": {"csrf"}, "side": {"session"}}); r.status != http.StatusSeeOther || strings.Contains(r.header.Get("Location"), "side=") {
		t.Errorf("a panel without sides: %d %q", r.status, r.header.Get("Location"))
	}
	if r := open(url.Values{"panel": {"twin-login"}, "side": {"left"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "“left” is neither") {
		t.Errorf("side=left: %d %s", r.status, r.body)
	}
}
