package quiz

import (
	"testing"
)

func BenchmarkParseBlock(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseBlock(singleSrc, "lesson.md", 10); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGrade(b *testing.B) {
	multi := mustParse(b, multiSrc)
	text := mustParse(b, textSrc)
	ma := Answer{Choices: []string{multi.Choices[0].Key, multi.Choices[3].Key}}
	ta := Answer{Text: "  `Delete`. "}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Grade(multi, ma); err != nil {
			b.Fatal(err)
		}
		if _, err := Grade(text, ta); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPublic(b *testing.B) {
	q := mustParse(b, multiSrc)
	seed := Seed("learner", q.ID)
	b.ReportAllocs()
	for b.Loop() {
		q.Public(seed)
	}
}
