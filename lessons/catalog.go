package lessons

import (
	"errors"
	"fmt"
	"html/template"

	"github.com/authlab/authlab/quiz"
)

// ErrNotFound is returned for a slug or id the course does not have.
var ErrNotFound = errors.New("lessons: not found")

// LabNames lists every lab a `lab` block or a lesson's `labs` may name
// (docs/content.md, "Blocks"), in a fixed order. It is a function, not a variable, so no
// caller can change the list for everyone.
func LabNames() []string {
	return []string{
		"twin-login", "revoke-vs-replay", "refresh-rotation", "csrf", "token-storage",
		"jwt-forgery", "fixation", "key-rotation", "cluster", "cost", "opaque-vs-jwt", "step-up",
	}
}

// LabModes lists the values a `lab` block's optional mode may take.
func LabModes() []string { return []string{"split", "session", "token", "single"} }

// Catalog is the whole course, loaded and rendered once. It is immutable
// after Load: share it freely between goroutines.
type Catalog struct {
	Title     string
	Modules   []*Module
	Lessons   []*Lesson // course order
	Bank      *quiz.Bank
	Interview []*InterviewPage
	Glossary  []Term

	bySlug     map[string]*Lesson
	byQuestion map[string]*Lesson
	byTerm     map[string]*Term
}

// Lesson returns the lesson with that slug, or an error wrapping ErrNotFound.
func (c *Catalog) Lesson(slug string) (*Lesson, error) {
	if l, ok := c.bySlug[slug]; ok {
		return l, nil
	}
	return nil, fmt.Errorf("lessons: lesson %q: %w", slug, ErrNotFound)
}

// LessonOf reports which lesson holds the quiz with that id; interview
// bank questions belong to no lesson.
func (c *Catalog) LessonOf(questionID string) (*Lesson, bool) {
	l, ok := c.byQuestion[questionID]
	return l, ok
}

// Term returns the glossary entry with that id, or an error wrapping ErrNotFound.
func (c *Catalog) Term(id string) (*Term, error) {
	if t, ok := c.byTerm[id]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("lessons: glossary term %q: %w", id, ErrNotFound)
}

// Minutes is the sum of every lesson's front-matter minutes.
func (c *Catalog) Minutes() int {
	n := 0
	for _, l := range c.Lessons {
		n += l.Minutes
	}
	return n
}

// Module is one titled group of lessons in course.yaml.
type Module struct {
	Title   string
	Index   int // 0-based position in the course
	Lessons []*Lesson
	Check   []*quiz.Question // the mastery check, in the order asked (mastery.go)
}

// Lesson is one rendered lesson file.
type Lesson struct {
	Slug, Title, Summary string
	Minutes, Level       int // front matter: the author's estimate; 1 basics … 3 deep dive
	ReadingMinutes       int // from the word count, at about 200 words a minute
	Objectives           []string
	Labs                 []string
	File                 string // e.g. "lessons/02-sessions.md"
	Module               *Module
	Index                int // 0-based position in the course
	Prev, Next           *Lesson
	TOC                  []Heading
	Body                 []Segment
	Quizzes              []*quiz.Question // in order of appearance
	Curls                []Curl
	// Anchors holds every id a link may target with #: headings and quizzes.
	Anchors map[string]bool
}

// QuizIDs lists the IDs of the lesson's quizzes, in page order.
func (l *Lesson) QuizIDs() []string {
	ids := make([]string, len(l.Quizzes))
	for i, q := range l.Quizzes {
		ids[i] = q.ID
	}
	return ids
}

// Heading is one entry of a lesson's table of contents (h2 and h3).
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Segment is a piece of a rendered page. Prose comes first; then, when
// Quiz or Lab is set, the web layer renders that block for the current
// learner. The last segment of a page has neither.
type Segment struct {
	HTML template.HTML
	Quiz *quiz.Question
	Lab  *LabBlock
}

// LabBlock is a `lab` fenced block: a live lab panel at that point.
type LabBlock struct {
	Name  string
	Mode  string    // split | session | token | single, or "" for the lab's default
	Goal  *LabGoal  // the lab's goal, in the one block that sets it; nil elsewhere
	Steps []LabStep // in the order written, the goal's hints
	Line  int       // line of the block's opening fence
}

// Curl is a `curl` fenced block: a shell command a learner may paste,
// which a test runs against a real server ($BASE, $LAB are placeholders).
type Curl struct {
	Line    int // line of the first command line
	Command string
}

// InterviewPage is one interview/*.md page of the question bank.
type InterviewPage struct {
	File      string
	Slug      string // the file's base name without .md
	Title     string
	Topics    []string
	Body      []Segment
	Questions []*quiz.Question
}

// Term is one glossary entry; link to it with /glossary#ID.
type Term struct {
	ID         string
	Term       string
	Definition template.HTML
}
