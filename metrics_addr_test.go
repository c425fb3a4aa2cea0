package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsOnTheirOwnAddress: /metrics is never a route of the site; with
// --metrics-addr it is served on that listener alone.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	maddr := freeAddr(t)
	base, _, _ := startRun(t, "--metrics-addr", maddr)
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the site's /metrics answered %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatalf("metrics listener: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "authlab_http_requests_total") {
		t.Errorf("metrics listener answered %d:\n%.300s", resp.StatusCode, body)
	}
	if _, err := parseConfig("serve", []string{"--addr", ":9000", "--metrics-addr", ":9000"}, env(nil), io.Discard); err == nil {
		t.Error("metrics on the site's own address accepted")
	}
	if _, err := parseConfig("serve", []string{"--metrics-addr", "nonsense"}, env(nil), io.Discard); err == nil {
		t.Error("a metrics address without a port accepted")
	}
}
