package progress

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLockingWorkshop(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			inst, _ := s.NewAccount(ctx, "locker-"+name, "", "x", true)
			w := &Workshop{Title: "Locks", OwnerID: inst.ID, Lessons: "a b c"}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				t.Fatal(err)
			}
			guest, _ := s.NewGuest(ctx)
			if _, _, err := s.Join(ctx, w.ID, guest.ID, "Sam", time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LockingWorkshop(ctx, guest.ID, "b"); !errors.Is(err, ErrNotFound) {
				t.Errorf("nothing locked yet: %v", err)
			}
			s.SetLocked(ctx, w.ID, []string{"b"})
			if got, err := s.LockingWorkshop(ctx, guest.ID, "b"); err != nil || got.ID != w.ID {
				t.Errorf("locked lesson: %+v %v", got, err)
			}
			if _, err := s.LockingWorkshop(ctx, guest.ID, "a"); !errors.Is(err, ErrNotFound) {
				t.Errorf("an open lesson: %v", err)
			}
			other, _ := s.NewGuest(ctx)
			if _, err := s.LockingWorkshop(ctx, other.ID, "b"); !errors.Is(err, ErrNotFound) {
				t.Errorf("a learner outside the room: %v", err)
			}
			s.EndWorkshop(ctx, w.ID, time.Now())
			if _, err := s.LockingWorkshop(ctx, guest.ID, "b"); !errors.Is(err, ErrNotFound) {
				t.Errorf("an ended workshop still locks: %v", err)
			}
		})
	}
}

func TestMergeKeepsWorkshopParticipant(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			inst, _ := s.NewAccount(ctx, "host-"+name, "", "x", true)
			w := &Workshop{Title: "Merge", OwnerID: inst.ID, Lessons: "a"}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				t.Fatal(err)
			}
			guest, _ := s.NewGuest(ctx)
			p, _, err := s.Join(ctx, w.ID, guest.ID, "Kim", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			acct, _ := s.NewAccount(ctx, "kim-"+name, "", "x", false)
			if _, err := s.Merge(ctx, guest.ID, acct.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.ParticipantOf(ctx, w.ID, acct.ID)
			if err != nil || got.ID != p.ID || got.Nickname != "Kim" {
				t.Errorf("after signing in the attendee is not the same participant: %+v %v", got, err)
			}
		})
	}
}
