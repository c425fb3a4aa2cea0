package web

import (
	"context"
	"log/slog"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/gin-gonic/gin"
)

// learnerProgress reads a learner's progress for the pages that show it:
// the course map (the rules are lessons.Catalog.Map's) and the steps and
// goals of every lab panel (sandbox.ProgressOf's).
type learnerProgress struct {
	log   *slog.Logger
	store progressStore
}

// progressStore is what learnerProgress reads.
type progressStore interface {
	Lessons(ctx context.Context, learnerID string) (map[string]progress.LessonProgress, error)
	Milestones(ctx context.Context, learnerID string) ([]progress.Milestone, error)
}

var _ progressStore = (*progress.Store)(nil)

// courseProgress is the viewer's state across the course, for the home
// page bars, the Resume button and the lesson sidebar, with their labs.
type courseProgress struct {
	*lessons.CourseMap
	Labs map[string]sandbox.Progress // by panel; nil when they could not be read
}

// course loads the viewer's progress; nil for a visitor who has never
// done anything worth keeping (nothing to show, nothing read).
func (lp *learnerProgress) course(c *gin.Context, cat *lessons.Catalog) *courseProgress {
	v := viewerFrom(c)
	if v == nil {
		return nil
	}
	ctx := c.Request.Context()
	rows, err := lp.store.Lessons(ctx, v.LearnerID)
	if err != nil {
		lp.log.WarnContext(ctx, "load progress", "err", err)
		return nil
	}
	var ms []progress.Milestone
	labsRead := true
	if ms, err = lp.store.Milestones(ctx, v.LearnerID); err != nil {
		lp.log.WarnContext(ctx, "load lab progress", "err", err)
		labsRead = false
	}
	return courseFrom(cat, rows, ms, labsRead)
}

// courseFrom is the course progress of a learner whose lesson rows and
// lab milestones were read (labsRead false: the milestones could not be).
func courseFrom(cat *lessons.Catalog, rows map[string]progress.LessonProgress, ms []progress.Milestone, labsRead bool) *courseProgress {
	p := &courseProgress{}
	if labsRead {
		p.Labs = labsFrom(ms)
	}
	records := make(map[string]lessons.Record, len(rows))
	for slug, r := range rows {
		records[slug] = lessons.Record{Marked: r.CompletedAt != nil, LastVisited: r.LastVisited, Position: r.Position}
	}
	p.CourseMap = cat.Map(records, sandbox.Solved(p.Labs))
	return p
}

// labs is the learner's progress in every lab panel, by panel; an empty
// learner ID gives every panel at zero.
func (lp *learnerProgress) labs(ctx context.Context, learnerID string) (map[string]sandbox.Progress, error) {
	var ms []progress.Milestone
	if learnerID != "" {
		var err error
		if ms, err = lp.store.Milestones(ctx, learnerID); err != nil {
			return nil, err
		}
	}
	return labsFrom(ms), nil
}

// labsFrom is the progress in every lab panel of a learner who reached ms.
func labsFrom(ms []progress.Milestone) map[string]sandbox.Progress {
	reached := make([]sandbox.Recorded, 0, len(ms))
	for _, m := range ms {
		reached = append(reached, sandbox.Recorded{Panel: m.Lab, Milestone: m.Name})
	}
	return sandbox.ProgressOf(reached)
}

// viewerLabs is the viewer's lab progress from p, or every panel at zero
// when nothing is recorded (or it could not be read).
func (lp *learnerProgress) viewerLabs(p *courseProgress) map[string]sandbox.Progress {
	if p != nil && p.Labs != nil {
		return p.Labs
	}
	return sandbox.ProgressOf(nil)
}

// labsOf picks a lesson's lab panels out of all, each once, in order.
func labsOf(l *lessons.Lesson, all map[string]sandbox.Progress) []sandbox.Progress {
	var out []sandbox.Progress
	for _, name := range l.EmbeddedLabs() {
		if p, ok := all[name]; ok {
			out = append(out, p)
		}
	}
	return out
}

// learnerExport is "Export my data": what the store holds, plus the
// learner's progress in each lab panel they have started.
type learnerExport struct {
	*progress.Export
	Labs []sandbox.ProgressExport `json:"labs"`
}

// export adds the learner's lab progress to an export.
func (lp *learnerProgress) export(ctx context.Context, learnerID string, ex *progress.Export) (learnerExport, error) {
	all, err := lp.labs(ctx, learnerID)
	if err != nil {
		return learnerExport{}, err
	}
	return learnerExport{Export: ex, Labs: sandbox.Export(all)}, nil
}
