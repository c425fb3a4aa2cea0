package web

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/sandbox"
)

// quizKeyFieldRe is a quiz form's submission key, new on every render.
var quizKeyFieldRe = regexp.MustCompile(`name="key" value="[^"]*"`)

// composedAndFull gets path for qc twice, composed from the page's frame
// and rendered in full, and fails unless the two are the same page. Each
// quiz form's key is drawn afresh on every render, so the keys are
// compared by count, not value.
func composedAndFull(t *testing.T, qc *quizClient, path, want string) string {
	t.Helper()
	k := qc.env.srv.kernel
	get := func(off bool) string {
		k.frames.Off = off
		defer func() { k.frames.Off = false }()
		rec := qc.do(t, "GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s: status %d", path, rec.Code)
		}
		return quizKeyFieldRe.ReplaceAllString(rec.Body.String(), `name="key" value="…"`)
	}
	get(false) // the first view records the visit, which the sidebar shows
	composed, full := get(false), get(true)
	if composed != full {
		t.Fatalf("GET %s: the composed page differs from the full render at byte %d:\ncomposed …%s…\nfull     …%s…",
			path, firstDiff(composed, full), around(composed, firstDiff(composed, full)), around(full, firstDiff(composed, full)))
	}
	if !strings.Contains(composed, want) {
		t.Fatalf("GET %s: the page lacks %q", path, want)
	}
	return composed
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func around(s string, i int) string { return s[max(0, i-120):min(len(s), i+120)] }

// lessonWithQuizAndLab is the first lesson with both quizzes and a lab.
func lessonWithQuizAndLab(t *testing.T, cat *lessons.Catalog) *lessons.Lesson {
	t.Helper()
	for _, l := range cat.Lessons {
		if len(l.Quizzes) >= 2 && len(l.EmbeddedLabs()) > 0 {
			return l
		}
	}
	t.Fatal("no lesson has quizzes and a lab")
	return nil
}

// TestComposedPageIsTheFullRender: a lesson page put together from its
// frame and its personal parts (compose.go) is byte for byte the page the
// full template render gives, for a visitor, a guest with a right and a
// wrong answer (and a plain-form answer shown), and an account with lab
// steps and the lesson completed. A template edit that moves something
// personal out of the "personal:…" templates fails here.
func TestComposedPageIsTheFullRender(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.srv.pages.off = true     // the visitor, too, through the composed path
	env.srv.frames.Verify = true // every reused personal part is rendered again and compared
	l := lessonWithQuizAndLab(t, env.catalog)
	path := "/lessons/" + l.Slug
	ctx := context.Background()

	composedAndFull(t, newQuizClient(env), path, `<a href="/signin">Sign in</a>`)

	guest := newQuizClient(env)
	right, wrong := l.Quizzes[0], l.Quizzes[1]
	guest.answerJSON(t, l, right, rightAnswer(right, false))
	guest.answerJSON(t, l, wrong, wrongAnswer(wrong))
	composedAndFull(t, guest, path, `class="guest-note"`)
	composedAndFull(t, guest, path+"?answered="+url.QueryEscape(wrong.ID)+"&show=answer", `class="quiz-answer"`)

	acct := newQuizClient(env)
	if rec := acct.do(t, "POST", "/signup", url.Values{"username": {"composer"}, "password": {"composed password"}}); rec.Code != 303 {
		t.Fatalf("sign up: %d", rec.Code)
	}
	id := acct.learner(t)
	panel := l.EmbeddedLabs()[0]
	for _, m := range sandbox.Milestones(panel)[:1] {
		if _, err := env.store.ReachMilestone(ctx, id, panel, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	acct.answerJSON(t, l, right, rightAnswer(right, false))
	if err := env.store.Complete(ctx, id, l.Slug, true); err != nil {
		t.Fatal(err)
	}
	page := composedAndFull(t, acct, path, `>composer</a>`)
	for _, want := range []string{"You completed this lesson", `class="lab-progress`, `class="lesson-labs"`, `data-track="` + l.Slug + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the account's page lacks %q", want)
		}
	}
}

// TestComposedPageAfterDevReload: in dev mode an edit to the frame's
// static part or to a personal part shows on the next composed page,
// which is still the full render's.
func TestComposedPageAfterDevReload(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	dir := t.TempDir()
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "templates"), sub); err != nil {
		t.Fatal(err)
	}
	sub, err = fs.Sub(staticFS, "static")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "static"), sub); err != nil {
		t.Fatal(err)
	}
	srv, err := newTestServer(t, Deps{Logger: env.srv.log, Catalog: lessons.Static(env.catalog), Store: env.store, Keys: env.keys, Dev: true, Files: os.DirFS(dir)})
	if err != nil {
		t.Fatal(err)
	}
	dev := newQuizClient(&testEnv{srv: srv, store: env.store, catalog: env.catalog, keys: env.keys})
	l := lessonWithQuizAndLab(t, env.catalog)
	path := "/lessons/" + l.Slug
	dev.answerJSON(t, l, l.Quizzes[0], rightAnswer(l.Quizzes[0], false))
	composedAndFull(t, dev, path, "On this page")
	edit := func(name, old, new string) {
		t.Helper()
		p := filepath.Join(dir, "templates", name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", name, old)
		}
		// A different size, so the reload sees the change even within the
		// file system's time resolution.
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("lesson.html", "On this page", "On this page, edited")
	composedAndFull(t, dev, path, "On this page, edited")
	edit("_layout.html", "Progress saved on this device", "Progress kept on this device, edited")
	composedAndFull(t, dev, path, "Progress kept on this device, edited")
}

// TestComposedPageCarriesFlashAndErrors: the layout's notes (a flash, a
// content error) and an instructor's links are personal parts too,
// rendered here from data directly.
func TestComposedPageCarriesFlashAndErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	k := env.srv.kernel
	l := lessonWithQuizAndLab(t, env.catalog)
	quizzes := map[string]*quizView{}
	for _, q := range l.Quizzes {
		quizzes[q.ID] = newQuizView(l, q, "someone")
	}
	p := lessonPage{Page: Page{Title: l.Title, CourseTitle: env.catalog.Title, Nav: "course", Description: l.Summary,
		Viewer: &Viewer{LearnerID: "someone", Username: "teacher", Instructor: true}, Flash: "Saved <for you>.", ContentError: "lessons/x.md:1: broken"},
		Lesson: l, Course: env.catalog, Quizzes: quizzes, Labs: sandbox.ProgressOf(nil)}
	p.LessonLabs = labsOf(l, p.Labs)
	full, err := k.render.execute("lesson", p)
	if err != nil {
		t.Fatal(err)
	}
	composed, err := k.render.compose(&k.frames, env.catalog, "lesson", "lesson:"+l.Slug, p, func() any { return p.impersonal() }, fillLessonQuiz)
	if err != nil {
		t.Fatal(err)
	}
	if composed.String() != full.String() {
		i := firstDiff(composed.String(), full.String())
		t.Fatalf("composed page differs at byte %d:\ncomposed …%s…\nfull     …%s…", i, around(composed.String(), i), around(full.String(), i))
	}
	for _, want := range []string{"Saved &lt;for you&gt;.", "lessons/x.md:1: broken", `href="/workshops"`, ">teacher</a>"} {
		if !strings.Contains(full.String(), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
