package lessons

import (
	"strings"
	"testing"
)

// labLesson is lesson alpha with one csrf lab block of these steps; its
// first step is on line 13.
func labLesson(steps string) map[string]*string {
	return map[string]*string{"lessons/01-alpha.md": lesson("alpha", "labs: [csrf]\n", "\n```lab\nname: csrf\nsteps:\n"+steps+"```\n")}
}

// TestLabStepForms: a step is plain text (narrative) or {text, check};
// both render as Markdown and keep their order and lines.
func TestLabStepForms(t *testing.T) {
	t.Parallel()
	cat, err := Load(course(labLesson("  - Open the *evil* page.\n  - text: Log in as `alice`.\n    check: csrf-works\n  - text: \"Quoted: fine\"\n")))
	if err != nil {
		t.Fatal(err)
	}
	var lab *LabBlock
	for _, seg := range cat.Lessons[0].Body {
		if seg.Lab != nil {
			lab = seg.Lab
		}
	}
	if lab == nil || len(lab.Steps) != 3 {
		t.Fatalf("lab block: %+v", lab)
	}
	want := []LabStep{
		{Text: "Open the <em>evil</em> page.", Line: 13},
		{Text: "Log in as <code>alice</code>.", Check: "csrf-works", Line: 14},
		{Text: "Quoted: fine", Line: 16},
	}
	for i, w := range want {
		if got := lab.Steps[i]; got != w {
			t.Errorf("step %d = %+v, want %+v", i, got, w)
		}
	}
	if got := cat.StepText("csrf", "csrf-works"); got != want[1].Text {
		t.Errorf("StepText = %q", got)
	}
	if got := cat.StepText("csrf", "csrf-token"); got != "" {
		t.Errorf("StepText of an unnamed check = %q", got)
	}
}

// TestLabStepProblems: every malformed step is refused at its line.
func TestLabStepProblems(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, steps, want string }{
		{"unknown field", "  - text: Go.\n    chek: csrf-works\n", `lessons/01-alpha.md:14: lab: step: unknown field "chek" (fields: text, check)`},
		{"missing text", "  - One.\n  - check: csrf-works\n", `lessons/01-alpha.md:14: lab: step: missing text`},
		{"empty text", "  - text: \" \"\n    check: csrf-works\n", `lessons/01-alpha.md:13: lab: empty step`},
		{"empty check", "  - text: Go.\n    check: \"\"\n", `lessons/01-alpha.md:14: lab: step: empty check`},
		{"check not text", "  - text: Go.\n    check: [a, b]\n", `lessons/01-alpha.md:14: lab: step: check must be text`},
		{"duplicate field", "  - text: Go.\n    text: Again.\n", `lessons/01-alpha.md:14: lab: step: duplicate field "text"`},
		{"a list", "  - [a, b]\n", `lessons/01-alpha.md:13: lab: expected text or a mapping {text, check}`},
		{"a number", "  - 42\n", `lessons/01-alpha.md:13: lab: expected text or a mapping {text, check}, got "42"`},
		{"empty plain step", "  - \"\"\n", `lessons/01-alpha.md:13: lab: empty step`},
		{"check twice in a block", "  - text: A.\n    check: csrf-works\n  - text: B.\n    check: csrf-works\n", `lessons/01-alpha.md:15: lab: check "csrf-works" is already named by the step on line 13`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var all []string
			for _, p := range Check(course(labLesson(tt.steps))) {
				all = append(all, p.Error())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("want %q, got:\n%s", tt.want, strings.Join(all, "\n"))
			}
		})
	}
}

// TestCheckSteps: a check that is not a milestone of its lab, and a
// milestone that no step names, are both refused; a course that names
// each milestone once is clean.
func TestCheckSteps(t *testing.T) {
	t.Parallel()
	milestones := func(lab string) []string {
		if lab == "csrf" {
			return []string{"csrf-works", "csrf-token"}
		}
		return []string{"other"}
	}
	load := func(steps string) *Catalog {
		t.Helper()
		cat, err := Load(course(labLesson(steps)))
		if err != nil {
			t.Fatal(err)
		}
		return cat
	}
	if ps := load("  - Narrative.\n  - text: A.\n    check: csrf-works\n  - text: B.\n    check: csrf-token\n").CheckSteps(milestones); len(ps) != 0 {
		t.Errorf("complete course: %v", ps)
	}
	tests := []struct{ name, steps, want string }{
		{"unknown check", "  - text: A.\n    check: csrf-works\n  - text: B.\n    check: csrf-tokn\n  - text: C.\n    check: csrf-token\n",
			`lessons/01-alpha.md:15: lab csrf: check "csrf-tokn" is not a step of this lab (steps: csrf-works, csrf-token)`},
		{"milestone of another lab", "  - text: A.\n    check: other\n  - text: B.\n    check: csrf-works\n  - text: C.\n    check: csrf-token\n",
			`lessons/01-alpha.md:13: lab csrf: check "other" is not a step of this lab`},
		{"milestone named by no step", "  - Narrative.\n  - text: A.\n    check: csrf-works\n",
			"lessons/01-alpha.md:10: lab csrf: no step of any lesson names check \"csrf-token\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ps := load(tt.steps).CheckSteps(milestones)
			if len(ps) != 1 || !strings.HasPrefix(ps[0].Error(), tt.want) {
				t.Errorf("want one problem %q, got %v", tt.want, ps)
			}
		})
	}
}

// TestLabGoal: a block's goal renders its text and proved line as
// Markdown; the catalog finds it for the lab (on any lesson's card) and
// the lesson that sets it, and the lesson lists the goals it sets.
func TestLabGoal(t *testing.T) {
	t.Parallel()
	goal := "goal:\n  text: Make the *evil* page fail.\n  check: goal-csrf\n  proved: \"SameSite: `Lax` keeps it home.\"\n"
	fs := course(labLesson("  - text: A.\n    check: csrf-works\n"))
	fs["lessons/01-alpha.md"].Data = []byte(strings.Replace(string(fs["lessons/01-alpha.md"].Data), "name: csrf\n", "name: csrf\n"+goal, 1))
	cat, err := Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	g := cat.LabGoal("csrf")
	want := LabGoal{Text: "Make the <em>evil</em> page fail.", Check: "goal-csrf", Proved: "SameSite: <code>Lax</code> keeps it home.", Line: 12}
	if g == nil || *g != want {
		t.Fatalf("LabGoal = %+v, want %+v", g, want)
	}
	if l := cat.GoalLesson("csrf"); l == nil || l.Slug != "alpha" {
		t.Errorf("GoalLesson = %v", l)
	}
	if got := cat.Lessons[0].Goals(); len(got) != 1 || got[0] != "csrf" {
		t.Errorf("Goals = %v", got)
	}
	if cat.LabGoal("cost") != nil || cat.GoalLesson("cost") != nil || len(cat.Lessons[1].Goals()) != 0 {
		t.Error("a lab without a goal has one")
	}
	if ps := cat.CheckGoals(func(lab string) string { return "goal-" + lab }); len(ps) != 0 {
		t.Errorf("CheckGoals: %v", ps)
	}
	if ps := cat.CheckGoals(func(string) string { return "goal-other" }); len(ps) != 1 || !strings.Contains(ps[0].Error(), `goal check "goal-csrf" is not this lab's goal (goal-other)`) {
		t.Errorf("CheckGoals with another goal: %v", ps)
	}
}
