package workshop

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
)

// A round nobody finishes closes at its deadline, on the engine's clock.
func TestRoundTimerCloses(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	r.join("Sam")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "10"})
	if rv.Closed || rv.Total != 1 || rv.Counts != nil || rv.Correct != nil || r.clock.Pending() != 1 {
		t.Fatalf("started %+v, %d timers", rv, r.clock.Pending())
	}
	if ev := event[RoundView](t, r.events(), "round"); ev.ID != rv.ID {
		t.Errorf("round event %+v", ev)
	}
	r.clock.Advance(9 * time.Second)
	if r.round(rv.ID).ClosedAt != nil || has(r.events(), "closed") {
		t.Fatal("closed before its deadline")
	}
	r.clock.Advance(time.Second)
	closed := event[RoundView](t, r.events(), "closed")
	if !closed.Closed || closed.ID != rv.ID || closed.Answered != 0 || len(closed.Counts) != 3 {
		t.Errorf("closed event %+v", closed)
	}
	if rd := r.round(rv.ID); rd.ClosedAt == nil || !rd.ClosedAt.Equal(start.Add(10*time.Second)) {
		t.Errorf("close recorded at %v", rd.ClosedAt)
	}
	if r.clock.Pending() != 0 {
		t.Error("a timer is left")
	}
}

// The answer that completes the room closes the round at once and stops
// its timer; a retry changes nothing; a late answer is refused.
func TestRoundClosesWhenEveryoneAnswered(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam, kim := r.join("Sam"), r.join("Kim")
	right, wrong := r.keys("alpha-single")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "20"})
	r.events()

	_, err := r.answer(sam, rv.ID)
	wantKind(t, "no choice", err, Invalid)
	_, err = r.answer(sam, rv.ID, "not-a-key")
	wantKind(t, "an unknown key", err, Invalid)
	if re, ok := err.(*Error); !ok || re.Msg != "That answer does not fit this question: pick from the options the round shows." {
		t.Errorf("an unknown key is refused with %v, want a sentence without the grader's words", err)
	}
	_, err = r.answer(sam, "no-such-round", right[0])
	wantKind(t, "an unknown round", err, NotFound)

	r.clock.Advance(4 * time.Second)
	a, err := r.answer(sam, rv.ID, right[0])
	if err != nil || a.Retry || a.Mine.Points != nil || a.Mine.Correct != nil || a.Mine.Choices[0] != right[0] {
		t.Fatalf("Sam's answer: %+v, %v (the score waits for the reveal)", a, err)
	}
	if ans := event[map[string]any](t, r.events(), "answered"); ans["answered"] != 1.0 || ans["total"] != 2.0 {
		t.Errorf("answered event %v", ans)
	}
	if a, err := r.answer(sam, rv.ID, wrong[0]); err != nil || !a.Retry || a.Mine.Choices[0] != right[0] {
		t.Errorf("retry: %+v, %v", a, err)
	}
	if _, err := r.answer(kim, rv.ID, wrong[0]); err != nil {
		t.Fatal(err)
	}
	closed := event[RoundView](t, r.events(), "closed")
	if closed.Answered != 2 || closed.Counts[right[0]] != 1 || closed.Counts[wrong[0]] != 1 || closed.Revealed {
		t.Errorf("closed event %+v", closed)
	}
	if r.clock.Pending() != 0 {
		t.Error("the timer of a round closed early is still pending")
	}
	late := r.join("Late Comer")
	_, err = r.answer(late, rv.ID, right[0])
	wantKind(t, "an answer after the close", err, Conflict)
}

