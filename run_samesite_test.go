package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// --lab-same-site-addr serves the CSRF lab's evil page on a second
// loopback port — another origin, the same site as the bank — and
// nothing else of the site there.
func TestLabSameSiteListener(t *testing.T) {
	if _, err := parseConfig("serve", []string{"--lab-same-site-addr", "0.0.0.0:8081"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("a public same-site address was accepted: %v", err)
	}
	base, _, logs := startRun(t, "--lab-same-site-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`same site, another origin.*addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no same-site listener in the log:\n%s", logs)
	}
	side := "http://" + m[1]
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	id := strings.Repeat("ab", 16)
	status, body := get(side + "/lab/" + id + "/evil?bank=" + url.QueryEscape(base))
	if status != http.StatusOK || !strings.Contains(body, "the same site") || !strings.Contains(body, `action="`+base+"/lab/"+id+`/bank/transfer"`) {
		t.Errorf("the evil page on the second port: %d\n%s", status, body)
	}
	for _, p := range []string{"/", "/lessons/sessions", "/lab/" + id + "/csrf", "/lab/" + id + "/bank/home"} {
		if status, _ := get(side + p); status != http.StatusNotFound {
			t.Errorf("the second port served %s: %d", p, status)
		}
	}
}
