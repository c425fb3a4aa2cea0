package interview

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

// Module mastery checks. A module's check (lessons.Module.Check) is a
// run of kind KindModule: its questions in the check's order, answered
// and stored like a drill's (Source "drill", the run's ID in Meta). The
// rule of mastery is the module's (lessons.Module.Mastered); this file
// finds the runs to apply it to. A module is mastered once any run of
// the learner — a module check, or any drill that happened to ask every
// question of the check — answered all of the check, first answers
// only, with enough of them right. Mastery is never taken back.

// ModuleRun starts module m's mastery check at now.
func ModuleRun(m *lessons.Module, now time.Time) Run {
	return NewRun(KindModule, m.Check, Filter{}, now)
}

// ModuleCheckPath is where module m's check starts.
func ModuleCheckPath(m *lessons.Module) string {
	return "/modules/" + strconv.Itoa(m.Index+1) + "/check"
}

// CheckedModule is the module whose check run r is, or nil: a run of
// kind KindModule that asks exactly a module's check, in its order.
func CheckedModule(cat *lessons.Catalog, r Run) *lessons.Module {
	if r.Kind != KindModule {
		return nil
	}
	for _, m := range cat.Modules {
		if slices.EqualFunc(m.Check, r.Qs, func(a, b *quiz.Question) bool { return a.ID == b.ID }) {
			return m
		}
	}
	return nil
}

// correct is the run's answers as Module.Mastered reads them.
func (as Answers) correct() map[string]bool {
	out := make(map[string]bool, len(as))
	for id, a := range as {
		out[id] = a.Attempt.Correct
	}
	return out
}

// MasteredModules reports, by module index, which modules the attempts
// show mastered. atts are the learner's practice attempts (any order);
// each run's first answer to a question is the one that counts, as on
// the run's own pages.
func MasteredModules(atts []progress.Attempt, modules []*lessons.Module) []bool {
	runs := map[string]map[string]bool{} // run → question → correct
	var first = map[string]*progress.Attempt{}
	for i := range atts {
		m, ok := ReadMeta(&atts[i])
		if !ok {
			continue
		}
		key := m.Run + "\x00" + atts[i].QuestionID
		if f := first[key]; f != nil && !atts[i].CreatedAt.Before(f.CreatedAt) {
			continue
		}
		first[key] = &atts[i]
		if runs[m.Run] == nil {
			runs[m.Run] = map[string]bool{}
		}
		runs[m.Run][atts[i].QuestionID] = atts[i].Correct
	}
	out := make([]bool, len(modules))
	for i, mod := range modules {
		for _, answers := range runs {
			if mod.Mastered(answers) {
				out[i] = true
				break
			}
		}
	}
	return out
}

// Mastery reads the learner's practice answers and reports which
// modules are mastered (MasteredModules); a visitor ("") has none.
func (s *Service) Mastery(ctx context.Context, learner string, modules []*lessons.Module) ([]bool, error) {
	if learner == "" {
		return make([]bool, len(modules)), nil
	}
	atts, err := s.store.AttemptsSince(ctx, learner, time.Time{}, SourceDrill)
	if err != nil {
		return nil, err
	}
	return MasteredModules(atts, modules), nil
}
