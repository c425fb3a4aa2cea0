package interview

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
)

// TestCheckTopics: the course's topics come from its vocabulary, and the
// vocabulary has one name per idea.
func TestCheckTopics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		topics  *string // topics.yaml; nil: none
		replace [2]string
		want    []string // problems, each "file:line: text"
	}{
		{name: "the test course is sound"},
		{name: "a topic not in the list", replace: [2]string{"topics: [tokens, revocation]", "topics: [tokens, revoking]"},
			want: []string{`lessons/02-tokens.md:29: topic "revoking" is not in topics.yaml: use a listed topic`}},
		{name: "a second spelling", replace: [2]string{"topics: [tokens, revocation]", "topics: [token-s, revocation]"},
			want: []string{`lessons/02-tokens.md:29: topic "token-s" is not in topics.yaml (did you mean "tokens"?)`}},
		{name: "an interview page's topic", replace: [2]string{"topics: [sessions, tokens]", "topics: [sessions, jwt]"},
			want: []string{`interview/prompts.md:3: topic "jwt" is not in topics.yaml`}},
		{name: "two names for one idea", topics: ptr("cookies: C.\nrevocation: R.\nsessions: S.\ntokens: T.\nsame-site: A.\nsamesite: B.\n"),
			want: []string{`topics.yaml:6: topic "samesite" and "same-site" (line 5) differ only by dashes`}},
		{name: "listed twice", topics: ptr("cookies: C.\nrevocation: R.\nsessions: S.\ntokens: T.\ntokens: Again.\n"),
			want: []string{`topics.yaml:5: topic "tokens" is listed twice (first on line 4)`}},
		{name: "not a slug", topics: ptr("cookies: C.\nrevocation: R.\nsessions: S.\ntokens: T.\nSame Site: X.\n"),
			want: []string{`topics.yaml:5: topic "Same Site" must be lowercase letters, digits and dashes`}},
		{name: "no description", topics: ptr("cookies: C.\nrevocation: R.\nsessions: S.\ntokens:\n"),
			want: []string{`topics.yaml:4: topic "tokens": say in a line what it covers`}},
		{name: "not a mapping", topics: ptr("- cookies\n- tokens\n"),
			want: []string{"topics.yaml:1: the topic vocabulary is a mapping"}},
		{name: "no vocabulary", topics: ptr(""), want: []string{"topics.yaml:1: missing: the course's topic vocabulary"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := testCourse()
			if tc.topics != nil {
				if *tc.topics == "" {
					delete(fsys, TopicsFile)
				} else {
					fsys[TopicsFile] = &fstest.MapFile{Data: []byte(*tc.topics)}
				}
			}
			if tc.replace[0] != "" {
				for name, f := range fsys {
					if s := string(f.Data); strings.Contains(s, tc.replace[0]) {
						fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, tc.replace[0], tc.replace[1], 1))}
					}
				}
			}
			cat, err := lessons.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			got := CheckTopics(fsys, cat)
			if len(got) != len(tc.want) {
				t.Fatalf("problems %v, want %v", got, tc.want)
			}
			for i, p := range got {
				if !strings.Contains(p.Error(), tc.want[i]) {
					t.Errorf("problem %q, want %q", p.Error(), tc.want[i])
				}
			}
		})
	}
}

// TestShippedTopics: the course as shipped keeps to its vocabulary (the
// QA report met "same-site" and "samesite" as two filters).
func TestShippedTopics(t *testing.T) {
	t.Parallel()
	cat, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CheckTopics(content.FS, cat) {
		t.Error(p.Error())
	}
	topics, problems, err := ReadTopics(content.FS)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	for _, tp := range topics {
		if tp.Name == "same-site" {
			t.Error(`the vocabulary lists "same-site" beside "samesite"`)
		}
	}
}

func ptr(s string) *string { return &s }
