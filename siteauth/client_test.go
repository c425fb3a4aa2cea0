package siteauth

import (
	"strings"
	"testing"
	"time"
)

func TestDeviceAndClientName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ ua, device, client string }{
		{"", "Unknown device", "Unknown client"},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux", "Firefox on Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0", "Edge on Windows", "Edge on Windows"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iPhone", "Safari on iPhone"},
		{"curl/8.5.0", "curl", "curl"},
		{"python-requests/2.31", "Unknown browser", "python-requests"},
		{"authlab-cli " + strings.Repeat("x", 60), "Unknown browser", "authlab-cli"},
		{strings.Repeat("y", 60) + "/1", "Unknown browser", strings.Repeat("y", 40)},
	} {
		if got := DeviceName(tt.ua); got != tt.device {
			t.Errorf("DeviceName(%q) = %q, want %q", tt.ua, got, tt.device)
		}
		if got := ClientName(tt.ua); got != tt.client {
			t.Errorf("ClientName(%q) = %q, want %q", tt.ua, got, tt.client)
		}
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"":                             "/",
		"/lessons/sessions":            "/lessons/sessions",
		"/review?x=1#a":                "/review?x=1#a",
		"https://evil.test/":           "/",
		"//evil.test/":                 "/",
		"/\\evil.test":                 "/",
		"/a\r\nSet-Cookie: x":          "/",
		"lessons":                      "/",
		"/" + strings.Repeat("a", 600): "/",
	} {
		if got := LocalPath(next); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestTouches(t *testing.T) {
	t.Parallel()
	f := &Touches{Every: time.Minute}
	t0 := time.Now()
	if !f.Due("a", t0) || f.Due("a", t0.Add(59*time.Second)) || !f.Due("b", t0) {
		t.Fatal("a second write within the minute, or none for another ID")
	}
	if !f.Due("a", t0.Add(time.Minute)) {
		t.Error("no write after a minute")
	}
	for i := range maxTouches + 1 {
		f.Due(strings.Repeat("k", i%7)+string(rune('a'+i%26))+time.Duration(i).String(), t0)
	}
	if len(f.last) > maxTouches {
		t.Errorf("%d IDs remembered, bound %d", len(f.last), maxTouches)
	}
}
