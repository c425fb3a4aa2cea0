package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// Promoting asks for a name when none is typed, and says so when the
// account is already an instructor (oneself included).
func TestWorkshopPromoteMessages(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	learner := newClient(t, r.ts)
	learner.signup("ada_learner", "a password for ada")

	empty := r.teacher.do("POST", "/workshops/instructors", url.Values{"username": {"  "}})
	if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, "Type the username") || strings.Contains(empty.body, "no account called “”") {
		t.Errorf("an empty username: %d %s", empty.status, excerpt(empty.body, "form-error"))
	}
	if res := r.teacher.do("POST", "/workshops/instructors", url.Values{"username": {"ada_learner"}}); res.status != http.StatusSeeOther {
		t.Fatalf("promote: %d", res.status)
	}
	if page := r.teacher.do("GET", "/workshops", nil); !strings.Contains(page.body, "ada_learner is now an instructor") {
		t.Errorf("the first promotion's flash: %s", excerpt(page.body, "flash"))
	}
	for _, tt := range []struct{ name, says string }{
		{"ada_learner", "ada_learner is already an instructor"},
		{"teacher", "You are already an instructor"},
	} {
		if res := r.teacher.do("POST", "/workshops/instructors", url.Values{"username": {tt.name}}); res.status != http.StatusSeeOther {
			t.Fatalf("promote %s again: %d", tt.name, res.status)
		}
		page := r.teacher.do("GET", "/workshops", nil)
		if !strings.Contains(page.body, tt.says) || strings.Contains(page.body, "is now an instructor") {
			t.Errorf("promoting %s again: %s", tt.name, excerpt(page.body, "flash"))
		}
	}
}

// excerpt is a bit of body around the first occurrence of near, for a
// failure message.
func excerpt(body, near string) string {
	i := strings.Index(body, near)
	if i < 0 {
		return "(no " + near + ")"
	}
	return body[i:min(len(body), i+200)]
}

// GET /w/CODE/join (the address a failed join leaves in the bar) leads
// to the workshop's join page.
func TestWorkshopJoinGETRedirects(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	// The handler itself, on an engine of its own.
	e := gin.New()
	srv := r.env.srv
	h := &workshopHandlers{kernel: srv.kernel, ws: srv.ws, store: srv.store}
	e.GET("/w/:code/join", h.joinWorkshopAgain)
	for path, want := range map[string]string{
		"/w/" + r.code + "/join":                  "/w/" + r.code,
		"/w/" + strings.ToLower(r.code) + "/join": "/w/" + r.code,
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("GET %s: %d → %q, want 303 → %s", path, rec.Code, rec.Header().Get("Location"), want)
		}
	}
	// Through the site: this needs the route in routes.go.
	res := newClient(t, r.ts).do("GET", "/w/"+r.code+"/join", nil)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/w/"+r.code {
		t.Errorf("GET /w/CODE/join on the site: %d → %q, want 303 → /w/%s (routes.go needs e.GET(\"/w/:code/join\", s.joinWorkshopAgain))",
			res.status, res.header.Get("Location"), r.code)
	}
	// The failed join page carries its own address for the script.
	bad := newClient(t, r.ts).do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"S"}})
	if !strings.Contains(bad.body, `data-canonical="/w/`+r.code+`"`) || !strings.Contains(bad.body, "workshop.js") {
		t.Error("a failed join page does not give workshop.js the workshop's address")
	}
}

var codeInput = regexp.MustCompile(`<input id="code"[^>]*>`)

// A refused code marks the code input invalid, as the nickname form does.
func TestWorkshopJoinCodeInvalid(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	anon := newClient(t, r.ts)
	if in := codeInput.FindString(anon.do("GET", "/join", nil).body); in == "" || strings.Contains(in, "aria-invalid") {
		t.Errorf("the untouched code input: %q", in)
	}
	for _, code := range []string{"O0O0O0", "AAAAAA"} {
		res := anon.do("POST", "/join", url.Values{"code": {code}})
		if in := codeInput.FindString(res.body); !strings.Contains(in, `aria-invalid="true"`) || !strings.Contains(res.body, `aria-describedby="join-error"`) {
			t.Errorf("code %s refused (%d), the input: %q", code, res.status, in)
		}
	}
}

