package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUserNamesIgnoreCase: `user add` refuses a name that differs only
// in case, and `user promote` finds an account in any case and names it
// as it was spelt.
func TestUserNamesIgnoreCase(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cmd := func(stdin string, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"authlab", "user"}, args...), env(nil), strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	if _, err := cmd("a fine password\n", "add", "--data", data, "Alice2"); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd("a fine password\n", "add", "--data", data, "alice2"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("alice2 beside Alice2: %v", err)
	}
	if out, err := cmd("", "promote", "--data", data, "ALICE2"); err != nil || !strings.Contains(out, "Alice2 is now an instructor") {
		t.Errorf("promote ALICE2: %v %s", err, out)
	}
}
