package web

import (
	"net/http"
	"time"

	"github.com/authlab/authlab/progress"
	"github.com/authlab/authlab/siteauth"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/securecookie"
)

// deviceCookie marks a browser that has signed in to an account before
// (OWASP's "device cookie" against account lockout): a wrong password
// from it counts against that device only, never against the account's
// shared ceiling, so an attacker hammering the account from elsewhere
// cannot lock its owner out of a browser they have used. It proves
// nothing about who is typing: the password is still checked.
const deviceCookie = "authlab_device"

// deviceLife is how long a browser stays known without signing in again.
const deviceLife = 180 * 24 * time.Hour

// deviceMark is what the cookie carries, signed with the site's cookie
// keys: the account it signed in to and a random ID for this browser.
type deviceMark struct {
	Account string `json:"a"` // progress.UsernameKey
	ID      string `json:"d"`
}

// devices signs and reads device cookies.
type devices struct {
	name   string
	codecs []securecookie.Codec
	secure bool // --secure-cookies; otherwise Secure follows the request
}

func newDevices(keys [][]byte, secure bool) *devices {
	name, codecs := signedCookie(deviceCookie, keys, deviceLife, secure, securecookie.JSONEncoder{})
	return &devices{name: name, codecs: codecs, secure: secure}
}

// signedCookie is the name and the codecs of a cookie signed with the
// site's cookie keys (the newest signs, the older ones still verify
// during a rotation) and not encrypted: what it carries is not secret,
// only unforgeable. Its signature expires after life. With
// --secure-cookies the name takes the __Host- prefix, so the browser
// keeps it only when Secure, Path=/ and without Domain.
func signedCookie(name string, keys [][]byte, life time.Duration, secure bool, enc securecookie.Serializer) (string, []securecookie.Codec) {
	pairs := make([][]byte, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, nil)
	}
	codecs := securecookie.CodecsFromPairs(pairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(int(life / time.Second))
			sc.SetSerializer(enc)
		}
	}
	if secure {
		name = "__Host-" + name
	}
	return name, codecs
}

// known returns the browser's device ID when its cookie names account
// (a key from progress.UsernameKey), else "".
func (d *devices) known(r *http.Request, account string) string {
	c, err := r.Cookie(d.name)
	if err != nil {
		return ""
	}
	var m deviceMark
	if securecookie.DecodeMulti(d.name, c.Value, &m, d.codecs...) != nil || m.Account != account || m.ID == "" {
		return ""
	}
	return m.ID
}

// remember marks the browser as one that signed in to l.
func (d *devices) remember(c *gin.Context, l *progress.Learner) {
	account := progress.UsernameKey(l.Name())
	id := d.known(c.Request, account)
	if id == "" {
		id = siteauth.RandomToken(16)
	}
	v, err := securecookie.EncodeMulti(d.name, deviceMark{Account: account, ID: id}, d.codecs...)
	if err != nil {
		return // without the mark the browser is merely not known
	}
	http.SetCookie(c.Writer, d.cookie(c.Request, v, int(deviceLife/time.Second)))
}

// forget removes the mark (the account is gone).
func (d *devices) forget(c *gin.Context) {
	if _, err := c.Request.Cookie(d.name); err == nil {
		http.SetCookie(c.Writer, d.cookie(c.Request, "", -1))
	}
}

func (d *devices) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: d.name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: d.secure || r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}
