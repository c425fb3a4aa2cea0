package interview

import (
	"time"

	"github.com/authlab/authlab/quiz"
)

// The sources of interview answers (progress.Attempt.Source).
const (
	SourceDrill = "drill" // drill and due-review answers
	SourceMock  = "mock"  // mock-interview answers
)

// The kinds of practice run.
const (
	KindDrill = "drill"
	KindMock  = "mock"
	KindDue   = "due"
	// KindModule is a module's mastery check (lessons.Module.Check; see
	// mastery.go): the check's questions in its order, untimed.
	KindModule = "module"
)

// Sizes and limits of runs.
const (
	DrillDefault = 10
	DrillMax     = 30
	MockDefault  = 3
	MockMax      = 6
	MockTimer    = 120 // seconds per prompt: "explain it in two minutes"
	DueMax       = 20  // cards in one round of due reviews
	PracticeMax  = 50  // questions a run URL may list
	MaxTimer     = 3600

	// RecentRuns: a new drill draws the questions answered in the last
	// three runs only when the fresh ones run out.
	RecentRuns   = 3
	RecentWindow = 30 * 24 * time.Hour
)

// GradedTypes are the question types a quick drill draws: the ones
// marked at once.
var GradedTypes = []quiz.Type{quiz.Single, quiz.Multi, quiz.TrueFalse, quiz.Order, quiz.Match, quiz.Text}

// OpenTypes are what a mock interview and the cheat sheet draw.
var OpenTypes = []quiz.Type{quiz.Open}

// KindTitle names a kind of run for people.
func KindTitle(kind string) string {
	switch kind {
	case KindMock:
		return "Mock interview"
	case KindDue:
		return "Due reviews"
	case KindModule:
		return "Module check"
	}
	return "Quick drill"
}

// KindSource is the attempt source of a kind's answers.
func KindSource(kind string) string {
	if kind == KindMock {
		return SourceMock
	}
	return SourceDrill
}

// StartPath is where another run of the kind starts.
func StartPath(kind string) string {
	switch kind {
	case KindMock:
		return "/interview/mock"
	case KindDue:
		return "/interview/due"
	case KindModule:
		return "/" // the course map, where each module's check starts
	}
	return "/interview/drill"
}
