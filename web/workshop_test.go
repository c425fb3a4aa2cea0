package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/quiz"
	"github.com/authlab/authlab/siteauth"
	"github.com/authlab/authlab/workshop"
)

// room is a test server with a manual clock, a signed-in instructor and
// one workshop over the first two lessons.
type room struct {
	env     *testEnv
	ts      *httptest.Server
	clock   *live.ManualClock
	teacher *client
	id      string
	code    string
}

func newRoom(t *testing.T) *room {
	t.Helper()
	env := newTestEnv(t)
	clk := live.NewManualClock(time.Now().UTC())
	env.srv.ws.SetClock(clk)
	ts := httptest.NewServer(env.srv)
	t.Cleanup(ts.Close)
	r := &room{env: env, ts: ts, clock: clk}
	r.teacher = instructorClient(t, env, ts, "teacher")
	l0, l1 := env.catalog.Lessons[0].Slug, env.catalog.Lessons[1].Slug
	res := r.teacher.do("POST", "/workshops", url.Values{"title": {"Tuesday room"}, "lesson": {l1, l0}}, "Accept", "application/json")
	if res.status != http.StatusCreated {
		t.Fatalf("create workshop: %d %s", res.status, res.body)
	}
	var created struct{ ID, Code string }
	json.Unmarshal([]byte(res.body), &created)
	r.id, r.code = created.ID, created.Code
	return r
}

// instructorClient signs in a new instructor account.
func instructorClient(t *testing.T, env *testEnv, ts *httptest.Server, name string) *client {
	t.Helper()
	hash, err := siteauth.NewHasher(0).Hash("a long instructor password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.NewAccount(context.Background(), name, "", hash, true); err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, ts)
	if r := cl.signin(name, "a long instructor password"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", name, r.status)
	}
	return cl
}

// attendee joins the room under a nickname.
func (r *room) attendee(t *testing.T, nick string) *client {
	t.Helper()
	cl := newClient(t, r.ts)
	if res := cl.do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {nick}}); res.status != http.StatusSeeOther {
		t.Fatalf("join as %s: %d %s", nick, res.status, res.body)
	}
	return cl
}

