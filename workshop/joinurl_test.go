package workshop

import "testing"

func TestJoinHost(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, host string
		loopback bool
	}{
		{"localhost:8080", "localhost:8080", true},
		{"127.0.0.1:8080", "127.0.0.1:8080", true},
		{"[::1]:8080", "[::1]:8080", true},
		{"app.localhost", "app.localhost", true},
		{"192.168.1.20:8080", "192.168.1.20:8080", false},
		{"authlab.example.org", "authlab.example.org", false},
		{"[fe80::1]:443", "[fe80::1]:443", false},
		{`evil.example"><script>`, "localhost", true},
		{"evil.example/phish?x=", "localhost", true},
		{"evil.example:99999", "localhost", true},
		{"", "localhost", true},
	} {
		host, loopback := JoinHost(tt.in)
		if host != tt.host || loopback != tt.loopback {
			t.Errorf("JoinHost(%q) = %q, %v; want %q, %v", tt.in, host, loopback, tt.host, tt.loopback)
		}
	}
}

func TestJoinURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		base, host string
		secure     bool
		want       string
		loopback   bool
	}{
		{"", "192.168.1.20:8080", false, "http://192.168.1.20:8080/w/ABCDEF", false},
		{"", "localhost:8080", true, "https://localhost:8080/w/ABCDEF", true},
		{"", "evil.example/x", false, "http://localhost/w/ABCDEF", true},
		{"https://authlab.example.org/", "evil.example", false, "https://authlab.example.org/w/ABCDEF", false},
		{"http://localhost:8080", "192.168.1.20", false, "http://localhost:8080/w/ABCDEF", true},
	} {
		got, loopback := JoinURL(tt.base, tt.host, tt.secure, "ABCDEF")
		if got != tt.want || loopback != tt.loopback {
			t.Errorf("JoinURL(%q, %q, %v) = %q, %v; want %q, %v", tt.base, tt.host, tt.secure, got, loopback, tt.want, tt.loopback)
		}
	}
}
