package lessons

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with the course, located in its file.
type Problem struct {
	File string // path in the course fs.FS, e.g. "lessons/02-sessions.md"
	Line int    // 1-based; the nearest line when the exact one is unknown
	Msg  string
}

// Error formats the problem as "file:line: message", the shape editors
// and `authlab check` users expect.
func (p Problem) Error() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Problems is the error Load returns when the content is bad: every
// problem found, in file and line order.
type Problems []Problem

// Error prints one "file:line: message" line per problem.
func (ps *Problems) Error() string {
	lines := make([]string, len(*ps))
	for i, p := range *ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// report collects problems while a course loads.
type report struct {
	list []Problem
}

func (r *report) add(file string, line int, format string, args ...any) {
	r.list = append(r.list, Problem{File: file, Line: max(line, 1), Msg: fmt.Sprintf(format, args...)})
}

func (r *report) addAll(ps []Problem) { r.list = append(r.list, ps...) }

// sorted returns the problems in file and line order, without duplicates.
func (r *report) sorted() []Problem {
	ps := slices.Clone(r.list)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return slices.Compact(ps)
}
