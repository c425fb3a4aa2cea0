//go:build !nobrowser

package web

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axe-core checks a page for accessibility problems. It is third-party
// JavaScript, so it is never committed: .ci/run installs it and names the
// file in AUTHLAB_AXE_JS; a browser test injects it into the page.

// axeSource reads the axe-core script named by AUTHLAB_AXE_JS once per
// test process: "" when the variable is unset.
var axeSource = sync.OnceValues(func() (string, error) {
	path := os.Getenv("AUTHLAB_AXE_JS")
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("AUTHLAB_AXE_JS is set but unreadable: %w", err)
	}
	if !strings.Contains(string(b), "axe") {
		return "", fmt.Errorf("AUTHLAB_AXE_JS=%s is not axe-core", path)
	}
	return string(b), nil
})

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s — at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
}

// noAxeViolations runs axe-core over the elements that match include (a
// CSS selector) and fails the test on every serious or critical
// violation. Without AUTHLAB_AXE_JS it only logs that it was skipped;
// with the variable set, a file it cannot read fails the test.
func noAxeViolations(t *testing.T, b *browser, include, what string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if src == "" {
		t.Logf("axe-core check of %s skipped: set AUTHLAB_AXE_JS to axe.min.js (npm install axe-core; .ci/run does)", what)
		return
	}
	if !eval[bool](t, b, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
		get(t, b, "inject axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	found := eval[[]axeViolation](t, b, `axe.run({include: [`+jsString(include)+`]}, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + (n.failureSummary ? " (" + n.failureSummary.replace(/\s+/g, " ").slice(0, 200) + ")" : ""))})))`)
	for _, v := range found {
		t.Errorf("%s: axe-core: %s", what, v)
	}
}
