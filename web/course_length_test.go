package web

import (
	"strings"
	"testing"
)

// The course map says how long the course takes in a unit a reader
// pictures: "about 9 hours", not "about 540 minutes".
func TestCourseLength(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		minutes int
		want    string
	}{
		{25, "about 25 minutes"},
		{90, "about 90 minutes"},
		{100, "about 2 hours"},
		{149, "about 2 hours"},
		{150, "about 3 hours"},
		{540, "about 9 hours"},
	} {
		if got := courseLength(tc.minutes); got != tc.want {
			t.Errorf("courseLength(%d) = %q, want %q", tc.minutes, got, tc.want)
		}
	}
	env := newTestEnv(t)
	total := 0
	for _, l := range env.catalog.Lessons {
		total += l.Minutes
	}
	if body := env.do(t, "GET", "/", nil).Body.String(); !strings.Contains(body, "lessons · "+courseLength(total)+"</p>") {
		t.Errorf("the home page does not say the course takes %s", courseLength(total))
	}
}
