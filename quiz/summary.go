package quiz

import (
	"fmt"
	"math"
)

// Tally counts the parts of a graded answer. Right of Of: a multi's
// right choices found of its right choices, an order's items in place, a
// match's pairs right, an open answer's key points ticked. For a multi,
// Wrong is the wrong choices picked and Judged of Parts the choices
// judged right (a right one picked or a wrong one left alone) of all.
type Tally struct{ Right, Wrong, Of, Judged, Parts int }

// Summary is the sentence that explains a multi, order, match or open
// answer's score from its Tally; "" for the other types, whose feedback
// says it all.
func (r Result) Summary() string {
	t := r.Tally
	switch r.Type {
	case Multi:
		msg := fmt.Sprintf("You found %d of %d right choices", t.Right, t.Of)
		switch t.Wrong {
		case 0:
			msg += " and picked no wrong one"
		case 1:
			msg += " and picked 1 wrong one"
		default:
			msg += fmt.Sprintf(" and picked %d wrong ones", t.Wrong)
		}
		if t.Right == 0 {
			return msg + ": no credit without a right choice."
		}
		return msg + fmt.Sprintf(": %d of %d choices judged right, %d%%.", t.Judged, t.Parts, int(math.Round(r.Score*100)))
	case Order:
		return fmt.Sprintf("%d of %d in the right place.", t.Right, t.Of)
	case Match:
		return fmt.Sprintf("%d of %d pairs right.", t.Right, t.Of)
	case Open:
		return fmt.Sprintf("You covered %d of %d key points.", t.Right, t.Of)
	}
	return ""
}
