package lessons

import (
	"strings"
	"testing"

	"github.com/authlab/authlab/quiz"
)

func TestModuleMastered(t *testing.T) {
	t.Parallel()
	m := &Module{}
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		m.Check = append(m.Check, &quiz.Question{ID: id, Type: quiz.Single})
	}
	if got := m.MasteryNeed(); got != 5 { // 80 % of 6 is 4.8
		t.Fatalf("MasteryNeed = %d, want 5", got)
	}
	all := func(right ...bool) map[string]bool {
		out := map[string]bool{}
		for i, r := range right {
			out[m.Check[i].ID] = r
		}
		return out
	}
	tests := []struct {
		name    string
		correct map[string]bool
		want    bool
	}{
		{"all right", all(true, true, true, true, true, true), true},
		{"one wrong: 5 of 6", all(true, false, true, true, true, true), true},
		{"two wrong: 4 of 6", all(true, false, true, false, true, true), false},
		{"one unanswered", all(true, true, true, true, true), false},
		{"nothing answered", map[string]bool{}, false},
		{"other questions do not count", func() map[string]bool {
			c := all(true, false, false, true, true, true)
			c["z"], c["y"] = true, true
			return c
		}(), false},
	}
	for _, tt := range tests {
		if got := m.Mastered(tt.correct); got != tt.want {
			t.Errorf("%s: Mastered = %v, want %v", tt.name, got, tt.want)
		}
	}
	if (&Module{}).Mastered(map[string]bool{}) {
		t.Error("a module without a check is mastered")
	}
	for n, need := range map[int]int{4: 4, 5: 4, 8: 7, 10: 8, 12: 10} {
		m := &Module{Check: make([]*quiz.Question, n)}
		if got := m.MasteryNeed(); got != need {
			t.Errorf("MasteryNeed of %d questions = %d, want %d", n, got, need)
		}
	}
}

const openBlock = "```quiz\nid: %s\ntype: open\nprompt: Explain it.\nmodel: A model answer.\nrubric: [a key point, another]\n```\n"

// checkCourse is two modules: M (alpha, beta) and N (gamma), each lesson
// with single-choice quizzes, and the checks given.
func checkCourse(checkM, checkN string) map[string]*string {
	return map[string]*string{
		"course.yaml": s("title: T\nmodules:\n  - title: M\n    lessons: [alpha, beta]\n" + checkM +
			"  - title: N\n    lessons: [gamma]\n" + checkN),
		"lessons/01-alpha.md": quizLesson("alpha", "a1", "a2", "a3"),
		"lessons/02-beta.md":  s(*quizLesson("beta", "b1", "b2", "b3") + "\n" + strings.Replace(openBlock, "%s", "b-open", 1)),
		"lessons/03-gamma.md": quizLesson("gamma", "g1", "g2", "g3", "g4"),
	}
}

func TestModuleCheckProblems(t *testing.T) {
	t.Parallel()
	good := "    check: [a1, b1, a2, b2]\n"
	gammaGood := "    check: [g1, g2, g3, g4]\n"
	cat, err := Load(course(checkCourse(good, gammaGood)))
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Modules[0].Check; len(got) != 4 || got[0].ID != "a1" || got[1].ID != "b1" {
		t.Fatalf("module M's check: %v", got)
	}
	if _, err := Load(course(checkCourse("", ""))); err != nil {
		t.Fatalf("a course with no checks at all: %v", err)
	}
	tests := []struct {
		name, checkM, checkN, want string
	}{
		{"a module without a check", good, "", `course.yaml:6: module 2 (N) has no check`},
		{"too few", "    check: [a1, b1, a2]\n", gammaGood, `course.yaml:5: module 1's check has 3 questions: it needs 4 to 12`},
		{"not of the module", "    check: [a1, b1, g1, a2, b2]\n", gammaGood, `course.yaml:5: module 1's check names "g1", which is not a quiz of the module's lessons`},
		{"unknown id", "    check: [a1, b1, nope, a2, b2]\n", gammaGood, `course.yaml:5: module 1's check names "nope"`},
		{"open prompt", "    check: [a1, b-open, a2, b1]\n", gammaGood, `course.yaml:5: module 1's check names "b-open", an open prompt`},
		{"twice", "    check: [a1, b1, a1, b2]\n", gammaGood, `course.yaml:5: question "a1" is in module 1's check twice`},
		{"a lesson left out", "    check: [a1, a2, a3, a1]\n", gammaGood, `course.yaml:3: module 1's check asks nothing from lesson "beta"`},
		{"not interleaved", "    check: [a1, a2, b1, b2]\n", gammaGood, `course.yaml:5: module 1's check asks "a2" right after another question of lesson "alpha": interleave the lessons`},
	}
	for _, tt := range tests {
		ps := Check(course(checkCourse(tt.checkM, tt.checkN)))
		found := false
		for _, p := range ps {
			found = found || strings.HasPrefix(p.Error(), tt.want)
		}
		if !found {
			t.Errorf("%s: want a problem starting %q, got %v", tt.name, tt.want, ps)
		}
	}
}