func (r *room) state(t *testing.T, cl *client) workshop.AttendeeState {
	t.Helper()
	res := cl.do("GET", "/w/"+r.code+"/state.json", nil, "Accept", "application/json")
	if res.status != http.StatusOK {
		t.Fatalf("state: %d %s", res.status, res.body)
	}
	var st workshop.AttendeeState
	if err := json.Unmarshal([]byte(res.body), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func (r *room) board(t *testing.T) workshop.Board {
	t.Helper()
	res := r.teacher.do("GET", "/workshops/"+r.id+"/board.json", nil, "Accept", "application/json")
	if res.status != http.StatusOK {
		t.Fatalf("board: %d %s", res.status, res.body)
	}
	var b workshop.Board
	if err := json.Unmarshal([]byte(res.body), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// act posts an instructor action and expects status.
func (r *room) act(t *testing.T, path string, form url.Values, status int) string {
	t.Helper()
	res := r.teacher.do("POST", "/workshops/"+r.id+path, form, "Accept", "application/json")
	if res.status != status {
		t.Fatalf("POST %s: %d, want %d: %s", path, res.status, status, res.body)
	}
	return res.body
}

// startRound starts a round with form and returns what the board got.
func (r *room) startRound(t *testing.T, form url.Values) (started struct{ Round workshop.RoundView }) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.act(t, "/rounds", form, http.StatusCreated)), &started); err != nil {
		t.Fatal(err)
	}
	return started
}

// singleQuestion is a single-choice question of the room's lessons,
// with its right and a wrong option key.
func singleQuestion(t *testing.T, env *testEnv) (q *quiz.Question, right, wrong string) {
	t.Helper()
	for _, l := range env.catalog.Lessons[:2] {
		for _, q := range l.Quizzes {
			if q.Type != quiz.Single {
				continue
			}
			for _, c := range q.Choices {
				if c.Correct {
					right = c.Key
				} else {
					wrong = c.Key
				}
			}
			return q, right, wrong
		}
	}
	t.Fatal("no single-choice question in the first two lessons")
	return nil, "", ""
}

func TestWorkshopInstructorOnly(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	anon := newClient(t, ts)
	if r := anon.do("GET", "/workshops", nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Errorf("anonymous /workshops: %d %s", r.status, r.header.Get("Location"))
	}
	learner := newClient(t, ts)
	learner.signup("plain_learner", "a password for plain")
	if r := learner.do("GET", "/workshops", nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "instructor") {
		t.Errorf("learner /workshops: %d", r.status)
	}
	if strings.Contains(learner.do("GET", "/", nil).body, `href="/workshops"`) {
		t.Error("a learner's nav links to Workshops")
	}
	// An instructor promotes the learner from the UI; the role applies
	// without signing in again.
	teacher := instructorClient(t, env, ts, "lead_teacher")
	if page := teacher.do("GET", "/workshops", nil); page.status != 200 || !strings.Contains(page.body, `href="/workshops" aria-current="page"`) {
		t.Fatalf("instructor /workshops: %d", page.status)
	}
	if r := teacher.do("POST", "/workshops/instructors", url.Values{"username": {"nobody_here"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("promote an unknown name: %d", r.status)
	}
	if r := teacher.do("POST", "/workshops/instructors", url.Values{"username": {"plain_learner"}}); r.status != http.StatusSeeOther {
		t.Fatalf("promote: %d %s", r.status, r.body)
	}
	if r := learner.do("GET", "/workshops", nil); r.status != http.StatusOK {
		t.Errorf("promoted learner /workshops: %d", r.status)
	}
	// Bad create forms: a reason, never a 500.
	for _, form := range []url.Values{
		{"title": {""}, "lesson": {env.catalog.Lessons[0].Slug}},
		{"title": {"x"}},
		{"title": {"x"}, "lesson": {"no-such-lesson"}},
		{"title": {"x"}, "lesson": {env.catalog.Lessons[0].Slug}, "starts_at": {"tomorrow"}},
		{"title": {"x"}, "lesson": {env.catalog.Lessons[0].Slug}, "starts_at": {"2026-05-01T10:00"}, "ends_at": {"2026-05-01T09:00"}},
	} {
		if r := teacher.do("POST", "/workshops", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "form-error") {
			t.Errorf("create %v: %d", form, r.status)
		}
	}
	// Another instructor's workshop is not yours.
	res := teacher.do("POST", "/workshops", url.Values{"title": {"Mine"}, "lesson": {env.catalog.Lessons[0].Slug}}, "Accept", "application/json")
	var w struct{ ID string }
	json.Unmarshal([]byte(res.body), &w)
	if r := learner.do("GET", "/workshops/"+w.ID, nil); r.status != http.StatusForbidden {
		t.Errorf("another instructor's board: %d", r.status)
	}
	if r := teacher.do("GET", "/workshops/nope", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown workshop: %d", r.status)
	}
}

var pngMagic = "\x89PNG\r\n\x1a\n"

func TestWorkshopJoinAndLobby(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	lobby := r.teacher.do("GET", "/workshops/"+r.id+"/lobby", nil)
	for _, want := range []string{r.code, "/w/" + r.code, `src="/w/` + r.code + `/qr.png"`, "/join"} {
		if !strings.Contains(lobby.body, want) {
			t.Errorf("lobby lacks %q", want)
		}
	}
	qr := newClient(t, r.ts).do("GET", "/w/"+r.code+"/qr.png", nil)
	if qr.status != 200 || qr.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.body, pngMagic) {
		t.Errorf("QR: %d %s", qr.status, qr.header.Get("Content-Type"))
	}

	// /join takes a code however it is typed.
	anon := newClient(t, r.ts)
	if res := anon.do("GET", "/join", nil); res.status != 200 || !strings.Contains(res.body, `name="code"`) {
		t.Errorf("/join: %d", res.status)
	}
	typed := strings.ToLower(r.code[:3]) + "-" + r.code[3:]
	if res := anon.do("POST", "/join", url.Values{"code": {typed}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/w/"+r.code {
		t.Errorf("join by code %q: %d %s", typed, res.status, res.header.Get("Location"))
	}
	if res := anon.do("POST", "/join", url.Values{"code": {"O0O0O0"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "6 letters") {
		t.Errorf("malformed code: %d", res.status)
	}
	if res := anon.do("POST", "/join", url.Values{"code": {"AAAAAA"}}); res.status != http.StatusNotFound || !strings.Contains(res.body, "No workshop has the code") {
		t.Errorf("unknown code: %d", res.status)
	}
	if res := anon.do("GET", "/w/"+strings.ToLower(r.code), nil); res.status != http.StatusSeeOther {
		t.Errorf("lower-case URL: %d", res.status)
	}
	if res := anon.do("GET", "/w/"+r.code, nil); res.status != 200 || !strings.Contains(res.body, `name="nickname"`) || anon.cookie(siteCookie) != "" {
		t.Errorf("the join page: %d (or it created a session)", res.status)
	}

	// Nickname rules.
	for _, tt := range []struct {
		nick   string
		status int
		says   string
	}{
		{"S", http.StatusUnprocessableEntity, "at least 2"},
		{strings.Repeat("x", 30), http.StatusUnprocessableEntity, "at most 24"},
		{"=HYPERLINK", http.StatusUnprocessableEntity, "Start the nickname"},
		{"Sam<b>", http.StatusUnprocessableEntity, "not allowed"},
	} {
		res := newClient(t, r.ts).do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {tt.nick}})
		if res.status != tt.status || !strings.Contains(res.body, tt.says) {
			t.Errorf("nickname %q: %d, want %d saying %q", tt.nick, res.status, tt.status, tt.says)
		}
	}
	sam := r.attendee(t, "  Sam  ")
	taken := newClient(t, r.ts).do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"SAM"}})
	if taken.status != http.StatusConflict || !strings.Contains(taken.body, "is taken in this room") || !strings.Contains(taken.body, `value="SAM"`) {
		t.Errorf("taken nickname: %d", taken.status)
	}
	play := sam.do("GET", "/w/"+r.code, nil)
	if play.status != 200 || !strings.Contains(play.body, `data-workshop-page="play"`) || !strings.Contains(play.body, ">Sam<") {
		t.Fatalf("the workshop screen: %d", play.status)
	}
	// Rejoining (a second join form, a reload) keeps the place and name.
	if res := sam.do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"Other"}}); res.status != http.StatusSeeOther {
		t.Errorf("rejoin: %d", res.status)
	}
	if st := r.state(t, sam); st.Me.Nickname != "Sam" || len(st.Workshop.Lessons) != 2 || st.Workshop.Lessons[0].Slug != r.env.catalog.Lessons[0].Slug {
		t.Errorf("state after rejoin: %+v", st)
	}
	// Not joined: no state, no stream, no answers.
	if res := anon.do("GET", "/w/"+r.code+"/state.json", nil, "Accept", "application/json"); res.status != http.StatusForbidden {
		t.Errorf("state for a stranger: %d", res.status)
	}
	if res := anon.do("POST", "/w/"+r.code+"/answer", url.Values{"round": {"x"}}, "Accept", "application/json"); res.status != http.StatusForbidden {
		t.Errorf("answer from a stranger: %d", res.status)
	}

	// Removal: the same cookie cannot come back until readmitted.
	kim := r.attendee(t, "Kim")
	b := r.board(t)
	if b.Active != 2 || len(b.Participants) != 2 {
		t.Fatalf("board roster: %+v", b.Participants)
	}
	var kimID string
	for _, p := range b.Participants {
		if p.Nickname == "Kim" {
			kimID = p.ID
		}
	}
	r.act(t, "/participants/"+kimID+"/rename", url.Values{"nickname": {"sam"}}, http.StatusConflict)
	r.act(t, "/participants/"+kimID+"/rename", url.Values{"nickname": {"!"}}, http.StatusUnprocessableEntity)
	r.act(t, "/participants/"+kimID+"/rename", url.Values{"nickname": {"Kimberly"}}, http.StatusOK)
	r.act(t, "/participants/"+kimID+"/remove", nil, http.StatusOK)
	if res := kim.do("GET", "/w/"+r.code, nil); res.status != http.StatusForbidden || !strings.Contains(res.body, "removed you") {
		t.Errorf("removed attendee's screen: %d", res.status)
	}
	if res := kim.do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"Kim2"}}); res.status != http.StatusForbidden {
		t.Errorf("removed attendee rejoining: %d", res.status)
	}
	if st := r.board(t); st.Active != 1 {
		t.Errorf("%d active after removal", st.Active)
	}
	r.act(t, "/participants/"+kimID+"/readmit", nil, http.StatusOK)
	if st := r.state(t, kim); st.Me.Nickname != "Kimberly" {
		t.Errorf("readmitted as %q", st.Me.Nickname)
	}
	r.act(t, "/participants/nope/remove", nil, http.StatusNotFound)
}

