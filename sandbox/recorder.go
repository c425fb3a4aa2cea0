package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Exchange is one request to a lab as the server saw it and the answer
// it sent. The lab page (web/static/lab.js) consumes exactly this JSON.
type Exchange struct {
	ID                 string    `json:"id"`
	Time               time.Time `json:"time"` // lab clock
	Side               string    `json:"side"` // "session" or "token"
	Actor              string    `json:"actor"`
	Method             string    `json:"method"`
	Path               string    `json:"path"`
	Status             int       `json:"status"`
	RequestHeaders     []Header  `json:"request_headers"`
	ResponseHeaders    []Header  `json:"response_headers"`
	RequestBody        string    `json:"request_body"`
	ResponseBody       string    `json:"response_body"`
	DurationMS         float64   `json:"duration_ms"`
	Verdict            string    `json:"verdict"`
	CookieBytes        int       `json:"cookie_bytes"`        // the "Cookie: …" header line
	AuthorizationBytes int       `json:"authorization_bytes"` // the "Authorization: …" header line
	Curl               string    `json:"curl"`
	Milestones         []string  `json:"milestones"`

	storeOp, storeRes string // for the sequence diagram
}

// Header is one header line; Set-Cookie lines carry their attributes,
// each explained.
type Header struct {
	Name       string            `json:"name"`
	Value      string            `json:"value"`
	Attributes []CookieAttribute `json:"attributes,omitempty"`
}

// CookieAttribute is one attribute of a Set-Cookie line and what it does.
type CookieAttribute struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	Explanation string `json:"explanation"`
}

const maxRecordedBody = 2 << 10

// finish commits the milestones the call reached and records the exchange.
func (m *Manager) finish(c *call) *Exchange {
	fresh := m.commitMilestones(c)
	x := m.exchange(c)
	c.e.trace.add(x, fresh)
	if m.onMilestone != nil {
		for _, id := range fresh {
			m.onMilestone(c.snap.owner, c.id, id)
		}
	}
	return x
}

func (m *Manager) exchange(c *call) *Exchange {
	r := c.r
	x := &Exchange{
		ID:           m.xprefix + "-" + strconv.FormatUint(m.xseq.Add(1), 36),
		Time:         c.now(),
		Side:         c.side,
		Actor:        c.actor,
		Method:       r.Method,
		Path:         r.URL.RequestURI(),
		Status:       c.status,
		RequestBody:  clip(c.body),
		ResponseBody: clip(c.respBody),
		DurationMS:   float64(time.Since(c.start).Microseconds()) / 1000,
		Verdict:      c.verdict,
		Milestones:   c.reached,
		storeOp:      c.storeOp,
		storeRes:     c.storeRes,
	}
	if x.Milestones == nil {
		x.Milestones = []string{}
	}
	if x.Side == "" {
		x.Side = "session"
		if strings.HasPrefix(c.rest, "token/") {
			x.Side = "token"
		}
	}
	x.RequestHeaders = make([]Header, 0, len(r.Header)+1)
	x.RequestHeaders = append(x.RequestHeaders, Header{Name: "Host", Value: r.Host})
	for _, name := range sortedKeys(r.Header) {
		for _, v := range r.Header[name] {
			switch name {
			case "Cookie":
				if v = c.labCookies(v); v == "" {
					continue
				}
				x.CookieBytes += len("Cookie: ") + len(v)
			case "Authorization":
				x.AuthorizationBytes += len("Authorization: ") + len(v)
			}
			x.RequestHeaders = append(x.RequestHeaders, Header{Name: name, Value: v})
		}
	}
	wh := c.w.Header()
	x.ResponseHeaders = make([]Header, 0, len(wh))
	for _, name := range sortedKeys(wh) {
		for _, v := range wh[name] {
			h := Header{Name: name, Value: v}
			if name == "Set-Cookie" {
				if !strings.HasPrefix(v, labCookiePrefix) {
					continue // the site's own cookie: never shown to the lab page
				}
				h.Attributes = explainCookie(v)
			}
			x.ResponseHeaders = append(x.ResponseHeaders, h)
		}
	}
	x.Curl = curlFor(c, x.RequestHeaders[1:]) // less the Host line
	return x
}

// labCookiePrefix starts the name of every cookie a lab sets.
const labCookiePrefix = "lab_"

