package quiz

import (
	"errors"
	"strings"
	"testing"
)

// block joins lines into a quiz block body.
func block(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func mustParse(tb testing.TB, src []byte) *Question {
	tb.Helper()
	q, err := ParseBlock(src, "lesson.md", 10)
	if err != nil {
		tb.Fatalf("ParseBlock: %v", err)
	}
	return q
}

// The blocks of every type that the tests below share.
var (
	singleSrc = block(
		"id: revocation-instant",
		"type: single",
		"level: 2",
		"topics: [revocation, sessions]",
		"prompt: Which login stops working on the *very next* request?",
		"choices:",
		"  - text: The session cookie login",
		"    correct: true",
		"    why: The server deletes the session record.",
		"  - text: The JWT bearer login",
		"    why: A JWT stays valid until `exp`.",
		"  - text: Neither",
		"    why: One of them does.",
		"hint: Which one does the server look up?",
		"explain: |",
		"  Sessions are checked against server state.",
		"follow_ups: [jwt-deny-list]",
	)
	multiSrc = block(
		"id: revocation-events",
		"type: multi",
		"prompt: Which events should end sessions?",
		"choices:",
		"  - {text: Password change, correct: true, why: End the others.}",
		"  - {text: Account suspended, correct: true, why: End them all.}",
		"  - {text: Logout, correct: true, why: Delete the record.}",
		"  - {text: A second tab, why: Same cookie.}",
		"  - {text: A page reload, why: Nothing changed.}",
	)
	tfSrc = block(
		"id: cache-delay",
		"type: truefalse",
		"statement: A cached lookup can keep a revoked session alive.",
		"answer: true",
		"why: The cache answers without asking the store.",
		"interview: false",
	)
	orderSrc = block(
		"id: password-change",
		"type: order",
		"prompt: Put the steps in order.",
		"items:",
		"  - Re-authenticate",
		"  - Store the new hash",
		"  - Delete other sessions",
		"  - Rotate the current ID",
	)
	matchSrc = block(
		"id: revoke-match",
		"type: match",
		"prompt: Match each need to a design.",
		"pairs:",
		"  - {left: One session, right: Delete that record}",
		"  - {left: All devices, right: Delete every record of the user}",
		"  - {left: A stolen JWT, right: A deny-list entry}",
	)
	textSrc = block(
		"id: http-method",
		"type: text",
		"prompt: Which HTTP method revokes a session?",
		"accept: [DELETE]",
		"reject:",
		"  - text: POST",
		"    why: The endpoint is `DELETE /sessions/{sid}`.",
	)
	openSrc = block(
		"id: design-open",
		"type: open",
		"level: 3",
		"prompt: Design log out of all devices.",
		"model: |",
		"  Keep a per-user index of sessions.",
		"",
		"  Delete them all on the click.",
		"rubric:",
		"  - A per-user index",
		"  - Delete the records",
		"  - Shared store",
	)
)

func TestParseEveryType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		src   []byte
		check func(t *testing.T, q *Question)
	}{
		{"single", singleSrc, func(t *testing.T, q *Question) {
			if q.ID != "revocation-instant" || q.Type != Single || q.Level != 2 || len(q.Choices) != 3 {
				t.Errorf("got id %q type %q level %d, %d choices", q.ID, q.Type, q.Level, len(q.Choices))
			}
			if !q.Choices[0].Correct || q.Choices[1].Correct || q.Choices[1].Why != "A JWT stays valid until `exp`." {
				t.Errorf("choices = %+v", q.Choices)
			}
			if strings.Join(q.Topics, ",") != "revocation,sessions" || strings.Join(q.FollowUps, ",") != "jwt-deny-list" {
				t.Errorf("topics %v follow-ups %v", q.Topics, q.FollowUps)
			}
			if q.Explain != "Sessions are checked against server state." || q.Hint == "" || !q.Interview {
				t.Errorf("explain %q hint %q interview %v", q.Explain, q.Hint, q.Interview)
			}
			if q.PromptHTML != "Which login stops working on the <em>very next</em> request?" {
				t.Errorf("PromptHTML = %q", q.PromptHTML)
			}
			if q.Choices[1].WhyHTML != "A JWT stays valid until <code>exp</code>." {
				t.Errorf("WhyHTML = %q", q.Choices[1].WhyHTML)
			}
			if q.File != "lesson.md" || q.Line != 10 {
				t.Errorf("at %s:%d", q.File, q.Line)
			}
		}},
		{"multi", multiSrc, func(t *testing.T, q *Question) {
			if q.Type != Multi || len(q.Choices) != 5 || q.Level != 1 {
				t.Errorf("type %q, %d choices, level %d", q.Type, len(q.Choices), q.Level)
			}
		}},
		{"truefalse", tfSrc, func(t *testing.T, q *Question) {
			if !q.Answer || q.Statement == "" || q.Why == "" || q.Interview || q.Prompt != "" {
				t.Errorf("got %+v", q)
			}
		}},
		{"order", orderSrc, func(t *testing.T, q *Question) {
			if len(q.Items) != 4 || len(q.ItemKeys) != 4 || len(q.ItemsHTML) != 4 || q.Items[2] != "Delete other sessions" {
				t.Errorf("items %v keys %v", q.Items, q.ItemKeys)
			}
		}},
		{"match", matchSrc, func(t *testing.T, q *Question) {
			if len(q.Pairs) != 3 || q.Pairs[2].Right != "A deny-list entry" || q.Pairs[2].LeftKey == "" || q.Pairs[2].RightKey == "" {
				t.Errorf("pairs %+v", q.Pairs)
			}
		}},
		{"text", textSrc, func(t *testing.T, q *Question) {
			if len(q.Accept) != 1 || q.Accept[0] != "DELETE" || len(q.Reject) != 1 || q.Reject[0].WhyHTML == "" {
				t.Errorf("accept %v reject %+v", q.Accept, q.Reject)
			}
		}},
		{"open", openSrc, func(t *testing.T, q *Question) {
			if len(q.Rubric) != 3 || len(q.RubricHTML) != 3 {
				t.Errorf("rubric %v", q.Rubric)
			}
			if q.ModelHTML != "<p>Keep a per-user index of sessions.</p>\n<p>Delete them all on the click.</p>" {
				t.Errorf("ModelHTML = %q", q.ModelHTML)
			}
		}},
		{"numbers as text", block("id: status", "type: text", "prompt: Status?", "accept: [401, 401 Unauthorized]"), func(t *testing.T, q *Question) {
			if q.Accept[0] != "401" {
				t.Errorf("accept %v", q.Accept)
			}
		}},
		{"truefalse with a prompt", block("id: tf", "type: truefalse", "prompt: True or false?", "statement: S", "answer: false"), func(t *testing.T, q *Question) {
			if q.Answer || q.Prompt != "True or false?" {
				t.Errorf("got %+v", q)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, mustParse(t, tt.src))
		})
	}
}

