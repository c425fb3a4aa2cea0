package sandbox

import "testing"

// TestEveryPanelIntroduced: each panel's lab page opens with its own
// heading; only the twin lab's login view uses the default one. A new
// panel that falls through to the twin lab's text reads as the wrong lab.
func TestEveryPanelIntroduced(t *testing.T) {
	seen := map[string]string{}
	for _, panel := range Panels() {
		heading, intro := Intro(panel)
		if heading == "" || intro == "" || Title(panel) == "" {
			t.Errorf("%s: no title, heading or intro", panel)
		}
		if other, ok := seen[heading]; ok {
			t.Errorf("%s opens with %q, the heading of %s", panel, heading, other)
		}
		seen[heading] = panel
	}
}
