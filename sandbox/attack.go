package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
)

const (
	maxAttackHeaders     = 32
	maxAttackHeaderBytes = 16 << 10
	maxAttackPayload     = 16 << 10
	malloryAddr          = "203.0.113.66:41066" // a documentation address: Mallory's machine
)

// attackInput is what the attacker console sends.
type attackInput struct {
	Method  string          `json:"method"`
	Path    string          `json:"path"`
	Headers json.RawMessage `json:"headers"` // {"Name": "value"} or [["Name", "value"], …]
	Body    string          `json:"body"`
	Predict *int            `json:"predict"`
}

// attackSpec is a checked attack: a request to this lab's demo app only.
type attackSpec struct {
	method, rest string
	header       http.Header
	body         string
	predict      int // 0 = no prediction
}

// attackMethod is the method each endpoint Mallory may reach answers.
// The admin, settings and clock endpoints are the learner's, not the
// demo app's, and stay out of her reach.
func attackMethod(rest string) string {
	switch rest {
	case "api/me":
		return http.MethodGet
	case "session/login", "session/logout", "token/login", "token/refresh", "token/logout":
		return http.MethodPost
	}
	return openMethod(rest)
}

// parseAttack checks the console's input; its errors are reasons meant
// for the learner.
func parseAttack(labID string, raw []byte) (attackSpec, error) {
	var in attackInput
	var spec attackSpec
	if err := json.Unmarshal(raw, &in); err != nil {
		return spec, errors.New(`send JSON: {"method", "path", "headers", "body", "predict"}`)
	}
	rest, err := attackPath(labID, in.Path)
	if err != nil {
		return spec, err
	}
	spec.rest = rest
	spec.method = strings.ToUpper(strings.TrimSpace(in.Method))
	if spec.method == "" {
		spec.method = http.MethodGet
	}
	if want := attackMethod(rest); spec.method != want {
		return spec, errors.New(rest + " answers " + want + " only")
	}
	if spec.header, err = attackHeaders(in.Headers); err != nil {
		return spec, err
	}
	if len(in.Body) > maxAttackPayload {
		return spec, errors.New("the body is over 16 KiB")
	}
	spec.body = in.Body
	if in.Predict != nil {
		if *in.Predict < 100 || *in.Predict > 599 {
			return spec, errors.New("predict must be an HTTP status such as 200 or 401")
		}
		spec.predict = *in.Predict
	}
	return spec, nil
}

// attackPath turns "/api/me", "api/me" or "/lab/{this lab}/api/me" into
// "api/me"; URLs, other labs, "..", queries and escapes are refused.
func attackPath(labID, p string) (string, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return "", errors.New("give a path such as /api/me")
	case strings.Contains(p, "://") || strings.HasPrefix(p, "//"):
		return "", errors.New("the console sends to this lab only: give a path such as /api/me, not a URL")
	case len(p) > 512:
		return "", errors.New("the path is too long")
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b <= ' ' || b >= 0x7f || b == '\\' || b == '%' || b == '?' || b == '#' {
			return "", errors.New("the path may hold only plain characters: no spaces, escapes, query or fragment")
		}
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if slices.Contains(segs, "..") || slices.Contains(segs, ".") {
		return "", errors.New(`"." and ".." are not allowed: the console stays inside this lab`)
	}
	if segs[0] == "lab" {
		if len(segs) < 2 || segs[1] != labID {
			return "", errors.New("that path belongs to another lab: the console reaches this one only")
		}
		segs = segs[2:]
	}
	rest := strings.Join(segs, "/")
	if attackMethod(rest) == "" {
		return "", errors.New("Mallory can reach the demo app only: /api/me, /session/login, /session/logout, /token/login, /token/refresh, /token/logout, and the attack labs' public endpoints (" + strings.Join(openPaths(), ", ") + ")")
	}
	return rest, nil
}

func attackHeaders(raw json.RawMessage) (http.Header, error) {
	h := http.Header{}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return h, nil
	}
	var pairs [][]string
	var obj map[string]string
	if err := json.Unmarshal(raw, &obj); err == nil {
		for _, name := range slices.Sorted(maps.Keys(obj)) {
			pairs = append(pairs, []string{name, obj[name]})
		}
	} else if err := json.Unmarshal(raw, &pairs); err != nil || slices.ContainsFunc(pairs, func(p []string) bool { return len(p) != 2 }) {
		return nil, errors.New(`headers must be {"Name": "value"} or [["Name", "value"], …]`)
	}
	if len(pairs) > maxAttackHeaders {
		return nil, errors.New("at most 32 headers")
	}
	size := 0
	for _, p := range pairs {
		name, value := strings.TrimSpace(p[0]), strings.TrimSpace(p[1])
		if !validHeaderName(name) {
			return nil, errors.New("a header name is empty or has characters a header name cannot hold")
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return nil, errors.New("header " + name + ": a value cannot hold line breaks")
		}
		switch http.CanonicalHeaderKey(name) {
		case "Host", "Content-Length", "Transfer-Encoding", "Connection":
			return nil, errors.New("header " + http.CanonicalHeaderKey(name) + " is set by the console itself")
		}
		if size += len(name) + len(value); size > maxAttackHeaderBytes {
			return nil, errors.New("the headers are over 16 KiB")
		}
		h.Add(name, value)
	}
	return h, nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// POST attack: Mallory's request, run in process against this lab's
// handler only, with no cookie but those she typed.
func (m *Manager) attack(c *call) {
	spec, err := parseAttack(c.id, c.body)
	if err != nil {
		c.fail(http.StatusBadRequest, "bad_attack", err.Error())
		return
	}
	req, err := http.NewRequestWithContext(c.r.Context(), spec.method, "/lab/"+c.id+"/"+spec.rest, strings.NewReader(spec.body))
	if err != nil {
		c.fail(http.StatusBadRequest, "bad_attack", "the console could not build that request")
		return
	}
	req.Host, req.RemoteAddr, req.TLS = c.r.Host, malloryAddr, c.r.TLS
	req.Header = spec.header
	req.RequestURI = req.URL.RequestURI()
	rec := &bufferWriter{header: http.Header{}}
	x := m.serve(rec, req, actorAttacker)
	if x == nil {
		c.fail(http.StatusNotFound, "not_found", "the lab did not answer: it may have been reset or expired")
		return
	}
	out := struct {
		Exchange          *Exchange `json:"exchange"`
		PredictionCorrect *bool     `json:"prediction_correct"`
	}{Exchange: x}
	if spec.predict != 0 {
		right := spec.predict == x.Status
		out.PredictionCorrect = &right
	}
	c.json(http.StatusOK, out)
}

// bufferWriter is the in-process client's end of an attack.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(s int) {
	if b.status == 0 {
		b.status = s
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
