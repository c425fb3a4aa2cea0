package quiz

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Card is the spaced-repetition schedule of one question for one learner.
// The zero Ease means a new card (InitialEase is used).
type Card struct {
	QuestionID string
	Ease       float64 // SM-2 E-Factor, never below MinEase
	Interval   int     // days until the next review
	Reps       int     // successful reviews in a row (SM-2's n)
	Lapses     int     // times a card in repetition was forgotten (Again)
	Due        time.Time
	Last       time.Time // last review; zero for a new card
}

// SM-2's constants.
const (
	InitialEase = 2.5
	MinEase     = 1.3
)

// RelearnStep is how soon a missed card comes back: within the same
// sitting, so it is seen again while the answer is fresh (SM-2's "repeat
// until recalled"), not tomorrow.
const RelearnStep = 10 * time.Minute

// NewCard is a card never reviewed, due now.
func NewCard(questionID string, now time.Time) Card {
	return Card{QuestionID: questionID, Ease: InitialEase, Due: now}
}

// Rating is the learner's (or the grader's) verdict on one review.
type Rating int

// The four ratings and the SM-2 response quality (0–5) each stands for:
//
//	Again = 1  "incorrect response; the correct one remembered"
//	Hard  = 3  "correct response recalled with serious difficulty"
//	Good  = 4  "correct response after a hesitation"
//	Easy  = 5  "perfect response"
//
// Again restarts the repetitions; Hard passes but lowers the ease by
// 0.14; Good keeps it; Easy raises it by 0.1.
const (
	Again Rating = 1
	Hard  Rating = 2
	Good  Rating = 3
	Easy  Rating = 4
)

// Quality is the SM-2 response quality, 0–5, of the rating. A rating
// outside 1–4 is clamped to the nearest one.
func (r Rating) Quality() int {
	switch {
	case r <= Again:
		return 1
	case r == Hard:
		return 3
	case r == Good:
		return 4
	}
	return 5
}

// String names the rating as the interface shows it.
func (r Rating) String() string {
	switch {
	case r <= Again:
		return "again"
	case r == Hard:
		return "hard"
	case r == Good:
		return "good"
	}
	return "easy"
}

// Review schedules the card after a review at now with rating r, by SM-2
// as Wozniak published it (1990):
//
//   - quality ≥ 3: the interval becomes 1 day after the first success, 6
//     after the second, then the previous interval times the ease,
//     rounded up; Reps grows by one.
//   - quality < 3: Reps restarts at 0 and the interval at 1 day, keeping
//     the ease (a card in repetition counts a lapse).
//   - then, for every quality, EF' = EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)),
//     never below 1.3. The interval uses the ease from before this
//     review, as in the published worked examples.
//
// SM-2's last step repeats the day's failed items until each is
// recalled: a card rated below quality 3 is due again RelearnStep later
// (the same session), and the SM-2 interval applies from its next
// success. Otherwise Due is now plus the interval in calendar days.
func (c Card) Review(r Rating, now time.Time) Card {
	q := r.Quality()
	if c.Ease == 0 {
		c.Ease = InitialEase
	}
	if q >= 3 {
		switch c.Reps {
		case 0:
			c.Interval = 1
		case 1:
			c.Interval = 6
		default:
			c.Interval = int(math.Ceil(float64(c.Interval)*c.Ease - 1e-9))
		}
		c.Reps++
	} else {
		if c.Reps > 0 {
			c.Lapses++
		}
		c.Reps = 0
		c.Interval = 1
	}
	d := float64(5 - q)
	c.Ease = max(MinEase, c.Ease+0.1-d*(0.08+d*0.02))
	// Ease is stored and compared: keep it free of float noise.
	c.Ease = math.Round(c.Ease*1000) / 1000
	c.Last = now
	c.Due = now.AddDate(0, 0, c.Interval)
	if q < 3 {
		c.Due = now.Add(RelearnStep)
	}
	return c
}

// RatingFor derives a rating from a graded answer: Good when correct,
// Hard for partial credit of at least a half (a multi with one miss, an
// order with most positions right), Again otherwise. Easy is left to
// the learner to claim.
func RatingFor(res Result) Rating {
	switch {
	case res.Correct:
		return Good
	case res.Score >= 0.5:
		return Hard
	}
	return Again
}

// DueQueue returns the cards due at now (Due not after now), most overdue
// first, at most limit of them (all when limit ≤ 0). For "due today",
// pass the end of the learner's day.
func DueQueue(cards []Card, now time.Time, limit int) []Card {
	var due []Card
	for _, c := range cards {
		if !c.Due.After(now) {
			due = append(due, c)
		}
	}
	slices.SortStableFunc(due, func(a, b Card) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.QuestionID, b.QuestionID))
	})
	if limit > 0 && len(due) > limit {
		due = due[:limit]
	}
	return due
}

// Forecast counts the cards falling due on each of the next days days:
// index 0 is everything due by the end of the first 24 hours from now
// (overdue cards included), index i the cards due in the 24 hours after.
func Forecast(cards []Card, now time.Time, days int) []int {
	out := make([]int, max(days, 0))
	for _, c := range cards {
		i := 0
		if c.Due.After(now) {
			i = int(c.Due.Sub(now) / (24 * time.Hour))
		}
		if i < len(out) {
			out[i]++
		}
	}
	return out
}
