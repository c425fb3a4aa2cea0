package progress

import (
	"context"
	"testing"
	"time"
)

// BenchmarkSessionRead is Store.Session, the read of every signed-in
// request, from a request's context (one that can be cancelled), alone
// and from 32 goroutines at once.
func BenchmarkSessionRead(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	if err := s.CreateSession(ctx, &SessionRecord{ID: "sess-1", LearnerID: "l1", Data: []byte("x"), CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		req, cancel := context.WithCancel(ctx)
		defer cancel()
		for b.Loop() {
			if _, err := s.Session(req, "sess-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			req, cancel := context.WithCancel(ctx)
			defer cancel()
			for pb.Next() {
				if _, err := s.Session(req, "sess-1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
