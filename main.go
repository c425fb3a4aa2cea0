// Command authlab serves a hands-on course on session-based vs token-based
// authentication: lessons, live labs, quizzes, workshops and interview drills.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errFailed) && !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "authlab:", err)
		}
		os.Exit(exitCode(err))
	}
}
