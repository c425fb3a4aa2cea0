package quiz

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxOpenAnswer is the longest written answer to an open question, in
// characters, as a textarea's maxlength counts them.
const MaxOpenAnswer = 4000

// The form an answer arrives in (the site's quiz and interview forms, or
// any client posting the same fields) is one field per part of the
// answer, named by the question's type:
//
//   - single, multi: choice, once per key picked; truefalse: choice=true|false.
//   - order: order, once per item key in the learner's order; or, from a
//     form without JavaScript, pos.<item key>=<its position, 1 first>.
//   - match: match.<left key>=<right key>; an empty value is no answer.
//   - text: text. open: open (what was written) and rubric, once per
//     index of a key point ticked.
//
// Fields of other types are ignored. A field that may appear once but
// appears more often is refused; the values themselves are Grade's to
// check.

// ParseForm reads the answer to q from its form fields. An open answer's
// written text may be empty (a mock interview's learner may just think);
// a caller that needs it says so. Errors wrap ErrInvalidAnswer.
func ParseForm(q *Question, form url.Values) (Answer, error) {
	var a Answer
	one := func(name string) (string, error) {
		if len(form[name]) > 1 {
			return "", fmt.Errorf("%w: %q given %d times", ErrInvalidAnswer, name, len(form[name]))
		}
		return strings.TrimSpace(form.Get(name)), nil
	}
	var err error
	switch q.Type {
	case Single, Multi:
		a.Choices = form["choice"]
	case TrueFalse:
		v, err := one("choice")
		if err != nil || v == "" {
			return a, err
		}
		if v != "true" && v != "false" {
			return a, fmt.Errorf("%w: a true/false answer is true or false, not %q", ErrInvalidAnswer, v)
		}
		tf := v == "true"
		a.TF = &tf
	case Order:
		if a.Order = form["order"]; len(a.Order) == 0 {
			a.Order, err = positions(q, form)
		}
	case Match:
		for k, vs := range form {
			left, ok := strings.CutPrefix(k, "match.")
			if !ok {
				continue
			}
			if len(vs) != 1 {
				return a, fmt.Errorf("%w: %q given %d times", ErrInvalidAnswer, k, len(vs))
			}
			if vs[0] != "" {
				if a.Match == nil {
					a.Match = map[string]string{}
				}
				a.Match[left] = vs[0]
			}
		}
	case Text:
		a.Text, err = one("text")
	case Open:
		if a.Open, err = one("open"); err != nil {
			return a, err
		}
		if OpenTooLong(a.Open) {
			return a, ErrOpenTooLong
		}
		for _, v := range form["rubric"] {
			i, err := strconv.Atoi(v)
			if err != nil {
				return a, fmt.Errorf("%w: rubric point %q is not a number", ErrInvalidAnswer, clip(v, 20))
			}
			a.Rubric = append(a.Rubric, i)
		}
	}
	return a, err
}

// positions reads the form of an order question without JavaScript: one
// pos.<item key> field per item holding its position, 1 first.
func positions(q *Question, form url.Values) ([]string, error) {
	at := map[int]string{}
	for k, vs := range form {
		key, ok := strings.CutPrefix(k, "pos.")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.Join(vs, ","))
		if err != nil || n < 1 || n > len(q.ItemKeys) {
			return nil, fmt.Errorf("%w: the position of each item is one number from 1 to %d", ErrInvalidAnswer, len(q.ItemKeys))
		}
		if _, taken := at[n]; taken {
			return nil, fmt.Errorf("%w: two items are both at position %d; give every item its own position", ErrInvalidAnswer, n)
		}
		at[n] = key
	}
	var order []string
	for n := 1; n <= len(q.ItemKeys); n++ {
		if k, ok := at[n]; ok {
			order = append(order, k)
		}
	}
	return order, nil
}

// OpenTooLong reports whether a written answer is over MaxOpenAnswer
// characters. Characters, not bytes, as the textarea's maxlength counts
// (it counts UTF-16 units, never fewer than runes), and a line break
// counts once although the browser sends it as CRLF.
func OpenTooLong(s string) bool {
	return utf8.RuneCountInString(strings.ReplaceAll(s, "\r\n", "\n")) > MaxOpenAnswer
}

// ErrOpenTooLong is the reason given for an answer over MaxOpenAnswer.
var ErrOpenTooLong = fmt.Errorf("%w: a written answer is at most %d characters", ErrInvalidAnswer, MaxOpenAnswer)

// clip shortens s to n bytes at most, for quoting untrusted input.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
