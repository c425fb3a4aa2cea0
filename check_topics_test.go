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

// TestCheckRefusesUnknownTopic: `authlab check` holds every quiz topic
// to the vocabulary in topics.yaml, and says where a stray one is.
func TestCheckRefusesUnknownTopic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course.yaml", "title: T\nmodules:\n  - title: M\n    lessons: [one]\n")
	write("topics.yaml", "samesite: The SameSite cookie attribute.\n")
	lesson := "---\nslug: one\ntitle: One\nsummary: s\nminutes: 10\nlevel: 1\n---\n\n## One\n\nText.\n\n" +
		"```quiz\nid: one-q\ntype: truefalse\nlevel: 1\ntopics: [TOPIC]\nstatement: Cookies are sent.\nanswer: true\n```\n"
	check := func(topic string) (string, error) {
		write("lessons/01-one.md", strings.Replace(lesson, "TOPIC", topic, 1))
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"authlab", "check", "--content", dir}, env(nil), strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}
	if out, err := check("samesite"); err != nil {
		t.Fatalf("a listed topic: %v\n%s", err, out)
	}
	out, err := check("same-site")
	if !errors.Is(err, errFailed) || !strings.Contains(out, `lessons/01-one.md:17: topic "same-site" is not in topics.yaml (did you mean "samesite"?)`) {
		t.Errorf("an unlisted topic: %v\n%s", err, out)
	}
}