// Activity in a locked lesson is refused (409), one outside the workshop
// too (422); an empty lab check is no report (422).
func TestWorkshopActivityAndLabCheck(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.attendee(t, "Sam")
	l0, l1 := r.env.catalog.Lessons[0].Slug, r.env.catalog.Lessons[1].Slug
	r.act(t, "/lock", url.Values{"lesson": {l1}}, http.StatusOK)
	activity := func(form url.Values) reply {
		return sam.do("POST", "/w/"+r.code+"/activity", form, "Accept", "application/json")
	}
	if res := activity(url.Values{"lesson": {l1}}); res.status != http.StatusConflict || !strings.Contains(res.body, "locked") {
		t.Errorf("activity in a locked lesson: %d %s", res.status, res.body)
	}
	if res := activity(url.Values{"lesson": {"not-in-the-workshop"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("activity outside the workshop: %d", res.status)
	}
	if res := activity(url.Values{"lesson": {l0}}); res.status != http.StatusNoContent {
		t.Errorf("activity in an open lesson: %d %s", res.status, res.body)
	}
	if p := r.board(t).Participants[0]; p.Lesson != l0 {
		t.Errorf("the board has Sam in %q", p.Lesson)
	}
	r.act(t, "/lock", url.Values{"lesson": {l1}, "locked": {"0"}}, http.StatusOK)
	if res := activity(url.Values{"lesson": {l1}}); res.status != http.StatusNoContent {
		t.Errorf("activity in an unlocked lesson: %d %s", res.status, res.body)
	}

	r.act(t, "/labs/revoke", url.Values{}, http.StatusOK)
	for _, form := range []url.Values{{}, {"session": {"401"}}, {"token": {"200"}}, {"session": {""}, "token": {""}}} {
		res := sam.do("POST", "/w/"+r.code+"/labcheck", form, "Accept", "application/json")
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "100–599") {
			t.Errorf("lab check %v: %d %s", form, res.status, res.body)
		}
	}
	if m := r.board(t).Moment; m == nil || m.Reported != 0 {
		t.Errorf("refused lab checks were counted: %+v", m)
	}
	if res := sam.do("POST", "/w/"+r.code+"/labcheck", url.Values{"session": {"0"}, "token": {"0"}}, "Accept", "application/json"); res.status != http.StatusNoContent {
		t.Errorf("a lab with neither side logged in: %d %s", res.status, res.body)
	}
}

// The state tells an attendee who joined after the round closed that it
// was before their time; one who was there and did not answer is not.
func TestWorkshopLateJoiner(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	q, _, _ := singleQuestion(t, r.env)
	sam := r.attendee(t, "Sam")
	started := r.startRound(t, url.Values{"question": {q.ID}, "seconds": {"20"}})
	r.clock.Advance(2 * time.Second)
	early := r.attendee(t, "Early") // in time to answer, does not
	if st := r.state(t, early); st.Late {
		t.Error("someone who joined an open round is late")
	}
	r.clock.Advance(2 * time.Second)
	r.act(t, "/rounds/"+started.Round.ID+"/close", nil, http.StatusOK)
	r.clock.Advance(2 * time.Second)
	late := r.attendee(t, "Late")
	if st := r.state(t, late); !st.Late || st.Round == nil || st.Round.Mine != nil {
		t.Errorf("the late joiner's state: late=%v round=%+v", st.Late, st.Round)
	}
	r.act(t, "/rounds/"+started.Round.ID+"/reveal", nil, http.StatusOK)
	if st := r.state(t, late); !st.Late {
		t.Error("the late joiner is no longer late after the reveal")
	}
	for _, cl := range []*client{sam, early} {
		if st := r.state(t, cl); st.Late {
			t.Errorf("%s is late", st.Me.Nickname)
		}
	}
	// The JSON field is left out when false.
	if res := sam.do("GET", "/w/"+r.code+"/state.json", nil, "Accept", "application/json"); strings.Contains(res.body, `"late"`) {
		t.Error("state.json says late:false")
	}
}

// The list says "1 lesson"; a workshop's planned start and end show on
// the list, the lobby and the board, in UTC as typed.
func TestWorkshopListAndTimes(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	l0 := r.env.catalog.Lessons[0].Slug
	res := r.teacher.do("POST", "/workshops", url.Values{"title": {"Planned"}, "lesson": {l0},
		"starts_at": {"2026-05-05T10:00"}, "ends_at": {"2026-05-05T12:30"}}, "Accept", "application/json")
	var w struct{ ID string }
	json.Unmarshal([]byte(res.body), &w)
	r.teacher.do("POST", "/workshops", url.Values{"title": {"Open ended"}, "lesson": {l0}, "starts_at": {"2026-05-06T09:00"}})
	list := r.teacher.do("GET", "/workshops", nil).body
	for _, want := range []string{"1 lesson<", "2 lessons<", "Tue 5 May 2026, 10:00–12:30 UTC", "Starts Wed 6 May 2026, 09:00 UTC", "(optional, UTC)"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(list, "1 lessons") {
		t.Error(`the list says "1 lessons"`)
	}
	for _, path := range []string{"/workshops/" + w.ID, "/workshops/" + w.ID + "/lobby"} {
		if page := r.teacher.do("GET", path, nil); !strings.Contains(page.body, "Tue 5 May 2026, 10:00–12:30 UTC") {
			t.Errorf("%s does not show the planned times", path)
		}
	}
	if page := r.teacher.do("GET", "/workshops/"+r.id, nil); strings.Contains(page.body, "Planned:") {
		t.Error("a board without times shows a plan")
	}
	if got, _ := r.env.store.Workshop(context.Background(), w.ID); got.StartsAt == nil || got.StartsAt.UTC().Hour() != 10 {
		t.Errorf("stored start: %v", got.StartsAt)
	}
}

// Every row button of the board names its row.
func TestWorkshopBoardButtonNames(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	r.attendee(t, "Ada")
	l1 := r.env.catalog.Lessons[1]
	r.act(t, "/lock", url.Values{"lesson": {l1.Slug}}, http.StatusOK)
	page := r.teacher.do("GET", "/workshops/"+r.id, nil).body
	l0 := r.env.catalog.Lessons[0]
	for _, want := range []string{
		`aria-label="Rename Ada"`, `aria-label="Remove Ada"`,
		`aria-label="Lock ` + html.EscapeString(l0.Title) + `"`, `aria-label="Unlock ` + html.EscapeString(l1.Title) + `"`,
		`aria-label="Bring everyone here: ` + html.EscapeString(l0.Title) + `"`,
		`data-done="Round started."`, `data-done="Ada removed."`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the board lacks %s", want)
		}
	}
}

// On a phone the instructor's tables (.sessions-table) fold into one
// card a row; a cell with no data-label is then a bare number ("0",
// "0 / 0", "995") nobody can place. Every data cell of the list, the
// board and the results names its column; only the first cell (the
// row's own name) and the link and button cells go without.
func TestWorkshopTableCellsLabelled(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	r.attendee(t, "Ada")
	q, _, _ := singleQuestion(t, r.env)
	started := r.startRound(t, url.Values{"question": {q.ID}})
	r.act(t, "/rounds/"+started.Round.ID+"/close", nil, http.StatusOK)
	row := regexp.MustCompile(`(?s)<tr[ >].*?</tr>`)
	cell := regexp.MustCompile(`<td[^>]*>`)
	for _, path := range []string{"/workshops", "/workshops/" + r.id, "/workshops/" + r.id + "/results"} {
		page := r.teacher.do("GET", path, nil).body
		cells := 0
		for _, tr := range row.FindAllString(page, -1) {
			for i, td := range cell.FindAllString(tr, -1) {
				first := i == 0 && !strings.Contains(tr[:strings.Index(tr, td)], "<th")
				if first || strings.Contains(td, "ws-row-actions") || strings.Contains(td, "ws-links") {
					continue
				}
				cells++
				if !strings.Contains(td, "data-label=") {
					t.Errorf("%s: a cell without a label: %s in %.160s", path, td, tr)
				}
			}
		}
		if cells == 0 {
			t.Errorf("%s: no table cells found", path)
		}
	}
}