// The replica that started a round is gone (no timer): past the
// deadline the round reads as closed, and the next change records the
// close and tells the room.
func TestRoundSettlesWithoutItsTimer(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	right, _ := r.keys("alpha-single")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "10"})
	r.e.Unschedule(rv.ID)
	r.clock.Advance(11 * time.Second)
	st, err := r.e.State(r.ctx, r.cat, r.w, sam)
	if err != nil || !st.Round.Closed {
		t.Fatalf("a round past its deadline reads as open: %+v, %v", st.Round, err)
	}
	if r.round(rv.ID).ClosedAt != nil || has(r.events(), "closed") {
		t.Fatal("a read recorded the close")
	}
	_, err = r.answer(sam, rv.ID, right[0])
	wantKind(t, "an answer past the deadline", err, Conflict)
	if r.round(rv.ID).ClosedAt == nil || !has(r.events(), "closed") {
		t.Error("the answer did not record the close")
	}
}

// Scoring: a right answer earns 1000 at once down to 500 at the buzzer,
// a wrong one nothing; the leaderboard counts a round once revealed, and
// ties share a rank.
func TestRevealScoresAndRanks(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	ada, bob, cy, dee := r.join("Ada"), r.join("Bob"), r.join("Cy"), r.join("Dee")
	right, wrong := r.keys("alpha-single")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "20"})
	r.clock.Advance(4 * time.Second)
	for _, p := range []*progress.Participant{ada, bob} { // the same right answer at the same moment: a tie
		if _, err := r.answer(p, rv.ID, right[0]); err != nil {
			t.Fatal(err)
		}
	}
	r.clock.Advance(6 * time.Second)
	if _, err := r.answer(cy, rv.ID, wrong[0]); err != nil {
		t.Fatal(err)
	}
	_, err := r.e.RevealRound(r.ctx, r.cat, r.w, r.round(rv.ID))
	wantKind(t, "a reveal while the round runs", err, Conflict)
	if board, _ := r.e.Leaderboard(r.ctx, r.w.ID); board[0].Points != 0 {
		t.Errorf("the leaderboard moved before the reveal: %+v", board)
	}
	if err := r.e.CloseRound(r.ctx, r.w.ID, rv.ID); err != nil { // Dee never answers: the instructor ends it
		t.Fatal(err)
	}
	r.events()
	rev, err := r.e.RevealRound(r.ctx, r.cat, r.w, r.round(rv.ID))
	if err != nil {
		t.Fatal(err)
	}
	want := 1000 - 1000*4/20/2 // right after 4 of 20 seconds
	// Among equals the order is the participant IDs': random here.
	got := map[string]Standing{}
	for i, l := range rev.Leaderboard {
		got[l.ID] = l
		if prev := rev.Leaderboard[max(i, 1)-1]; i > 0 && l.Rank != 0 && (prev.Rank == 0 || l.Rank < prev.Rank) {
			t.Errorf("the leaderboard is out of order: %+v", rev.Leaderboard)
		}
	}
	for _, w := range []struct {
		p            *progress.Participant
		rank, points int
	}{{ada, 1, want}, {bob, 1, want}, {cy, 0, 0}, {dee, 0, 0}} { // no place without a point
		if l := got[w.p.ID]; l.Rank != w.rank || l.Points != w.points {
			t.Errorf("%s: %+v, want rank %d with %d points", w.p.Nickname, l, w.rank, w.points)
		}
	}
	if m := rev.Mine[ada.ID]; m.Round != want || !m.Correct || !m.Answered || m.Rank != 1 || m.Right != 1 {
		t.Errorf("Ada's result %+v", m)
	}
	if m := rev.Mine[cy.ID]; m.Round != 0 || m.Correct || !m.Answered || m.Rank != 0 {
		t.Errorf("Cy's result %+v", m)
	}
	if m := rev.Mine[dee.ID]; m.Answered {
		t.Errorf("Dee's result %+v", m)
	}
	if !rev.Round.Revealed || len(rev.Round.Correct) != 1 || rev.Round.Correct[0] != right[0] || rev.Round.Explain == "" {
		t.Errorf("revealed round %+v", rev.Round)
	}
	if ev := event[Reveal](t, r.events(), "reveal"); len(ev.Leaderboard) != 4 || ev.Mine[bob.ID].Round != want {
		t.Errorf("reveal event %+v", ev)
	}
	st, err := r.e.State(r.ctx, r.cat, r.w, ada)
	if err != nil || st.Me.Points != want || st.Me.Rank != 1 || st.Round.Mine.Points == nil || *st.Round.Mine.Points != want || len(st.Leaderboard) != 4 {
		t.Errorf("Ada's state after the reveal: %+v, %v", st, err)
	}
	pod, err := r.e.ShowPodium(r.ctx, r.w)
	if err != nil || len(pod.Podium) != 2 || pod.Podium[0].Rank != 1 || pod.Podium[1].Rank != 1 || !pod.Podium[1].Tied { // Cy has no point
		t.Errorf("podium %+v, %v", pod, err)
	}
	// A screen that missed the podium event (reloading, offline) finds
	// the podium in its state, until a round started after it.
	stateOf := func(p *progress.Participant) *AttendeeState {
		t.Helper()
		w, err := r.store.Workshop(r.ctx, r.w.ID) // each request reads the workshop afresh
		if err != nil {
			t.Fatal(err)
		}
		st, err := r.e.State(r.ctx, r.cat, w, p)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := stateOf(dee); len(st.Podium) != 2 || st.Podium[0].Nickname != pod.Podium[0].Nickname || !st.Round.Revealed {
		t.Errorf("Dee's state after the podium: podium %+v, round %+v", st.Podium, st.Round)
	}
	r.clock.Advance(time.Second)
	next := r.start(RoundSpec{Question: "alpha-single", Seconds: "20"})
	if st := stateOf(dee); st.Podium != nil || st.Round.ID != next.ID {
		t.Errorf("after the next round started the state still shows the podium: %+v", st.Podium)
	}
}

