package lessons

import (
	"slices"
	"testing"
	"time"

	"github.com/authlab/authlab/quiz"
)

// mapCourse is two modules: a, b (b sets the csrf lab's goal) and c, d
// (d embeds csrf and sets no goal, then cost).
func mapCourse() *Catalog {
	lab := func(name string, goal bool) Segment {
		b := &LabBlock{Name: name}
		if goal {
			b.Goal = &LabGoal{Check: "goal-" + name}
		}
		return Segment{Lab: b}
	}
	a, b := &Lesson{Slug: "a"}, &Lesson{Slug: "b", Body: []Segment{{HTML: "intro"}, lab("csrf", true)}}
	c, d := &Lesson{Slug: "c"}, &Lesson{Slug: "d", Body: []Segment{lab("csrf", false), lab("cost", false), lab("csrf", false)}}
	cat := &Catalog{Modules: []*Module{{Index: 0, Lessons: []*Lesson{a, b}}, {Index: 1, Lessons: []*Lesson{c, d}}}}
	cat.Lessons = []*Lesson{a, b, c, d}
	return cat
}

// TestCourseMap: completion by the mark or by the goals a lesson sets,
// the bars, and the one next step (Resume at the last visit while it is
// unfinished, else onwards, coming round to the start).
func TestCourseMap(t *testing.T) {
	t.Parallel()
	at := func(m int) time.Time { return time.Date(2026, 1, 1, 0, m, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		records map[string]Record
		solved  map[string]bool
		done    []string // completed slugs, in course order
		byLabs  []string
		bars    []int // percent per module
		next    string
		resume  bool
		anchor  string
	}{
		{name: "nothing yet", bars: []int{0, 0}, next: "a"},
		{name: "the last visit is unfinished: resume there, at its anchor",
			records: map[string]Record{"a": {Marked: true, LastVisited: at(1)}, "c": {LastVisited: at(5), Position: "tokens"}},
			done:    []string{"a"}, bars: []int{50, 0}, next: "c", resume: true, anchor: "tokens"},
		{name: "the last visit is complete: the next unfinished one after it",
			records: map[string]Record{"b": {LastVisited: at(1)}, "c": {Marked: true, LastVisited: at(2), Position: "x"}},
			done:    []string{"c"}, bars: []int{0, 50}, next: "d", resume: true},
		{name: "coming round to the start",
			records: map[string]Record{"d": {Marked: true, LastVisited: at(3)}},
			done:    []string{"d"}, bars: []int{0, 50}, next: "a", resume: true},
		{name: "solving the goal completes the lesson that sets it, unvisited, not the others that embed the lab",
			solved: map[string]bool{"csrf": true, "cost": true},
			done:   []string{"b"}, byLabs: []string{"b"}, bars: []int{50, 0}, next: "a"},
		{name: "solved goals unknown: only the marks count",
			records: map[string]Record{"b": {Marked: false, LastVisited: at(1)}},
			bars:    []int{0, 0}, next: "b", resume: true},
		{name: "everything complete: no next step",
			records: map[string]Record{"a": {Marked: true}, "b": {Marked: true, LastVisited: at(9)}, "c": {Marked: true}, "d": {Marked: true}},
			done:    []string{"a", "b", "c", "d"}, bars: []int{100, 100}, resume: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cat := mapCourse()
			m := cat.Map(tt.records, tt.solved)
			var done, byLabs []string
			for _, l := range cat.Lessons {
				if st := m.Lessons[l.Slug]; st.Completed {
					done = append(done, l.Slug)
					if st.ByLabs {
						byLabs = append(byLabs, l.Slug)
					}
				}
			}
			if !slices.Equal(done, tt.done) || !slices.Equal(byLabs, tt.byLabs) {
				t.Errorf("completed %v (by labs %v), want %v (%v)", done, byLabs, tt.done, tt.byLabs)
			}
			if m.Done != len(tt.done) || m.Total != 4 || m.Percent != len(tt.done)*25 {
				t.Errorf("course bar %d/%d %d%%", m.Done, m.Total, m.Percent)
			}
			for i, want := range tt.bars {
				if m.Modules[i].Percent != want || m.Modules[i].Total != 2 {
					t.Errorf("module %d bar %+v, want %d%%", i, m.Modules[i], want)
				}
			}
			next := ""
			if m.Next != nil {
				next = m.Next.Slug
			}
			if next != tt.next || m.Resume != tt.resume || m.ResumeAnchor != tt.anchor {
				t.Errorf("next %q resume %v anchor %q, want %q %v %q", next, m.Resume, m.ResumeAnchor, tt.next, tt.resume, tt.anchor)
			}
		})
	}
}

func TestEmbeddedLabs(t *testing.T) {
	t.Parallel()
	cat := mapCourse()
	if got := cat.Lessons[3].EmbeddedLabs(); !slices.Equal(got, []string{"csrf", "cost"}) {
		t.Errorf("EmbeddedLabs = %v, want each once, in page order", got)
	}
	var slugs []string
	for _, l := range cat.LabLessons("csrf") {
		slugs = append(slugs, l.Slug)
	}
	if !slices.Equal(slugs, []string{"b", "d"}) {
		t.Errorf("LabLessons(csrf) = %v", slugs)
	}
}

func TestQuizIDs(t *testing.T) {
	t.Parallel()
	l := &Lesson{Quizzes: []*quiz.Question{{ID: "b"}, {ID: "a"}}}
	if got := l.QuizIDs(); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("QuizIDs = %v, want page order", got)
	}
	if got := (&Lesson{}).QuizIDs(); got == nil || len(got) != 0 {
		t.Errorf("no quizzes: %#v, want an empty list", got)
	}
}
