package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"

	"github.com/authlab/authlab/lessons"
	"github.com/gin-gonic/gin"
)

// pageCache keeps fully rendered pages for visitors without a session.
// Such a visitor sees exactly what every other anonymous visitor sees,
// so a lesson is rendered once per course version instead of once per
// request; the gzip form is made once too. Anything personal (a viewer,
// a flash, dev mode's content errors) bypasses it.
type pageCache struct {
	mu    sync.RWMutex
	cat   *lessons.Catalog // entries belong to this course version
	pages map[string]*cachedPage
	off   bool // benchmarks turn it off to compare rendering with rendering
}

type cachedPage struct {
	body   []byte
	gzOnce sync.Once
	gz     []byte
}

func (pc *pageCache) get(cat *lessons.Catalog, key string) *cachedPage {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	if pc.cat != cat {
		return nil
	}
	return pc.pages[key]
}

func (pc *pageCache) put(cat *lessons.Catalog, key string, body []byte) *cachedPage {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.cat != cat { // a new course version: start over
		pc.cat, pc.pages = cat, map[string]*cachedPage{}
	}
	p := &cachedPage{body: body}
	pc.pages[key] = p
	return p
}

// cacheable reports whether this request may get the shared page.
func (k *kernel) cacheable(c *gin.Context) bool {
	return !k.dev && !k.pages.off && viewerFrom(c) == nil && c.Request.Method == http.MethodGet && !k.notePending(c)
}

// htmlCached renders the data that build returns with page once per
// course version and key, then serves the stored bytes. build returns
// false when it has already answered (an error).
func (k *kernel) htmlCached(c *gin.Context, cat *lessons.Catalog, key, page string, build func() (any, bool)) {
	p := k.pages.get(cat, key)
	if p == nil {
		data, ok := build()
		if !ok {
			return
		}
		buf, err := k.render.execute(page, data)
		if err != nil {
			k.fail(c, err)
			return
		}
		p = k.pages.put(cat, key, bytes.Clone(buf.Bytes()))
		k.render.bufs.Put(buf)
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := p.body
	if len(body) >= minGzipSize && acceptsGzip(c.Request) {
		p.gzOnce.Do(func() {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // once per page: worth the best
			_, _ = zw.Write(p.body)
			_ = zw.Close()
			p.gz = b.Bytes()
		})
		body = p.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	if c.Request.Method != http.MethodHead {
		_, _ = c.Writer.Write(body)
	}
}
