package sandbox

import (
	"strconv"
	"sync"
)

// Progress is how far a learner got in one lab panel: steps done out of
// the panel's steps, and whether its goal is met. It is read from the
// learner's recorded milestones (never from a lab's trace, which
// forgets), so a step once done stays done and a lab once solved stays
// solved.
type Progress struct {
	Panel, Title string
	Done, Total  int
	Steps        map[string]bool // milestone ID -> done
	Goal         string          // the panel's goal milestone ID
	GoalMet      bool
}

// Solved reports whether the panel's goal is met: the lab is solved
// however the learner got there, with every step ticked or none.
func (p Progress) Solved() bool { return p.GoalMet }

// Summary is the short form: "3 of 4 steps", "4 of 4 steps · Solved".
func (p Progress) Summary() string {
	s := strconv.Itoa(p.Done) + " of " + strconv.Itoa(p.Total) + " steps"
	if p.Total == 1 {
		s = strconv.Itoa(p.Done) + " of 1 step"
	}
	if p.Solved() {
		s += " · Solved"
	}
	return s
}

// Recorded is one milestone recorded for a learner: a step or a goal of a
// panel.
type Recorded struct{ Panel, Milestone string }

// ProgressOf is a learner's progress in every panel, by panel, from the
// milestones recorded for them. A milestone recorded under one panel
// counts only if that panel still has such a step; no milestones give
// every panel at zero.
func ProgressOf(reached []Recorded) map[string]Progress {
	done := make(map[Recorded]bool, len(reached))
	for _, r := range reached {
		done[r] = true
	}
	all := panelSteps()
	out := make(map[string]Progress, len(all))
	for _, ps := range all {
		p := Progress{Panel: ps.panel, Title: ps.title, Steps: map[string]bool{}, Goal: ps.goal, Total: len(ps.steps)}
		for _, id := range ps.steps {
			if done[Recorded{ps.panel, id}] {
				p.Steps[id] = true
				p.Done++
			}
		}
		p.GoalMet = done[Recorded{ps.panel, p.Goal}]
		out[ps.panel] = p
	}
	return out
}

// panelStep is what ProgressOf needs of one panel.
type panelStep struct {
	panel, title, goal string
	steps              []string // milestone IDs, in order
}

// panelSteps is every panel's title, goal and steps, made once: every
// signed-in page reads a learner's lab progress, and Milestones builds
// its lists anew on each call.
var panelSteps = sync.OnceValue(func() []panelStep {
	var out []panelStep
	for _, panel := range Panels() {
		ps := panelStep{panel: panel, title: Title(panel), goal: Goal(panel).ID}
		for _, m := range Milestones(panel) {
			ps.steps = append(ps.steps, m.ID)
		}
		out = append(out, ps)
	}
	return out
})

// Solved is the set of panels whose goal is met, as lessons.Completed
// takes it; nil for nil progress (unknown).
func Solved(all map[string]Progress) map[string]bool {
	if all == nil {
		return nil
	}
	solved := map[string]bool{}
	for panel, p := range all {
		solved[panel] = p.Solved()
	}
	return solved
}

// ProgressExport is one panel in a learner's data export.
type ProgressExport struct {
	Panel  string   `json:"panel"`
	Title  string   `json:"title"`
	Done   int      `json:"steps_done"`
	Total  int      `json:"steps"`
	Goal   string   `json:"goal"`   // the goal milestone ID
	Solved bool     `json:"solved"` // the goal is met
	Steps  []string `json:"done"`   // milestone IDs, in the panel's order
}

// Export lists the panels the learner has started (a step done or the
// goal met), in the order of Panels, for "Export my data".
func Export(all map[string]Progress) []ProgressExport {
	out := []ProgressExport{}
	for _, panel := range Panels() {
		p := all[panel]
		if p.Done == 0 && !p.Solved() {
			continue
		}
		e := ProgressExport{Panel: panel, Title: p.Title, Done: p.Done, Total: p.Total, Goal: p.Goal, Solved: p.Solved()}
		for _, m := range Milestones(panel) {
			if p.Steps[m.ID] {
				e.Steps = append(e.Steps, m.ID)
			}
		}
		out = append(out, e)
	}
	return out
}
