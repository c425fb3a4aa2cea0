package lessons

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/authlab/authlab/quiz"
)

// These tests go through quiz.ParseBlock, which the quiz engine provides.
// While it is still the placeholder (it always fails with "not
// implemented"), they skip, saying so; once it lands they run.
func skipWithoutQuizEngine(t *testing.T) {
	t.Helper()
	_, err := quiz.ParseBlock([]byte("id: probe\ntype: truefalse\nstatement: x\nanswer: true\nwhy: y\n"), "probe.md", 1)
	if err != nil && strings.Contains(err.Error(), "not implemented") {
		t.Skip("quiz.ParseBlock is still the placeholder: quiz-block tests run once the quiz engine lands")
	}
}

const quizBlock = "```quiz\nid: %s\ntype: single\nprompt: Which one is checked on every request?\nchoices:\n  - text: The session\n    correct: true\n  - text: The JWT\n```\n"

func quizLesson(slug string, ids ...string) *string {
	body := "\nIntro.\n\n"
	for _, id := range ids {
		body += strings.Replace(quizBlock, "%s", id, 1) + "\nBetween.\n\n"
	}
	return lesson(slug, "", body)
}

// fakeQuiz stands in for quiz.ParseBlock so the segment plumbing is
// tested today: it reads only the id.
func fakeQuiz(src []byte, file string, line int) (*quiz.Question, error) {
	var y struct {
		ID string `yaml:"id"`
	}
	if err := yaml.Unmarshal(src, &y); err != nil || y.ID == "" {
		return nil, &quiz.Error{File: file, Line: line, Msg: "quiz: missing id"}
	}
	return &quiz.Question{ID: y.ID, Prompt: "P", File: file, Line: line, Interview: true}, nil
}

func TestQuizSegments(t *testing.T) {
	t.Parallel()
	pipe := newPipeline()
	pipe.parseQuiz = fakeQuiz
	c, ps := buildWith(course(map[string]*string{"lessons/01-alpha.md": quizLesson("alpha", "alpha-one", "alpha-two")}), pipe)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	checkQuizLesson(t, c)

	_, ps = buildWith(course(map[string]*string{
		"lessons/01-alpha.md": quizLesson("alpha", "same"),
		"lessons/02-beta.md":  quizLesson("beta", "same"),
	}), pipe)
	if len(ps) != 1 || ps[0].Error() != `lessons/02-beta.md:12: duplicate quiz id "same" (first at lessons/01-alpha.md:12)` {
		t.Errorf("duplicate id: %v", ps)
	}
	_, ps = buildWith(course(map[string]*string{"interview/basics.md": s("---\ntitle: B\n---\n\n```quiz\nid: no-prefix\n```\n")}), pipe)
	if len(ps) != 1 || ps[0].Error() != `interview/basics.md:6: interview question id "no-prefix" must start with "iv-"` {
		t.Errorf("interview id prefix: %v", ps)
	}
	_, ps = buildWith(course(map[string]*string{"lessons/01-alpha.md": lesson("alpha", "", "\n```quiz\ntype: single\n```\n")}), pipe)
	if len(ps) != 1 || ps[0].Error() != "lessons/01-alpha.md:10: quiz: missing id" {
		t.Errorf("quiz error location: %v", ps)
	}
}

func TestQuizBlocks(t *testing.T) {
	t.Parallel()
	skipWithoutQuizEngine(t)
	c, err := Load(course(map[string]*string{"lessons/01-alpha.md": quizLesson("alpha", "alpha-one", "alpha-two")}))
	if err != nil {
		t.Fatal(err)
	}
	checkQuizLesson(t, c)
}

func checkQuizLesson(t *testing.T, c *Catalog) {
	t.Helper()
	l, _ := c.Lesson("alpha")
	if len(l.Body) != 3 || l.Body[0].Quiz == nil || l.Body[1].Quiz == nil || l.Body[2].Quiz != nil {
		t.Fatalf("body: %d segments, want prose+quiz, prose+quiz, prose", len(l.Body))
	}
	if !strings.Contains(string(l.Body[0].HTML), "Intro.") || !strings.Contains(string(l.Body[1].HTML), "Between.") {
		t.Errorf("prose is not where it was: %q / %q", l.Body[0].HTML, l.Body[1].HTML)
	}
	if len(l.Quizzes) != 2 || l.Quizzes[0].ID != "alpha-one" || l.Quizzes[0].Line != 12 {
		t.Errorf("quizzes: %+v (want alpha-one at its first YAML line, 12)", l.Quizzes)
	}
	if got, ok := c.LessonOf("alpha-two"); !ok || got != l {
		t.Error("LessonOf(alpha-two) is not alpha")
	}
	if _, ok := c.Bank.Question("alpha-one"); !ok || !l.Anchors["quiz-alpha-one"] {
		t.Error("question missing from the bank or the anchors")
	}
	for _, s := range l.Body {
		if strings.Contains(string(s.HTML), "correct") || strings.Contains(string(s.HTML), blockMarker) {
			t.Error("quiz source or a marker leaked into the HTML")
		}
	}
}

func TestQuizProblems(t *testing.T) {
	t.Parallel()
	skipWithoutQuizEngine(t)
	tests := []struct {
		name    string
		changes map[string]*string
		want    string
	}{
		{"duplicate id across lessons", map[string]*string{
			"lessons/01-alpha.md": quizLesson("alpha", "same"),
			"lessons/02-beta.md":  quizLesson("beta", "same"),
		}, "lessons/02-beta.md:12: "},
		{"bad quiz located in the lesson", map[string]*string{
			"lessons/01-alpha.md": lesson("alpha", "", "\n```quiz\nid: x\ntype: riddle\nprompt: P\n```\n"),
		}, "lessons/01-alpha.md:"},
		{"quiz in a quote", map[string]*string{
			"lessons/01-alpha.md": lesson("alpha", "", "\n> ```quiz\n> id: x\n> ```\n"),
		}, "lessons/01-alpha.md:9: a quiz block must stand on its own"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ps := Check(course(tt.changes))
			var all []string
			for _, p := range ps {
				all = append(all, p.Error())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("want %q in:\n%s", tt.want, strings.Join(all, "\n"))
			}
		})
	}
}
