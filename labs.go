package main

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
)

// newLabs builds the lab plane over the store: lab state in the database
// (shared by replicas), each milestone recorded for the learner. evilURL
// is the CSRF lab's "other site" ("" swaps localhost and 127.0.0.1, which
// is enough on one machine); probes are what the cost lab times besides
// the lab's own store.
func newLabs(store *progress.Store, log *slog.Logger, evilURL string, secureCookies bool, probes []sandbox.CostProbe) *sandbox.Manager {
	return sandbox.New(sandbox.Options{
		Persist:       store.Labs(),
		Logger:        log,
		OnMilestone:   labMilestone(store.ReachMilestone, log),
		EvilBaseURL:   evilURL,
		SecureCookies: secureCookies,
		CostProbes:    probes,
	})
}

// labMilestone records a lab milestone for the learner, under the panel
// the step belongs to; the sandbox calls it once per lab and milestone.
// This record, not a lab's trace, is what every page shows as done.
func labMilestone(record func(ctx context.Context, learner, lab, name string) (bool, error), log *slog.Logger) func(owner, lab, milestone string) {
	return func(owner, _, milestone string) {
		panel := cmp.Or(sandbox.PanelOf(milestone), "twin-login")
		if _, err := record(context.Background(), owner, panel, milestone); err != nil {
			log.Warn("record lab milestone", "err", err)
		}
	}
}

// sessionProbe lets the cost lab time a site-session read from s (Redis,
// when the server keeps its sessions there): one record under a fixed key
// that no cookie can name (real keys are SHA-256 hex), created on first
// use and read back on every run.
func sessionProbe(name string, s progress.Sessions) sandbox.CostProbe {
	const key = "cost-lab-probe"
	return sandbox.CostProbe{Name: name, Run: func(ctx context.Context) error {
		_, err := s.Session(ctx, key)
		if errors.Is(err, progress.ErrNotFound) {
			now := time.Now().UTC()
			return s.CreateSession(ctx, &progress.SessionRecord{ID: key, LearnerID: "cost-lab", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)})
		}
		return err
	}}
}
