package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/internal/testsupport"
	"github.com/authlab/authlab/lessons"
)

// TestFirstRequestGetsTheWholeCourse: the first request, sent as soon as
// the port accepts, is for the last lesson of the course; it must get the
// very bytes the same request gets once the server has warmed up (a
// start-up that defers work past the listener must not change them).
func TestFirstRequestGetsTheWholeCourse(t *testing.T) {
	cat, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	last := "/lessons/" + cat.Lessons[len(cat.Lessons)-1].Slug
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &testsupport.SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"authlab", "--addr", addr, "--data", t.TempDir()}, env(nil), strings.NewReader(""), logs, logs)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	get := func() (int, []byte, error) {
		resp, err := http.Get("http://" + addr + last)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	var first []byte
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		code, b, err := get()
		if err == nil {
			if code != http.StatusOK {
				t.Fatalf("first GET %s = %d, want 200\n%s", last, code, b)
			}
			first = b
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run exited early: %v\n%s", err, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer in time: %v\n%s", err, logs)
		}
	}
	code, warm, err := get() // served again, now from a warm server
	if err != nil || code != http.StatusOK {
		t.Fatalf("warm GET %s = %d, %v", last, code, err)
	}
	if !bytes.Equal(first, warm) {
		t.Errorf("the first answer for %s (%d bytes) differs from the warm one (%d bytes)", last, len(first), len(warm))
	}
	if !bytes.Contains(first, []byte(cat.Lessons[len(cat.Lessons)-1].Title)) {
		t.Errorf("the first answer for %s lacks the lesson's title", last)
	}
}
