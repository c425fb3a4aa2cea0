package web

import (
	"errors"
	"strings"
	"testing"

	"github.com/authlab/authlab/lessons"
)

// brokenEdit is a dev-mode course source after a broken save: the last
// good course, and the error of the edit.
type brokenEdit struct{ cat *lessons.Catalog }

func (b brokenEdit) Catalog() (*lessons.Catalog, error) {
	return b.cat, errors.New("lessons/02-sessions.md:7: unknown field \"oops\"")
}

func TestDevModeShowsContentErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	dev, err := NewServer(Deps{Logger: env.srv.log, Catalog: brokenEdit{env.catalog}, Store: env.store, Keys: env.keys, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := NewServer(Deps{Logger: env.srv.log, Catalog: brokenEdit{env.catalog}, Store: env.store, Keys: env.keys})
	if err != nil {
		t.Fatal(err)
	}
	path := "/lessons/" + env.catalog.Lessons[1].Slug
	page := (&testEnv{srv: dev}).do(t, "GET", path, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "The content has an error") || !strings.Contains(page.Body.String(), "02-sessions.md:7") {
		t.Errorf("dev mode: %d, the broken edit is not shown beside the last good lesson", page.Code)
	}
	if p := (&testEnv{srv: prod}).do(t, "GET", path, nil); strings.Contains(p.Body.String(), "02-sessions.md:7") {
		t.Error("outside dev mode a content error reached the page")
	}
}
