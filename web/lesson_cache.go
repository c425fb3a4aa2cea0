package web

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authlab/authlab/lessons"
	"github.com/gin-gonic/gin"
)

// personalPages keeps each signed-in learner's lesson pages, whole,
// under the progress version they were made from (progress/versions.go:
// the database moves it with every change a lesson page shows). A
// repeated view of a lesson whose version, viewer, templates and course
// are the same is the kept page, without the progress read and the
// page's composition: the version comes with the site session's read
// (Store.Session), or, where sessions live in Redis, from one
// primary-key read. The version is read from the database on every
// view, so progress written on any replica shows on the next view
// everywhere, as without the cache; and the site session is read on
// every request (identify), so a revoked session stops at once.
//
// Only a plain view is kept and served: GET without a query (no quiz
// result asked for), no flash or note to show, no quiz refused or
// compared, a 200 composed page. Each quiz form's idempotency key is
// drawn anew for every view, as the composed page does (quizView.Key):
// the kept page records where each key stands and a view writes fresh
// ones there.
type personalPages struct {
	Off bool // benchmarks: measure the page made for each view
	// Verify makes every view whose kept page would be served render the
	// page anyway and fail when the two differ (keys aside): tests turn
	// it on to catch a change that does not move the version.
	Verify bool
	served atomic.Int64 // views answered with a kept page
	mu     sync.Mutex
	pages  map[personalKey]*personalPage
	size   int // bytes of the kept bodies
}

// maxPersonalBytes bounds the kept pages' bodies (some 40–60 KB each:
// about 150–200 learner-lesson pairs, a full workshop room (30) on
// several lessons); past it the cache starts over.
const maxPersonalBytes = 8 << 20

type personalKey struct{ learner, slug string }

// personalPage is one kept lesson page.
type personalPage struct {
	version int64
	frames  frameVersion // templates and course it was made with
	viewer  Viewer       // as the page shows them
	// lastVisited is when this server last recorded a visit to the lesson
	// (Unix ns), for the once-a-minute visit: a visit to a lesson seen
	// before does not move the version (progress/versions.go), so the
	// kept page notes it itself.
	lastVisited atomic.Int64
	body        []byte
	keys        [][]int // per quiz, the offsets of its key in body
}

// quizKeyLen is the length of rand.Text, which makes quiz keys.
var quizKeyLen = len(rand.Text())

// plainView reports whether the request is a view whose page may be
// kept or served kept (see personalPages).
func (k *kernel) plainView(c *gin.Context) bool {
	if k.personal.Off || k.dev || c.Request.Method != http.MethodGet || c.Request.URL.RawQuery != "" || k.notePending(c) {
		return false
	}
	if _, ok := c.Get(quizInvalidKey); ok {
		return false
	}
	if _, ok := c.Get(quizCompareKey); ok {
		return false
	}
	flash, _ := k.session(c).Values[valFlash].(string)
	return flash == ""
}

// get is the kept page of v for slug, if it was made for version with
// these templates and course.
func (pp *personalPages) get(v *Viewer, slug string, version int64, fv frameVersion) *personalPage {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	p := pp.pages[personalKey{v.LearnerID, slug}]
	if p == nil || p.version != version || p.frames != fv || p.viewer != *v {
		return nil
	}
	return p
}

// put keeps body (copied) as v's page of slug; keys are the page's quiz
// keys, whose places it records.
func (pp *personalPages) put(v *Viewer, slug string, version int64, fv frameVersion, lastVisited time.Time, body []byte, keys []string) {
	p := &personalPage{version: version, frames: fv, viewer: *v, body: bytes.Clone(body), keys: keyPlaces(body, keys)}
	p.lastVisited.Store(lastVisited.UnixNano())
	pp.mu.Lock()
	defer pp.mu.Unlock()
	k := personalKey{v.LearnerID, slug}
	if old := pp.pages[k]; old != nil {
		pp.size -= len(old.body)
	}
	if pp.pages == nil || pp.size+len(p.body) > maxPersonalBytes {
		pp.pages, pp.size = map[personalKey]*personalPage{}, 0
	}
	pp.pages[k] = p
	pp.size += len(p.body)
}

// forget drops every kept page of a learner (their account is deleted).
func (pp *personalPages) forget(learner string) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	for k, p := range pp.pages {
		if k.learner == learner {
			pp.size -= len(p.body)
			delete(pp.pages, k)
		}
	}
}

