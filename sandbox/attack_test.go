package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAttackConsole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := e.sessionLogin()
	other := strings.Repeat("0", 32)
	cases := []struct {
		name   string
		in     map[string]any
		status int // of the console; 200 means the request was sent
		inner  int // what Mallory got
	}{
		{"stolen cookie", map[string]any{"method": "GET", "path": "/api/me", "headers": map[string]string{"Cookie": cookie}}, 200, 200},
		{"relative path, pairs", map[string]any{"path": "api/me", "headers": [][]string{{"cookie", cookie}}}, 200, 200},
		{"full lab path", map[string]any{"path": "/lab/" + e.id + "/api/me"}, 200, 401},
		{"no victim cookies", map[string]any{"path": "/api/me"}, 200, 401},
		{"login as mallory", map[string]any{"method": "post", "path": "/session/login", "body": "username=mallory"}, 200, 200},
		{"another lab", map[string]any{"path": "/lab/" + other + "/api/me"}, 400, 0},
		{"absolute URL", map[string]any{"path": "http://169.254.169.254/api/me"}, 400, 0},
		{"scheme-relative", map[string]any{"path": "//evil.example/api/me"}, 400, 0},
		{"dot dot", map[string]any{"path": "/api/../settings"}, 400, 0},
		{"escaped dot dot", map[string]any{"path": "/api/%2e%2e/settings"}, 400, 0},
		{"query", map[string]any{"path": "/api/me?x=1"}, 400, 0},
		{"admin endpoint", map[string]any{"method": "PUT", "path": "/settings"}, 400, 0},
		{"itself", map[string]any{"method": "POST", "path": "/attack"}, 400, 0},
		{"wrong method", map[string]any{"method": "DELETE", "path": "/api/me"}, 400, 0},
		{"empty path", map[string]any{"path": " "}, 400, 0},
		{"bad header name", map[string]any{"path": "/api/me", "headers": map[string]string{"Bad Name": "x"}}, 400, 0},
		{"header injection", map[string]any{"path": "/api/me", "headers": map[string]string{"X-A": "1\r\nCookie: x"}}, 400, 0},
		{"host header", map[string]any{"path": "/api/me", "headers": map[string]string{"Host": "evil"}}, 400, 0},
		{"headers not pairs", map[string]any{"path": "/api/me", "headers": [][]string{{"a", "b", "c"}}}, 400, 0},
		{"body too big", map[string]any{"method": "POST", "path": "/session/login", "body": strings.Repeat("x", maxAttackPayload+1)}, 400, 0},
		{"silly prediction", map[string]any{"path": "/api/me", "predict": 42}, 400, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(req{method: http.MethodPost, path: "attack", body: c.in, header: []string{"Cookie", cookie}})
			want(t, rec, c.status)
			if c.status != 200 {
				if b := decode[errorBody](t, rec); b.Error != "bad_attack" || b.Reason == "" {
					t.Errorf("refusal %s", rec.Body)
				}
				return
			}
			x := decode[struct{ Exchange Exchange }](t, rec).Exchange
			if x.Status != c.inner || x.Actor != "attacker" {
				t.Errorf("Mallory got %d as %q (%s)", x.Status, x.Actor, x.Verdict)
			}
			for _, h := range x.RequestHeaders {
				if h.Name == "Cookie" && c.in["headers"] == nil {
					t.Error("the victim's cookie leaked into Mallory's request")
				}
			}
		})
	}
	many := map[string]string{}
	for i := range maxAttackHeaders + 1 {
		many["X-"+strings.Repeat("a", i+1)] = "1"
	}
	want(t, e.post("attack", map[string]any{"path": "/api/me", "headers": many}), http.StatusBadRequest)
}

func TestAttackPrediction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		predict int
		right   bool
	}{{401, true}, {200, false}} {
		rec := e.post("attack", map[string]any{"path": "/api/me", "predict": c.predict})
		want(t, rec, http.StatusOK)
		got := decode[struct {
			PredictionCorrect *bool `json:"prediction_correct"`
		}](t, rec)
		if got.PredictionCorrect == nil || *got.PredictionCorrect != c.right {
			t.Errorf("predict %d: %+v", c.predict, got)
		}
	}
	rec := e.post("attack", map[string]any{"path": "/api/me"})
	if !strings.Contains(rec.Body.String(), `"prediction_correct":null`) {
		t.Errorf("no prediction: %s", rec.Body)
	}
	x := e.trace()[0]
	if !strings.HasPrefix(x.Curl, "curl -i 'http://example.com/lab/"+e.id+"/api/me'") {
		t.Errorf("attack curl %s", x.Curl)
	}
}

// FuzzAttack sends arbitrary console input: the console must answer 200
// (the request went) or a clear 4xx, and never reach past the demo app.
func FuzzAttack(f *testing.F) {
	for _, s := range []string{
		`{"method":"GET","path":"/api/me","headers":{"Cookie":"lab_sid=x"}}`,
		`{"method":"POST","path":"session/login","body":"username=mallory"}`,
		`{"path":"/lab/00/api/me","headers":[["Authorization","Bearer a.b.c"]],"predict":401}`,
		`{"method":"POST","path":"/token/refresh","body":"{\"refresh_token\":\"x\"}"}`,
		`{"path":"/../../etc/passwd"}`, `{"headers":7}`, `[]`, `null`, ``, `{"predict":1e99}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e := newEnv(t)
		rec := e.post("attack", in, "Content-Type", "application/json")
		switch {
		case rec.Code == http.StatusOK:
			var out struct{ Exchange Exchange }
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Exchange.Actor != "attacker" {
				t.Fatalf("200 without an attacker exchange: %s", rec.Body)
			}
			if rest := labRelative(out.Exchange.Path); attackMethod(strings.TrimPrefix(rest, "/")) == "" {
				t.Fatalf("Mallory reached %s", out.Exchange.Path)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if b := decode[errorBody](t, rec); b.Reason == "" && b.Message == "" {
				t.Fatalf("%d without a reason: %s", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
