package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
)

// userCommand runs `authlab user add [--instructor] NAME` (the password
// is read from the first line of stdin), `authlab user promote NAME` and
// `authlab user passwd NAME` (the new password on stdin, as for add).
func userCommand(ctx context.Context, args []string, getenv func(string) string, hasher *siteauth.Hasher, stdin io.Reader, stdout, stderr io.Writer) error {
	const usage = "usage: authlab user add [--instructor] [--data DIR] [--database-url URL] NAME  (password on stdin)\n       authlab user promote [--data DIR] [--database-url URL] NAME\n       authlab user passwd [--data DIR] [--database-url URL] [--redis-url URL] NAME  (password on stdin)"
	if len(args) == 0 || (args[0] != "add" && args[0] != "promote" && args[0] != "passwd") {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	verb := args[0]
	fs := flag.NewFlagSet("authlab user "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "AUTHLAB_DATA", "./data"), "data directory ($AUTHLAB_DATA)")
	dbURL := fs.String("database-url", getenv("AUTHLAB_DATABASE_URL"), "postgres://… ($AUTHLAB_DATABASE_URL)")
	instructor := fs.Bool("instructor", false, "give the account the instructor role")
	redisURL := fs.String("redis-url", getenv("AUTHLAB_REDIS_URL"), "redis://… where the site sessions live, if they do ($AUTHLAB_REDIS_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return quietUsage(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	name := fs.Arg(0)
	store, err := progress.Open(ctx, progress.Config{DatabaseURL: *dbURL, DataDir: *data})
	if err != nil {
		return err
	}
	defer store.Close()

	if verb == "promote" {
		l, err := store.LearnerByUsername(ctx, name)
		if errors.Is(err, progress.ErrNotFound) {
			return fmt.Errorf("no account called %q", name)
		}
		if err != nil {
			return err
		}
		if err := store.SetInstructor(ctx, l.ID, true); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now an instructor\n", l.Name()) // as they spell it: names match in any case
		return nil
	}
	if verb == "passwd" {
		return setPassword(ctx, store, hasher, *redisURL, name, stdin, stdout)
	}
	if err := siteauth.CheckUsername(name); err != nil {
		return fmt.Errorf("username %q: %w", name, err)
	}
	hash, err := readPassword(hasher, stdin)
	if err != nil {
		return err
	}
	if _, err := store.NewAccount(ctx, name, "", hash, *instructor); errors.Is(err, progress.ErrConflict) {
		return fmt.Errorf("an account called %q already exists (usernames match in any case)", name)
	} else if err != nil {
		return err
	}
	role := "account"
	if *instructor {
		role = "instructor account"
	}
	fmt.Fprintf(stdout, "created %s %s\n", role, name)
	return nil
}

// readPassword reads the first line of stdin, checks it against the
// site's password rules and returns its hash.
func readPassword(hasher *siteauth.Hasher, stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := siteauth.CheckPasswordRules(pw); err != nil {
		return "", fmt.Errorf("password from stdin: %w", err)
	}
	return hasher.Hash(pw)
}

// setPassword is `authlab user passwd NAME`: the administrator's answer
// to a forgotten password (this installation sends no email). Like a
// change on the site, it ends every browser session of the account (in
// Redis too, given its URL) and every API sign-in.
func setPassword(ctx context.Context, store *progress.Store, hasher *siteauth.Hasher, redisURL, name string, stdin io.Reader, stdout io.Writer) error {
	l, err := store.LearnerByUsername(ctx, name)
	if errors.Is(err, progress.ErrNotFound) {
		return fmt.Errorf("no account called %q", name)
	}
	if err != nil {
		return err
	}
	hash, err := readPassword(hasher, stdin)
	if err != nil {
		return err
	}
	var sessions progress.Sessions = store
	if redisURL != "" {
		rdb, err := progress.OpenRedis(ctx, redisURL)
		if err != nil {
			return err
		}
		defer rdb.Close()
		sessions = progress.NewRedisSessions(rdb, "authlab:")
	}
	if err := store.SetPasswordHash(ctx, l.ID, hash); err != nil {
		return err
	}
	n, err := sessions.DeleteLearnerSessions(ctx, l.ID, "")
	if err != nil {
		return fmt.Errorf("password changed, but ending its sessions failed: %w", err)
	}
	fams, err := store.RevokeLearnerRefreshFamilies(ctx, l.ID)
	if err != nil {
		return fmt.Errorf("password changed, but ending its API sign-ins failed: %w", err)
	}
	fmt.Fprintf(stdout, "new password set for %s; ended %d browser session(s) and %d API sign-in(s)\n", l.Name(), n, fams)
	return nil
}
