package web

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/gin-gonic/gin"
)

// courseProgress is the viewer's state across the course, for the home
// page bars, the Resume button and the lesson sidebar.
type courseProgress struct {
	Done, Total, Percent int
	Modules              []barState // by module index
	Lessons              map[string]lessonState
	// Next is the map's one next step: the lesson last visited while it
	// is unfinished (Resume, at ResumeAnchor), else the first unfinished
	// lesson after it in course order, coming round to the start; nil
	// once every lesson is complete. Resume is false when nothing has
	// been visited yet (the button says Start).
	Next         *lessons.Lesson
	Resume       bool
	ResumeAnchor string
	Labs         map[string]labProgress // by panel
}

type barState struct{ Done, Total, Percent int }

type lessonState struct {
	Visited, Completed bool
	// ByLabs: completed because the learner solved every lab goal the
	// lesson sets, not (only) by marking it (see lessonCompleted).
	ByLabs      bool
	LastVisited time.Time
}

// lessonCompleted is the completion rule. A lesson is completed when
// the learner marked it complete, or when they solved the goal of every
// lab whose goal the lesson sets (its lab block names the goal; each
// goal is set in one lesson, so one solve completes one lesson). Solving
// is the hands-on proof the lesson asks for, so it needs no click — and
// it is read from the lab record, which never forgets, so it cannot be
// undone by "Mark as not complete"; the lesson page says why it counts.
// A lesson that sets no goal completes only by the mark; a lab card of
// the same panel in another lesson shows the goal but does not make
// that lesson complete. Pages read completion here (the course map, the
// module bars, the lesson sidebar and its "completed" panel); the stored
// completed_at stays the learner's own mark.
func lessonCompleted(l *lessons.Lesson, marked bool, labs map[string]labProgress) (done, byLabs bool) {
	goals := l.Goals()
	byLabs = len(goals) > 0 && labs != nil
	for _, g := range goals {
		if !labs[g].Solved() {
			byLabs = false
		}
	}
	return marked || byLabs, byLabs
}

// progressFor loads the viewer's progress; nil for a visitor who has
// never done anything worth keeping (nothing to show, nothing read).
func (s *Server) progressFor(c *gin.Context, cat *lessons.Catalog) *courseProgress {
	v := viewerFrom(c)
	if v == nil {
		return nil
	}
	rows, err := s.store.Lessons(c.Request.Context(), v.LearnerID)
	if err != nil {
		s.log.WarnContext(c.Request.Context(), "load progress", "err", err)
		return nil
	}
	p := &courseProgress{Total: len(cat.Lessons), Lessons: map[string]lessonState{}, Modules: make([]barState, len(cat.Modules))}
	if p.Labs, err = s.labsFor(c.Request.Context(), v.LearnerID); err != nil {
		s.log.WarnContext(c.Request.Context(), "load lab progress", "err", err)
		p.Labs = nil
	}
	var last *lessons.Lesson
	var lastSeen int64
	var anchor string
	for _, m := range cat.Modules {
		b := &p.Modules[m.Index]
		b.Total = len(m.Lessons)
		for _, l := range m.Lessons {
			r, ok := rows[l.Slug]
			var st lessonState
			st.Completed, st.ByLabs = lessonCompleted(l, ok && r.CompletedAt != nil, p.Labs)
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
			if t := r.LastVisited.UnixNano(); ok && t > lastSeen {
				lastSeen, last, anchor = t, l, r.Position
			}
		}
		b.Percent = share(b.Done, b.Total)
	}
	p.Percent = share(p.Done, p.Total)
	p.Next, p.Resume = nextLesson(cat, p.Lessons, last)
	if p.Next == last {
		p.ResumeAnchor = anchor
	}
	return p
}

