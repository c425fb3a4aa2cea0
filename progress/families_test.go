package progress

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestRefreshFamiliesRevokeTheirAccessTokens: a family (one API sign-in)
// is listed for its learner, keeps its ID across rotations, and once it
// is revoked — by reuse, by the learner, by sign out everywhere, or by
// deleting it — AccessRevoked refuses every access token that names it.
func TestRefreshFamiliesRevokeTheirAccessTokens(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			revoked := func(jti, fid string) bool {
				t.Helper()
				r, err := s.AccessRevoked(ctx, jti, fid)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			fam := &RefreshFamily{LearnerID: "dana", UserAgent: "authlab-cli/1.0", Addr: "192.0.2.7"}
			if err := s.NewRefreshFamily(ctx, fam, "d1", exp); err != nil {
				t.Fatal(err)
			}
			if fam.ID == "" || revoked("jti-a", fam.ID) {
				t.Fatalf("a new family %q is refused", fam.ID)
			}
			if revoked("jti-a", "") {
				t.Error("a token without sid and a clean jti is refused")
			}
			if !revoked("jti-a", "no-such-family") {
				t.Error("a token of an unknown family is accepted")
			}
			who, fid, err := s.RotateRefreshFamily(ctx, "d1", "d2", exp)
			if err != nil || who != "dana" || fid != fam.ID {
				t.Fatalf("rotate: %q %q %v (family %q)", who, fid, err, fam.ID)
			}
			list, err := s.LearnerRefreshFamilies(ctx, "dana")
			if err != nil || len(list) != 1 || list[0].UserAgent != "authlab-cli/1.0" || list[0].Addr != "192.0.2.7" {
				t.Fatalf("list: %+v %v", list, err)
			}
			// Reuse of d1 revokes the family: its access tokens die with it.
			if _, _, err := s.RotateRefreshFamily(ctx, "d1", "d3", exp); !errors.Is(err, ErrReused) {
				t.Fatalf("reuse: %v", err)
			}
			if !revoked("jti-a", fam.ID) {
				t.Error("after refresh-token reuse the family's access tokens are still accepted")
			}
			if list, _ := s.LearnerRefreshFamilies(ctx, "dana"); len(list) != 0 {
				t.Errorf("a revoked family is still listed: %+v", list)
			}

			// The learner revokes one family; another learner cannot.
			f1 := &RefreshFamily{LearnerID: "erin"}
			f2 := &RefreshFamily{LearnerID: "erin"}
			s.NewRefreshFamily(ctx, f1, "e1", exp)
			s.NewRefreshFamily(ctx, f2, "e2", exp)
			if _, err := s.RevokeLearnerRefreshFamily(ctx, "dana", f1.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("another learner revoked erin's sign-in: %v", err)
			}
			if _, err := s.RevokeLearnerRefreshFamily(ctx, "erin", f1.ID); err != nil {
				t.Fatal(err)
			}
			if !revoked("jti-b", f1.ID) || revoked("jti-b", f2.ID) {
				t.Error("revoking one sign-in: wrong families refused")
			}
			if _, _, err := s.RotateRefreshFamily(ctx, "e1", "e1b", exp); !errors.Is(err, ErrNotFound) {
				t.Errorf("a revoked sign-in's refresh token rotates: %v", err)
			}
			// Sign out everywhere: every family. The count is of the live
			// ones, the sign-ins the learner was shown: an expired one is
			// revoked too, but not counted.
			f3 := &RefreshFamily{LearnerID: "erin"}
			s.NewRefreshFamily(ctx, f3, "e3", exp)
			old := &RefreshFamily{LearnerID: "erin"}
			s.NewRefreshFamily(ctx, old, "e4", time.Now().Add(-time.Hour))
			if n, err := s.RevokeLearnerRefreshFamilies(ctx, "erin"); err != nil || n != 2 {
				t.Errorf("sign out everywhere revoked %d live families (%v), want 2", n, err)
			}
			if !revoked("jti-c", f2.ID) || !revoked("jti-c", f3.ID) || !revoked("jti-c", old.ID) {
				t.Error("sign out everywhere left an access token alive")
			}
			// Deleting the account deletes its families: their tokens die.
			f4 := &RefreshFamily{LearnerID: "gone"}
			s.NewRefreshFamily(ctx, f4, "g1", exp)
			if err := s.DeleteLearner(ctx, "gone"); err != nil {
				t.Fatal(err)
			}
			if !revoked("jti-d", f4.ID) {
				t.Error("a deleted account's access token is accepted")
			}
		})
	}
}

// TestRefreshFamiliesMigrateOldTokens: refresh tokens stored before
// families had rows get one on start, so they keep rotating and show up
// on the sessions page.
func TestRefreshFamiliesMigrateOldTokens(t *testing.T) {
	t.Parallel()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exp := time.Now().Add(time.Hour).UTC()
			if err := s.db.Create(&RefreshToken{Hash: "old1", FamilyID: "fam-old", LearnerID: "frank", ExpiresAt: exp}).Error; err != nil {
				t.Fatal(err)
			}
			if err := s.migrateRefreshFamilies(); err != nil {
				t.Fatal(err)
			}
			if err := s.migrateRefreshFamilies(); err != nil {
				t.Fatalf("second run: %v", err)
			}
			if list, err := s.LearnerRefreshFamilies(ctx, "frank"); err != nil || len(list) != 1 || list[0].ID != "fam-old" {
				t.Fatalf("old sign-in not listed: %+v %v", list, err)
			}
			if who, fid, err := s.RotateRefreshFamily(ctx, "old1", "old2", exp); err != nil || who != "frank" || fid != "fam-old" {
				t.Errorf("old refresh token: %q %q %v", who, fid, err)
			}
		})
	}
}
