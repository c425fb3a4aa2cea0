package quiz

import (
	"errors"
	"math"
	"testing"
)

func FuzzParseBlock(f *testing.F) {
	for _, src := range [][]byte{singleSrc, multiSrc, tfSrc, orderSrc, matchSrc, textSrc, openSrc,
		[]byte("id: x\ntype: single\nprompt: [unclosed\n"), []byte("a: &a [*a]\n"), []byte("- 1\n---\n- 2\n"),
		[]byte("id: x\ntype: text\nprompt: <script>alert(1)</script>\naccept: [\"`a`\"]\n")} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		q, err := ParseBlock(src, "fuzz.md", 5)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || q != nil {
				t.Fatalf("ParseBlock = %v, %v: want only an *Error", q, err)
			}
			if qe.Line < 5 {
				t.Fatalf("error line %d before the block", qe.Line)
			}
			return
		}
		if q.ID == "" || !q.Type.Valid() || q.Level < 1 || q.Level > 3 {
			t.Fatalf("accepted an invalid question %+v", q)
		}
		// Whatever parses can be shown and revealed.
		q.Public(Seed("fuzz", q.ID))
		q.Reveal()
	})
}

// FuzzGrade throws arbitrary answers at every sample question: Grade must
// either score in [0, 1] or refuse with ErrInvalidAnswer.
func FuzzGrade(f *testing.F) {
	f.Add(0, "", "", "", true, 0)
	f.Add(1, "x", "y", "DELETE", false, 2)
	qs := allSamples(f)
	f.Fuzz(func(t *testing.T, which int, k1, k2, text string, tf bool, tick int) {
		q := qs[uint(which)%uint(len(qs))]
		// Mix real keys with fuzzed ones so both paths are exercised.
		pick := func(k string) string {
			if len(k) == 1 && len(q.Choices) > 0 {
				return q.Choices[int(k[0])%len(q.Choices)].Key
			}
			return k
		}
		answers := []Answer{
			{Choices: []string{pick(k1), pick(k2)}},
			{Choices: []string{pick(k1)}},
			{Order: append([]string{k1, k2}, q.ItemKeys...)},
			{Order: q.ItemKeys},
			{Match: map[string]string{k1: k2}},
			{TF: &tf},
			{Text: text},
			{Rubric: []int{tick}},
			{Text: text, Rubric: []int{tick}},
		}
		for _, a := range answers {
			res, err := Grade(q, a)
			if err != nil {
				if !errors.Is(err, ErrInvalidAnswer) {
					t.Fatalf("%s: Grade error %v does not wrap ErrInvalidAnswer", q.ID, err)
				}
				continue
			}
			if math.IsNaN(res.Score) || res.Score < 0 || res.Score > 1 {
				t.Fatalf("%s: score %v out of [0, 1]", q.ID, res.Score)
			}
		}
	})
}
