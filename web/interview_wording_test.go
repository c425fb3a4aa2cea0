package web

import (
	"strings"
	"testing"
)

// TestInterviewHomeCountsAnswers: "1 answer so far", never "1 answers".
func TestInterviewHomeCountsAnswers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for n, want := range map[int]string{1: "1 answer so far", 2: "2 answers so far"} {
		buf, err := env.srv.render.execute("interview", interviewHome{Answered: n, Cards: 1, HasQuestions: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Answered %d: the page lacks %q", n, want)
		}
	}
}
