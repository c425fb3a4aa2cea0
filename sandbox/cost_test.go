package sandbox

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type costAnswer struct {
	Results []costResult `json:"results"`
	Bytes   []costBytes  `json:"bytes"`
	Store   string       `json:"store"`
}

func TestCostRun(t *testing.T) {
	t.Parallel()
	probed := 0
	e := newEnv(t, func(o *Options) {
		o.CostProbes = []CostProbe{{Name: "Session lookup, a probe", Run: func(context.Context) error { probed++; return nil }}}
	})
	cookie := e.sessionLogin()
	tok := e.tokenLogin().AccessToken
	rec := e.do(req{method: http.MethodPost, path: "cost/run", header: []string{"Cookie", cookie, "Authorization", "Bearer " + tok}})
	want(t, rec, http.StatusOK)
	a := decode[costAnswer](t, rec)
	var names []string
	for _, r := range a.Results {
		names = append(names, r.Name)
		if r.NsPerOp <= 0 || r.Runs < costMinRuns {
			t.Errorf("%s: %v ns over %d runs", r.Name, r.NsPerOp, r.Runs)
		}
	}
	for _, want := range []string{"JWT verify HS256", "JWT verify RS256", "JWT verify EdDSA", "JWT verify ES256", "Session lookup, process memory", "Session lookup, the lab store (process memory)", "Session lookup, a probe"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %q in %v", want, names)
		}
	}
	if probed == 0 {
		t.Error("the probe never ran")
	}
	sizes := map[string]int{}
	for _, b := range a.Bytes {
		sizes[b.Name] = b.Bytes
	}
	if sizes["your lab cookie"] != len("Cookie: "+cookie) || sizes["your access token"] != len("Authorization: Bearer "+tok) {
		t.Errorf("the learner's own sizes: %v", sizes)
	}
	if sizes["Authorization: Bearer <RS256 JWT>"] <= sizes["Authorization: Bearer <EdDSA JWT>"] {
		t.Errorf("an RS256 token should be longer than an EdDSA one: %v", sizes)
	}
	e.wantMilestone(msCostRun)
	if !slices.Contains(names, "The deny-list lookup alone, the lab store (process memory)") {
		t.Errorf("deny-list off: no row for the lookup it would add, in %v", names)
	}
	want(t, e.put("settings", map[string]any{"denylist": true}), http.StatusOK)
	rec = e.post("cost/run", nil)
	want(t, rec, http.StatusOK)
	e.wantMilestone(msCostDenylist)
	// With the deny-list on, the lookup is part of every token check.
	tokenRows := 0
	for _, r := range decode[costAnswer](t, rec).Results {
		if r.Group == "token" {
			tokenRows++
			if !strings.HasSuffix(r.Name, " + deny-list lookup") {
				t.Errorf("deny-list on, but the token check %q does not include the lookup", r.Name)
			}
		}
		if strings.HasPrefix(r.Name, "The deny-list lookup alone") {
			t.Errorf("deny-list on, yet the lookup is still timed apart: %q", r.Name)
		}
	}
	if tokenRows != 4 {
		t.Errorf("deny-list on: %d token checks, want one per algorithm", tokenRows)
	}

	// One measurement at a time.
	e.m.costMu.Lock()
	if rec := e.post("cost/run", nil); rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "running") {
		t.Errorf("a second run at once: %d", rec.Code)
	}
	e.m.costMu.Unlock()
	// A stranger cannot make the server burn CPU.
	if rec := e.do(req{method: http.MethodPost, path: "cost/run", owner: ptr("")}); rec.Code != http.StatusNotFound {
		t.Errorf("cost/run without an owner: %d", rec.Code)
	}
}

// BenchmarkCost runs the cost lab's own operations: the page's figures
// must agree with these (docs/benchmarks.md, "Attack labs").
func BenchmarkCost(b *testing.B) {
	e := newEnv(b)
	off, _, err := e.m.costOps(context.Background(), e.id, false)
	if err != nil {
		b.Fatal(err)
	}
	on, _, err := e.m.costOps(context.Background(), e.id, true)
	if err != nil {
		b.Fatal(err)
	}
	ops := append(off, slices.DeleteFunc(on, func(op costOp) bool { return op.Group != "token" })...)
	for _, op := range ops {
		b.Run(strings.NewReplacer(" ", "_", ",", "", "(", "", ")", "", "+", "and").Replace(op.Name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
