package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Manager clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// labEnv is one Manager with one lab, driven through its Handler.
type labEnv struct {
	t          testing.TB
	m          *Manager
	clock      *fakeClock
	owner, id  string
	milestones *milestoneLog
}

type milestoneLog struct {
	mu  sync.Mutex
	ids []string
}

func (l *milestoneLog) add(_, _, id string) {
	l.mu.Lock()
	l.ids = append(l.ids, id)
	l.mu.Unlock()
}

func (l *milestoneLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.ids...)
}

func newEnv(t testing.TB, opts ...func(*Options)) *labEnv {
	t.Helper()
	clock, log := newClock(), &milestoneLog{}
	o := Options{Now: clock.Now, OnMilestone: log.add}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	lab, err := m.Create(context.Background(), "learner-1")
	if err != nil {
		t.Fatal(err)
	}
	return &labEnv{t: t, m: m, clock: clock, owner: "learner-1", id: lab.ID, milestones: log}
}

// on returns an env for the same lab served by another Manager.
func (e *labEnv) on(m *Manager) *labEnv {
	c := *e
	c.m = m
	return &c
}

// req is one request: path is relative to the lab ("api/me").
type req struct {
	method, path string
	body         any // string = raw body; anything else is JSON-encoded
	header       []string
	owner        *string
}

func (e *labEnv) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	var body []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		body = []byte(b)
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	hr := httptest.NewRequest(r.method, "/lab/"+e.id+"/"+r.path, bytes.NewReader(body))
	if _, isRaw := r.body.(string); r.body != nil && !isRaw {
		hr.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(r.header); i += 2 {
		hr.Header.Set(r.header[i], r.header[i+1])
	}
	owner := e.owner
	if r.owner != nil {
		owner = *r.owner
	}
	if owner != "" {
		hr = hr.WithContext(WithOwner(hr.Context(), owner))
	}
	rec := httptest.NewRecorder()
	e.m.Handler().ServeHTTP(rec, hr)
	return rec
}

func (e *labEnv) get(path string, header ...string) *httptest.ResponseRecorder {
	return e.do(req{method: http.MethodGet, path: path, header: header})
}

func (e *labEnv) post(path string, body any, header ...string) *httptest.ResponseRecorder {
	return e.do(req{method: http.MethodPost, path: path, body: body, header: header})
}

func (e *labEnv) put(path string, body any) *httptest.ResponseRecorder {
	return e.do(req{method: http.MethodPut, path: path, body: body})
}

func want(t testing.TB, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body, err)
	}
	return v
}

// reasonOf is the {reason} of a refusal.
func reasonOf(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	return decode[errorBody](t, rec).Reason
}

var alice = map[string]string{"username": "alice", "password": "wonderland"}

// sessionLogin logs alice in and returns the "lab_sid=…" cookie pair.
func (e *labEnv) sessionLogin() string {
	e.t.Helper()
	rec := e.post("session/login", alice)
	want(e.t, rec, http.StatusOK)
	sc := rec.Header().Get("Set-Cookie")
	pair, _, _ := strings.Cut(sc, ";")
	if !strings.HasPrefix(pair, "lab_sid=") {
		e.t.Fatalf("Set-Cookie %q", sc)
	}
	return pair
}

// tokenLogin logs alice in with a token and returns the pair.
func (e *labEnv) tokenLogin() tokenPair {
	e.t.Helper()
	rec := e.post("token/login", alice)
	want(e.t, rec, http.StatusOK)
	return decode[tokenPair](e.t, rec)
}

func bearerH(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// attack sends a request from the attacker console and returns its result.
func (e *labEnv) attack(method, path string, headers map[string]string, body string) (int, Exchange) {
	e.t.Helper()
	rec := e.post("attack", map[string]any{"method": method, "path": path, "headers": headers, "body": body})
	want(e.t, rec, http.StatusOK)
	out := decode[struct {
		Exchange Exchange `json:"exchange"`
	}](e.t, rec)
	return out.Exchange.Status, out.Exchange
}

func (e *labEnv) trace() []Exchange {
	e.t.Helper()
	rec := e.get("trace")
	want(e.t, rec, http.StatusOK)
	return decode[struct {
		Exchanges []Exchange `json:"exchanges"`
	}](e.t, rec).Exchanges
}

func ptr[T any](v T) *T { return &v }
