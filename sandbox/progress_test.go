package sandbox

import (
	"slices"
	"strconv"
	"testing"
)

// TestProgressOf: a panel's steps and goal come from the recorded
// milestones of that panel only; the export lists the started panels.
func TestProgressOf(t *testing.T) {
	t.Parallel()
	steps := Milestones("csrf")
	all := ProgressOf([]Recorded{
		{"csrf", steps[1].ID}, {"csrf", steps[0].ID}, {"csrf", steps[0].ID},
		{"twin-login", steps[2].ID}, // another panel's step: not a twin-login one
		{"cost", Goal("cost").ID},   // solved without a step
		{"nowhere", "x"},
	})
	if len(all) != len(Panels()) {
		t.Fatalf("%d panels, want %d", len(all), len(Panels()))
	}
	csrf := all["csrf"]
	if csrf.Done != 2 || csrf.Total != len(steps) || csrf.Solved() || csrf.Title != "CSRF" || !csrf.Steps[steps[1].ID] {
		t.Errorf("csrf = %+v", csrf)
	}
	if tw := all["twin-login"]; tw.Done != 0 {
		t.Errorf("twin-login counted another panel's step: %+v", tw)
	}
	if cost := all["cost"]; !cost.Solved() || cost.Done != 0 || cost.Summary() != "0 of "+strconv.Itoa(cost.Total)+" steps · Solved" {
		t.Errorf("cost = %+v, %q", cost, cost.Summary())
	}
	if s := (Progress{Done: 1, Total: 1}).Summary(); s != "1 of 1 step" {
		t.Errorf("one step: %q", s)
	}
	solved := Solved(all)
	if !solved["cost"] || solved["csrf"] || Solved(nil) != nil {
		t.Errorf("Solved = %v", solved)
	}
	var panels []string
	for _, e := range Export(all) {
		panels = append(panels, e.Panel)
		if e.Panel == "csrf" && !slices.Equal(e.Steps, []string{steps[0].ID, steps[1].ID}) {
			t.Errorf("csrf export steps %v, want the panel's order", e.Steps)
		}
	}
	if want := []string{"cost", "csrf"}; !slices.Equal(panels, want) {
		t.Errorf("exported %v, want only the started panels, in the order of Panels", panels)
	}
	if e := Export(ProgressOf(nil)); e == nil || len(e) != 0 {
		t.Errorf("nothing started: %v, want an empty list", e)
	}
}
