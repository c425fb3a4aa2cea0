// Command loadrss measures the server's memory as issue 17 asks: RSS and
// private memory after the first lesson, then again once a load like the
// issue's has run and the server has been idle for a few seconds.
//
//	go run ./scripts/loadrss                  # builds . with plain go build
//	go run ./scripts/loadrss -bin BIN [-seconds 10] [-conns 32]
//
// The server runs from its binary on SQLite with a fresh data directory.
// The load, over loopback for the given time, is spread over -conns
// connections: guests who answered a quiz viewing lesson pages and
// answering more, anonymous lesson views, and /api/v1/me with a JWT from
// an account made with `authlab user add`. Memory is read from
// /proc/PID/smaps_rollup (Rss, Pss_Anon) and /proc/PID/status (VmHWM).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// options are the command's flags.
type options struct {
	bin      string        // the server binary; empty: build one
	load     time.Duration // how long the load runs
	conns    int
	idle     time.Duration // idle time after the load before the last reading
	heapFile string        // where to write the heap profile; empty: nowhere
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "server binary (default: go build . into a temporary directory)")
	seconds := flag.Int("seconds", 10, "how long the load runs")
	flag.IntVar(&o.conns, "conns", 32, "connections, each a client of its own")
	flag.DurationVar(&o.idle, "idle", 5*time.Second, "how long the server idles after the load before the last reading")
	flag.StringVar(&o.heapFile, "heap", "", "also write the heap profile taken after -idle to this file")
	flag.Parse()
	o.load = time.Duration(*seconds) * time.Second
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadrss:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	bin, dur, conns := o.bin, o.load, o.conns
	tmp, err := os.MkdirTemp("", "loadrss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "authlab")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	info, err := os.Stat(bin)
	if err != nil {
		return err
	}
	data := filepath.Join(tmp, "data")
	const user, password = "loadrss", "load-rss-password-1"
	add := exec.Command(bin, "user", "add", "--data", data, user)
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return fmt.Errorf("user add: %v: %s", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	pln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	pprofAddr := pln.Addr().String()
	pln.Close()
	srv := exec.Command(bin, "--addr", addr, "--data", data, "--pprof-addr", pprofAddr)
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	base := "http://" + addr
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	first, err := waitForLesson(ctx, base)
	if err != nil {
		return err
	}
	time.Sleep(2 * time.Second)
	idle, err := memory(srv.Process.Pid)
	if err != nil {
		return err
	}

	token, err := apiToken(base, user, password)
	if err != nil {
		return err
	}
	var requests, failures atomic.Int64
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient()
			for time.Now().Before(deadline) {
				var err error
				switch i % 4 {
				case 0, 1: // a guest with progress: the lesson page, an answer now and then
					err = c.guest(base, first)
				case 2:
					err = c.get(base+first, "")
				case 3:
					err = c.get(base+"/api/v1/me", token)
				}
				requests.Add(1)
				if err != nil {
					if failures.Add(1) == 1 {
						fmt.Fprintln(os.Stderr, "first failure:", err)
					}
				}
			}
		}()
	}
	wg.Wait()
	endOfLoad, err := memory(srv.Process.Pid)
	if err != nil {
		return err
	}
	time.Sleep(o.idle)
	after, err := memory(srv.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("%s (%.1f MB)\n", bin, float64(info.Size())/1e6)
	fmt.Printf("  after the first lesson:          %s\n", idle)
	fmt.Printf("  at the end of the load:          %s\n", endOfLoad)
	fmt.Printf("  %-33s%s\n", o.idle.String()+" after the load:", after)
	fmt.Printf("  %-33s%s\n", "Go runtime then:", goMemory(pprofAddr))
	if o.heapFile != "" {
		if err := saveHeap(pprofAddr, o.heapFile); err != nil {
			return err
		}
	}
	fmt.Printf("  load: %d requests in %s over %d connections (%.0f/s), %d failed\n",
		requests.Load(), dur, conns, float64(requests.Load())/dur.Seconds(), failures.Load())
	if failures.Load() > 0 {
		return errors.New("some requests failed")
	}
	return nil
}

