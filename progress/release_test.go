package progress

import (
	"context"
	"database/sql"
	"testing"
)

// TestReleaseIdle: the pool's idle connections are closed, the store
// goes on working, and the pool keeps idle connections again afterwards.
func TestReleaseIdle(t *testing.T) {
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			sqlDB, err := s.db.DB()
			if err != nil {
				t.Fatal(err)
			}
			holdAndReturn := func() {
				t.Helper()
				conns := make([]*sql.Conn, 3)
				for i := range conns {
					if conns[i], err = sqlDB.Conn(ctx); err != nil {
						t.Fatal(err)
					}
				}
				for _, c := range conns {
					c.Close()
				}
			}
			holdAndReturn()
			if idle := sqlDB.Stats().Idle; idle < 3 {
				t.Fatalf("%d idle connections after three were returned, want at least 3", idle)
			}
			s.ReleaseIdle()
			if idle := sqlDB.Stats().Idle; idle != 0 {
				t.Errorf("%d idle connections after ReleaseIdle, want 0", idle)
			}
			if _, err := s.NewGuest(ctx); err != nil {
				t.Fatalf("the store after ReleaseIdle: %v", err)
			}
			holdAndReturn()
			if idle := sqlDB.Stats().Idle; idle < 3 {
				t.Errorf("%d idle connections kept after ReleaseIdle, want at least 3 again", idle)
			}
		})
	}
}
