package web

import (
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/gin-gonic/gin"
)

// courseProgress is the viewer's state across the course, for the home
// page bars, the Resume button and the lesson sidebar.
type courseProgress struct {
	Done, Total, Percent int
	Modules              []barState // by module index
	Lessons              map[string]lessonState
	Resume               *lessons.Lesson
	ResumeAnchor         string
}

type barState struct{ Done, Total, Percent int }

type lessonState struct {
	Visited, Completed bool
	LastVisited        time.Time
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
	var last *lessons.Lesson
	var lastSeen int64
	for _, m := range cat.Modules {
		b := &p.Modules[m.Index]
		b.Total = len(m.Lessons)
		for _, l := range m.Lessons {
			r, ok := rows[l.Slug]
			if !ok {
				continue
			}
			st := lessonState{Visited: true, Completed: r.CompletedAt != nil, LastVisited: r.LastVisited}
			p.Lessons[l.Slug] = st
			if st.Completed {
				b.Done++
				p.Done++
			}
			if t := r.LastVisited.UnixNano(); t > lastSeen {
				lastSeen, last, p.ResumeAnchor = t, l, r.Position
			}
		}
		b.Percent = share(b.Done, b.Total)
	}
	p.Percent = share(p.Done, p.Total)
	p.Resume = last
	return p
}

func share(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}
