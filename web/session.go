package web

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// siteCookie is the name of the site's session cookie. It is not a
// __Host- cookie because plain-HTTP development (go run .) must work;
// with --secure-cookies it becomes __Host-authlab, which browsers only
// accept with Secure, Path=/ and no Domain.
// ASVS 5.0 V3.3.1, V3.3.3 (Secure, __Host-) with --secure-cookies.
const siteCookie = "authlab"

// touchEvery throttles last-seen writes: the idle timeout is measured
// to this precision, and a page view is not a database write.
const touchEvery = time.Minute

// Values kept in the site session.
const (
	valLearner    = "learner"
	valUsername   = "username"
	valInstructor = "instructor"
	valFlash      = "flash"
)

// sessionStore is a gorilla/sessions Store over progress.Sessions. The
// cookie holds only the session ID, signed with the site's cookie keys
// (several, so keys rotate without signing everyone out); the record
// lives server-side, so deleting it revokes the session on its next
// request.
type sessionStore struct {
	name    string
	codecs  []securecookie.Codec
	backend progress.Sessions
	idle    time.Duration
	max     time.Duration
	secure  bool // forced by --secure-cookies; otherwise per request
	now     func() time.Time
}

var _ sessions.Store = (*sessionStore)(nil)

func newSessionStore(backend progress.Sessions, keys [][]byte, idle, max time.Duration, secure bool) *sessionStore {
	// The value is the session ID as raw bytes: opaque anyway.
	name, codecs := signedCookie(siteCookie, keys, max, secure, securecookie.NopEncoder{})
	return &sessionStore{name: name, codecs: codecs, backend: backend, idle: idle, max: max, secure: secure,
		now: func() time.Time { return time.Now().UTC() }}
}

// options are the cookie attributes, set explicitly: gorilla's defaults
// (no HttpOnly, no SameSite, 30 days) are not ours.
// ASVS 5.0 V3.3.2 (SameSite by purpose), V3.3.4 (HttpOnly).
func (st *sessionStore) options(r *http.Request) *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		MaxAge:   int(st.max / time.Second),
		Secure:   st.secure || r.TLS != nil,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}

// Get returns the request's session, cached per request by gorilla.
func (st *sessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// sessionRecord is the record behind a loaded session, kept beside it.
type sessionRecord struct{ rec *progress.SessionRecord }

// New loads the session named in the cookie, or starts an empty one. A
// missing, forged, expired or revoked cookie is simply no session: it
// is never an error the visitor sees.
// ASVS 5.0 V7.2.1 (verified on the server), V7.3.1 (idle timeout).
func (st *sessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	s := sessions.NewSession(st, name)
	s.Options = st.options(r)
	s.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return s, nil
	}
	var id []byte
	if err := securecookie.DecodeMulti(name, c.Value, &id, st.codecs...); err != nil {
		return s, nil
	}
	rec, err := st.backend.Session(r.Context(), progress.SessionKey(string(id)))
	if errors.Is(err, progress.ErrNotFound) {
		// Our own signed cookie naming no session: it was revoked
		// (elsewhere, or by a clean-up of idle sessions).
		s.Values[goneKey{}] = true
		return s, nil
	}
	if err != nil {
		return s, err
	}
	now := st.now()
	if now.Sub(rec.LastSeen) > st.idle {
		_ = st.backend.DeleteSession(r.Context(), rec.ID)
		return s, nil
	}
	if len(rec.Data) > 0 {
		var vals map[string]string
		if err := json.Unmarshal(rec.Data, &vals); err == nil {
			for k, v := range vals {
				s.Values[k] = v
			}
		}
	}
	s.ID = string(id)
	s.IsNew = false
	s.Values[recordKey{}] = sessionRecord{rec}
	return s, nil
}

type recordKey struct{}

// goneKey marks a new session whose cookie, signed by us, named a
// session that no longer exists (sessionGone).
type goneKey struct{}

func sessionGone(s *sessions.Session) bool { return s.Values[goneKey{}] == true }

// Save writes the record and the cookie. MaxAge < 0 deletes both.
// ASVS 5.0 V7.2.3 (a 256-bit CSPRNG ID), V7.3.2 (absolute lifetime).
func (st *sessionStore) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ctx := r.Context()
	if s.Options.MaxAge < 0 {
		if s.ID != "" {
			if err := st.backend.DeleteSession(ctx, progress.SessionKey(s.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(s.Name(), "", s.Options))
		return nil
	}
	data := st.encodeValues(s)
	now := st.now()
	if s.ID == "" {
		s.ID = siteauth.RandomToken(32)
		rec := &progress.SessionRecord{
			ID: progress.SessionKey(s.ID), LearnerID: s.Values[valLearner].(string), Data: data,
			UserAgent: truncate(r.UserAgent(), 300), Addr: clientAddr(r),
			CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(st.max),
		}
		if err := st.backend.CreateSession(ctx, rec); err != nil {
			return err
		}
		s.Values[recordKey{}] = sessionRecord{rec}
	} else if err := st.backend.TouchSession(ctx, progress.SessionKey(s.ID), now, data); err != nil {
		return err
	}
	encoded, err := securecookie.EncodeMulti(s.Name(), []byte(s.ID), st.codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(s.Name(), encoded, s.Options))
	return nil
}

// encodeValues keeps the string values; the record pointer stays out.
func (st *sessionStore) encodeValues(s *sessions.Session) []byte {
	vals := map[string]string{}
	for k, v := range s.Values {
		ks, ok1 := k.(string)
		vs, ok2 := v.(string)
		if ok1 && ok2 {
			vals[ks] = vs
		}
	}
	b, _ := json.Marshal(vals)
	return b
}

// touch records activity at most once per touchEvery. A failure costs
// only a stale "last seen" (and a later idle expiry), never the request,
// so the caller logs it and goes on.
func (st *sessionStore) touch(ctx context.Context, s *sessions.Session) error {
	rec := recordOf(s)
	if rec == nil || st.now().Sub(rec.LastSeen) < touchEvery {
		return nil
	}
	return st.backend.TouchSession(ctx, rec.ID, st.now(), st.encodeValues(s))
}

func recordOf(s *sessions.Session) *progress.SessionRecord {
	if v, ok := s.Values[recordKey{}].(sessionRecord); ok {
		return v.rec
	}
	return nil
}

// clientAddr is the address the sessions page shows; the identify
// middleware stores gin's ClientIP (which honours only trusted proxies)
// in the request context.
func clientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return a
	}
	// Outside that middleware: the peer's address, without the port of
	// its connection (which changes with every connection and means
	// nothing to a person).
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

type clientIPKey struct{}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