func TestStartRefusals(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	for _, tt := range []struct {
		name string
		spec RoundSpec
		kind Kind
		msg  string
	}{
		{"unknown question", RoundSpec{Question: "nope"}, Invalid, "The course has no question “nope”"},
		{"a text question", RoundSpec{Question: "alpha-text"}, Invalid, "is a text question"},
		{"too short", RoundSpec{Question: "alpha-single", Seconds: "4"}, Invalid, "The countdown must be 5 to 300 seconds."},
		{"too long", RoundSpec{Question: "alpha-single", Seconds: "301"}, Invalid, "The countdown must be 5 to 300 seconds."},
		{"not a number", RoundSpec{Question: "alpha-single", Seconds: "ten"}, Invalid, "The countdown must be"},
		{"empty queue", RoundSpec{Next: true}, Conflict, "The quiz queue is empty."},
		{"a custom question without a right option", RoundSpec{Prompt: "Which?", Options: "a\nb"}, Invalid, "Mark the right option"},
		{"a custom question's options without the question", RoundSpec{Options: "*a\nb"}, Invalid, "Write a question of 1 to 500 characters."},
	} {
		_, err := r.e.Start(r.ctx, r.cat, r.w, tt.spec)
		wantKind(t, tt.name, err, tt.kind)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.msg)
		}
	}
	if r.clock.Pending() != 0 || has(r.events(), "round") {
		t.Error("a refused start started something")
	}
	rv := r.start(RoundSpec{Question: "alpha-tf"})
	if rv.Seconds != RoundDefaultSeconds || rv.Type != "truefalse" {
		t.Errorf("default round %+v", rv)
	}
	_, err := r.e.Start(r.ctx, r.cat, r.w, RoundSpec{Question: "alpha-single"})
	wantKind(t, "a second round while one runs", err, Conflict)
}