// goMemory is the Go runtime's view of its memory, from the heap profile's
// MemStats (MB): the heap in use and the part of it the profile counts
// live, what the heap holds unused but not yet returned, and the rest.
func goMemory(addr string) string {
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	stat := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		var name string
		var v float64
		if _, err := fmt.Sscanf(line, "# %s = %g", &name, &v); err == nil {
			stat[name] = v / 1e6
		}
	}
	return fmt.Sprintf("HeapAlloc %.1f MB, HeapInuse %.1f MB, idle not returned %.1f MB, stacks %.1f MB, GC metadata %.1f MB, NextGC %.1f MB",
		stat["HeapAlloc"], stat["HeapInuse"], stat["HeapIdle"]-stat["HeapReleased"], stat["StackInuse"], stat["GCSys"], stat["NextGC"])
}

func saveHeap(addr, file string) error {
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

type mem struct{ rss, anon, peak float64 }

func (m mem) String() string {
	return fmt.Sprintf("RSS %.1f MB, Pss_Anon %.1f MB, peak %.1f MB", m.rss, m.anon, m.peak)
}

// memory reads the process's RSS and private memory (MB) and its peak RSS.
func memory(pid int) (mem, error) {
	var m mem
	kB := func(file, field string) (float64, error) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, file))
		if err != nil {
			return 0, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, field+":"); ok {
				var v float64
				if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &v); err != nil {
					return 0, err
				}
				return v / 1024, nil
			}
		}
		return 0, fmt.Errorf("no %s in /proc/%d/%s", field, pid, file)
	}
	var err error
	if m.rss, err = kB("smaps_rollup", "Rss"); err != nil {
		return m, err
	}
	if m.anon, err = kB("smaps_rollup", "Pss_Anon"); err != nil {
		return m, err
	}
	m.peak, err = kB("status", "VmHWM")
	return m, err
}

// waitForLesson polls until the server answers with the course outline,
// then views the outline's second lesson, the one the load uses (a
// course's first lesson need not have a quiz), and returns its path.
func waitForLesson(ctx context.Context, base string) (string, error) {
	for {
		var out struct {
			Lessons []struct {
				Slug string `json:"slug"`
			} `json:"lessons"`
		}
		resp, err := http.Get(base + "/api/v1/lessons")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err == nil && len(out.Lessons) > 1 {
				path := "/lessons/" + out.Lessons[1].Slug
				if err := (&client{http: http.DefaultClient}).get(base+path, ""); err != nil {
					return "", err
				}
				return path, nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("the server did not serve the course outline: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func apiToken(base, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := http.Post(base+"/api/v1/token", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("api token: status %d, %v", resp.StatusCode, err)
	}
	return out.AccessToken, nil
}

// client is one connection's visitor, with its own cookies.
type client struct {
	http *http.Client
	n    int // lesson views
}

type quizForm struct{ action, choice, key string }

func newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{http: &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}}
}

var (
	formRe   = regexp.MustCompile(`<form class="quiz-form" method="post" action="([^"#]+)`)
	choiceRe = regexp.MustCompile(`name="choice" value="([^"]+)"`)
	keyRe    = regexp.MustCompile(`name="key" value="([^"]+)"`)
)

func (c *client) get(u, token string) error {
	_, err := c.fetch("GET", u, token, nil)
	return err
}

func (c *client) fetch(method, u, token string, form url.Values) ([]byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: status %d", method, u, resp.StatusCode)
	}
	return b, err
}

// guest views the lesson and, on its first view and every tenth after,
// answers one of its quizzes with the key that form gave.
func (c *client) guest(base, path string) error {
	page, err := c.fetch("GET", base+path, "", nil)
	if err != nil {
		return err
	}
	c.n++
	if c.n%10 != 1 {
		return nil
	}
	var quiz []quizForm
	forms := formRe.FindAllSubmatchIndex(page, -1)
	for i, f := range forms {
		end := len(page)
		if i+1 < len(forms) {
			end = forms[i+1][0]
		}
		choice, key := choiceRe.FindSubmatch(page[f[1]:end]), keyRe.FindSubmatch(page[f[1]:end])
		if choice != nil && key != nil {
			quiz = append(quiz, quizForm{action: string(page[f[2]:f[3]]), choice: string(choice[1]), key: string(key[1])})
		}
	}
	if len(quiz) == 0 {
		return fmt.Errorf("%s has no quiz form with a choice", path)
	}
	q := quiz[(c.n/10)%len(quiz)]
	_, err = c.fetch("POST", base+q.action, "", url.Values{"key": {q.key}, "choice": {q.choice}})
	return err
}
