package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authlab/authlab/internal/testsupport"
	"github.com/gin-gonic/gin"
)

// TestCancelledRequestIsNoServerError: a client that goes away mid-request
// (a closed tab, a load test stopping) makes the store's calls fail with
// context.Canceled (here: creating the guest learner behind a new lab). That is logged at debug level as 499, never as an
// error or a 500.
func TestCancelledRequestIsNoServerError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var logs testsupport.SyncBuffer
	env.srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, "/lab", strings.NewReader(url.Values{"panel": {"twin-login"}}.Encode())).WithContext(ctx)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", "http://example.com")
	req.Host = "example.com"
	rec := httptest.NewRecorder()
	env.srv.ServeHTTP(rec, req)
	out := logs.String()
	if rec.Code >= 500 || strings.Contains(out, "level=ERROR") {
		t.Fatalf("a cancelled request was treated as a server error: status %d\n%s", rec.Code, out)
	}
	if !strings.Contains(out, "status=499") {
		t.Fatalf("the request log does not record the cancelled request as 499:\n%s", out)
	}
}

// TestPanicIsLoggedWithItsStack: a panic becomes the 500 page for the
// visitor and one log line with the stack for whoever fixes it.
func TestPanicIsLoggedWithItsStack(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var logs testsupport.SyncBuffer
	env.srv.log = slog.New(slog.NewTextHandler(&logs, nil))
	env.srv.engine.GET("/test-only/panic", func(*gin.Context) { panic("boom") })
	rec := env.do(t, http.MethodGet, "/test-only/panic", nil)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("panic answered %d (or showed the stack to the visitor)", rec.Code)
	}
	if out := logs.String(); !strings.Contains(out, "panic: boom") || !strings.Contains(out, "cancel_test.go") {
		t.Errorf("the log lacks the panic and its stack:\n%s", out)
	}
}