// Queue a lesson, then run its head: the queue moves on.
func TestQueueAndNext(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	_, err := r.e.Queue(r.ctx, r.cat, r.w, "gamma", false)
	wantKind(t, "a lesson outside the workshop", err, Invalid)
	q, err := r.e.Queue(r.ctx, r.cat, r.w, "alpha", false)
	if err != nil || strings.Join(q, " ") != "alpha-single alpha-tf" {
		t.Fatalf("queue %v, %v", q, err)
	}
	r.reload()
	if q, _ = r.e.Queue(r.ctx, r.cat, r.w, "alpha", false); len(q) != 2 {
		t.Errorf("queued twice: %v", q)
	}
	r.reload()
	s, err := r.e.Start(r.ctx, r.cat, r.w, RoundSpec{Next: true})
	if err != nil || strings.Join(s.Queue, " ") != "alpha-tf" || s.Round.Type != "single" {
		t.Fatalf("next: %+v, %v", s, err)
	}
	r.reload()
	if strings.Join(r.w.QueueIDs(), " ") != "alpha-tf" {
		t.Errorf("stored queue %q", r.w.Queue)
	}
	if q, _ := r.e.Queue(r.ctx, r.cat, r.w, "", true); q != nil {
		t.Errorf("cleared queue %v", q)
	}
}

// A question written on the spot: asked, answered and revealed like one
// of the bank, read back from the store by a replica that did not start
// it.
func TestCustomRound(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	rv := r.start(RoundSpec{Prompt: "Which one dies at once on revoke?", Options: "*A session\nA JWT\n*A deny-listed JWT", Seconds: "10"})
	if rv.Type != "multi" || len(rv.Options) != 3 {
		t.Fatalf("custom round %+v", rv)
	}
	var keys []string
	for _, o := range rv.Options {
		if strings.Contains(string(o.HTML), "session") || strings.Contains(string(o.HTML), "deny-listed") {
			keys = append(keys, o.Key)
		}
	}
	if a, err := r.answer(sam, rv.ID, keys...); err != nil || len(a.Mine.Choices) != 2 {
		t.Fatalf("answer %+v, %v", a, err)
	}
	other := New(Config{Store: r.store, Course: staticCourse{r.cat}, Clock: r.clock})
	rev, err := other.RevealRound(r.ctx, r.cat, r.w, r.round(rv.ID))
	if err != nil || len(rev.Round.Correct) != 2 || rev.Mine[sam.ID].Right != 1 || !rev.Mine[sam.ID].Correct {
		t.Errorf("reveal on another replica: %+v, %v", rev, err)
	}
}

// Ending a workshop in the middle of a round closes and reveals it, and
// the workshop is read-only from then on.
func TestEndRevealsTheLastRound(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	right, _ := r.keys("alpha-single")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "60"})
	if _, err := r.answer(sam, rv.ID, right[0]); err != nil {
		t.Fatal(err)
	}
	r.events()
	if err := r.e.End(r.ctx, r.w); err != nil {
		t.Fatal(err)
	}
	evs := r.events()
	if rev := event[Reveal](t, evs, "reveal"); !rev.Round.Revealed || rev.Leaderboard[0].Points == 0 {
		t.Errorf("the reveal at the end: %+v", rev)
	}
	if evs[len(evs)-1].Name != "ended" {
		t.Errorf("the last event is %q", evs[len(evs)-1].Name)
	}
	r.reload()
	wantKind(t, "a change to an ended workshop", Writable(r.w), Conflict)
	_, err := r.e.Start(r.ctx, r.cat, r.w, RoundSpec{Question: "alpha-single"})
	wantKind(t, "a round in an ended workshop", err, Conflict)
	_, _, err = r.e.Admit(r.ctx, r.w, "new", "Newcomer")
	wantKind(t, "joining an ended workshop", err, Gone)
	rounds, board, err := r.e.Results(r.ctx, r.cat, r.w)
	if err != nil || len(rounds) != 1 || rounds[0].RightPct != 100 || board[0].Nickname != "Sam" {
		t.Errorf("results %+v %+v, %v", rounds, board, err)
	}
	csv, err := r.e.CSV(r.ctx, r.cat, r.w)
	if err != nil || !strings.HasPrefix(string(csv), bom+strings.Join(CSVHeader, ",")+"\n") || strings.Count(string(csv), "\nround_answer,") != 1 {
		t.Errorf("CSV %v:\n%s", err, csv)
	}
	if name := r.e.CSVName(r.w); name != "workshop-"+r.w.Code+"-2026-05-05.csv" {
		t.Errorf("CSV name %q", name)
	}
}

