package interview

import (
	"errors"
	"net/url"
	"testing"

	"github.com/authlab/authlab/quiz"
)

// TestGradeForm: a graded question is graded at once and rated by its
// result; an open prompt reveals first, then takes the learner's own
// rating, which must be one of the four.
func TestGradeForm(t *testing.T) {
	t.Parallel()
	cat := loadCourse(t)
	graded, open := question(t, cat.Bank, "s-one"), question(t, cat.Bank, "iv-token-why")
	right := graded.Choices[0].Key
	if !graded.Choices[0].Correct {
		right = graded.Choices[1].Key
	}
	tests := []struct {
		name   string
		q      *quiz.Question
		form   url.Values
		want   FormGrade // Answer left out
		formEr bool      // a FormError
		invEr  bool      // an ErrInvalidAnswer
	}{
		{"graded, right", graded, url.Values{"choice": {right}}, FormGrade{Rating: quiz.Good}, false, false},
		{"graded, not an answer", graded, url.Values{"choice": {"nope"}}, FormGrade{}, false, true},
		{"open, first post reveals", open, url.Values{"open": {"It scales"}}, FormGrade{Reveal: true}, false, false},
		{"open, rated", open, url.Values{"rubric": {"0"}, "rating": {"2"}}, FormGrade{Rating: quiz.Hard, Self: 2}, false, false},
		{"open, grade step without a rating", open, url.Values{"step": {"grade"}}, FormGrade{}, true, false},
		{"open, rating out of range", open, url.Values{"rating": {"5"}}, FormGrade{}, true, false},
		{"open, rating twice", open, url.Values{"rating": {"1", "4"}}, FormGrade{}, true, false},
		{"open, a tick out of range", open, url.Values{"rubric": {"9"}, "rating": {"3"}}, FormGrade{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := GradeForm(tt.q, tt.form)
			var fe FormError
			if errors.As(err, &fe) != tt.formEr || errors.Is(err, quiz.ErrInvalidAnswer) != tt.invEr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				return
			}
			if g.Rating != tt.want.Rating || g.Self != tt.want.Self || g.Reveal != tt.want.Reveal {
				t.Errorf("got rating %v self %d reveal %v, want %+v", g.Rating, g.Self, g.Reveal, tt.want)
			}
			if !g.Reveal && g.Result.QuestionID != tt.q.ID {
				t.Errorf("not graded: %+v", g.Result)
			}
		})
	}
}
