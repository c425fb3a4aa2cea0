// Package testsupport holds what the tests of several packages need
// alike, so it is written once: a PostgreSQL schema of a test's own, and
// a log buffer that a server's goroutines can write while the test reads.
// Only tests import it.
package testsupport

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresSchema creates a schema of the test's own in the database at
// base and returns base with search_path set to it, so tests running in
// parallel (and packages tested at once) never see each other's tables.
// The schema is dropped when the test ends.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	schema := "t_" + rand.Text()[:16]
	schema = string(bytes.ToLower([]byte(schema)))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(fmt.Errorf("postgres URL: %w", err))
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SyncBuffer is a bytes.Buffer safe to write from a server's goroutines
// while the test reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