// sse reads a text/event-stream.
type sse struct {
	events chan [2]string
	cancel context.CancelFunc
}

func openSSE(t *testing.T, cl *client, path string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", cl.base+path, nil)
	resp, err := cl.hc.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("stream %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &sse{events: make(chan [2]string, 64), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		defer resp.Body.Close()
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var name, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = line[7:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && name != "":
				s.events <- [2]string{name, data}
				name, data = "", ""
			}
		}
	}()
	s.next(t, "hello")
	return s
}

// next waits for the named event, skipping others.
func (s *sse) next(t *testing.T, name string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended before %q", name)
			}
			if ev[0] == name {
				return ev[1]
			}
		case <-deadline:
			t.Fatalf("no %q event within 10 s", name)
		}
	}
}

func TestWorkshopRounds(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	q, right, wrong := singleQuestion(t, r.env)
	sam, kim := r.attendee(t, "Sam"), r.attendee(t, "Kim")
	samEvents := openSSE(t, sam, "/w/"+r.code+"/events")
	boardEvents := openSSE(t, r.teacher, "/workshops/"+r.id+"/events")

	// Bad starts get reasons.
	r.act(t, "/rounds", url.Values{"question": {"no-such-question"}}, http.StatusUnprocessableEntity)
	r.act(t, "/rounds", url.Values{"question": {q.ID}, "seconds": {"2"}}, http.StatusUnprocessableEntity)
	r.act(t, "/rounds", url.Values{"next": {"1"}}, http.StatusConflict)
	r.act(t, "/rounds", url.Values{"prompt": {"Which?"}, "options": {"a\nb"}}, http.StatusUnprocessableEntity)

	body := r.act(t, "/rounds", url.Values{"question": {q.ID}, "seconds": {"20"}}, http.StatusCreated)
	var started struct{ Round workshop.RoundView }
	json.Unmarshal([]byte(body), &started)
	rid := started.Round.ID
	var ev workshop.RoundView
	json.Unmarshal([]byte(samEvents.next(t, "round")), &ev)
	if ev.ID != rid || len(ev.Options) != len(q.Choices) || ev.Closed || ev.Correct != nil || ev.Total != 2 {
		t.Fatalf("round event: %+v", ev)
	}
	if strings.Contains(body, `"correct"`) || strings.Contains(body, "Correct") {
		t.Error("the round as sent carries the answer")
	}
	r.act(t, "/rounds", url.Values{"question": {q.ID}}, http.StatusConflict) // one at a time

	answer := func(cl *client, choice ...string) reply {
		return cl.do("POST", "/w/"+r.code+"/answer", url.Values{"round": {rid}, "choice": choice}, "Accept", "application/json")
	}
	if res := answer(sam); res.status != http.StatusUnprocessableEntity {
		t.Errorf("empty answer: %d", res.status)
	}
	if res := answer(sam, "not-a-key"); res.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown key: %d", res.status)
	}
	r.clock.Advance(4 * time.Second)
	if res := answer(sam, right); res.status != http.StatusCreated || strings.Contains(res.body, "points") {
		t.Fatalf("Sam's answer: %d %s (points must wait for the reveal)", res.status, res.body)
	}
	boardEvents.next(t, "answered")
	// A retry (a reload, a lost reply) changes nothing.
	if res := answer(sam, wrong); res.status != http.StatusOK || !strings.Contains(res.body, right) {
		t.Errorf("retry: %d %s", res.status, res.body)
	}
	if st := r.state(t, sam); st.Round == nil || st.Round.Mine == nil || st.Round.Mine.Choices[0] != right || st.Round.Closed {
		t.Errorf("Sam's state after a reload: %+v", st.Round)
	}
	// Until the reveal no score moves, on Sam's screen or on the
	// projected board: a changing score would tell the room who was right.
	if st := r.state(t, sam); st.Me.Points != 0 || st.Me.Right != 0 {
		t.Errorf("Sam's score moved before the reveal: %+v", st.Me)
	}
	for _, row := range r.board(t).Leaderboard {
		if row.Points != 0 || row.Right != 0 || row.Answered != 0 {
			t.Errorf("the board's leaderboard moved before the reveal: %+v", row)
		}
	}
	r.clock.Advance(6 * time.Second)
	if res := answer(kim, wrong); res.status != http.StatusCreated {
		t.Fatalf("Kim's answer: %d", res.status)
	}
	// Everyone answered: the round closes at once with the histogram.
	json.Unmarshal([]byte(samEvents.next(t, "closed")), &ev)
	if !ev.Closed || ev.Answered != 2 || ev.Counts[right] != 1 || ev.Counts[wrong] != 1 || ev.Revealed {
		t.Errorf("closed event: %+v", ev)
	}
	if r.clock.Pending() != 0 {
		t.Error("the round's timer is still pending after it closed early")
	}
	late := r.attendee(t, "Late Comer") // late joiners are welcome
	if res := late.do("POST", "/w/"+r.code+"/answer", url.Values{"round": {rid}, "choice": {right}}, "Accept", "application/json"); res.status != http.StatusConflict {
		t.Errorf("answer after the close: %d", res.status)
	}

	var rev struct {
		Round       workshop.RoundView
		Leaderboard []workshop.Standing
		Mine        map[string]workshop.RevealMine
	}
	r.act(t, "/rounds/"+rid+"/reveal", nil, http.StatusOK)
	json.Unmarshal([]byte(samEvents.next(t, "reveal")), &rev)
	samID := r.state(t, sam).Me.ID
	want := 1000 - 1000*4/20/2 // right after 4 of 20 seconds
	if len(rev.Round.Correct) != 1 || rev.Round.Correct[0] != right || rev.Mine[samID].Round != want || !rev.Mine[samID].Correct {
		t.Errorf("reveal: %+v, Sam %+v, want %d points", rev.Round.Correct, rev.Mine[samID], want)
	}
	if len(rev.Leaderboard) != 3 || rev.Leaderboard[0].Nickname != "Sam" || rev.Leaderboard[0].Points != want || rev.Leaderboard[1].Points != 0 || rev.Leaderboard[1].Rank != 0 || rev.Leaderboard[2].Rank != 0 { // no place without a point
		t.Errorf("leaderboard %+v", rev.Leaderboard)
	}
	if st := r.state(t, sam); st.Me.Points != want || st.Round.Mine.Points == nil || *st.Round.Mine.Points != want || len(st.Leaderboard) != 3 {
		t.Errorf("state after the reveal: %+v %+v", st.Me, st.Round.Mine)
	}

	// The timer: a round nobody finishes closes at its deadline, on the
	// injected clock.
	body = r.act(t, "/rounds", url.Values{"prompt": {"Which one dies at once on revoke?"}, "options": {"*A session\nA JWT\n*A deny-listed JWT"}, "seconds": {"10"}}, http.StatusCreated)
	json.Unmarshal([]byte(body), &started)
	rid = started.Round.ID
	if started.Round.Type != quiz.Multi || len(started.Round.Options) != 3 {
		t.Fatalf("custom round: %+v", started.Round)
	}
	json.Unmarshal([]byte(samEvents.next(t, "round")), &ev)
	keys := []string{}
	for _, o := range ev.Options {
		if strings.Contains(string(o.HTML), "session") || strings.Contains(string(o.HTML), "deny-listed") {
			keys = append(keys, o.Key)
		}
	}
	if res := answer(sam, keys...); res.status != http.StatusCreated {
		t.Fatalf("multi answer: %d %s", res.status, res.body)
	}
	r.clock.Advance(9 * time.Second)
	if st := r.state(t, kim); st.Round.Closed {
		t.Fatal("closed before its deadline")
	}
	r.clock.Advance(time.Second)
	json.Unmarshal([]byte(samEvents.next(t, "closed")), &ev)
	if ev.ID != rid || ev.Answered != 1 {
		t.Errorf("timer close: %+v", ev)
	}
	if res := answer(kim, keys[0]); res.status != http.StatusConflict {
		t.Errorf("answer after the deadline: %d", res.status)
	}
	r.act(t, "/rounds/"+rid+"/reveal", nil, http.StatusOK)
	r.act(t, "/podium", nil, http.StatusOK)
	var pod struct{ Podium []workshop.Standing } // Sam alone: nobody else scored
	json.Unmarshal([]byte(samEvents.next(t, "podium")), &pod)
	if len(pod.Podium) != 1 || pod.Podium[0].Nickname != "Sam" || pod.Podium[0].Points <= want || pod.Podium[0].Right != 2 {
		t.Errorf("podium %+v", pod.Podium)
	}

	// A round of a queued lesson, then an early end.
	r.act(t, "/queue", url.Values{"lesson": {"nope"}}, http.StatusUnprocessableEntity)
	r.act(t, "/queue", url.Values{"lesson": {r.env.catalog.Lessons[0].Slug}}, http.StatusOK)
	queued := len(r.board(t).Queue)
	if queued == 0 {
		t.Fatal("nothing queued")
	}
	body = r.act(t, "/rounds", url.Values{"next": {"1"}, "seconds": {"30"}}, http.StatusCreated)
	json.Unmarshal([]byte(body), &started)
	if b := r.board(t); len(b.Queue) != queued-1 || b.Round.ID != started.Round.ID {
		t.Errorf("queue after next: %d of %d", len(b.Queue), queued)
	}
	r.act(t, "/rounds/"+started.Round.ID+"/reveal", nil, http.StatusConflict) // still running
	r.act(t, "/rounds/"+started.Round.ID+"/close", nil, http.StatusOK)
	json.Unmarshal([]byte(samEvents.next(t, "closed")), &ev)
	if ev.ID != started.Round.ID || ev.Answered != 0 {
		t.Errorf("ended early: %+v", ev)
	}
	r.act(t, "/rounds/nope/close", nil, http.StatusNotFound)

	// The replica that started a round is gone (no timer): past the
	// deadline the round reads as closed, a read writes nothing, and the
	// board's close at zero records it and tells the room.
	body = r.act(t, "/rounds", url.Values{"question": {q.ID}, "seconds": {"10"}}, http.StatusCreated)
	json.Unmarshal([]byte(body), &started)
	samEvents.next(t, "round")
	r.env.srv.ws.Unschedule(started.Round.ID)
	r.clock.Advance(11 * time.Second)
	if st := r.state(t, sam); !st.Round.Closed {
		t.Error("a round past its deadline reads as open")
	}
	if rd, _ := r.env.store.Round(context.Background(), r.id, started.Round.ID); rd.ClosedAt != nil {
		t.Error("a GET recorded the close")
	}
	r.act(t, "/rounds/"+started.Round.ID+"/close", nil, http.StatusOK)
	if json.Unmarshal([]byte(samEvents.next(t, "closed")), &ev); ev.ID != started.Round.ID {
		t.Errorf("closed event for %s", ev.ID)
	}
}

