package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlab/authlab/internal/testsupport"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startRun starts the real program and waits until /healthz answers.
func startRun(t *testing.T, args ...string) (base string, stop func() error, logs *testsupport.SyncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs = &testsupport.SyncBuffer{}
	done := make(chan error, 1)
	argv := append([]string{"authlab", "--addr", addr, "--data", t.TempDir()}, args...)
	go func() { done <- run(ctx, argv, env(nil), strings.NewReader(""), logs, logs) }()
	base = "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run exited early: %v\n%s", err, logs)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not answer /healthz in time\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(15 * time.Second):
				runErr = errors.New("run did not return after cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return base, stop, logs
}

func TestRunServesAndShutsDownCleanly(t *testing.T) {
	base, stop, logs := startRun(t)
	for _, path := range []string{"/", "/readyz", "/lessons/sessions"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no clean stop in the log:\n%s", logs)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestRunCommands(t *testing.T) {
	t.Parallel()
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "lessons"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(broken, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course.yaml", "title: T\nmodules:\n  - title: M\n    lessons: [one]\n")
	write("lessons/01-one.md", "---\nslug: one\ntitle: One\nsummary: s\nminutes: 5\nlevel: 1\nbogus: true\n---\n\n# One\n")

	tests := []struct {
		name     string
		args     []string
		wantErr  error
		wantOut  string
		wantErrS string
	}{
		{name: "version", args: []string{"version"}, wantOut: "authlab "},
		{name: "help", args: []string{"help"}, wantOut: "authlab check"},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: errUsage, wantErrS: "unknown command"},
		{name: "serve help", args: []string{"serve", "-h"}, wantErrS: "AUTHLAB_DATABASE_URL"},
		{name: "bad flag", args: []string{"--nope"}, wantErr: errUsage, wantErrS: "flag provided but not defined"},
		{name: "check embedded", args: []string{"check"}, wantOut: "embedded course: ok"},
		{name: "check broken", args: []string{"check", "--content", broken}, wantErr: errFailed, wantErrS: "lessons/01-one.md:7:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			err := run(context.Background(), append([]string{"authlab"}, tt.args...), env(nil), strings.NewReader(""), &out, &errb)
			if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v\nstdout: %s\nstderr: %s", err, tt.wantErr, &out, &errb)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout %q does not contain %q", out.String(), tt.wantOut)
			}
			if !strings.Contains(errb.String(), tt.wantErrS) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tt.wantErrS)
			}
		})
	}
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cmd := func(stdin string, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"authlab", "user"}, args...), env(nil), strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	if out, err := cmd("a fine password\n", "add", "--data", data, "--instructor", "teacher"); err != nil || !strings.Contains(out, "created instructor account teacher") {
		t.Fatalf("user add: %v %s", err, out)
	}
	if _, err := cmd("another password\n", "add", "--data", data, "teacher"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := cmd("short\n", "add", "--data", data, "pupil"); err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Errorf("short password: %v", err)
	}
	if _, err := cmd("a fine password\n", "add", "--data", data, "pupil"); err != nil {
		t.Fatal(err)
	}
	if out, err := cmd("", "promote", "--data", data, "pupil"); err != nil || !strings.Contains(out, "now an instructor") {
		t.Errorf("promote: %v %s", err, out)
	}
	if _, err := cmd("", "add", "--data", data); !errors.Is(err, errUsage) {
		t.Errorf("no name: %v", err)
	}
	store, err := progress.Open(context.Background(), progress.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	l, err := store.LearnerByUsername(context.Background(), "pupil")
	if err != nil || !l.Instructor {
		t.Errorf("pupil: %+v %v", l, err)
	}
	if err := siteauth.NewHasher(0).Verify(l.PasswordHash, "a fine password"); err != nil {
		t.Errorf("password not stored: %v", err)
	}
}

