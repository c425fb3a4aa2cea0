package workshop

// The join URL: the address attendees open, shown on the lobby and the
// presenter screen and encoded in the QR code.

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// JoinURL is the absolute address of workshop code's join page, and
// whether it names this computer itself (localhost, 127.0.0.1, ::1),
// which phones in the room cannot open. With a base URL (--base-url) it
// is always built on that, whatever Host the request named. Without,
// the request's Host is all there is to go on; it is used only when it
// is a well-formed host[:port], so a forged Host cannot put markup or a
// path into the URL (see JoinHost); https when secure.
func JoinURL(base, host string, secure bool, code string) (string, bool) {
	if base = strings.TrimRight(base, "/"); base != "" {
		u, err := url.Parse(base)
		return base + "/w/" + code, err == nil && isLoopbackHost(u.Hostname())
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	h, loopback := JoinHost(host)
	return scheme + "://" + h + "/w/" + code, loopback
}

// JoinHost checks a request's Host for use in a join URL: a DNS name or
// an IP address, with an optional port. Anything else becomes "localhost".
func JoinHost(h string) (host string, loopback bool) {
	name, port, err := net.SplitHostPort(h)
	if err != nil {
		name, port = h, ""
	}
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	if !validHostName(name) && net.ParseIP(name) == nil {
		return "localhost", true
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "localhost", true
		}
	}
	if port == "" && strings.Contains(name, ":") {
		return "[" + name + "]", isLoopbackHost(name)
	}
	if port == "" {
		return name, isLoopbackHost(name)
	}
	return net.JoinHostPort(name, port), isLoopbackHost(name)
}

// validHostName: letters, digits, hyphens and dots, as DNS names are.
func validHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func isLoopbackHost(name string) bool {
	if ip := net.ParseIP(name); ip != nil {
		return ip.IsLoopback()
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}
