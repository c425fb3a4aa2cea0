package web

import (
	"net/http"
	"net/url"
	"strings"
)

// SameSiteHandler is what the CSRF lab's optional second listener
// serves: the evil page and the static files it needs, nothing else.
// That listener is another port of the learner's own loopback host, so
// its evil page is another origin but the same site as the lab bank —
// and even a SameSite=Strict cookie goes along with its form. Every
// other path answers 404, so the site is reachable on its own port only.
func (s *Server) SameSiteHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && sameSitePath(r.URL.Path) {
			s.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("This port serves only the CSRF lab's evil page (another origin, the same site). The course is on the server's main address.\n"))
	})
}

// sameSitePath reports whether the second listener serves p: an evil
// page (/lab/{id}/evil) or a static file.
func sameSitePath(p string) bool {
	if strings.HasPrefix(p, "/static/") || p == "/favicon.svg" {
		return !strings.Contains(p, "..")
	}
	rest, ok := strings.CutPrefix(p, "/lab/")
	if !ok {
		return false
	}
	id, sub, _ := strings.Cut(rest, "/")
	return id != "" && sub == "evil"
}

// hostname is the host of a Host header without its port.
func hostname(hostport string) string { return (&url.URL{Host: hostport}).Hostname() }
