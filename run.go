package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/authlab/authlab/siteauth"
)

// version is set at build time with -ldflags "-X main.version=…"; a
// plain build reports the module version or "dev".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// errFailed: the command already said what went wrong; exit 1 quietly.
var errFailed = errors.New("failed")

func exitCode(err error) int {
	if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// run is the whole program: it parses the command line, builds every
// dependency and runs the chosen command until ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args[1:]
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		cmd, rest = rest[0], rest[1:]
	}
	// One bound on concurrent argon2id hashes (19 MiB each) for the whole
	// process: the server's sign-ins, or the user command's one password.
	hasher := siteauth.NewHasher(0)
	switch cmd {
	case "serve":
		cfg, err := parseConfig(cmd, rest, getenv, stderr)
		if err != nil {
			return quietUsage(err)
		}
		return serve(ctx, cfg, hasher, stdout, stderr)
	case "check":
		return check(rest, getenv, stdout, stderr)
	case "backup":
		return backupCommand(ctx, rest, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, rest, getenv, hasher, stdin, stdout, stderr)
	case "keys":
		return keysCommand(rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "authlab", buildVersion())
		return nil
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	default:
		fmt.Fprintf(stderr, "authlab: unknown command %q\n\n", cmd)
		usage(stderr)
		return errUsage
	}
}

// quietUsage: flag already printed the problem or the help text.
func quietUsage(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if errors.Is(err, errUsage) {
		return errUsage
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprint(w, `authlab — a hands-on course on session vs token authentication.

Usage:
  authlab [serve] [flags]      serve the course (default; see authlab serve -h)
  authlab check [--content DIR] validate the course content; exits 1 on problems
  authlab user add [--instructor] NAME   create an account (password on stdin)
  authlab user promote NAME    give an account the instructor role
  authlab user passwd NAME     set a new password (on stdin); signs the account out everywhere
  authlab backup FILE          copy the SQLite database while serving (Postgres: use pg_dump)
  authlab keys rotate          rotate the cookie and token signing keys (old ones keep verifying)
  authlab version              print the version

Run "authlab serve -h" for every flag and its environment variable.
`)
}

func newLogger(format string, w io.Writer, dev bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if dev {
		opts.Level = slog.LevelDebug
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// contentFS is the course: the embedded one, or a directory on disk.
func contentFS(dir string, embedded fs.FS) fs.FS {
	if dir == "" {
		return embedded
	}
	return os.DirFS(dir)
}
