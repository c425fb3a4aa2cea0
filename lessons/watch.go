package lessons

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"sync"
	"time"
)

// Source hands out the current catalog; Live and Static implement it.
type Source interface {
	Catalog() (*Catalog, error)
}

var (
	_ Source = (*Live)(nil)
	_ Source = staticSource{}
)

// Static returns a Source that always hands out c (production: the
// embedded course never changes).
func Static(c *Catalog) Source { return staticSource{c} }

type staticSource struct{ c *Catalog }

// Catalog implements Source.
func (s staticSource) Catalog() (*Catalog, error) { return s.c, nil }

// Live reloads the course when its files change (dev mode).
type Live struct {
	mu   sync.RWMutex
	cat  *Catalog // last good catalog, nil until one loads
	err  error    // the current load error, nil when the files load
	sum  uint64   // fingerprint of the files behind cat/err
	fsys fs.FS
	log  *slog.Logger
}

// Watch loads the course from fsys now, then checks the files' sizes and
// modification times every interval and reloads when they change, until
// ctx is done (every <= 0 means 500 ms). A broken edit keeps the last good catalog and reports the
// error through Catalog, so the page can show it instead of crashing.
func Watch(ctx context.Context, fsys fs.FS, every time.Duration, log *slog.Logger) *Live {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	l := &Live{fsys: fsys, log: log}
	l.reload(l.fingerprint())
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if sum := l.fingerprint(); sum != l.current() {
					l.reload(sum)
				}
			}
		}
	}()
	return l
}

// Catalog returns the last catalog that loaded (nil if none ever did) and
// the current load error (nil when the files on disk load).
func (l *Live) Catalog() (*Catalog, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cat, l.err
}

func (l *Live) current() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.sum
}

func (l *Live) reload(sum uint64) {
	start := time.Now()
	cat, err := Load(l.fsys)
	l.mu.Lock()
	l.sum, l.err = sum, err
	if err == nil {
		l.cat = cat
	}
	l.mu.Unlock()
	if err != nil {
		l.log.Error("lessons: reload failed; serving the last good course", "err", err)
		return
	}
	l.log.Info("lessons: loaded", "lessons", len(cat.Lessons), "took", time.Since(start))
}

// fingerprint hashes every file's path, size and modification time. It
// reads no contents, so a poll stays cheap.
func (l *Live) fingerprint() uint64 {
	h := fnv.New64a()
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(h, "%s\x00error\x00", p)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		fmt.Fprintf(h, "walk\x00%v", err)
	}
	return h.Sum64()
}