func TestOptionKeys(t *testing.T) {
	t.Parallel()
	q := mustParse(t, singleSrc)
	again := mustParse(t, singleSrc)
	seen := map[string]bool{}
	for i, c := range q.Choices {
		if len(c.Key) != 10 || seen[c.Key] {
			t.Errorf("choice %d key %q: want 10 hex characters, unique", i, c.Key)
		}
		seen[c.Key] = true
		if c.Key != again.Choices[i].Key {
			t.Errorf("choice %d key not stable: %q then %q", i, c.Key, again.Choices[i].Key)
		}
	}
	// Same text under another id gets another key: keys do not carry
	// over between questions.
	other := mustParse(t, []byte(strings.Replace(string(singleSrc), "revocation-instant", "other-id", 1)))
	if other.Choices[0].Key == q.Choices[0].Key {
		t.Error("keys of the same text in two questions are equal")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	// The block starts at lesson line 10, so YAML line n is lesson line 9+n.
	tests := []struct {
		name string
		src  []byte
		line int
		msg  string
	}{
		{"empty", []byte(""), 10, "empty quiz block"},
		{"not a mapping", block("- a", "- b"), 10, "YAML mapping"},
		{"bad yaml", block("id: x", "type: single", "prompt: [unclosed"), 12, "invalid YAML"},
		{"unclosed quote", block("id: x", "type: single", "prompt: \"unclosed", "hint: h"), 12, "invalid YAML"},
		{"mapping in a value", block("id: x", "type: single", "prompt: a: b"), 12, "invalid YAML"},
		// yaml.v3 reads the tab as continuing the plain scalar of line 11.
		{"tab indentation", block("id: x", "type: single", "\tprompt: p"), 11, "tab character"},
		{"bad indentation", block("id: x", "type: text", "prompt: p", "accept:", "  - a", " - b"), 15, "invalid YAML"},
		{"two documents", block("id: x", "type: text", "---", "id: y"), 12, "second"},
		{"alias", block("id: x", "type: text", "prompt: &p hi", "accept: [*p]"), 13, "aliases"},
		{"missing id", block("type: text", "prompt: p", "accept: [a]"), 10, `missing field "id"`},
		{"empty id", block("type: text", "id:", "prompt: p", "accept: [a]"), 11, `missing field "id"`},
		{"bad id", block("type: text", "prompt: p", "id: Not_A_Slug", "accept: [a]"), 12, "lowercase"},
		{"missing type", block("id: x", "prompt: p"), 10, `missing field "type"`},
		{"unknown type", block("id: x", "type: essay", "prompt: p"), 11, `unknown type "essay"`},
		{"type not text", block("id: x", "type: [single]"), 11, "must be text"},
		{"unknown field", block("id: x", "type: text", "prompt: p", "accept: [a]", "answr: b"), 14, `unknown field "answr"`},
		{"field of another type", block("id: x", "type: single", "prompt: p", "accept: [a]"), 13, `does not belong to a single question`},
		{"duplicate field", block("id: x", "type: text", "prompt: p", "prompt: q", "accept: [a]"), 13, "appears twice"},
		{"empty prompt", block("id: x", "type: text", "prompt: \"  \"", "accept: [a]"), 12, "non-empty \"prompt\""},
		{"missing prompt", block("id: x", "type: text", "accept: [a]"), 10, "non-empty \"prompt\""},
		{"level 0", block("id: x", "type: text", "level: 0", "prompt: p", "accept: [a]"), 12, "level must be 1, 2 or 3"},
		{"level 4", block("id: x", "type: text", "prompt: p", "level: 4", "accept: [a]"), 13, "level must be 1, 2 or 3"},
		{"level text", block("id: x", "type: text", "prompt: p", "level: two", "accept: [a]"), 13, "level must be 1, 2 or 3"},
		{"bad topic", block("id: x", "type: text", "prompt: p", "accept: [a]", "topics:", "  - ok", "  - Not OK"), 16, `topic "Not OK"`},
		{"topics not a list", block("id: x", "type: text", "prompt: p", "accept: [a]", "topics: sessions"), 14, "must be a list"},
		{"self follow-up", block("id: x", "type: text", "prompt: p", "accept: [a]", "follow_ups: [y, x]"), 14, "itself"},
		{"interview not bool", block("id: x", "type: text", "prompt: p", "accept: [a]", "interview: maybe"), 14, "true or false"},
		{"single one choice", block("id: x", "type: single", "prompt: p", "choices:", "  - {text: a, correct: true}"), 13, "at least two choices"},
		{"single no choices", block("id: x", "type: single", "prompt: p"), 10, "at least two choices"},
		{"single two correct", block("id: x", "type: single", "prompt: p", "choices:", "  - {text: a, correct: true}", "  - {text: b, correct: true}"), 13, "exactly one correct choice, has 2"},
		{"single none correct", block("id: x", "type: single", "prompt: p", "choices:", "  - text: a", "  - text: b"), 13, "exactly one correct choice, has 0"},
		{"multi none correct", block("id: x", "type: multi", "prompt: p", "choices:", "  - text: a", "  - text: b"), 13, "at least one correct"},
		{"choice without text", block("id: x", "type: multi", "prompt: p", "choices:", "  - text: a", "  - correct: true", "    why: w"), 15, `has no "text"`},
		{"choice empty text", block("id: x", "type: multi", "prompt: p", "choices:", "  - text: a", "  - text: \"\"", "    correct: true"), 15, `empty "text"`},
		{"choice unknown field", block("id: x", "type: single", "prompt: p", "choices:", "  - text: a", "    correct: true", "    feedback: f"), 16, `unknown field "feedback"`},
		{"choice correct not bool", block("id: x", "type: single", "prompt: p", "choices:", "  - text: a", "    correct: yes please"), 15, "true or false"},
		{"choice not a mapping", block("id: x", "type: single", "prompt: p", "choices:", "  - a", "  - b"), 14, "mapping"},
		{"duplicate choice", block("id: x", "type: single", "prompt: p", "choices:", "  - {text: a, correct: true}", "  - text: b", "  - text: a"), 16, `choice "a" appears twice`},
		{"truefalse no statement", block("id: x", "type: truefalse", "answer: true"), 10, "statement"},
		{"truefalse no answer", block("id: x", "type: truefalse", "statement: s"), 10, "answer: true"},
		{"truefalse answer not bool", block("id: x", "type: truefalse", "statement: s", "answer: yes"), 13, "true or false"},
		{"order one item", block("id: x", "type: order", "prompt: p", "items: [a]"), 13, "at least two items"},
		{"order duplicate item", block("id: x", "type: order", "prompt: p", "items:", "  - a", "  - b", "  - a"), 16, `item "a" appears twice`},
		{"order empty item", block("id: x", "type: order", "prompt: p", "items:", "  - a", "  -", "  - c"), 15, "empty entry"},
		{"match one pair", block("id: x", "type: match", "prompt: p", "pairs:", "  - {left: a, right: b}"), 13, "at least two pairs"},
		{"match no right", block("id: x", "type: match", "prompt: p", "pairs:", "  - {left: a, right: b}", "  - left: c"), 15, `has no "right"`},
		{"match duplicate left", block("id: x", "type: match", "prompt: p", "pairs:", "  - {left: a, right: b}", "  - {left: a, right: c}"), 15, "appears twice"},
		{"match right begins another", block("id: x", "type: match", "prompt: p", "pairs:", "  - {left: a, right: Session}", "  - {left: c, right: Session (or opaque token)}"), 14, `right side "Session" begins another`},
		{"match one right", block("id: x", "type: match", "prompt: p", "pairs:", "  - {left: a, right: b}", "  - {left: c, right: b}"), 13, "two different right sides"},
		{"text no accept", block("id: x", "type: text", "prompt: p"), 10, "at least one accepted"},
		{"text accept not a list", block("id: x", "type: text", "prompt: p", "accept: {a: b}"), 13, "must be a list"},
		{"text empty normalised accept", block("id: x", "type: text", "prompt: p", "accept:", "  - ok", "  - \"...\""), 15, "empty once normalised"},
		{"text reject also accepted", block("id: x", "type: text", "prompt: p", "accept: [DELETE]", "reject:", "  - {text: a, why: w}", "  - {text: delete., why: w}"), 16, "also accepted"},
		{"open no model", block("id: x", "type: open", "prompt: p", "rubric: [a, b]"), 10, "model answer"},
		{"open one rubric point", block("id: x", "type: open", "prompt: p", "model: m", "rubric:", "  - a"), 14, "at least two rubric points, has 1"},
		{"open no rubric", block("id: x", "type: open", "prompt: p", "model: m"), 10, "at least two rubric points, has 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := ParseBlock(tt.src, "lessons/04-revocation.md", 10)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("ParseBlock = %v, %v; want an *Error", q, err)
			}
			if q != nil {
				t.Errorf("got a question along with the error")
			}
			if qe.File != "lessons/04-revocation.md" || qe.Line != tt.line {
				t.Errorf("error at %s:%d, want line %d (%s)", qe.File, qe.Line, tt.line, qe.Msg)
			}
			if !strings.Contains(qe.Msg, tt.msg) || !strings.HasPrefix(qe.Msg, "quiz: ") {
				t.Errorf("message %q, want it to contain %q", qe.Msg, tt.msg)
			}
		})
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, want string }{
		{"Send `Set-Cookie` **now**", "Send <code>Set-Cookie</code> <strong>now</strong>"},
		{"an <img src=x onerror=alert(1)> tag", "an &lt;img src=x onerror=alert(1)&gt; tag"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"[click](javascript:alert(1))", `<a href="">click</a>`},
		{"[RFC 6265](https://www.rfc-editor.org/rfc/rfc6265)", `<a href="https://www.rfc-editor.org/rfc/rfc6265">RFC 6265</a>`},
		{"a & b < c", "a &amp; b &lt; c"},
		{"<javascript:alert(1)>", `<a href="">javascript:alert(1)</a>`},
		{"![x](javascript:alert(1))", `<img src="" alt="x">`},
		{"[x](data:text/html,<b>)", `<a href="">x</a>`},
		{"`<b>` and <b>bold</b>", "<code>&lt;b&gt;</code> and &lt;b&gt;bold&lt;/b&gt;"},
		{"- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			if got := string(newMarkdown().render(tt.src)); got != tt.want {
				t.Errorf("render(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}
