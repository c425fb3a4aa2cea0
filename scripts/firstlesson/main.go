// Command firstlesson waits until a server answers a page with 200 and
// exits; scripts/coldstart.sh runs it beside a server it has just started
// to time the start. It tries to connect every half millisecond, which
// costs nearly nothing, where a curl per try (the script's first way)
// starts a process each time and takes CPU from the server it measures
// on a small machine.
//
//	firstlesson [-timeout 30s] URL
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

func main() {
	timeout := flag.Duration("timeout", 30*time.Second, "give up after this long")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: firstlesson [-timeout 30s] URL")
		os.Exit(2)
	}
	if err := wait(flag.Arg(0), *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "firstlesson:", err)
		os.Exit(1)
	}
}

// wait returns once the page at raw has been served whole with 200.
func wait(raw string, timeout time.Duration) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		// The port accepts once the server listens; only then is the
		// page asked for, so the server sees one request, as from a
		// browser.
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not accept within %s: %w", u.Host, timeout, err)
		case <-time.After(500 * time.Microsecond):
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", raw, resp.Status)
	}
	return nil
}
