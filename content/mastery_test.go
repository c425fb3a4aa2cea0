package content_test

import (
	"testing"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
)

// Every module of the course has its mastery check (lessons/mastery.go
// checks each one's rules; a course with no checks at all would pass
// authlab check, so this is what keeps the real course from losing them).
func TestEveryModuleHasAMasteryCheck(t *testing.T) {
	t.Parallel()
	cat, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cat.Modules {
		if len(m.Check) < lessons.MinCheck {
			t.Errorf("module %d (%s) has a check of %d questions", m.Index+1, m.Title, len(m.Check))
		}
	}
}
