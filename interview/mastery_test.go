package interview

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/quiz"
)

func TestMasteredModules(t *testing.T) {
	t.Parallel()
	mod := func(ids ...string) *lessons.Module {
		m := &lessons.Module{}
		for _, id := range ids {
			m.Check = append(m.Check, &quiz.Question{ID: id})
		}
		return m
	}
	modules := []*lessons.Module{mod("a", "b", "c", "d", "e"), mod("f", "g", "h", "i")} // need 4 of 5, 4 of 4
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	att := func(run, q string, correct bool, n int) progress.Attempt {
		return progress.Attempt{QuestionID: q, Source: SourceDrill, Correct: correct, CreatedAt: t0.Add(time.Duration(n) * time.Second),
			Answer: fmt.Sprintf(`{"choice":1,"run":%q}`, run)}
	}
	run := func(id string, qs string, right string) []progress.Attempt {
		var out []progress.Attempt
		for i, q := range qs {
			out = append(out, att(id, string(q), right[i] == '1', i))
		}
		return out
	}
	cat := func(parts ...[]progress.Attempt) []progress.Attempt {
		var out []progress.Attempt
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name string
		atts []progress.Attempt
		want [2]bool
	}{
		{"nothing", nil, [2]bool{}},
		{"module 1, 4 of 5", run("r1", "abcde", "11101"), [2]bool{true, false}},
		{"module 1, 3 of 5", run("r1", "abcde", "11001"), [2]bool{}},
		{"answers split over two runs do not add up", cat(run("r1", "abc", "111"), run("r2", "de", "11")), [2]bool{}},
		{"a later run masters", cat(run("r1", "abcde", "00000"), run("r2", "abcde", "11111")), [2]bool{true, false}},
		{"module 2 all right, inside a longer drill", run("r3", "xfgyhi", "111111"), [2]bool{false, true}},
		{"module 2 needs all 4", run("r3", "fghi", "1110"), [2]bool{}},
		{"lesson answers (no run) do not count", []progress.Attempt{{QuestionID: "f", Source: "lesson", Correct: true}}, [2]bool{}},
	}
	for _, tt := range tests {
		got := MasteredModules(tt.atts, modules)
		if got[0] != tt.want[0] || got[1] != tt.want[1] {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A module check's run names its module in the summary, with the verdict.
func TestModuleRun(t *testing.T) {
	t.Parallel()
	m := &lessons.Module{Title: "Basics", Index: 1, Check: []*quiz.Question{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}}
	cat := &lessons.Catalog{Modules: []*lessons.Module{{Title: "Other"}, m}}
	r := ModuleRun(m, time.Now())
	if r.Kind != KindModule || len(r.Qs) != 4 || r.Timer != 0 {
		t.Fatalf("ModuleRun: %+v", r)
	}
	if got := CheckedModule(cat, r); got != m {
		t.Fatalf("CheckedModule = %v", got)
	}
	drill := r
	drill.Kind = KindDrill
	if CheckedModule(cat, drill) != nil {
		t.Error("a drill of the same questions is a module check")
	}
	if ModuleCheckPath(m) != "/modules/2/check" {
		t.Errorf("ModuleCheckPath = %s", ModuleCheckPath(m))
	}
	if u, err := url.Parse(r.URL(0)); err != nil || u.Query().Get("kind") != KindModule {
		t.Errorf("run URL %s", r.URL(0))
	}
}
