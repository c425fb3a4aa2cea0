package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"
)

const sessionKey = "authlab.session"

// identify loads the site session, if the request carries one, and
// puts the Viewer in the context. A plain page view without a cookie
// costs no database access and creates nothing.
func (k *kernel) identify() gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/static/") || c.Request.URL.Path == "/healthz" {
			c.Next()
			return
		}
		// The client's address as the sessions page shows it: gin's
		// ClientIP (trusted proxies only, no port), also for the sign-in
		// that arrives without a cookie and creates the session.
		r := c.Request.WithContext(context.WithValue(c.Request.Context(), clientIPKey{}, c.ClientIP()))
		c.Request = r
		cookie, err := c.Request.Cookie(k.sessions.name)
		if err != nil {
			c.Next() // no cookie, no session: nothing to look up
			return
		}
		// A request the sandbox answers needs only the owner, trusted for
		// a bounded time once looked up (lab_owner.go).
		labPlane := sandboxRequest(r)
		if labPlane {
			if v, ok := k.labOwners.Get(cookie.Value, k.sessions.now()); ok {
				c.Set(viewerKey, &v)
				c.Next()
				return
			}
		}
		sess, err := k.sessions.Get(r, k.sessions.name)
		if err != nil {
			k.log.WarnContext(r.Context(), "site session unavailable", "err", err)
		}
		if sess != nil && sessionGone(sess) {
			k.signedOutElsewhere(c, sess)
		}
		if sess != nil {
			c.Set(sessionKey, sess)
			if id, ok := sess.Values[valLearner].(string); ok && id != "" {
				v := &Viewer{LearnerID: id}
				v.Username, _ = sess.Values[valUsername].(string)
				v.Instructor = sess.Values[valInstructor] == "yes"
				c.Set(viewerKey, v)
				if labPlane {
					k.labOwners.Put(cookie.Value, *v, k.sessions.now())
				}
				if err := k.sessions.touch(r.Context(), sess); err != nil && r.Context().Err() == nil {
					k.log.WarnContext(r.Context(), "record session activity (last seen stays stale)", "err", err)
				}
			}
		}
		c.Next()
	}
}

// session is the request's site session (never nil after identify).
func (k *kernel) session(c *gin.Context) *sessions.Session {
	if v, ok := c.Get(sessionKey); ok {
		if sess, ok := v.(*sessions.Session); ok {
			return sess
		}
	}
	sess := sessions.NewSession(k.sessions, k.sessions.name)
	sess.Options = k.sessions.options(c.Request)
	sess.IsNew = true
	c.Set(sessionKey, sess)
	return sess
}

// sessionHandle is the record ID of this browser's site session, as
// the sessions page lists it; "" without one.
func (k *kernel) sessionHandle(c *gin.Context) string {
	if rec := recordOf(k.session(c)); rec != nil {
		return rec.ID
	}
	return ""
}

// ensureLearner returns the viewer, creating a guest learner behind a
// new site session the first time the visitor does something worth
// keeping (an answer, a lab, "mark complete").
//
// New guests are limited per client address (guestByAddr): a classroom
// behind one NAT gets in at once, a script sending cookie-less answers
// does not fill the database. A refusal is a *guestsLimited, which fail
// answers with 429.
func (k *kernel) ensureLearner(c *gin.Context) (*Viewer, error) {
	if v := viewerFrom(c); v != nil {
		return v, nil
	}
	if ok, wait := k.guestByAddr.Allow(c.ClientIP()); !ok {
		return nil, &guestsLimited{wait: wait}
	}
	g, err := k.guests.NewGuest(c.Request.Context())
	if err != nil {
		return nil, err
	}
	sess := k.session(c)
	sess.Values[valLearner] = g.ID
	if err := sess.Save(c.Request, c.Writer); err != nil {
		return nil, fmt.Errorf("web: start guest session: %w", err)
	}
	v := &Viewer{LearnerID: g.ID}
	c.Set(viewerKey, v)
	return v, nil
}