// Removing the one attendee who had not answered completes the round.
func TestRemovalCompletesTheRound(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam, kim := r.join("Sam"), r.join("Kim")
	right, _ := r.keys("alpha-single")
	rv := r.start(RoundSpec{Question: "alpha-single", Seconds: "30"})
	if _, err := r.answer(sam, rv.ID, right[0]); err != nil {
		t.Fatal(err)
	}
	r.events()
	if err := r.e.SetRemoved(r.ctx, r.w, kim, true); err != nil {
		t.Fatal(err)
	}
	evs := r.events()
	if !has(evs, "removed") || evs[0].To != kim.ID || !has(evs, "closed") {
		t.Errorf("events after the removal: %v", evs)
	}
	_, err := r.e.Attendee(r.ctx, r.w, "Kim")
	wantKind(t, "a removed attendee", err, Forbidden)
	_, _, err = r.e.Admit(r.ctx, r.w, "Kim", "Kim again")
	wantKind(t, "a removed attendee joining again", err, Forbidden)
	if err := r.e.SetRemoved(r.ctx, r.w, kim, false); err != nil {
		t.Fatal(err)
	}
	if p, err := r.e.Attendee(r.ctx, r.w, "Kim"); err != nil || p.ID != kim.ID {
		t.Errorf("readmitted: %v, %v", p, err)
	}
}

func TestJoinRules(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	if _, already, err := r.e.Admit(r.ctx, r.w, "Sam", "Another name"); err != nil || already == nil || already.ID != sam.ID {
		t.Errorf("a rejoin: %v, %v", already, err)
	}
	_, _, err := r.e.Admit(r.ctx, r.w, "someone", "sam")
	wantKind(t, "a nickname taken (in another case)", err, Conflict)
	_, _, err = r.e.Admit(r.ctx, r.w, "someone", "x")
	wantKind(t, "a nickname too short", err, Invalid)
	_, err = r.e.Join(r.ctx, r.w, "someone", "Sam")
	wantKind(t, "a nickname taken a moment ago", err, Conflict)
	_, err = r.e.Attendee(r.ctx, r.w, "")
	wantKind(t, "a visitor without a learner", err, Forbidden)
	_, err = r.e.Attendee(r.ctx, r.w, "stranger")
	wantKind(t, "a stranger", err, Forbidden)
	if !has(r.events(), "roster") {
		t.Error("the board did not hear of the join")
	}
	nick, err := r.e.Rename(r.ctx, r.w, sam, "  Samuel   L ")
	if err != nil || nick != "Samuel L" {
		t.Errorf("rename: %q, %v", nick, err)
	}
	kim := r.join("Kim")
	_, err = r.e.Rename(r.ctx, r.w, kim, "samuel l")
	wantKind(t, "a rename to a taken nickname", err, Conflict)
}

func TestAccess(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	if w, err := r.e.Own(r.ctx, r.w.ID, "owner"); err != nil || w.ID != r.w.ID {
		t.Errorf("the owner: %v", err)
	}
	_, err := r.e.Own(r.ctx, r.w.ID, "another instructor")
	wantKind(t, "another instructor", err, Forbidden)
	_, err = r.e.Own(r.ctx, "nope", "owner")
	wantKind(t, "no such workshop", err, NotFound)
	if w, err := r.e.ByCode(r.ctx, strings.ToLower(r.w.Code[:3]+"-"+r.w.Code[3:])); err != nil || w.ID != r.w.ID {
		t.Errorf("a code typed in lower case with a dash: %v", err)
	}
	_, err = r.e.ByCode(r.ctx, "O0O0O0")
	wantKind(t, "not a code", err, NotFound)
	_, err = r.e.ByCode(r.ctx, "ACDEFG")
	wantKind(t, "no workshop has the code", err, NotFound)
	_, err = r.e.RoundOf(r.ctx, r.w, "nope")
	wantKind(t, "no such round", err, NotFound)
	_, err = r.e.ParticipantOf(r.ctx, r.w, "nope")
	wantKind(t, "no such attendee", err, NotFound)
	if err := Writable(r.w); err != nil {
		t.Error(err)
	}
}