// TestUserPasswd: `authlab user passwd NAME` sets the password read from
// stdin under the site's rules and ends every session and API sign-in
// of the account, and no one else's.
func TestUserPasswd(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cmd := func(stdin string, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"authlab", "user"}, args...), env(nil), strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	for _, name := range []string{"forgetful", "bystander"} {
		if _, err := cmd("the first password\n", "add", "--data", data, name); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	open := func() *progress.Store {
		store, err := progress.Open(ctx, progress.Config{DataDir: data})
		if err != nil {
			t.Fatal(err)
		}
		return store
	}
	store := open()
	ids := map[string]string{}
	now := time.Now().UTC()
	for _, name := range []string{"forgetful", "bystander"} {
		l, err := store.LearnerByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = l.ID
		for i := range 2 {
			rec := &progress.SessionRecord{ID: progress.SessionKey(name + strconv.Itoa(i)), LearnerID: l.ID, Data: []byte("{}"),
				CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
			if err := store.CreateSession(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.IssueRefresh(ctx, l.ID, siteauth.HashToken(name+"-refresh"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	if _, err := cmd("short\n", "passwd", "--data", data, "forgetful"); err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Errorf("short password: %v", err)
	}
	if _, err := cmd("a new password\n", "passwd", "--data", data, "nobody_here"); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("unknown account: %v", err)
	}
	if _, err := cmd("a new password\n", "passwd", "--data", data); !errors.Is(err, errUsage) {
		t.Errorf("no name: %v", err)
	}
	out, err := cmd("a new password\n", "passwd", "--data", data, "FORGETFUL")
	if err != nil || !strings.Contains(out, "new password set for forgetful; ended 2 browser session(s) and 1 API sign-in(s)") {
		t.Fatalf("passwd: %v %s", err, out)
	}

	store = open()
	defer store.Close()
	l, err := store.LearnerByUsername(ctx, "forgetful")
	if err != nil {
		t.Fatal(err)
	}
	if err := siteauth.NewHasher(0).Verify(l.PasswordHash, "a new password"); err != nil {
		t.Errorf("new password not stored: %v", err)
	}
	for name, want := range map[string]int{"forgetful": 0, "bystander": 2} {
		recs, err := store.LearnerSessions(ctx, ids[name])
		if err != nil || len(recs) != want {
			t.Errorf("%s: %d sessions (%v), want %d", name, len(recs), err, want)
		}
		revoked, err := store.RefreshFamilyRevoked(ctx, siteauth.HashToken(name+"-refresh"))
		if err != nil || revoked != (want == 0) {
			t.Errorf("%s: refresh family revoked = %v (%v)", name, revoked, err)
		}
	}
}

func TestBackupAndPprofConfig(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var out, errb bytes.Buffer
	run(context.Background(), []string{"authlab", "user", "add", "--data", data, "keeper"}, env(nil), strings.NewReader("a fine password\n"), &out, &errb)
	file := filepath.Join(t.TempDir(), "authlab.db")
	if err := run(context.Background(), []string{"authlab", "backup", "--data", data, file}, env(nil), nil, &out, &errb); err != nil {
		t.Fatalf("backup: %v %s", err, &errb)
	}
	copyStore, err := progress.Open(context.Background(), progress.Config{DataDir: filepath.Dir(file)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := copyStore.LearnerByUsername(context.Background(), "keeper"); err != nil {
		t.Errorf("the backup lacks the account: %v", err)
	}
	copyStore.Close()
	if err := run(context.Background(), []string{"authlab", "backup", "--data", data, file}, env(nil), nil, &out, &errb); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if _, err := parseConfig("serve", []string{"--pprof-addr", "0.0.0.0:6060"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("public pprof address accepted: %v", err)
	}
	if _, err := parseConfig("serve", []string{"--pprof-addr", "127.0.0.1:6060"}, env(nil), io.Discard); err != nil {
		t.Errorf("loopback pprof address refused: %v", err)
	}
}
