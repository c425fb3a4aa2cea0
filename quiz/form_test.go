package quiz

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// TestParseForm: each type reads its own fields, ignores the others and
// refuses a field given twice where one is allowed.
func TestParseForm(t *testing.T) {
	t.Parallel()
	single, tf, order, match := mustParse(t, singleSrc), mustParse(t, tfSrc), mustParse(t, orderSrc), mustParse(t, matchSrc)
	text, open := mustParse(t, textSrc), mustParse(t, openSrc)
	k := order.ItemKeys
	tests := []struct {
		name string
		q    *Question
		form url.Values
		want Answer
		err  string // "" for none; else part of the reason
	}{
		{"choices, other fields ignored", single, url.Values{"choice": {"a", "b"}, "text": {"x"}}, Answer{Choices: []string{"a", "b"}}, ""},
		{"true", tf, url.Values{"choice": {" true "}}, Answer{TF: ptr(true)}, ""},
		{"no true/false answer", tf, url.Values{}, Answer{}, ""},
		{"true/false twice", tf, url.Values{"choice": {"true", "false"}}, Answer{}, `"choice" given 2 times`},
		{"true/false not a boolean", tf, url.Values{"choice": {"yes"}}, Answer{}, `not "yes"`},
		{"order as sent by script", order, url.Values{"order": {k[1], k[0]}}, Answer{Order: []string{k[1], k[0]}}, ""},
		{"order by positions", order, url.Values{"pos." + k[0]: {"2"}, "pos." + k[1]: {"1"}}, Answer{Order: []string{k[1], k[0]}}, ""},
		{"two items at one position", order, url.Values{"pos." + k[0]: {"1"}, "pos." + k[1]: {"1"}}, Answer{}, "both at position 1"},
		{"a position out of range", order, url.Values{"pos." + k[0]: {"9"}}, Answer{}, "from 1 to 4"},
		{"match, empty left out", match, url.Values{"match.l1": {"r2"}, "match.l2": {""}}, Answer{Match: map[string]string{"l1": "r2"}}, ""},
		{"match twice", match, url.Values{"match.l1": {"r1", "r2"}}, Answer{}, `"match.l1" given 2 times`},
		{"text trimmed", text, url.Values{"text": {"  DELETE "}}, Answer{Text: "DELETE"}, ""},
		{"open with ticks", open, url.Values{"open": {" I would "}, "rubric": {"0", "2"}}, Answer{Open: "I would", Rubric: []int{0, 2}}, ""},
		{"open unwritten is fine here", open, url.Values{"rubric": {"1"}}, Answer{Rubric: []int{1}}, ""},
		{"open tick not a number", open, url.Values{"rubric": {strings.Repeat("x", 50)}}, Answer{}, `rubric point "xxxxxxxxxxxxxxxxxxxx" is not`},
		{"open too long", open, url.Values{"open": {strings.Repeat("я", MaxOpenAnswer+1)}}, Answer{}, "at most 4000 characters"},
		{"open at the limit, CRLF counted once", open, url.Values{"open": {strings.Repeat("я", MaxOpenAnswer-2) + "\r\n"}}, Answer{Open: strings.Repeat("я", MaxOpenAnswer-2)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseForm(tt.q, tt.form)
			if tt.err != "" {
				if !errors.Is(err, ErrInvalidAnswer) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want ErrInvalidAnswer saying %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseForm = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// FuzzParseForm: whatever a client posts, ParseForm returns an answer
// or an ErrInvalidAnswer, and an answer it returns is graded or refused
// the same way.
func FuzzParseForm(f *testing.F) {
	f.Add(0, "choice=a&choice=b")
	f.Add(3, "pos.x=1&pos.y=2")
	f.Add(6, "open=%E2%80%A6&rubric=1&rubric=-1")
	qs := allSamples(f)
	f.Fuzz(func(t *testing.T, which int, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		q := qs[uint(which)%uint(len(qs))]
		a, err := ParseForm(q, form)
		if err != nil {
			if !errors.Is(err, ErrInvalidAnswer) {
				t.Fatalf("ParseForm error %v is not ErrInvalidAnswer", err)
			}
			return
		}
		if OpenTooLong(a.Open) {
			t.Fatalf("accepted %d characters of open text", len(a.Open))
		}
		if res, err := Grade(q, a); err != nil && !errors.Is(err, ErrInvalidAnswer) {
			t.Fatalf("Grade(%+v) = %v", a, err)
		} else if err == nil && (res.Score < 0 || res.Score > 1) {
			t.Fatalf("score %v", res.Score)
		}
	})
}

// TestResultSummary: the sentence that explains a partial score comes
// from the counts Grade kept.
func TestResultSummary(t *testing.T) {
	t.Parallel()
	multi, order, match, open, single := mustParse(t, multiSrc), mustParse(t, orderSrc), mustParse(t, matchSrc), mustParse(t, openSrc), mustParse(t, singleSrc)
	ck := func(is ...int) []string {
		var keys []string
		for _, i := range is {
			keys = append(keys, multi.Choices[i].Key)
		}
		return keys
	}
	pairs := map[string]string{}
	for i, p := range match.Pairs {
		pairs[p.LeftKey] = match.Pairs[(i+1)%len(match.Pairs)].RightKey
	}
	pairs[match.Pairs[0].LeftKey] = match.Pairs[0].RightKey
	ik := order.ItemKeys
	tests := []struct {
		name string
		q    *Question
		a    Answer
		want string
	}{
		{"multi, partly right", multi, Answer{Choices: ck(0, 1, 3)}, "You found 2 of 3 right choices and picked 1 wrong one: 3 of 5 choices judged right, 60%."},
		{"multi, all right", multi, Answer{Choices: ck(0, 1, 2)}, "You found 3 of 3 right choices and picked no wrong one: 5 of 5 choices judged right, 100%."},
		{"multi, only wrong", multi, Answer{Choices: ck(3, 4)}, "You found 0 of 3 right choices and picked 2 wrong ones: no credit without a right choice."},
		{"order", order, Answer{Order: []string{ik[0], ik[2], ik[1], ik[3]}}, "2 of 4 in the right place."},
		{"match", match, Answer{Match: pairs}, "1 of 3 pairs right."},
		{"open", open, Answer{Rubric: []int{2}}, "You covered 1 of 3 key points."},
		{"single says it in its feedback", single, Answer{Choices: []string{single.Choices[1].Key}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := Grade(tt.q, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Summary(); got != tt.want {
				t.Errorf("Summary = %q, want %q", got, tt.want)
			}
		})
	}
}