func TestPacing(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	r.events()
	locked, err := r.e.Lock(r.ctx, r.cat, r.w, "beta", true)
	if err != nil || strings.Join(locked, " ") != "beta" {
		t.Fatalf("lock: %v, %v", locked, err)
	}
	if ev := event[struct{ Lessons []LessonRef }](t, r.events(), "locks"); len(ev.Lessons) != 2 || ev.Lessons[0].Locked || !ev.Lessons[1].Locked {
		t.Errorf("locks event %+v", ev)
	}
	_, err = r.e.Lock(r.ctx, r.cat, r.w, "gamma", true)
	wantKind(t, "locking a lesson outside the workshop", err, Invalid)
	_, err = r.e.Activity(r.ctx, r.w, sam, "beta", "", "visit")
	wantKind(t, "activity in a locked lesson", err, Conflict)

	_, err = r.e.Bring(r.ctx, r.cat, r.w, "beta", "bad step!")
	wantKind(t, "a step that is no anchor", err, Invalid)
	f, err := r.e.Bring(r.ctx, r.cat, r.w, "beta", "start")
	if err != nil || f.Target != "beta#start" || f.Seq != 1 {
		t.Fatalf("bring: %+v, %v", f, err)
	}
	evs := r.events()
	if ev := event[Focus](t, evs, "focus"); ev != *f {
		t.Errorf("focus event %+v", ev)
	}
	if ev := event[struct{ Lessons []LessonRef }](t, evs, "locks"); ev.Lessons[1].Locked {
		t.Error("the lesson the room was sent to stays locked")
	}
	if f, _ := r.e.Bring(r.ctx, r.cat, r.w, "alpha", ""); f.Target != "alpha" || f.Seq != 2 {
		t.Errorf("bring without a step: %+v", f)
	}
}

// The screen's beacon: a visit that changes nothing is written at most
// every 30 seconds, on the engine's clock.
func TestActivity(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	for _, tt := range []struct{ lesson, step, kind string }{
		{"gamma", "", "visit"}, {"alpha", "bad step", "visit"}, {"alpha", "", "dance"}, {"alpha", "", ""},
	} {
		_, err := r.e.Activity(r.ctx, r.w, sam, tt.lesson, tt.step, tt.kind)
		wantKind(t, "activity "+tt.lesson+" "+tt.step+" "+tt.kind, err, Invalid)
	}
	r.events()
	if wrote, err := r.e.Activity(r.ctx, r.w, sam, "alpha", "start", "visit"); err != nil || !wrote {
		t.Fatalf("a move: %v, %v", wrote, err)
	}
	if !has(r.events(), "activity") {
		t.Error("the board did not hear of the move")
	}
	sam, _ = r.e.Attendee(r.ctx, r.w, "Sam")
	r.clock.Advance(29 * time.Second)
	if wrote, _ := r.e.Activity(r.ctx, r.w, sam, "alpha", "start", "visit"); wrote {
		t.Error("a visit that changes nothing, 29 s later, was written")
	}
	if wrote, _ := r.e.Activity(r.ctx, r.w, sam, "alpha", "start", "quiz"); !wrote || !has(r.events(), "activity") {
		t.Error("a quiz answer was not reported")
	}
	r.clock.Advance(30 * time.Second)
	sam, _ = r.e.Attendee(r.ctx, r.w, "Sam")
	if wrote, _ := r.e.Activity(r.ctx, r.w, sam, "alpha", "start", "visit"); !wrote {
		t.Error("a visit 30 s later was not written")
	}
}

