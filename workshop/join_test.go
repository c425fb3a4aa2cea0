package workshop

import (
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/progress"
)

func TestNewWorkshop(t *testing.T) {
	t.Parallel()
	cat := course(t)
	for _, tt := range []struct {
		name         string
		d            Draft
		lessons      string
		starts, ends string // RFC 3339, "" for none
		err          string
	}{
		{name: "lessons in course order, once each", d: Draft{Title: "  Room  ", Lessons: []string{"beta", "alpha", "beta"}}, lessons: "alpha beta"},
		{name: "planned times, read as UTC", d: Draft{Title: "Room", Lessons: []string{"alpha"}, StartsAt: "2026-05-05T10:00", EndsAt: "2026-05-05T12:30"},
			lessons: "alpha", starts: "2026-05-05T10:00:00Z", ends: "2026-05-05T12:30:00Z"},
		{name: "a start only", d: Draft{Title: "Room", Lessons: []string{"alpha"}, StartsAt: "2026-05-05T10:00"}, lessons: "alpha", starts: "2026-05-05T10:00:00Z"},
		{name: "no title", d: Draft{Title: " ", Lessons: []string{"alpha"}}, err: "Give the workshop a title of 1 to 120 characters."},
		{name: "title too long", d: Draft{Title: strings.Repeat("é", 121), Lessons: []string{"alpha"}}, err: "Give the workshop a title of 1 to 120 characters."},
		{name: "no lesson", d: Draft{Title: "Room"}, err: "Choose at least one lesson of the course."},
		{name: "a lesson the course lacks", d: Draft{Title: "Room", Lessons: []string{"alpha", "gamma"}}, err: "Choose at least one lesson of the course."},
		{name: "bad start", d: Draft{Title: "Room", Lessons: []string{"alpha"}, StartsAt: "tomorrow"}, err: "The start time is not a date and time."},
		{name: "bad end", d: Draft{Title: "Room", Lessons: []string{"alpha"}, EndsAt: "2026-05-05 12:30"}, err: "The end time is not a date and time."},
		{name: "end before start", d: Draft{Title: "Room", Lessons: []string{"alpha"}, StartsAt: "2026-05-05T10:00", EndsAt: "2026-05-05T10:00"}, err: "The end must come after the start."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := newWorkshop(cat, "owner", tt.d)
			if tt.err != "" {
				if e, ok := err.(*Error); !ok || e.Kind != Invalid || e.Msg != tt.err {
					t.Fatalf("newWorkshop: %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w.Lessons != tt.lessons || w.OwnerID != "owner" || w.Title != strings.TrimSpace(tt.d.Title) || stamp3339(w.StartsAt) != tt.starts || stamp3339(w.EndsAt) != tt.ends {
				t.Errorf("workshop %+v", w)
			}
		})
	}
}

func stamp3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func TestWhen(t *testing.T) {
	t.Parallel()
	at := func(v string) *time.Time { t, _ := localTime(v); return t }
	for _, tt := range []struct {
		w    progress.Workshop
		want string
	}{
		{progress.Workshop{}, ""},
		{progress.Workshop{StartsAt: at("2026-05-05T10:00"), EndsAt: at("2026-05-05T12:30")}, "Tue 5 May 2026, 10:00–12:30 UTC"},
		{progress.Workshop{StartsAt: at("2026-05-05T22:00"), EndsAt: at("2026-05-06T01:00")}, "Tue 5 May 2026, 22:00 – Wed 6 May 2026, 01:00 UTC"},
		{progress.Workshop{StartsAt: at("2026-05-06T09:00")}, "Starts Wed 6 May 2026, 09:00 UTC"},
		{progress.Workshop{EndsAt: at("2026-05-06T01:00")}, "Ends Wed 6 May 2026, 01:00 UTC"},
	} {
		if got := When(&tt.w); got != tt.want {
			t.Errorf("When: %q, want %q", got, tt.want)
		}
	}
}

func TestStartLesson(t *testing.T) {
	t.Parallel()
	refs := []LessonRef{{Slug: "alpha", Locked: true}, {Slug: "beta"}, {Slug: "gamma"}}
	for _, tt := range []struct {
		at, locked string
		refs       []LessonRef
		want       string
	}{
		{at: "gamma", locked: "alpha", refs: refs, want: "gamma"}, // where they were
		{at: "", locked: "alpha", refs: refs, want: "beta"},       // new: the first open lesson
		{at: "alpha", locked: "alpha", refs: refs, want: "beta"},  // locked since
		{at: "", locked: "alpha beta gamma", refs: []LessonRef{{Slug: "alpha", Locked: true}}, want: ""},
	} {
		w := &progress.Workshop{Locked: tt.locked}
		if got := StartLesson(w, &progress.Participant{Lesson: tt.at}, tt.refs); got != tt.want {
			t.Errorf("at %q, locked %q: %q, want %q", tt.at, tt.locked, got, tt.want)
		}
	}
}

func TestLate(t *testing.T) {
	t.Parallel()
	deadline := start.Add(30 * time.Second)
	early := start.Add(10 * time.Second)
	for _, tt := range []struct {
		name     string
		closedAt *time.Time
		joined   time.Time
		rv       RoundView
		want     bool
	}{
		{name: "joined after the deadline", joined: deadline, rv: RoundView{Closed: true}, want: true},
		{name: "joined before the deadline", joined: deadline.Add(-time.Second), rv: RoundView{Closed: true}},
		{name: "joined after an early close", closedAt: &early, joined: early.Add(time.Second), rv: RoundView{Closed: true}, want: true},
		{name: "answered", joined: deadline, rv: RoundView{Closed: true, Mine: &MyAnswer{}}},
		{name: "still running", joined: deadline, rv: RoundView{}},
	} {
		r := &progress.Round{Deadline: deadline, ClosedAt: tt.closedAt}
		if got := late(r, &tt.rv, &progress.Participant{JoinedAt: tt.joined}); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}
