package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/quiz"
)

// TestCrashSafety starts the real binary on SQLite, sends 1,000 answers
// at once (40 at a time, so they are written in groups), kills it with
// SIGKILL half-way, with answers in flight, restarts it and checks that
// every answer that got a 2xx is stored exactly once.
func TestCrashSafety(t *testing.T) {
	if os.Getenv("AUTHLAB_TEST_HEAVY") == "" {
		t.Skip("crash test skipped: set AUTHLAB_TEST_HEAVY=1 to build the binary and kill it mid-way (CI sets it)")
	}
	bin := filepath.Join(t.TempDir(), "authlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()
	addr := freeAddr(t)
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "--addr", addr, "--data", data)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				resp.Body.Close()
				return cmd
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the server did not start")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	cmd := start()
	base := "http://" + addr

	cat, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	var slug string
	var q *quiz.Question
	for _, l := range cat.Lessons {
		for _, qq := range l.Quizzes {
			if qq.Type == quiz.Single && q == nil {
				slug, q = l.Slug, qq
			}
		}
	}
	choice := q.Public(0).Options[0].Key
	answer := func(hc *http.Client, key string) (int, error) {
		form := url.Values{"choice": {choice}, "key": {key}}
		req, _ := http.NewRequest("POST", base+"/lessons/"+slug+"/quiz/"+q.ID, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	// 20 learners, each with its guest session from a first answer.
	const learners, total = 20, 1000
	clients := make([]*http.Client, learners)
	for i := range clients {
		clients[i] = browserClient()
		if code, err := answer(clients[i], fmt.Sprintf("warmup-%02d-aaaaaaaa", i)); err != nil || code != 200 {
			t.Fatalf("first answer: %d %v", code, err)
		}
	}
	var ok sync.Map // key -> learner index, for every 2xx
	var okCount atomic.Int64
	var killed atomic.Bool
	// inFlight counts answers sent and not yet answered; atKill is how
	// many were in flight when the server was killed: the server groups
	// answers that arrive together into one transaction, so the kill
	// must find groups being written, not an idle server.
	var inFlight, atKill atomic.Int64
	var wg sync.WaitGroup
	keys := make(chan int)
	for w := 0; w < 40; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range keys {
				li := i % learners
				key := fmt.Sprintf("crash-%04d-%08x", i, i*7919)
				inFlight.Add(1)
				code, err := answer(clients[li], key)
				inFlight.Add(-1)
				if err == nil && code >= 200 && code < 300 {
					ok.Store(key, li)
					if okCount.Add(1) == total/2 && killed.CompareAndSwap(false, true) {
						atKill.Store(inFlight.Load())
						cmd.Process.Signal(syscall.SIGKILL)
					}
				}
			}
		}()
	}
	for i := 0; i < total; i++ {
		keys <- i
	}
	close(keys)
	wg.Wait()
	cmd.Wait()
	if !killed.Load() {
		t.Fatalf("the server was never killed (only %d answers succeeded)", okCount.Load())
	}
	if atKill.Load() < 2 {
		t.Fatalf("%d answers in flight when the server was killed, want several at once", atKill.Load())
	}

	cmd = start()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	seen := map[string]int{}
	for i, hc := range clients {
		resp, err := hc.Get(base + "/account/export")
		if err != nil {
			t.Fatal(err)
		}
		var ex struct {
			Attempts []struct {
				Key string `json:"key"`
			} `json:"attempts"`
		}
		err = json.NewDecoder(resp.Body).Decode(&ex)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("learner %d export after restart: %v", i, err)
		}
		for _, a := range ex.Attempts {
			seen[a.Key]++
		}
	}
	missing, doubled := 0, 0
	ok.Range(func(k, _ any) bool {
		if seen[k.(string)] == 0 {
			missing++
		}
		return true
	})
	for _, n := range seen {
		if n > 1 {
			doubled++
		}
	}
	t.Logf("%d answers acknowledged before SIGKILL, %d in flight at the kill; %d stored after restart; %d missing, %d doubled",
		okCount.Load(), atKill.Load(), len(seen)-learners, missing, doubled)
	if missing > 0 || doubled > 0 {
		t.Errorf("%d acknowledged answers lost, %d stored twice", missing, doubled)
	}
}
