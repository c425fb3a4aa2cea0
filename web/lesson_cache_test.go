package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
)

// quizKeyRE finds a quiz form's idempotency key in a page.
var quizKeyRE = regexp.MustCompile(`name="key" value="([A-Z2-7]{26})"`)

// withoutKeys is a page with its quiz keys blanked, and the keys.
func withoutKeys(page string) (string, []string) {
	var keys []string
	for _, m := range quizKeyRE.FindAllStringSubmatch(page, -1) {
		keys = append(keys, m[1])
	}
	return quizKeyRE.ReplaceAllString(page, `name="key" value=""`), keys
}

// TestKeptLessonPage: a learner's second view of an unchanged lesson is
// the page kept under their progress version, with fresh quiz keys; a
// change of any kind (a visit, an answer, a lock), a query, a flash
// make the page again; and Verify catches a change that does not move
// the version.
func TestKeptLessonPage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := newTestEnvOver(t, progress.Config{DataDir: dir}, filepath.Join(t.TempDir(), "keys"))
	env.srv.personal.Verify = false
	var l *lessons.Lesson
	for _, c := range env.catalog.Lessons {
		if len(c.Quizzes) >= 2 {
			l = c
			break
		}
	}
	qc := newQuizClient(env)
	if rec := qc.do(t, "POST", "/signup", url.Values{"username": {"kept_pages"}, "password": {"kept pages password"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign up: %d", rec.Code)
	}
	qc.do(t, "GET", "/", nil) // the welcome flash
	path := "/lessons/" + l.Slug
	served := func() int64 { return env.srv.personal.served.Load() }
	view := func(step string, status int, fromKept bool) string {
		t.Helper()
		before := served()
		rec := qc.do(t, "GET", path, nil)
		if rec.Code != status {
			t.Fatalf("%s: status %d, want %d: %s", step, rec.Code, status, rec.Body)
		}
		if got := served() > before; got != fromKept {
			t.Errorf("%s: served from the kept page: %v, want %v", step, got, fromKept)
		}
		return rec.Body.String()
	}

	view("first view (records the visit, which moves the version)", 200, false)
	made := view("second view, made at the version after the visit", 200, false)
	kept := view("third view", 200, true)
	madeBlank, madeKeys := withoutKeys(made)
	keptBlank, keptKeys := withoutKeys(kept)
	if madeBlank != keptBlank {
		t.Error("the kept page differs from the page made for the view before (keys aside)")
	}
	if len(keptKeys) != len(l.Quizzes) || len(madeKeys) != len(keptKeys) {
		t.Errorf("quiz keys: %d made, %d kept, for %d quizzes", len(madeKeys), len(keptKeys), len(l.Quizzes))
	}
	for _, k := range keptKeys {
		if slices.Contains(madeKeys, k) {
			t.Errorf("the kept page repeats the quiz key %s of an earlier view", k)
		}
	}
	again := view("fourth view", 200, true)
	if _, k := withoutKeys(again); slices.Equal(k, keptKeys) {
		t.Error("two views of the kept page share their quiz keys")
	}

	// The kept page's form answers its quiz once, sent twice or not.
	q0 := l.Quizzes[0]
	form := rightAnswer(q0, false)
	at := strings.Index(again, `id="quiz-`+q0.ID+`"`)
	m := quizKeyRE.FindStringSubmatch(again[max(at, 0):])
	if at < 0 || m == nil {
		t.Fatalf("no form key for quiz %s on the kept page", q0.ID)
	}
	form.Set("key", m[1])
	for i := range 2 {
		rec := qc.do(t, "POST", quizPath(l, q0), form, "Accept", "application/json")
		var r quizReply
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &r) != nil || !r.Correct || r.Best == nil || r.Best.Attempts != 1 {
			t.Fatalf("answer %d with the kept page's key: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	answered := view("after an answer", 200, false)
	if b, _ := withoutKeys(answered); b == keptBlank {
		t.Error("the page after an answer is the page before it")
	}
	view("after an answer, again", 200, true)

	before := served()
	if rec := qc.do(t, "GET", path+"?answered="+url.QueryEscape(l.Quizzes[0].ID), nil); rec.Code != 200 || served() != before {
		t.Errorf("a view asking for a quiz result: status %d, served from the kept page: %v", rec.Code, served() != before)
	}

	// A flash is shown once, on a page made for it.
	if rec := qc.do(t, "POST", "/account/sessions/revoke-others", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign out everywhere else: %d", rec.Code)
	}
	if p := view("with a flash", 200, false); !strings.Contains(p, "Signed out everywhere else") {
		t.Error("the flash is not on the page")
	}
	if p := view("after the flash", 200, true); strings.Contains(p, "Signed out everywhere else") {
		t.Error("the flash is shown twice")
	}

	// A kept page seen more than a minute ago records the visit (which
	// moves no version) and stays kept.
	ctx := context.Background()
	id := qc.learner(t)
	env.srv.personal.mu.Lock()
	env.srv.personal.pages[personalKey{id, l.Slug}].lastVisited.Store(time.Now().Add(-2 * time.Minute).UnixNano())
	env.srv.personal.mu.Unlock()
	visited := func() time.Time {
		rows, err := env.store.Lessons(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return rows[l.Slug].LastVisited
	}
	seen := visited()
	view("a minute later", 200, true)
	if !visited().After(seen) {
		t.Error("a kept page a minute old recorded no visit")
	}
	view("a minute later, again", 200, true)

	// A lock of the learner's workshop refuses the page at once.
	inst, err := env.store.NewAccount(ctx, "kept_teacher", "", "x", true)
	if err != nil {
		t.Fatal(err)
	}
	w := &progress.Workshop{Title: "Room", OwnerID: inst.ID, Lessons: l.Slug}
	if err := env.store.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.store.Join(ctx, w.ID, id, "Kim", time.Now()); err != nil {
		t.Fatal(err)
	}
	view("in a workshop", 200, false)
	view("in a workshop, again", 200, true)
	if err := env.store.SetLocked(ctx, w.ID, []string{l.Slug}); err != nil {
		t.Fatal(err)
	}
	view("locked", http.StatusForbidden, false)
	if err := env.store.SetLocked(ctx, w.ID, nil); err != nil {
		t.Fatal(err)
	}
	view("unlocked", 200, false)
	view("unlocked, again", 200, true)

	// Verify: a change that does not move the version (the trigger that
	// should have moved it dropped) fails the view instead of showing a
	// stale page.
	env.srv.personal.Verify = true
	db, err := sql.Open("sqlite3", filepath.Join(dir, "authlab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP TRIGGER pv_attempts_ins"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.store.RecordAttempt(ctx, &progress.Attempt{LearnerID: id, Key: "behind-the-version", QuestionID: l.Quizzes[1].ID,
		Source: "lesson", Score: 1, Correct: true, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	view("a change behind the version's back, verified", http.StatusInternalServerError, false)
}

// TestKeptPagesBounded: the kept pages never hold more than
// maxPersonalBytes (past it the cache starts over), a page replaced
// counts once, and a deleted learner's pages go at once.
func TestKeptPagesBounded(t *testing.T) {
	var pp personalPages
	fv := frameVersion{}
	body := make([]byte, 100<<10)
	ada, bo := &Viewer{LearnerID: "ada"}, &Viewer{LearnerID: "bo"}
	pp.put(ada, "one", 1, fv, time.Time{}, body, nil)
	pp.put(ada, "one", 2, fv, time.Time{}, body, nil) // a new version replaces the page
	pp.put(bo, "one", 1, fv, time.Time{}, body, nil)
	if pp.size != 2*len(body) || len(pp.pages) != 2 {
		t.Fatalf("%d pages, %d bytes, want 2 and %d", len(pp.pages), pp.size, 2*len(body))
	}
	if pp.get(ada, "one", 1, fv) != nil || pp.get(ada, "one", 2, fv) == nil {
		t.Error("the kept page is not the latest version's")
	}
	pp.forget("ada")
	if pp.get(ada, "one", 2, fv) != nil || pp.get(bo, "one", 1, fv) == nil || pp.size != len(body) {
		t.Errorf("after forgetting ada: %d pages, %d bytes", len(pp.pages), pp.size)
	}
	for i := range 2 * maxPersonalBytes / len(body) {
		pp.put(&Viewer{LearnerID: strconv.Itoa(i)}, "one", 1, fv, time.Time{}, body, nil)
		if pp.size > maxPersonalBytes {
			t.Fatalf("%d bytes kept, more than %d", pp.size, maxPersonalBytes)
		}
	}
}
