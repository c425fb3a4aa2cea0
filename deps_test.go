package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules: the HTTP framework stays in web and the ORM in
// progress (non-test code), so every other package can be read, tested
// and reused without either.
func TestDependencyRules(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/authlab/authlab"
	rules := []struct{ dep, only string }{
		{"github.com/gin-gonic/", mod + "/web"},
		{"gorm.io/", mod + "/progress"},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		for _, imp := range strings.Fields(imports) {
			for _, r := range rules {
				if strings.HasPrefix(imp, r.dep) && pkg != r.only {
					t.Errorf("%s imports %s: only %s may", pkg, imp, r.only)
				}
			}
		}
	}
}

// TestBrowserTestsCarryTheTag: every test file that drives Chromium is left
// out by `-tags nobrowser`, so the fuzz step (.ci/fuzz) builds its
// instrumented binaries without chromedp and cdproto. A file that forgets
// the line still works, only the fuzz build gets slower again; this keeps
// it from happening unnoticed.
func TestBrowserTestsCarryTheTag(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-test", "-tags", "nobrowser", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -tags nobrowser: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/chromedp/") {
			t.Fatalf("with -tags nobrowser the tests still import %s: start each test file that imports chromedp with //go:build !nobrowser", pkg)
		}
	}
}
