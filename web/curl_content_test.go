package web

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var statusLineRe = regexp.MustCompile(`(?m)^HTTP/[0-9.]+ ([0-9]{3})`)

// TestLessonCurlExamples runs every `curl` block of every lesson, in
// order, with the real curl against a running server and a fresh lab per
// lesson, exactly as a learner pastes them ($BASE and $LAB set). No line
// may fail to run, hit a missing endpoint or a server error.
func TestLessonCurlExamples(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed: the lessons' curl examples were not exercised")
	}
	env := newTestEnv(t)
	ts := httptest.NewServer(env.srv)
	defer ts.Close()
	n := 0
	for _, l := range env.catalog.Lessons {
		if len(l.Curls) == 0 {
			continue
		}
		cl := newClient(t, ts)
		lab, _ := newLab(t, cl, "")
		dir := t.TempDir()
		for _, c := range l.Curls {
			n++
			cmd := exec.Command("bash", "-c", c.Command)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "BASE="+ts.URL, "LAB="+lab, "PATH="+os.Getenv("PATH")+":"+strings.TrimSuffix(curl, "/curl"))
			out, err := cmd.CombinedOutput()
			where := l.File + ":" + strconv.Itoa(c.Line)
			if err != nil {
				t.Errorf("%s: %s: %v\n%s", where, c.Command, err, out)
				continue
			}
			if !strings.Contains(c.Command, " -i") {
				continue // -s: the body only (checked to be non-empty)
			}
			m := statusLineRe.FindSubmatch(out)
			if m == nil {
				t.Errorf("%s: no HTTP status in the output of %s\n%s", where, c.Command, out)
				continue
			}
			if strings.Contains(string(out), "labs belong to a site identity") {
				t.Errorf("%s: %s needs the site cookie, which a terminal does not have\n%s", where, c.Command, out)
			}
			if code, _ := strconv.Atoi(string(m[1])); code == 404 || code == 405 || code >= 500 {
				t.Errorf("%s: %s answered %d\n%s", where, c.Command, code, out)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d curl examples found in the lessons", n)
	}
}