// labCookies keeps the lab's cookies of a learner's Cookie header. The
// browser also sends the site's own session cookie to /lab/; recording
// it would hand that HttpOnly cookie to the page's JavaScript, mixing the
// two auth planes. Mallory's headers are hers and are kept as typed.
func (c *call) labCookies(v string) string {
	if c.actor == actorAttacker {
		return v
	}
	var kept []string
	for part := range strings.SplitSeq(v, ";") {
		if p := strings.TrimSpace(part); strings.HasPrefix(p, labCookiePrefix) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "; ")
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// clip keeps the first 2 KiB of a body, cut on a rune boundary.
func clip(b []byte) string {
	if len(b) <= maxRecordedBody {
		return string(b)
	}
	n := maxRecordedBody
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "… (" + strconv.Itoa(len(b)) + " bytes in all)"
}

// explainCookie splits a Set-Cookie value into attributes and says what
// each one makes the browser do.
func explainCookie(v string) []CookieAttribute {
	parts := strings.Split(v, ";")
	attrs := make([]CookieAttribute, 0, len(parts))
	for i, p := range parts {
		name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		if i == 0 {
			what := "an opaque random ID: the session itself lives in the server's store"
			if val == "" {
				what = "an empty value: together with Max-Age=0 this tells the browser to delete the cookie"
			}
			attrs = append(attrs, CookieAttribute{Name: name, Value: val, Explanation: "the cookie's name and value — " + what})
			continue
		}
		attrs = append(attrs, CookieAttribute{Name: name, Value: val, Explanation: cookieAttr(name, val)})
	}
	if !strings.Contains(strings.ToLower(v), "max-age") && !strings.Contains(strings.ToLower(v), "expires") {
		attrs = append(attrs, CookieAttribute{Name: "(no Max-Age or Expires)", Explanation: "a browser-session cookie: it is dropped when the browser closes; the server's record decides how long the session really lives"})
	}
	return attrs
}

func cookieAttr(name, val string) string {
	switch strings.ToLower(name) {
	case "path":
		return "sent only with requests whose path starts with " + val + " — this lab's endpoints, not the rest of the site"
	case "httponly":
		return "JavaScript cannot read it: document.cookie does not show it, so an injected script cannot steal it"
	case "secure":
		return "sent only over HTTPS, never in clear text"
	case "samesite":
		switch strings.ToLower(val) {
		case "lax":
			return "not sent on cross-site subrequests/POSTs, sent on top-level GET navigations"
		case "strict":
			return "never sent on any request that starts on another site"
		case "none":
			return "sent on cross-site requests too (requires Secure): the CSRF door is open"
		}
	case "max-age":
		if val == "0" {
			return "delete the cookie now"
		}
		return "the browser keeps it for " + val + " seconds"
	case "expires":
		return "the browser keeps it until this date"
	case "domain":
		return "also sent to subdomains of " + val
	}
	return "an attribute the browser may not know"
}

// curlFor writes the exchange as a curl command line that works against
// the running server, every argument single-quoted. An endpoint only the
// lab's owner reaches (labIDOpens) gets none: a terminal has no site
// session, so the line would only ever answer 404.
func curlFor(c *call, headers []Header) string {
	if !labIDOpens(c.rest) {
		return ""
	}
	r := c.r
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" { // display only
		scheme = "https"
	}
	var b strings.Builder
	b.Grow(256)
	b.WriteString("curl -i")
	if r.Method != http.MethodGet || len(c.body) > 0 {
		b.WriteString(" -X ")
		b.WriteString(r.Method)
	}
	b.WriteByte(' ')
	shellQuoteTo(&b, scheme+"://"+r.Host+r.URL.RequestURI())
	for _, h := range headers {
		if c.actor != actorAttacker && h.Name != "Cookie" && h.Name != "Authorization" && (h.Name != "Content-Type" || len(c.body) == 0) {
			continue // the browser's own headers are noise here
		}
		b.WriteString(" -H ")
		shellQuoteTo(&b, h.Name+": "+h.Value)
	}
	if len(c.body) > 0 {
		flag := " -d "
		if c.body[0] == '@' {
			flag = " --data-raw " // -d @file would read a file
		}
		b.WriteString(flag)
		shellQuoteTo(&b, string(c.body))
	}
	return b.String()
}

// shellQuote wraps s in single quotes for a POSIX shell; a quote inside
// closes the quoting, is written backslash-escaped, and reopens it. NUL
// cannot be passed in an argument at all, so it is dropped.
func shellQuote(s string) string {
	var b strings.Builder
	shellQuoteTo(&b, s)
	return b.String()
}

// shellQuoteTo writes shellQuote(s) to b.
func shellQuoteTo(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0:
		case '\'':
			b.WriteString(`'\''`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
}
