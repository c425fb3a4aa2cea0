package main

import (
	"io"
	"reflect"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(Config) bool
		wantErr bool
	}{
		{name: "defaults", check: func(c Config) bool {
			return c.Addr == ":8080" && c.DataDir == "./data" && c.LogFormat == "text" && !c.Dev && c.TrustedProxies == nil
		}},
		{name: "env fills in", env: map[string]string{"AUTHLAB_ADDR": ":9000", "AUTHLAB_DEV": "true", "AUTHLAB_TRUSTED_PROXIES": "10.0.0.1, 10.0.1.0/24"},
			check: func(c Config) bool {
				return c.Addr == ":9000" && c.Dev && reflect.DeepEqual(c.TrustedProxies, []string{"10.0.0.1", "10.0.1.0/24"})
			}},
		{name: "flag wins over env", args: []string{"--addr", ":7000"}, env: map[string]string{"AUTHLAB_ADDR": ":9000"},
			check: func(c Config) bool { return c.Addr == ":7000" }},
		{name: "flag false wins over env true", args: []string{"--secure-cookies=false"}, env: map[string]string{"AUTHLAB_SECURE_COOKIES": "1"},
			check: func(c Config) bool { return !c.SecureCookies }},
		{name: "durations", env: map[string]string{"AUTHLAB_SESSION_IDLE": "30m"}, check: func(c Config) bool { return c.SessionIdle == 30*time.Minute }},
		{name: "bad bool env", env: map[string]string{"AUTHLAB_DEV": "maybe"}, wantErr: true},
		{name: "bad log format", args: []string{"--log-format", "xml"}, wantErr: true},
		{name: "bad base url", args: []string{"--base-url", "example.org"}, wantErr: true},
		{name: "idle above max", args: []string{"--session-idle", "48h", "--session-max", "24h"}, wantErr: true},
		{name: "stray argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := parseConfig("serve", tt.args, env(tt.env), io.Discard)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.check != nil && !tt.check(cfg) {
				t.Errorf("config not as expected: %+v", cfg)
			}
		})
	}
}
