package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/authlab/authlab/progress"
)

// backupCommand runs `authlab backup FILE`: a consistent copy of the
// SQLite database, taken while the server keeps serving.
func backupCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("authlab backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "AUTHLAB_DATA", "./data"), "data directory ($AUTHLAB_DATA)")
	dbURL := fs.String("database-url", getenv("AUTHLAB_DATABASE_URL"), "postgres://… ($AUTHLAB_DATABASE_URL): refused, use pg_dump")
	if err := fs.Parse(args); err != nil {
		return quietUsage(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: authlab backup [--data DIR] FILE")
		return errUsage
	}
	store, err := progress.Open(ctx, progress.Config{DatabaseURL: *dbURL, DataDir: *data})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up to %s (the signing keys are in %s: back them up too)\n", fs.Arg(0), keysDir(*data))
	return nil
}
