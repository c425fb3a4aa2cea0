package siteauth

import "strings"

// DeviceName turns a User-Agent into "Firefox on Linux" for the sessions
// page. It is a label for a person, not a security decision.
func DeviceName(ua string) string {
	if ua == "" {
		return "Unknown device"
	}
	browser := "Unknown browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"HeadlessChrome/", "Headless Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"}, {"Go-http-client", "Go client"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	os := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			os = o.name
			break
		}
	}
	if os == "" {
		return browser
	}
	return browser + " on " + os
}

// LocalPath accepts only a path on this site as a redirect target, so a
// crafted ?next= cannot send a learner elsewhere after signing in.
func LocalPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") || len(next) > 512 {
		return "/"
	}
	return next
}

// ClientName labels an API client: the browser and system when the
// User-Agent names them, else its first product token ("python-requests").
func ClientName(ua string) string {
	name := DeviceName(ua)
	if !strings.HasPrefix(name, "Unknown") {
		return name
	}
	product, _, _ := strings.Cut(strings.TrimSpace(ua), "/")
	product, _, _ = strings.Cut(product, " ")
	if product == "" {
		return "Unknown client"
	}
	if len(product) > 40 {
		product = product[:40]
	}
	return product
}