// flash stores a one-time message for the next page.
func (k *kernel) flash(c *gin.Context, msg string) {
	sess := k.session(c)
	if sess.ID == "" {
		return // no session, nowhere to keep it: the page says it instead
	}
	sess.Values[valFlash] = msg
	if err := sess.Save(c.Request, c.Writer); err != nil {
		k.log.WarnContext(c.Request.Context(), "save flash", "err", err)
	}
}

// noteCookie carries a fixed note to the next page of a browser that has
// no session left to keep a flash in: its value is a key of notes, never
// text, and tells the browser nothing it did not know.
const noteCookie = "authlab_note"

const (
	signedOutNote = "You were signed out from another device (or your session ended after a long time without activity). Sign in again to continue."
	deletedNote   = "Your account is deleted: its progress, answers and sessions are gone."
)

// notes are the notes noteCookie can name.
var notes = map[string]string{"signed-out": signedOutNote, "deleted": deletedNote}

// noteHeader tells a script whose request found its session revoked
// (a quiz answer, a drill) what a page would have said, since no page
// follows: common.js shows it. ASCII, like every header value.
const noteHeader = "X-Authlab-Note"

// signedOutElsewhere handles a request whose session cookie was ours
// but names a revoked session: the dead cookie is cleared, so this
// happens once, and the next page says why (takeFlash).
func (k *kernel) signedOutElsewhere(c *gin.Context, sess *sessions.Session) {
	http.SetCookie(c.Writer, sessions.NewCookie(k.sessions.name, "", &sessions.Options{Path: "/", MaxAge: -1, Secure: sess.Options.Secure, HttpOnly: true, SameSite: http.SameSiteLaxMode}))
	k.setNote(c, "signed-out", sess.Options.Secure)
	c.Header(noteHeader, signedOutNote)
}

// setNote has the next page say notes[key].
func (k *kernel) setNote(c *gin.Context, key string, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: noteCookie, Value: key, Path: "/", MaxAge: 600,
		Secure: secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	c.Set(noteCookie, key)
}

// pendingNote is the key of the note this request should show: set
// earlier in this request (or cleared, ""), else the note cookie's.
func (k *kernel) pendingNote(c *gin.Context) string {
	if v, ok := c.Get(noteCookie); ok {
		key, _ := v.(string)
		return key
	}
	if ck, err := c.Request.Cookie(noteCookie); err == nil {
		return ck.Value
	}
	return ""
}

// notePending reports whether this request should show a note.
func (k *kernel) notePending(c *gin.Context) bool { return k.pendingNote(c) != "" }

// takeFlash returns and clears the one-time message.
func (k *kernel) takeFlash(c *gin.Context) string {
	if key := k.pendingNote(c); key != "" {
		// Shown once: the deletion comes after the setting in the same
		// response when the revoked session was found just now. Once
		// signed in again, the note is stale and goes unsaid.
		http.SetCookie(c.Writer, &http.Cookie{Name: noteCookie, Value: "", Path: "/", MaxAge: -1,
			Secure: k.sessions.secure || c.Request.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		c.Set(noteCookie, "")
		if v := viewerFrom(c); (v == nil || v.Username == "") && notes[key] != "" {
			return notes[key]
		}
	}
	sess := k.session(c)
	msg, _ := sess.Values[valFlash].(string)
	if msg != "" {
		delete(sess.Values, valFlash)
		if err := sess.Save(c.Request, c.Writer); err != nil {
			k.log.WarnContext(c.Request.Context(), "clear flash", "err", err)
		}
	}
	return msg
}

// guestsLimited: this address made too many new guests just now.
type guestsLimited struct{ wait time.Duration }

func (e *guestsLimited) Error() string {
	return fmt.Sprintf("web: too many new guests from one address; next in %v", e.wait)
}

// answerLimited answers 429 when err is a *guestsLimited, and says so.
func (k *kernel) answerLimited(c *gin.Context, err error) bool {
	var gl *guestsLimited
	if !errors.As(err, &gl) {
		return false
	}
	k.tooMany(c, gl.wait, "So many new visitors came from your address at once that this was not saved.")
	return true
}
