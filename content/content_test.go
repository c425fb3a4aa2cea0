package content_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
)

// The course's shape (issue 7) is asserted here so it cannot silently
// regress: an author who drops a quiz or a lab reference sees this fail.

func load(t *testing.T) *lessons.Catalog {
	t.Helper()
	if problems := lessons.Check(content.FS); len(problems) > 0 {
		var b strings.Builder
		for _, p := range problems {
			b.WriteString(p.Error() + "\n")
		}
		t.Fatalf("authlab check fails on the shipped course:\n%s", b.String())
	}
	cat, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestCourseShape(t *testing.T) {
	cat := load(t)
	if n := len(cat.Lessons); n < 12 || n > 20 {
		t.Errorf("%d lessons, want 12–20", n)
	}
	if n := len(cat.Modules); n < 4 || n > 5 {
		t.Errorf("%d modules, want 4–5", n)
	}
	types := map[quiz.Type]int{}
	levels := map[int]int{}
	labs := map[string][]string{}
	total := 0
	for _, l := range cat.Lessons {
		if l.Minutes < 8 || l.Minutes > 45 {
			t.Errorf("%s: %d minutes, want 8–45 (split a longer lesson)", l.File, l.Minutes)
		}
		if len(l.Objectives) == 0 {
			t.Errorf("%s: no objectives", l.File)
		}
		if len(l.Quizzes) < 4 {
			t.Errorf("%s: %d quizzes, want at least 4", l.File, len(l.Quizzes))
		}
		lessonTypes := map[quiz.Type]bool{}
		for _, q := range l.Quizzes {
			types[q.Type]++
			levels[q.Level]++
			lessonTypes[q.Type] = true
			total++
		}
		if len(lessonTypes) < 2 {
			t.Errorf("%s: quizzes of %d type(s), want mixed types", l.File, len(lessonTypes))
		}
		var html strings.Builder
		for _, s := range l.Body {
			html.WriteString(string(s.HTML))
		}
		body := html.String()
		for _, want := range []struct{ what, marker string }{
			{"an interview tip", "callout-interview-tip"},
			{"a summary section", `id="summary"`},
			{"a sources section", `id="sources"`},
		} {
			if !strings.Contains(body, want.marker) {
				t.Errorf("%s: no %s", l.File, want.what)
			}
		}
		for _, name := range l.Labs {
			labs[name] = append(labs[name], l.Slug)
		}
	}
	for _, typ := range []quiz.Type{quiz.Single, quiz.Multi, quiz.TrueFalse, quiz.Order, quiz.Match, quiz.Text, quiz.Open} {
		if types[typ] == 0 {
			t.Errorf("no lesson uses the %s question type", typ)
		}
	}
	if total < 80 {
		t.Errorf("%d lesson quizzes, want at least 80", total)
	}
	for lvl := 1; lvl <= 3; lvl++ {
		if levels[lvl] < total/10 {
			t.Errorf("only %d quizzes at level %d of %d: spread them over levels 1–3", levels[lvl], lvl, total)
		}
	}
	var missing []string
	for _, name := range lessons.LabNames() {
		if len(labs[name]) == 0 {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("labs no lesson embeds: %v", missing)
	}
}

func TestInterviewBank(t *testing.T) {
	cat := load(t)
	open, quick := 0, 0
	for _, p := range cat.Interview {
		for _, q := range p.Questions {
			if !strings.HasPrefix(q.ID, "iv-") {
				t.Errorf("%s:%d: interview id %q does not start with iv-", q.File, q.Line, q.ID)
			}
			if len(q.Topics) == 0 {
				t.Errorf("%s:%d: %s has no topics", q.File, q.Line, q.ID)
			}
			switch q.Type {
			case quiz.Open:
				open++
				if n := len(q.Rubric); n < 3 || n > 6 {
					t.Errorf("%s:%d: %s has %d rubric points, want 3–6", q.File, q.Line, q.ID, n)
				}
				for _, f := range q.FollowUps {
					if fq, ok := cat.Bank.Question(f); !ok || fq.Type != quiz.Open {
						t.Errorf("%s:%d: follow-up %q is not an open prompt of the bank", q.File, q.Line, f)
					}
				}
			case quiz.Single, quiz.TrueFalse, quiz.Text:
				quick++
			}
		}
	}
	if open < 20 {
		t.Errorf("%d open interview prompts, want at least 20", open)
	}
	if quick < 40 {
		t.Errorf("%d quick-fire interview questions, want at least 40", quick)
	}
}

func TestGlossaryCoversLinkedTerms(t *testing.T) {
	cat := load(t)
	if len(cat.Glossary) < 30 {
		t.Errorf("%d glossary terms, want the course's vocabulary (≥30)", len(cat.Glossary))
	}
}

// Lesson times are honest (issue 19): a lesson's front-matter minutes
// cover at least its reading at about 200 words a minute, a minute per
// closed question, two per open one and three per lab. docs/curriculum.md
// gives the fuller estimate the minutes were set from (1.5 minutes per
// lab step, 3 per open question, rounded up to 5).
func TestLessonMinutesCoverTheWork(t *testing.T) {
	cat := load(t)
	for _, l := range cat.Lessons {
		closed, open, labs := 0, 0, 0
		for _, q := range l.Quizzes {
			if q.Type == quiz.Open {
				open++
			} else {
				closed++
			}
		}
		for _, seg := range l.Body {
			if seg.Lab != nil {
				labs++
			}
		}
		floor := l.ReadingMinutes + closed + 2*open + 3*labs
		if l.Minutes < floor {
			t.Errorf("%s: %d minutes, but reading (%d) plus %d closed and %d open questions and %d lab(s) take at least %d", l.File, l.Minutes, l.ReadingMinutes, closed, open, labs, floor)
		}
	}
}

// TestTableHeadersNamed: every header cell of a lesson table says what its
// column holds. An empty corner cell (`| | A | B |`) reaches screen-reader
// users as a column with no name (axe's empty-table-header).
var emptyHeader = regexp.MustCompile(`<th[^>]*>\s*</th>`)

func TestTableHeadersNamed(t *testing.T) {
	cat := load(t)
	for _, l := range cat.Lessons {
		for _, seg := range l.Body {
			if emptyHeader.MatchString(string(seg.HTML)) {
				t.Errorf("%s: a table header cell is empty; name the column", l.File)
			}
		}
	}
}
