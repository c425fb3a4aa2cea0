package lessons

import (
	"slices"
	"time"
)

// Record is what is kept of one learner in one lesson: their own
// "completed" mark, their last visit and where on the page it was.
type Record struct {
	Marked      bool
	LastVisited time.Time
	Position    string // a heading anchor of the lesson, or ""
}

// CourseMap is a learner's state across the course, for the course map's
// bars, its one next step, and the lesson sidebar.
type CourseMap struct {
	Done, Total, Percent int
	Modules              []Bar                  // by module index
	Lessons              map[string]LessonState // by slug; absent: not started
	// Next is the map's one next step: the lesson last visited while it
	// is unfinished (Resume, at ResumeAnchor), else the first unfinished
	// lesson after it in course order, coming round to the start; nil
	// once every lesson is complete. Resume is false when nothing has
	// been visited yet (the button says Start).
	Next         *Lesson
	Resume       bool
	ResumeAnchor string
}

// Bar is how much of a module (or of the course) is complete.
type Bar struct{ Done, Total, Percent int }

// LessonState is one lesson on the map.
type LessonState struct {
	Visited, Completed bool
	// ByLabs: completed because the learner solved every lab goal the
	// lesson sets, not (only) by marking it (see Completed).
	ByLabs      bool
	LastVisited time.Time
}

// Completed is the completion rule. A lesson is completed when the
// learner marked it complete, or when they solved the goal of every lab
// whose goal the lesson sets (its lab block names the goal; each goal is
// set in one lesson, so one solve completes one lesson). Solving is the
// hands-on proof the lesson asks for, so it needs no click — and it is
// read from the lab record, which never forgets, so it cannot be undone
// by "Mark as not complete"; the lesson page says why it counts. A
// lesson that sets no goal completes only by the mark; a lab card of the
// same panel in another lesson shows the goal but does not make that
// lesson complete. solved holds the panels whose goal is met; nil when
// they are unknown (they could not be read), which completes nothing.
// Pages read completion here; the stored mark stays the learner's own.
func (l *Lesson) Completed(marked bool, solved map[string]bool) (done, byLabs bool) {
	goals := l.Goals()
	byLabs = len(goals) > 0 && solved != nil
	for _, g := range goals {
		if !solved[g] {
			byLabs = false
		}
	}
	return marked || byLabs, byLabs
}

// Map is the course map of a learner with these records (by slug) and
// these solved lab panels (see Completed).
func (c *Catalog) Map(records map[string]Record, solved map[string]bool) *CourseMap {
	p := &CourseMap{Total: len(c.Lessons), Lessons: map[string]LessonState{}, Modules: make([]Bar, len(c.Modules))}
	var last *Lesson
	var lastSeen time.Time
	for _, m := range c.Modules {
		b := &p.Modules[m.Index]
		b.Total = len(m.Lessons)
		for _, l := range m.Lessons {
			r, ok := records[l.Slug]
			var st LessonState
			st.Completed, st.ByLabs = l.Completed(ok && r.Marked, solved)
			if !ok && !st.Completed {
				continue
			}
			if ok {
				st.Visited, st.LastVisited = true, r.LastVisited
			}
			p.Lessons[l.Slug] = st
			if st.Completed {
				b.Done++
				p.Done++
			}
			if ok && r.LastVisited.After(lastSeen) {
				lastSeen, last = r.LastVisited, l
			}
		}
		b.Percent = share(b.Done, b.Total)
	}
	p.Percent = share(p.Done, p.Total)
	p.Next, p.Resume = c.next(p.Lessons, last)
	if p.Next != nil && p.Next == last {
		p.ResumeAnchor = records[last.Slug].Position
	}
	return p
}

// next is the one next step the course map offers: last (the lesson
// visited most recently) while it is unfinished, else the first
// unfinished lesson after it in course order, coming round to the first
// lesson; nil when every lesson is complete. resume is whether anything
// was visited (Resume) or the learner starts afresh (Start).
func (c *Catalog) next(states map[string]LessonState, last *Lesson) (next *Lesson, resume bool) {
	if len(c.Lessons) == 0 {
		return nil, false
	}
	from := 0
	if last != nil {
		from = max(slices.Index(c.Lessons, last), 0)
	}
	for i := range c.Lessons {
		l := c.Lessons[(from+i)%len(c.Lessons)]
		if !states[l.Slug].Completed {
			return l, last != nil
		}
	}
	return nil, last != nil
}

func share(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

// EmbeddedLabs lists the lab panels the lesson's blocks embed, each
// once, in page order (Labs is the front matter's list, in its order).
func (l *Lesson) EmbeddedLabs() []string {
	var names []string
	for _, seg := range l.Body {
		if seg.Lab != nil && !slices.Contains(names, seg.Lab.Name) {
			names = append(names, seg.Lab.Name)
		}
	}
	return names
}

// LabLessons lists the lessons that embed lab, in course order.
func (c *Catalog) LabLessons(lab string) []*Lesson {
	var out []*Lesson
	for _, l := range c.Lessons {
		if slices.Contains(l.EmbeddedLabs(), lab) {
			out = append(out, l)
		}
	}
	return out
}
