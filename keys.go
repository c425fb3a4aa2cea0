package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/authlab/authlab/siteauth"
)

// keysDir is where the site's signing keys live inside the data directory.
func keysDir(dataDir string) string { return filepath.Join(dataDir, "keys") }

// keysCommand runs `authlab keys rotate`: a new cookie key and a new token
// signing key go in front; the previous two keep verifying, so nobody is
// signed out. Restart the servers (one by one) to start signing with them.
func keysCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		fmt.Fprintln(stderr, "usage: authlab keys rotate [--data DIR]")
		return errUsage
	}
	fs := flag.NewFlagSet("authlab keys rotate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr(getenv, "AUTHLAB_DATA", "./data"), "data directory ($AUTHLAB_DATA)")
	if err := fs.Parse(args[1:]); err != nil {
		return quietUsage(err)
	}
	dir := keysDir(*data)
	if err := siteauth.RotateKeys(dir, time.Now()); err != nil {
		return err
	}
	ring, err := siteauth.LoadKeyRing(dir, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rotated: new signing key %s; %d keys published in the JWKS. Restart the servers to sign with it.\n",
		ring.Signing().ID, len(ring.JWKS()["keys"]))
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
