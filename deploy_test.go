package main

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestComposeFile checks deploy/compose.yaml parses and wires what
// docs/deploy.md promises (no Docker engine runs on CI machines).
func TestComposeFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]struct {
			Build       string            `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   any               `yaml:"depends_on"`
			Healthcheck map[string]any    `yaml:"healthcheck"`
			Volumes     []string          `yaml:"volumes"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("compose.yaml does not parse: %v", err)
	}
	var usage strings.Builder
	parseConfig("serve", []string{"-h"}, env(nil), &usage)
	replicas := 0
	for name, svc := range doc.Services {
		if !strings.HasPrefix(name, "authlab-") {
			continue
		}
		replicas++
		for k := range svc.Environment {
			if !strings.Contains(usage.String(), k) {
				t.Errorf("%s sets %s, which authlab does not know", name, k)
			}
		}
		for _, k := range []string{"AUTHLAB_DATABASE_URL", "AUTHLAB_REDIS_URL", "AUTHLAB_SECURE_COOKIES", "AUTHLAB_TRUSTED_PROXIES", "AUTHLAB_BASE_URL"} {
			if svc.Environment[k] == "" {
				t.Errorf("%s lacks %s", name, k)
			}
		}
		if !strings.HasPrefix(svc.Environment["AUTHLAB_DATABASE_URL"], "postgres://") {
			t.Errorf("%s is not on Postgres", name)
		}
	}
	if replicas < 2 {
		t.Errorf("%d authlab replicas, want at least 2", replicas)
	}
	for _, name := range []string{"postgres", "redis", "caddy"} {
		if _, ok := doc.Services[name]; !ok {
			t.Errorf("no %s service", name)
		}
	}
	caddy, err := os.ReadFile("deploy/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"authlab-1:8080", "authlab-2:8080", "health_uri /readyz", "flush_interval -1"} {
		if !strings.Contains(string(caddy), want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}