func TestWorkshopPacing(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.attendee(t, "Sam")
	events := openSSE(t, sam, "/w/"+r.code+"/events")
	l0, l1 := r.env.catalog.Lessons[0].Slug, r.env.catalog.Lessons[1].Slug

	r.act(t, "/lock", url.Values{"lesson": {l1}}, http.StatusOK)
	if res := sam.do("GET", "/lessons/"+l1, nil); res.status != http.StatusForbidden || !strings.Contains(res.body, "has locked") {
		t.Errorf("an attendee opened a locked lesson directly: %d", res.status)
	}
	if res := sam.do("GET", "/lessons/"+l0, nil); res.status != http.StatusOK {
		t.Errorf("an open lesson of the room: %d", res.status)
	}
	if res := r.teacher.do("GET", "/lessons/"+l1, nil); res.status != http.StatusOK {
		t.Errorf("the instructor is locked out of a lesson: %d", res.status)
	}
	var locks struct{ Lessons []workshop.LessonRef }
	json.Unmarshal([]byte(events.next(t, "locks")), &locks)
	if len(locks.Lessons) != 2 || locks.Lessons[0].Locked || !locks.Lessons[1].Locked {
		t.Errorf("locks event: %+v", locks.Lessons)
	}
	if st := r.state(t, sam); !st.Workshop.Lessons[1].Locked {
		t.Error("state does not show the lock")
	}
	if page := sam.do("GET", "/w/"+r.code, nil).body; strings.Contains(page, `href="/lessons/`+l1+`"`) || !strings.Contains(page, `data-start="`+l0+`"`) {
		t.Error("the screen links a locked lesson, or does not open the first open one")
	}
	r.act(t, "/lock", url.Values{"lesson": {"not-in-workshop"}}, http.StatusUnprocessableEntity)

	// Bring everyone here: a locked lesson opens for the room.
	r.act(t, "/focus", url.Values{"lesson": {l1}, "step": {"bad step!"}}, http.StatusUnprocessableEntity)
	r.act(t, "/focus", url.Values{"lesson": {l1}, "step": {"summary"}}, http.StatusOK)
	json.Unmarshal([]byte(events.next(t, "locks")), &locks)
	var focus struct {
		Lesson, Step string
		Seq          int
	}
	json.Unmarshal([]byte(events.next(t, "focus")), &focus)
	if focus.Lesson != l1 || focus.Step != "summary" || focus.Seq != 1 || locks.Lessons[1].Locked {
		t.Errorf("focus %+v, locks %+v", focus, locks.Lessons)
	}

	// The screen reports where the attendee is; the board shows it.
	if res := sam.do("POST", "/w/"+r.code+"/activity", url.Values{"lesson": {"elsewhere"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("activity in a lesson outside the workshop: %d", res.status)
	}
	if res := sam.do("POST", "/w/"+r.code+"/activity", url.Values{"lesson": {l1}, "kind": {"dance"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown activity kind: %d", res.status)
	}
	boardEvents := openSSE(t, r.teacher, "/workshops/"+r.id+"/events")
	if res := sam.do("POST", "/w/"+r.code+"/activity", url.Values{"lesson": {l1}, "step": {"summary"}}); res.status != http.StatusNoContent {
		t.Fatalf("activity: %d", res.status)
	}
	boardEvents.next(t, "activity")
	b := r.board(t)
	if p := b.Participants[0]; p.Lesson != l1 || p.Stuck || p.Idle != "now" || b.Lessons[1].Here != 1 {
		t.Errorf("board row %+v, lessons %+v", p, b.Lessons)
	}
	// No progress for the stuck threshold: highlighted.
	r.clock.Advance(workshop.StuckAfter + time.Minute)
	if p := r.board(t).Participants[0]; !p.Stuck || p.Idle != "6 min ago" {
		t.Errorf("after %v idle: %+v", workshop.StuckAfter, p)
	}
	// Progress in the course tables counts: a completed lesson unsticks.
	sam.do("POST", "/lessons/"+l1+"/complete", url.Values{})
	if p := r.board(t).Participants[0]; p.Stuck || p.Completed != 1 {
		t.Errorf("after completing the lesson: %+v", p)
	}
	if page := r.teacher.do("GET", "/workshops/"+r.id, nil); page.status != 200 || !strings.Contains(page.body, ">Sam") || !strings.Contains(page.body, "everyone sent here") {
		t.Errorf("board page: %d", page.status)
	}
}

var csvRow = regexp.MustCompile(`(?m)^round_answer,`)

func TestWorkshopEndAndExport(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	q, right, _ := singleQuestion(t, r.env)
	sam := r.attendee(t, "Sam")
	started := r.startRound(t, url.Values{"question": {q.ID}, "seconds": {"20"}})
	r.clock.Advance(2 * time.Second)
	sam.do("POST", "/w/"+r.code+"/answer", url.Values{"round": {started.Round.ID}, "choice": {right}}, "Accept", "application/json")
	r.act(t, "/rounds/"+started.Round.ID+"/reveal", nil, http.StatusOK)
	// A lesson answer through the lesson's own quiz form counts too.
	sam.do("POST", "/lessons/"+r.env.catalog.Lessons[0].Slug+"/quiz/"+q.ID, url.Values{"choice": {right}}, "Accept", "application/json")

	csv := r.teacher.do("GET", "/workshops/"+r.id+"/export.csv", nil)
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.header.Get("Content-Disposition"), r.code) {
		t.Fatalf("CSV: %d %v", csv.status, csv.header)
	}
	lines := strings.Split(strings.TrimSpace(csv.body), "\n")
	if lines[0] != "\ufeff"+strings.Join(workshop.CSVHeader, ",") { // a UTF-8 byte-order mark first
		t.Errorf("CSV header %q", lines[0])
	}
	if !strings.Contains(csv.body, "participant,") || !strings.Contains(csv.body, ",Sam,") || len(csvRow.FindAllString(csv.body, -1)) != 1 {
		t.Errorf("CSV rows:\n%s", csv.body)
	}
	if !strings.Contains(csv.body, "quiz_answer,") {
		t.Errorf("CSV lacks the lesson quiz answer:\n%s", csv.body)
	}
	if res := newClient(t, r.ts).do("GET", "/workshops/"+r.id+"/export.csv", nil); res.status == 200 {
		t.Error("a stranger downloaded the CSV")
	}

	r.act(t, "/end", nil, http.StatusOK)
	r.act(t, "/end", nil, http.StatusConflict)
	r.act(t, "/rounds", url.Values{"question": {q.ID}}, http.StatusConflict)
	r.act(t, "/lock", url.Values{"lesson": {r.env.catalog.Lessons[0].Slug}}, http.StatusConflict)
	if res := newClient(t, r.ts).do("POST", "/w/"+r.code+"/join", url.Values{"nickname": {"Too Late"}}); res.status != http.StatusGone {
		t.Errorf("joining an ended workshop: %d", res.status)
	}
	if st := r.state(t, sam); !st.Workshop.Ended || st.Me.Points == 0 {
		t.Errorf("attendee state after the end: %+v", st.Workshop)
	}
	results := r.teacher.do("GET", "/workshops/"+r.id+"/results", nil)
	if results.status != 200 || !strings.Contains(results.body, "Sam") || !strings.Contains(results.body, "100%") {
		t.Errorf("results: %d", results.status)
	}
	hist := r.teacher.do("GET", "/workshops", nil)
	if !strings.Contains(hist.body, "Tuesday room") || !strings.Contains(hist.body, "Ended") {
		t.Error("history does not list the ended workshop")
	}
	if page := r.teacher.do("GET", "/workshops/"+r.id, nil); page.status != 200 || strings.Contains(page.body, "Start round") {
		t.Errorf("ended board: %d (still offers rounds?)", page.status)
	}
}

// Ending a workshop in the middle of a round closes and reveals it: no
// one is left "waiting for the reveal" in a room that has ended, and the
// results count the round.
func TestWorkshopEndRevealsTheLastRound(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	q, right, _ := singleQuestion(t, r.env)
	sam := r.attendee(t, "Sam")
	events := openSSE(t, sam, "/w/"+r.code+"/events")
	started := r.startRound(t, url.Values{"question": {q.ID}, "seconds": {"60"}})
	sam.do("POST", "/w/"+r.code+"/answer", url.Values{"round": {started.Round.ID}, "choice": {right}}, "Accept", "application/json")
	r.act(t, "/end", nil, http.StatusOK)

	var rev struct{ Round workshop.RoundView }
	json.Unmarshal([]byte(events.next(t, "reveal")), &rev)
	if !rev.Round.Revealed || len(rev.Round.Correct) != 1 || rev.Round.Correct[0] != right {
		t.Errorf("the reveal at the end: %+v", rev.Round)
	}
	events.next(t, "ended")
	st := r.state(t, sam)
	if !st.Workshop.Ended || st.Round == nil || !st.Round.Closed || !st.Round.Revealed || st.Me.Points == 0 {
		t.Errorf("after the end: ended=%v round=%+v me=%+v", st.Workshop.Ended, st.Round, st.Me)
	}
}