// nextLesson is the one next step the course map offers: last (the
// lesson visited most recently) while it is unfinished, else the first
// unfinished lesson after it in course order, coming round to the first
// lesson; nil when every lesson is complete. resume is whether anything
// was visited (Resume) or the learner starts afresh (Start).
func nextLesson(cat *lessons.Catalog, states map[string]lessonState, last *lessons.Lesson) (next *lessons.Lesson, resume bool) {
	if len(cat.Lessons) == 0 {
		return nil, false
	}
	from := 0
	if last != nil {
		from = slices.Index(cat.Lessons, last)
	}
	for i := range cat.Lessons {
		l := cat.Lessons[(max(from, 0)+i)%len(cat.Lessons)]
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

// labProgress is how far a learner got in one lab panel: steps done out
// of the panel's steps, and whether its goal is met, read from the
// learner's stored milestones (never from a lab's trace, which forgets),
// so a step once done stays done and a lab once solved stays solved.
type labProgress struct {
	Panel, Title string
	Done, Total  int
	Steps        map[string]bool // milestone ID -> done
	Goal         string          // the panel's goal milestone ID
	GoalMet      bool
}

// Solved reports whether the panel's goal is met: the lab is solved
// however the learner got there, with every step ticked or none.
func (p labProgress) Solved() bool { return p.GoalMet }

// Summary is the short form: "3 of 4 steps", "4 of 4 steps · Solved".
func (p labProgress) Summary() string {
	s := strconv.Itoa(p.Done) + " of " + strconv.Itoa(p.Total) + " steps"
	if p.Total == 1 {
		s = strconv.Itoa(p.Done) + " of 1 step"
	}
	if p.Solved() {
		s += " · Solved"
	}
	return s
}

// labsFor is the learner's progress in every lab panel, by panel. A
// milestone recorded under one panel counts only if that panel still has
// such a step. An empty learner ID gives every panel at zero.
func (s *Server) labsFor(ctx context.Context, learnerID string) (map[string]labProgress, error) {
	done := map[string]map[string]bool{}
	if learnerID != "" {
		ms, err := s.store.Milestones(ctx, learnerID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if done[m.Lab] == nil {
				done[m.Lab] = map[string]bool{}
			}
			done[m.Lab][m.Name] = true
		}
	}
	out := make(map[string]labProgress, len(sandbox.Panels()))
	for _, panel := range sandbox.Panels() {
		p := labProgress{Panel: panel, Title: labTitle(panel), Steps: map[string]bool{}, Goal: sandbox.Goal(panel).ID}
		for _, m := range sandbox.Milestones(panel) {
			p.Total++
			if done[panel][m.ID] {
				p.Steps[m.ID] = true
				p.Done++
			}
		}
		p.GoalMet = done[panel][p.Goal]
		out[panel] = p
	}
	return out, nil
}

// lessonLabs lists the lab panels a lesson embeds, each once, in order.
func lessonLabs(l *lessons.Lesson) []string {
	var names []string
	for _, seg := range l.Body {
		if seg.Lab != nil && !slices.Contains(names, seg.Lab.Name) && sandbox.Milestones(seg.Lab.Name) != nil {
			names = append(names, seg.Lab.Name)
		}
	}
	return names
}

// labsOf picks a lesson's labs out of all.
func labsOf(l *lessons.Lesson, all map[string]labProgress) []labProgress {
	var out []labProgress
	for _, name := range lessonLabs(l) {
		out = append(out, all[name])
	}
	return out
}

// viewerLabs is the viewer's lab progress from p, or every panel at zero
// when nothing is recorded (or it could not be read).
func (s *Server) viewerLabs(c *gin.Context, p *courseProgress) map[string]labProgress {
	if p != nil && p.Labs != nil {
		return p.Labs
	}
	all, _ := s.labsFor(c.Request.Context(), "")
	return all
}

// learnerExport is "Export my data": what the store holds, plus the
// learner's progress in each lab panel they have started.
type learnerExport struct {
	*progress.Export
	Labs []labExport `json:"labs"`
}

type labExport struct {
	Panel  string   `json:"panel"`
	Title  string   `json:"title"`
	Done   int      `json:"steps_done"`
	Total  int      `json:"steps"`
	Goal   string   `json:"goal"`   // the goal milestone ID
	Solved bool     `json:"solved"` // the goal is met
	Steps  []string `json:"done"`   // milestone IDs, in the panel's order
}

// withLabs adds the learner's lab progress to an export.
func (s *Server) withLabs(ctx context.Context, learnerID string, ex *progress.Export) (learnerExport, error) {
	all, err := s.labsFor(ctx, learnerID)
	if err != nil {
		return learnerExport{}, err
	}
	out := learnerExport{Export: ex, Labs: []labExport{}}
	for _, panel := range sandbox.Panels() {
		p := all[panel]
		if p.Done == 0 && !p.Solved() {
			continue
		}
		e := labExport{Panel: panel, Title: p.Title, Done: p.Done, Total: p.Total, Goal: p.Goal, Solved: p.Solved()}
		for _, m := range sandbox.Milestones(panel) {
			if p.Steps[m.ID] {
				e.Steps = append(e.Steps, m.ID)
			}
		}
		out.Labs = append(out.Labs, e)
	}
	return out, nil
}
