package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/authlab/authlab/content"
	"github.com/authlab/authlab/lessons"
	"github.com/authlab/authlab/live"
	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/sandbox"
	"github.com/authlab/authlab/siteauth"
	"github.com/authlab/authlab/web"
)

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 10 * time.Second

// serve builds every dependency, listens, and shuts down gracefully when
// ctx is cancelled: in-flight requests finish, streams close, the
// database closes.
func serve(ctx context.Context, cfg Config, hasher *siteauth.Hasher, stdout, stderr io.Writer) error {
	log := newLogger(cfg.LogFormat, stderr, cfg.Dev)
	start := time.Now()

	var source web.CatalogSource
	fsys := contentFS(cfg.ContentDir, content.FS)
	if cfg.Dev {
		source = lessons.Watch(ctx, fsys, 500*time.Millisecond, log)
		if _, err := source.Catalog(); err != nil {
			log.Warn("content has errors; fix them and the page reloads", "err", err)
		}
	} else {
		cat, err := lessons.Load(fsys)
		if err != nil {
			return fmt.Errorf("load course: %w", err)
		}
		source = lessons.Static(cat)
	}

	store, err := progress.Open(ctx, progress.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()

	keys, err := siteauth.LoadKeyRing(filepath.Join(cfg.DataDir, "keys"), time.Now())
	if err != nil {
		return err
	}
	var sessions progress.Sessions = store
	var probes []sandbox.CostProbe // what the cost lab times besides the lab's own store
	var hub live.Hub               // workshop events: in process, or through Redis for replicas
	if cfg.RedisURL != "" {
		rdb, err := progress.OpenRedis(ctx, cfg.RedisURL)
		if err != nil {
			return err
		}
		defer rdb.Close()
		sessions = progress.NewRedisSessions(rdb, "authlab:")
		probes = append(probes, sessionProbe("Session lookup, Redis (the site's own sessions)", sessions))
		if hub, err = live.NewRedis(ctx, rdb, "authlab:", log); err != nil {
			return err
		}
		defer hub.Close()
	}
	// A guest with nothing kept and no session row is purged after an
	// hour; with sessions in Redis, where the database cannot see them,
	// only once any session it had must have ended.
	guestGrace := time.Hour
	if cfg.RedisURL != "" {
		guestGrace = max(guestGrace, cfg.SessionMax)
	}
	go purgeExpired(ctx, store, log, guestGrace)
	labs := newLabs(store, log, cfg.LabEvilURL, cfg.SecureCookies, probes)
	defer labs.Close()
	var files fs.FS // templates and static files: embedded, or from disk
	if cfg.WebDir != "" {
		files = os.DirFS(cfg.WebDir)
	} else if cfg.Dev {
		log.Info("templates and static files are the embedded ones; add --web ./web to reload them on change")
	}

	srv, err := web.NewServer(web.Deps{
		Logger: log, Catalog: source, Store: store, Sessions: sessions, Keys: keys, Hasher: hasher, Labs: labs, Hub: hub, Files: files,
		SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax,
		Dev: cfg.Dev, SecureCookies: cfg.SecureCookies,
		BaseURL: cfg.BaseURL, TrustedProxies: cfg.TrustedProxies, Version: buildVersion(),
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Streams (SSE) watch this context and end when shutdown begins, so
	// Shutdown does not wait for them until its grace period runs out.
	streams, endStreams := context.WithCancel(context.WithoutCancel(ctx))
	defer endStreams()
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return streams },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	hs.RegisterOnShutdown(endStreams)

	if cfg.PprofAddr != "" {
		stop, err := serveAside("pprof profiles", cfg.PprofAddr, "/debug/pprof/", pprofMux(), log)
		if err != nil {
			return err
		}
		defer stop()
	}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.Metrics())
		stop, err := serveAside("metrics", cfg.MetricsAddr, "/metrics", mux, log)
		if err != nil {
			return err
		}
		defer stop()
	}

	if cfg.LabSameSite != "" {
		// The CSRF lab's evil page on another port of this host: another
		// origin, the same site as the lab bank (web.SameSiteHandler).
		sln, err := net.Listen("tcp", cfg.LabSameSite)
		if err != nil {
			return fmt.Errorf("the CSRF lab's same-site listener: %w", err)
		}
		side := &http.Server{Handler: srv.SameSiteHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go side.Serve(sln)
		defer side.Close()
		labs.SetSameSiteListener(sln.Addr().String())
		log.Info("the CSRF lab's evil page is also on another port of this host (same site, another origin)", "addr", sln.Addr().String())
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// Rendering the course makes tens of MB of short-lived garbage; hand
	// it back to the OS now rather than minutes later, so idle RSS is
	// what serving needs. Beside the first requests, not before them: it
	// is a full collection, 3 ms at start-up.
	go debug.FreeOSMemory()
	go returnMemoryWhenIdle(ctx, store.ReleaseIdle)
	if p := srv.SetupPath(); p != "" {
		log.Warn("no instructor yet: create the first one with this one-time link (or run authlab user add --instructor NAME)",
			"url", displayURL(ln.Addr(), cfg.BaseURL)+p)
	}
	log.Info("authlab is serving", "url", displayURL(ln.Addr(), cfg.BaseURL), "started_in", time.Since(start).Round(time.Millisecond), "version", buildVersion())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// displayURL is the address to print for a person to open.
func displayURL(addr net.Addr, base string) string {
	if base != "" {
		return base
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() || ip.IsLoopback() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// purgeExpired deletes expired sessions, denied tokens and labs hourly,
// then guests older than guestGrace that have nothing to keep.
func purgeExpired(ctx context.Context, store *progress.Store, log *slog.Logger, guestGrace time.Duration) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := store.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purge expired records", "err", err)
		} else if n, err := store.PurgeIdleGuests(ctx, time.Now().Add(-guestGrace)); err != nil && ctx.Err() == nil {
			log.Warn("purge idle guests", "err", err)
		} else if n > 0 {
			log.Info("purged idle guests", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pprofMux serves net/http/pprof's profiles.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// serveAside serves an operator's handler (profiles, metrics) on a
// listener of its own, apart from the site's handler, so no route of the
// site — and nobody who can reach only the site — can get to it.
func serveAside(what, addr, path string, h http.Handler, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	log.Info(what, "url", "http://"+ln.Addr().String()+path)
	return func() { srv.Close() }, nil
}