func TestLabMoment(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam, kim := r.join("Sam"), r.join("Kim")
	err := r.e.LabCheck(r.ctx, r.w, sam, "401", "200")
	wantKind(t, "a lab check before any moment", err, Conflict)
	if err := r.e.SetRemoved(r.ctx, r.w, kim, true); err != nil {
		t.Fatal(err)
	}
	var owners []string
	total, err := r.e.RoomLabs(r.ctx, r.w, "labs-revoked", true, func(owner string) (LabResult, error) {
		owners = append(owners, owner)
		return LabResult{Labs: 1, Sessions: 2}, nil
	})
	if err != nil || total != (LabResult{Labs: 1, Sessions: 2}) || strings.Join(owners, " ") != "Sam" {
		t.Fatalf("room labs: %+v, %v, owners %v", total, err, owners)
	}
	if ev := event[LabResult](t, r.events(), "labs-revoked"); ev != total {
		t.Errorf("event %+v", ev)
	}
	r.reload()
	for _, bad := range [][2]string{{"", "200"}, {"401", "99"}, {"600", "200"}, {"x", "200"}} {
		wantKind(t, "a lab check "+bad[0]+"/"+bad[1], r.e.LabCheck(r.ctx, r.w, sam, bad[0], bad[1]), Invalid)
	}
	r.clock.Advance(time.Second)
	// Sam's page says his token side is not logged in; the server's
	// reading of his lab (fakeLabs) is what counts.
	if err := r.e.LabCheck(r.ctx, r.w, sam, "401", "0"); err != nil {
		t.Fatal(err)
	}
	b, err := r.e.Board(r.ctx, r.cat, r.w, "http://x/w/"+r.w.Code)
	if err != nil || b.Moment == nil || b.Moment.Reported != 1 || b.Moment.Active != 1 || b.Moment.Session.Refused != 1 || b.Moment.Token.In != 1 ||
		*b.Moment.Checks[0].Report != (LabSides{Session: 401, Token: 0}) || b.JoinURL != "http://x/w/"+r.w.Code {
		t.Errorf("board %+v, %v", b.Moment, err)
	}
}

// The streams' filters: the board hears everything but one attendee's
// own events; an attendee hears the room's and their own, and their
// removal ends their stream.
func TestStreamFilters(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		ev                  live.Event
		board, sam, samLast bool
	}{
		{live.Event{Name: "round"}, true, true, false},
		{live.Event{Name: "answered", To: ToInstructor}, true, false, false},
		{live.Event{Name: "renamed", To: "p-sam"}, false, true, false},
		{live.Event{Name: "removed", To: "p-sam"}, false, true, true},
		{live.Event{Name: "removed", To: "p-kim"}, false, false, false},
	} {
		if send, last := ForInstructor(tt.ev); send != tt.board || last {
			t.Errorf("board, %+v: %v %v", tt.ev, send, last)
		}
		if send, last := ForAttendee("p-sam")(tt.ev); send != tt.sam || last != tt.samLast {
			t.Errorf("Sam, %+v: %v %v", tt.ev, send, last)
		}
	}
}

// A podium shown before anyone scored is still a podium the screens
// show ("Nobody has scored yet"): the state says [] for it, and null
// when none was shown.
func TestStateKeepsAnEmptyPodium(t *testing.T) {
	t.Parallel()
	r := newRoom(t)
	sam := r.join("Sam")
	podiumOf := func() string {
		t.Helper()
		w, err := r.store.Workshop(r.ctx, r.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, err := r.e.State(r.ctx, r.cat, w, sam)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		_, after, found := strings.Cut(string(b), `"podium":`)
		if !found {
			return "absent"
		}
		return after[:strings.IndexAny(after, ",}")]
	}
	if got := podiumOf(); got != "null" {
		t.Errorf("before the podium the state's podium is %s, want null", got)
	}
	if _, err := r.e.ShowPodium(r.ctx, r.w); err != nil {
		t.Fatal(err)
	}
	if got := podiumOf(); got != "[]" {
		t.Errorf("after a podium nobody is on, the state's podium is %s, want []", got)
	}
}
