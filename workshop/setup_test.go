package workshop

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
)

// The course of these tests: two lessons, each with questions a round
// can ask and one it cannot (text).
const (
	alphaMD = "---\nslug: alpha\ntitle: Alpha\nsummary: S.\nminutes: 5\nlevel: 1\n---\n\n## Start\n\nText.\n\n" +
		"```quiz\nid: alpha-single\ntype: single\nprompt: Which one is stored by the server?\nchoices:\n  - text: A session\n    correct: true\n  - text: A JWT\n  - text: Neither\nexplain: The server keeps the session record.\n```\n\n" +
		"```quiz\nid: alpha-tf\ntype: truefalse\nstatement: A JWT can be revoked at once without server state.\nanswer: false\n```\n\n" +
		"```quiz\nid: alpha-text\ntype: text\nprompt: Which status code means no credentials?\naccept: [\"401\"]\n```\n"
	betaMD = "---\nslug: beta\ntitle: Beta\nsummary: S.\nminutes: 5\nlevel: 1\n---\n\n## Start\n\nText.\n\n" +
		"```quiz\nid: beta-multi\ntype: multi\nprompt: Which end a session?\nchoices:\n  - text: Logout\n    correct: true\n  - text: Password change\n    correct: true\n  - text: A reload\n```\n"
)

var testCourse = sync.OnceValues(func() (*lessons.Catalog, error) {
	return lessons.Load(fstest.MapFS{
		"course.yaml":         {Data: []byte("title: T\nmodules:\n  - title: M\n    lessons: [alpha, beta]\n")},
		"lessons/01-alpha.md": {Data: []byte(alphaMD)},
		"lessons/02-beta.md":  {Data: []byte(betaMD)},
		"glossary.yaml":       {Data: []byte("- term: Session\n  definition: Server-side state.\n")},
	})
})

func course(tb testing.TB) *lessons.Catalog {
	tb.Helper()
	cat, err := testCourse()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// start is when every test's clock starts.
var start = time.Date(2026, 5, 5, 10, 0, 0, 0, time.UTC)

// room is an engine over a real store (SQLite in a temporary
// directory), an in-process hub and a manual clock, with one workshop
// over both lessons and a subscription to its events.
type room struct {
	t     *testing.T
	ctx   context.Context
	e     *Engine
	store *progress.Store
	clock *live.ManualClock
	cat   *lessons.Catalog
	w     *progress.Workshop
	sub   *live.Subscription
}

type staticCourse struct{ cat *lessons.Catalog }

func (s staticCourse) Catalog() (*lessons.Catalog, error) { return s.cat, nil }

// fakeLabs is the server's reading of each attendee's labs, by owner:
// Sam's session was revoked and his token lives.
type fakeLabs map[string]LabSides

func (f fakeLabs) OwnerSides(_ context.Context, owner string) (LabSides, error) { return f[owner], nil }

// The actions touch one lab of each owner, its one session and token.
func (f fakeLabs) RevokeOwnerSessions(context.Context, string) (LabResult, error) {
	return LabResult{Labs: 1, Sessions: 1}, nil
}
func (f fakeLabs) DenyOwnerTokens(context.Context, string) (LabResult, error) {
	return LabResult{Labs: 1, Tokens: 1}, nil
}
func (f fakeLabs) SetOwnerDenylist(context.Context, string, bool) (LabResult, error) {
	return LabResult{Labs: 1}, nil
}

func newRoom(t *testing.T) *room {
	t.Helper()
	ctx := context.Background()
	store, err := progress.Open(ctx, progress.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := live.NewManualClock(start)
	store.SetClock(clock.Now)
	cat := course(t)
	hub := live.NewLocal()
	t.Cleanup(func() { hub.Close() })
	e := New(Config{Store: store, Hub: hub, Course: staticCourse{cat}, Clock: clock,
		Labs: fakeLabs{"Sam": {Session: 401, Token: 200}}})
	w, err := e.Create(ctx, cat, "owner", Draft{Title: "Tuesday room", Lessons: []string{"beta", "alpha"}})
	if err != nil {
		t.Fatal(err)
	}
	r := &room{t: t, ctx: ctx, e: e, store: store, clock: clock, cat: cat, w: w}
	r.sub = e.Subscribe(w.ID)
	t.Cleanup(r.sub.Close)
	return r
}

// join adds an attendee, whose learner ID is their nickname.
func (r *room) join(nick string) *progress.Participant {
	r.t.Helper()
	name, already, err := r.e.Admit(r.ctx, r.w, nick, nick)
	if err != nil || already != nil {
		r.t.Fatalf("admit %s: %v, %v", nick, already, err)
	}
	p, err := r.e.Join(r.ctx, r.w, nick, name)
	if err != nil {
		r.t.Fatal(err)
	}
	return p
}

// reload reads the workshop again, as the next request would.
func (r *room) reload() {
	r.t.Helper()
	w, err := r.store.Workshop(r.ctx, r.w.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	r.w = w
}

// events drains what the room heard so far, by name, in order.
func (r *room) events() []live.Event {
	var out []live.Event
	for {
		select {
		case ev := <-r.sub.C:
			out = append(out, ev)
		default:
			return out
		}
	}
}

// event finds the last event called name among evs and decodes it.
func event[T any](t *testing.T, evs []live.Event, name string) T {
	t.Helper()
	var v T
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Name == name {
			if err := json.Unmarshal(evs[i].Data, &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	names := []string{}
	for _, ev := range evs {
		names = append(names, ev.Name)
	}
	t.Fatalf("no %q event among %v", name, names)
	return v
}

func has(evs []live.Event, name string) bool {
	for _, ev := range evs {
		if ev.Name == name {
			return true
		}
	}
	return false
}

// start starts a round of spec and returns it.
func (r *room) start(spec RoundSpec) *RoundView {
	r.t.Helper()
	s, err := r.e.Start(r.ctx, r.cat, r.w, spec)
	if err != nil {
		r.t.Fatalf("start %+v: %v", spec, err)
	}
	r.reload()
	return s.Round
}

// keys are the option keys of a bank question: the right ones and the
// wrong ones.
func (r *room) keys(id string) (right, wrong []string) {
	q, _ := r.cat.Bank.Question(id)
	for _, c := range q.Choices {
		if c.Correct {
			right = append(right, c.Key)
		} else {
			wrong = append(wrong, c.Key)
		}
	}
	return right, wrong
}

func (r *room) answer(p *progress.Participant, roundID string, choices ...string) (*Answered, error) {
	return r.e.Answer(r.ctx, r.cat, r.w, p, roundID, choices)
}

func (r *room) round(id string) *progress.Round {
	r.t.Helper()
	rd, err := r.store.Round(r.ctx, r.w.ID, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return rd
}

// wantKind checks that err is a refusal of kind k.
func wantKind(t *testing.T, what string, err error, k Kind) {
	t.Helper()
	var re *Error
	if !errors.As(err, &re) || re.Kind != k {
		t.Errorf("%s: %v, want a refusal (%s)", what, err, k)
	}
}
