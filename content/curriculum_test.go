package content_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docs/curriculum.md maps each lesson objective to the quizzes that check
// it and the lab steps where the learner does it (issue 19). This test
// keeps the page true as lessons change: an objective reworded, a quiz
// added or removed, or a lab step renamed shows up here.

var (
	curLessonRe = regexp.MustCompile("^### (\\d+) .* \\(`([a-z0-9-]+)`\\)$")
	curIDRe     = regexp.MustCompile("`([^`]+)`")
)

// curriculumRow is one table row: an objective and the ids it names.
type curriculumRow struct {
	objective     string
	checks, steps []string
	line          int
}

func TestCurriculumMapsEveryObjective(t *testing.T) {
	cat := load(t)
	src, err := os.ReadFile("../docs/curriculum.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]curriculumRow{}
	var order []string
	slug := ""
	for i, line := range strings.Split(string(src), "\n") {
		if m := curLessonRe.FindStringSubmatch(line); m != nil {
			slug = m[2]
			order = append(order, slug)
			continue
		}
		if strings.HasPrefix(line, "## ") {
			slug = ""
			continue
		}
		if slug == "" || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| objective |") || strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 3 {
			t.Errorf("curriculum.md:%d: a row needs three cells (objective | checks | lab steps), has %d", i+1, len(cells))
			continue
		}
		r := curriculumRow{objective: strings.TrimSpace(cells[0]), line: i + 1}
		for _, m := range curIDRe.FindAllStringSubmatch(cells[1], -1) {
			r.checks = append(r.checks, m[1])
		}
		for _, m := range curIDRe.FindAllStringSubmatch(cells[2], -1) {
			r.steps = append(r.steps, m[1])
		}
		rows[slug] = append(rows[slug], r)
	}

	var want []string
	for _, l := range cat.Lessons {
		want = append(want, l.Slug)
	}
	if !slices.Equal(order, want) {
		t.Errorf("curriculum.md lists lessons %v, the course has %v (in order)", order, want)
	}

	for _, l := range cat.Lessons {
		quizzes := map[string]bool{}
		for _, q := range l.Quizzes {
			quizzes[q.ID] = false
		}
		steps := map[string]bool{}
		for _, seg := range l.Body {
			if seg.Lab == nil {
				continue
			}
			for _, st := range seg.Lab.Steps {
				if st.Check != "" {
					steps[st.Check] = true
				}
			}
		}
		seen := map[string]bool{}
		for _, r := range rows[l.Slug] {
			if !slices.Contains(l.Objectives, r.objective) {
				t.Errorf("curriculum.md:%d: %q is not an objective of %s (objectives are copied word for word)", r.line, r.objective, l.File)
				continue
			}
			if seen[r.objective] {
				t.Errorf("curriculum.md:%d: objective %q of %s listed twice", r.line, r.objective, l.Slug)
			}
			seen[r.objective] = true
			if len(r.checks) == 0 {
				t.Errorf("curriculum.md:%d: objective %q names no check", r.line, r.objective)
			}
			for _, id := range r.checks {
				if _, ok := quizzes[id]; !ok {
					t.Errorf("curriculum.md:%d: %q is not a quiz of %s", r.line, id, l.File)
					continue
				}
				quizzes[id] = true
			}
			for _, id := range r.steps {
				if !steps[id] {
					t.Errorf("curriculum.md:%d: %q is not a lab step (check) of %s", r.line, id, l.File)
				}
			}
		}
		for _, o := range l.Objectives {
			if !seen[o] {
				t.Errorf("curriculum.md: objective %q of %s has no row", o, l.Slug)
			}
		}
		for id, mapped := range quizzes {
			if !mapped {
				t.Errorf("curriculum.md: quiz %s of %s is mapped to no objective", id, l.Slug)
			}
		}
	}
}
