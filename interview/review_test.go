package interview

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
)

// TestReview: only answered questions, the missed ones first and the
// most recently missed first among them, each linked to its lesson's
// quiz (a bank question has no lesson).
func TestReview(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	at := func(m int) time.Time { return time.Date(2025, 3, 10, 12, m, 0, 0, time.UTC) }
	var open string
	for _, q := range cat.Bank.All() {
		if _, inLesson := cat.LessonOf(q.ID); !inLesson {
			open = q.ID
			break
		}
	}
	if open == "" {
		t.Fatal("the test course has no bank-only question")
	}
	wrong, right := Review(cat, map[string]progress.Best{
		"s-one": {Score: 1, Correct: true, Attempts: 2, Last: at(1)},
		"t-two": {Score: 0.5, Attempts: 1, Last: at(2)},
		"s-two": {Score: 0, Attempts: 3, Last: at(5)},
		open:    {Score: 0.333, Attempts: 1, Last: at(3)},
	}, at(6))
	idsOf := func(items []ReviewItem) (out []string) {
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	if got := idsOf(wrong); !slices.Equal(got, []string{"s-two", open, "t-two"}) {
		t.Errorf("wrong = %v, want the most recently missed first", got)
	}
	if got := idsOf(right); !slices.Equal(got, []string{"s-one"}) {
		t.Errorf("right = %v", got)
	}
	// A bank question has no lesson: its link is a one-question practice
	// run (a mock interview, for an open prompt) starting now.
	if it := wrong[1]; !strings.HasPrefix(it.Link, "/interview/practice?kind=") || !strings.HasSuffix(it.Link, "&q="+open+"&i=0") || it.Lesson != "" || it.Percent != 33 {
		t.Errorf("bank question %+v", it)
	}
	if it := right[0]; it.Link == "" || it.Lesson == "" || it.Percent != 100 || it.Attempts != 2 || it.Prompt == "" {
		t.Errorf("lesson question %+v", it)
	}
}