// keyPlaces finds where each key stands in body.
func keyPlaces(body []byte, keys []string) [][]int {
	var out [][]int
	for _, key := range keys {
		var at []int
		for i := 0; ; {
			j := bytes.Index(body[i:], []byte(key))
			if j < 0 {
				break
			}
			at = append(at, i+j)
			i += j + len(key)
		}
		if at != nil {
			out = append(out, at)
		}
	}
	return out
}

// write copies the kept page into buf with a fresh key for each quiz.
func (p *personalPage) write(buf *bytes.Buffer) {
	start := buf.Len()
	buf.Write(p.body)
	b := buf.Bytes()[start:]
	for _, at := range p.keys {
		key := rand.Text()
		for _, i := range at {
			copy(b[i:i+quizKeyLen], key)
		}
	}
}

// same reports whether body is the kept page, quiz keys aside (keys are
// body's own, found as put finds them).
func (p *personalPage) same(body []byte, keys []string) bool {
	blank := func(b []byte, places [][]int) []byte {
		b = bytes.Clone(b)
		for _, at := range places {
			for _, i := range at {
				copy(b[i:i+quizKeyLen], bytes.Repeat([]byte{'-'}, quizKeyLen))
			}
		}
		return b
	}
	return bytes.Equal(blank(p.body, p.keys), blank(body, keyPlaces(body, keys)))
}

// servePersonal writes a kept lesson page, recording the visit as a
// page made for the view would (lessonData).
func (h *courseHandlers) servePersonal(c *gin.Context, p *personalPage, v *Viewer, slug string) {
	if last := p.lastVisited.Load(); time.Since(time.Unix(0, last)) > time.Minute &&
		p.lastVisited.CompareAndSwap(last, time.Now().UnixNano()) { // one view of many at once records it
		if err := h.store.Visit(c.Request.Context(), v.LearnerID, slug, "", 0); err != nil {
			h.log.WarnContext(c.Request.Context(), "record visit", "err", err)
		}
	}
	buf := h.render.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	p.write(buf)
	h.personal.served.Add(1)
	h.writeHTML(c, http.StatusOK, buf, nil)
}

// keptLesson is the viewer's kept page of l for this view, or nil.
func (h *courseHandlers) keptLesson(c *gin.Context, cat *lessons.Catalog, v *Viewer, l *lessons.Lesson) *personalPage {
	if !h.plainView(c) {
		return nil
	}
	var version int64
	if rec := recordOf(h.session(c)); rec != nil && rec.Progress.Read && rec.LearnerID == v.LearnerID {
		version = rec.Progress.Version // read with the session, this request
	} else {
		var err error
		if version, err = h.store.ProgressVersion(c.Request.Context(), v.LearnerID); err != nil {
			h.log.WarnContext(c.Request.Context(), "read progress version", "err", err)
			return nil
		}
	}
	return h.personal.get(v, l.Slug, version, frameVersion{h.render.set(), cat})
}

// keepLesson keeps the page just made for a plain view, or, when kept
// (Verify) is the page that would have been served, checks that the two
// are the same.
func (h *courseHandlers) keepLesson(c *gin.Context, cat *lessons.Catalog, p lessonPage, version int64, kept *personalPage, body []byte) error {
	if p.Viewer == nil || p.Flash != "" || p.ContentError != "" || !h.plainView(c) {
		return nil
	}
	keys := make([]string, 0, len(p.Quizzes))
	for _, q := range p.Quizzes {
		if len(q.Key) != quizKeyLen {
			return nil // a key write cannot replace: made anew for every view
		}
		keys = append(keys, q.Key)
	}
	if kept != nil && !kept.same(body, keys) {
		return fmt.Errorf("web: the kept page of %s for %s differs from the page made now at progress version %d: a change that did not move the version",
			p.Lesson.Slug, p.Viewer.LearnerID, version)
	}
	var lastVisited time.Time
	if p.Progress != nil {
		lastVisited = p.Progress.Lessons[p.Lesson.Slug].LastVisited
	}
	if time.Since(lastVisited) > time.Minute {
		lastVisited = time.Now() // lessonData recorded the visit just now
	}
	h.personal.put(p.Viewer, p.Lesson.Slug, version, frameVersion{h.render.set(), cat}, lastVisited, body, keys)
	return nil
}
