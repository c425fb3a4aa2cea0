package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// costBlock is a lab block of the cost lab with both its steps and goal.
func costBlock(goal string) string {
	return "```lab\nname: cost\n" + goal + "steps:\n  - text: Run it.\n    check: cost-run\n  - text: Deny-list on, run again.\n    check: cost-denylist\n```\n"
}

const costGoal = "goal:\n  text: Measure what the deny-list adds.\n  check: goal-cost\n  proved: A deny-list adds a lookup.\n"

// checkCourse writes a two-lesson course whose lessons hold the given
// bodies and runs `authlab check` on it.
func checkCourse(t *testing.T, one, two string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lessons"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course.yaml", "title: T\nmodules:\n  - title: M\n    lessons: [one, two]\n")
	for i, body := range []string{one, two} {
		slug, labs := []string{"one", "two"}[i], "labs: []"
		if body != "" {
			labs = "labs: [cost]"
		}
		write("lessons/0"+string(rune('1'+i))+"-"+slug+".md", "---\nslug: "+slug+"\ntitle: "+slug+"\nsummary: s\nminutes: 5\nlevel: 1\n"+labs+"\n---\n\n# "+slug+"\n\nText.\n\n"+body)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"authlab", "check", "--content", dir}, env(nil), strings.NewReader(""), &out, &errb)
	return out.String() + errb.String(), err
}

// `authlab check` holds the lab goals to their rule: each lab a lesson
// uses has exactly one goal, set in one block, naming that lab's goal
// milestone, with its text, check and proved line.
func TestCheckLabGoals(t *testing.T) {
	t.Parallel()
	if out, err := checkCourse(t, costBlock(costGoal), costBlock("")); err != nil {
		t.Fatalf("a course whose lab has one goal: %v\n%s", err, out)
	}
	tests := []struct{ name, one, two, want string }{
		{"no goal", costBlock(""), costBlock(""), "lessons/01-one.md:14: lab cost: no lesson sets its goal: add goal: {text, check: goal-cost, proved}"},
		{"two goals", costBlock(costGoal), costBlock(costGoal), "lessons/02-two.md:16: lab cost: its goal is already set at lessons/01-one.md:16"},
		{"another lab's goal", costBlock(strings.Replace(costGoal, "goal-cost", "goal-csrf", 1)), "", `lessons/01-one.md:16: lab cost: goal check "goal-csrf" is not this lab's goal (goal-cost)`},
		{"a step's milestone as the goal", costBlock(strings.Replace(costGoal, "goal-cost", "cost-run", 1)), "", `lab cost: goal check "cost-run" is not this lab's goal`},
		{"no proved line", costBlock(strings.Replace(costGoal, "  proved: A deny-list adds a lookup.\n", "", 1)), "", "lessons/01-one.md:16: lab: goal: missing proved"},
		{"an unknown field", costBlock(costGoal + "  hint: no\n"), "", `lessons/01-one.md:20: lab: goal: unknown field "hint" (fields: text, check, proved)`},
		{"empty text", costBlock(strings.Replace(costGoal, "Measure what the deny-list adds.", `""`, 1)), "", "lessons/01-one.md:17: lab: goal: empty text"},
		{"not a mapping", costBlock("goal: Measure it.\n"), "", "lessons/01-one.md:16: lab: goal: expected a mapping {text, check, proved}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := checkCourse(t, tt.one, tt.two)
			if !errors.Is(err, errFailed) || !strings.Contains(out, tt.want) {
				t.Errorf("err %v, want errFailed and %q in:\n%s", err, tt.want, out)
			}
		})
	}
}
