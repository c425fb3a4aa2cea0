package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the server, read once from flags and
// AUTHLAB_* environment variables (flags win) and passed down.
type Config struct {
	Addr           string
	DataDir        string
	ContentDir     string
	WebDir         string // templates/ and static/ from disk instead of the embedded ones
	Dev            bool
	BaseURL        string
	LogFormat      string
	SecureCookies  bool
	DatabaseURL    string
	RedisURL       string
	TrustedProxies []string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	PprofAddr      string
	MetricsAddr    string
	LabEvilURL     string
	LabSameSite    string // a second loopback listener for the CSRF lab's same-site evil page
}

// errUsage marks a command-line mistake: exit status 2, message already printed.
var errUsage = errors.New("usage")

// setting is one flag with its environment variable.
type setting struct {
	name, env, help string
	bind            func(fs *flag.FlagSet, name, help string)
	fromEnv         func(v string) error
}

// parseConfig reads flags from args and fills in unset ones from getenv.
func parseConfig(cmd string, args []string, getenv func(string) string, out io.Writer) (Config, error) {
	cfg := Config{
		Addr:        ":8080",
		DataDir:     "./data",
		LogFormat:   "text",
		SessionIdle: 7 * 24 * time.Hour,
		SessionMax:  30 * 24 * time.Hour,
	}
	var proxies string
	fs := flag.NewFlagSet("authlab "+cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	settings := []setting{
		strSetting(&cfg.Addr, "addr", "AUTHLAB_ADDR", "listen address"),
		strSetting(&cfg.DataDir, "data", "AUTHLAB_DATA", "data directory (SQLite file, signing keys)"),
		strSetting(&cfg.ContentDir, "content", "AUTHLAB_CONTENT", "read the course from this directory instead of the embedded one"),
		strSetting(&cfg.WebDir, "web", "AUTHLAB_WEB", "read templates/ and static/ from this directory (./web in a checkout) instead of the embedded ones"),
		boolSetting(&cfg.Dev, "dev", "AUTHLAB_DEV", "development mode: reload content, templates and static files on change (from --content and --web), verbose errors"),
		strSetting(&cfg.BaseURL, "base-url", "AUTHLAB_BASE_URL", "public base URL, e.g. https://authlab.example.org (join links, curl examples)"),
		strSetting(&cfg.LogFormat, "log-format", "AUTHLAB_LOG_FORMAT", "log format: text or json"),
		boolSetting(&cfg.SecureCookies, "secure-cookies", "AUTHLAB_SECURE_COOKIES", "always mark cookies Secure (behind a TLS-terminating proxy)"),
		strSetting(&cfg.DatabaseURL, "database-url", "AUTHLAB_DATABASE_URL", "postgres://… to use PostgreSQL instead of the SQLite file"),
		strSetting(&cfg.RedisURL, "redis-url", "AUTHLAB_REDIS_URL", "redis://… for site sessions and live events shared by replicas"),
		strSetting(&proxies, "trusted-proxies", "AUTHLAB_TRUSTED_PROXIES", "comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted (none by default)"),
		durSetting(&cfg.SessionIdle, "session-idle", "AUTHLAB_SESSION_IDLE", "sign-in session idle timeout"),
		durSetting(&cfg.SessionMax, "session-max", "AUTHLAB_SESSION_MAX", "sign-in session absolute lifetime"),
		strSetting(&cfg.LabEvilURL, "lab-evil-url", "AUTHLAB_LAB_EVIL_URL", "the CSRF lab's attacker site, another site that reaches this server (default: swap localhost and 127.0.0.1)"),
		strSetting(&cfg.LabSameSite, "lab-same-site-addr", "AUTHLAB_LAB_SAME_SITE_ADDR", "also serve the CSRF lab's evil page on this loopback address, e.g. 127.0.0.1:8081: another port of the learner's host, the same site as the lab bank but another origin (off by default)"),
		strSetting(&cfg.MetricsAddr, "metrics-addr", "AUTHLAB_METRICS_ADDR", "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090, apart from the site (off by default)"),
		strSetting(&cfg.PprofAddr, "pprof-addr", "AUTHLAB_PPROF_ADDR", "serve Go's pprof profiles on this loopback address, e.g. 127.0.0.1:6060 (off by default)"),
	}
	for _, s := range settings {
		s.bind(fs, s.name, s.help+" ($"+s.env+")")
	}
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: authlab %s [flags]\n\nEvery flag can also be set with its environment variable; a flag wins.\n\n", cmd)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(out, "authlab %s: unexpected argument %q\n", cmd, fs.Arg(0))
		return cfg, errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range settings {
		v := getenv(s.env)
		if set[s.name] || v == "" {
			continue
		}
		if err := s.fromEnv(v); err != nil {
			return cfg, fmt.Errorf("config: %s=%q: %w", s.env, v, err)
		}
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log format must be text or json, not %q", c.LogFormat)
	}
	if c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		return fmt.Errorf("config: session idle timeout (%s) must be positive and not above the absolute lifetime (%s)", c.SessionIdle, c.SessionMax)
	}
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("config: the pprof address must be a loopback IP and port such as 127.0.0.1:6060, not %q: profiles must never be public", c.PprofAddr)
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("config: the metrics address must be a host and port such as 127.0.0.1:9090, not %q", c.MetricsAddr)
		}
		if c.MetricsAddr == c.Addr {
			return fmt.Errorf("config: the metrics address must differ from the site's (%q): metrics are never served to the public", c.Addr)
		}
	}
	if c.LabSameSite != "" {
		host, _, err := net.SplitHostPort(c.LabSameSite)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("config: the lab's same-site address must be a loopback IP and port such as 127.0.0.1:8081, not %q: it serves an attack page", c.LabSameSite)
		}
		if c.LabSameSite == c.Addr {
			return fmt.Errorf("config: the lab's same-site address must differ from the site's (%q)", c.Addr)
		}
	}
	if c.LabEvilURL != "" && !strings.HasPrefix(c.LabEvilURL, "http://") && !strings.HasPrefix(c.LabEvilURL, "https://") {
		return fmt.Errorf("config: the lab's evil URL must start with http:// or https://, not %q", c.LabEvilURL)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("config: base URL must start with http:// or https://, not %q", c.BaseURL)
	}
	return nil
}

func strSetting(p *string, name, env, help string) setting {
	return setting{name: name, env: env, help: help,
		bind:    func(fs *flag.FlagSet, n, h string) { fs.StringVar(p, n, *p, h) },
		fromEnv: func(v string) error { *p = v; return nil }}
}

func boolSetting(p *bool, name, env, help string) setting {
	return setting{name: name, env: env, help: help,
		bind: func(fs *flag.FlagSet, n, h string) { fs.BoolVar(p, n, *p, h) },
		fromEnv: func(v string) error {
			b, err := strconv.ParseBool(v)
			*p = b
			return err
		}}
}

func durSetting(p *time.Duration, name, env, help string) setting {
	return setting{name: name, env: env, help: help,
		bind: func(fs *flag.FlagSet, n, h string) { fs.DurationVar(p, n, *p, h) },
		fromEnv: func(v string) error {
			d, err := time.ParseDuration(v)
			*p = d
			return err
		}}
}
