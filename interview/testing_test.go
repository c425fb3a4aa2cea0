package interview

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// testBank is a tiny bank: a (sessions, level 1), b (tokens, level 2),
// c (sessions, level 3), d (open, follows up nothing); a lists b and c
// as follow-ups.
func testBank(t *testing.T) *quiz.Bank {
	t.Helper()
	mk := func(id string, lvl int, topic string, follow ...string) *quiz.Question {
		return &quiz.Question{ID: id, Type: quiz.Open, Level: lvl, Topics: []string{topic}, Interview: true, FollowUps: follow}
	}
	b, err := quiz.NewBank([]*quiz.Question{mk("a", 1, "sessions", "b", "c"), mk("b", 2, "tokens", "c"), mk("c", 3, "sessions"), mk("d", 2, "tokens")})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ids(qs []*quiz.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

// quizBlock is a graded question of the test course.
func quizBlock(id, topics, level string) string {
	return "```quiz\nid: " + id + "\ntype: single\nlevel: " + level + "\ntopics: [" + topics + "]\nprompt: Which one?\nchoices:\n" +
		"  - text: Right\n    correct: true\n  - text: Wrong\n```\n\n"
}

// openBlock is an open prompt of the test course.
func openBlock(id, topics, follow string) string {
	s := "```quiz\nid: " + id + "\ntype: open\nlevel: 2\ntopics: [" + topics + "]\nprompt: Explain it.\nmodel: The model answer.\nrubric:\n  - One point\n  - Another point\n"
	if follow != "" {
		s += "follow_ups: [" + follow + "]\n"
	}
	return s + "```\n\n"
}

// testCourse is a small course: two lessons with graded questions and
// an interview page of open prompts, and its topic vocabulary.
func testCourse() fstest.MapFS {
	lesson := func(slug, title, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\nslug: " + slug + "\ntitle: " + title + "\nsummary: S\nminutes: 10\nlevel: 1\n---\n\n## One\n\nText.\n\n" + body)}
	}
	return fstest.MapFS{
		"course.yaml": {Data: []byte("title: T\nmodules:\n  - title: M\n    lessons: [sessions, tokens]\n")},
		"lessons/01-sessions.md": lesson("sessions", "Sessions",
			quizBlock("s-one", "sessions", "1")+quizBlock("s-two", "sessions, cookies", "2")+quizBlock("s-three", "cookies", "3")),
		"lessons/02-tokens.md": lesson("tokens", "Tokens",
			quizBlock("t-one", "tokens", "1")+quizBlock("t-two", "tokens, revocation", "2")),
		"interview/prompts.md": {Data: []byte("---\ntitle: Prompts\ntopics: [sessions, tokens]\n---\n\nPrompts.\n\n" +
			openBlock("iv-session-life", "sessions", "iv-session-end") + openBlock("iv-session-end", "sessions, revocation", "") +
			openBlock("iv-token-why", "tokens", ""))},
		"topics.yaml": {Data: []byte("cookies: Cookies.\nrevocation: Ending sessions.\nsessions: Server sessions.\ntokens: Bearer tokens.\n")},
	}
}

func loadCourse(t *testing.T) *lessons.Catalog {
	t.Helper()
	cat, err := lessons.Load(testCourse())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func question(t *testing.T, bank *quiz.Bank, id string) *quiz.Question {
	t.Helper()
	q, ok := bank.Question(id)
	if !ok {
		t.Fatalf("no question %s", id)
	}
	return q
}

// fakeStore is Store in memory, with the progress.Store semantics the
// interview code relies on: one attempt per (learner, key), attempts in
// time order.
type fakeStore struct {
	mu       sync.Mutex
	now      func() time.Time
	attempts []progress.Attempt
	cards    map[string]progress.Card // learner/question
	days     []string
	saves    int
}

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{now: now, cards: map[string]progress.Card{}}
}

func (f *fakeStore) RecordAttempt(_ context.Context, a *progress.Attempt) (*progress.Attempt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.attempts {
		if f.attempts[i].LearnerID == a.LearnerID && f.attempts[i].Key == a.Key {
			got := f.attempts[i]
			return &got, nil
		}
	}
	a.ID = uint64(len(f.attempts) + 1)
	a.CreatedAt = f.now()
	f.attempts = append(f.attempts, *a)
	return a, nil
}

func (f *fakeStore) AttemptsSince(_ context.Context, learner string, since time.Time, sources ...string) ([]progress.Attempt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []progress.Attempt
	for _, a := range f.attempts {
		if a.LearnerID == learner && !a.CreatedAt.Before(since) && (len(sources) == 0 || slices.Contains(sources, a.Source)) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (f *fakeStore) Tallies(_ context.Context, learner string) ([]progress.Tally, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	byQ := map[string]*progress.Tally{}
	var out []progress.Tally
	for _, a := range f.attempts {
		if a.LearnerID != learner {
			continue
		}
		tl := byQ[a.QuestionID]
		if tl == nil {
			tl = &progress.Tally{QuestionID: a.QuestionID}
			byQ[a.QuestionID] = tl
		}
		tl.Answers++
		if a.Correct {
			tl.Correct++
		}
	}
	for _, tl := range byQ {
		out = append(out, *tl)
	}
	slices.SortFunc(out, func(a, b progress.Tally) int { return strings.Compare(a.QuestionID, b.QuestionID) })
	return out, nil
}

func (f *fakeStore) PracticeDays(context.Context, string, time.Duration) ([]string, error) {
	return f.days, nil
}

func (f *fakeStore) Card(_ context.Context, learner, questionID string) (*progress.Card, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cards[learner+"/"+questionID]
	if !ok {
		return nil, progress.ErrNotFound
	}
	return &c, nil
}

func (f *fakeStore) Cards(_ context.Context, learner string) ([]progress.Card, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []progress.Card
	for _, c := range f.cards {
		if c.LearnerID == learner {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b progress.Card) int { return strings.Compare(a.QuestionID, b.QuestionID) })
	return out, nil
}

func (f *fakeStore) SaveCard(_ context.Context, c *progress.Card) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cards[c.LearnerID+"/"+c.QuestionID] = *c
	f.saves++
	return nil
}

// *progress.Store is a Store.
var _ Store = (*progress.Store)(nil)
