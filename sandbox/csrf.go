package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"html"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The csrf lab: a bank inside the lab. bank/login sets the lab session
// cookie with the SameSite the learner chose (or, in bearer mode, hands
// out a token instead); bank/transfer moves money for whoever the
// credential says. An "evil page" on another site (web serves it at
// /lab/{id}/evil, reached as 127.0.0.1 when the learner uses localhost,
// or the reverse) auto-submits a transfer to Mallory. The defences are
// toggles: SameSite, a CSRF token bound to the session, an Origin /
// Sec-Fetch-Site check (Go's http.CrossOriginProtection), and bearer
// mode, where no credential travels by itself.
//
// bank/home is the bank's own page, built on the server from what the
// navigation that asked for it carried: a plain link from the evil page
// arrives without a SameSite=Strict cookie and the page says so, while a
// link inside the bank carries it. When the server has a second loopback
// listener (SetSameSiteListener), the evil page is also served on
// another port of the learner's own host: another origin, the same
// site, so even a Strict cookie goes along with its form.

const (
	startBalance = 1000
	maxTransfers = 20
	maxAmount    = 1_000_000
)

type csrfState struct {
	SameSite  string         `json:"ss,omitempty"`     // "" (Lax), "Strict" or "None"
	Token     bool           `json:"tok,omitempty"`    // require the CSRF token
	Origin    bool           `json:"origin,omitempty"` // refuse cross-origin requests
	Bearer    bool           `json:"bearer,omitempty"` // the bank takes Authorization only
	Balances  map[string]int `json:"bal,omitempty"`
	Transfers []transfer     `json:"xfers,omitempty"`
	Issued    []bankCookie   `json:"issued,omitempty"` // the latest bank sessions and the SameSite each cookie was set with
	// StrictMiss: a navigation from another site reached bank/home
	// without a cookie while the bank set SameSite=Strict.
	StrictMiss bool `json:"smiss,omitempty"`
}

// bankCookie is one bank login's session ID and the SameSite its cookie
// was set with: a later settings change does not touch a cookie the
// browser already holds.
type bankCookie struct {
	SID      string `json:"sid"`
	SameSite string `json:"ss"`
}

const maxBankIssued = 10

// issuedAs is the SameSite the bank set sid's cookie with ("" unknown).
func (s *csrfState) issuedAs(sid string) string {
	for _, b := range s.Issued {
		if b.SID == sid {
			return b.SameSite
		}
	}
	return ""
}

type transfer struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	Amount int       `json:"amount"`
	At     time.Time `json:"at"`
	Site   string    `json:"site"` // Sec-Fetch-Site, or what Origin implied
}

func (s *csrfState) sameSite() string { return orString(s.SameSite, "Lax") }

func (s *csrfState) balance(user string) int {
	if b, ok := s.Balances[user]; ok {
		return b
	}
	return startBalance
}

func sameSiteMode(v string) http.SameSite {
	switch v {
	case "Strict":
		return http.SameSiteStrictMode
	case "None":
		return http.SameSiteNoneMode
	}
	return http.SameSiteLaxMode
}

// csrfToken is the session's synchronizer token: an HMAC of the session
// ID under the lab key, so it needs no storage and dies with the session.
func csrfToken(st *labState, sid string) string {
	m := hmac.New(sha256.New, st.Keys.HS)
	m.Write([]byte("csrf:" + sid))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// fetchSite is how the request relates to the bank's own site: the
// browser's Sec-Fetch-Site, else inferred from Origin, else "unknown"
// (curl, Mallory's console).
func fetchSite(r *http.Request) string {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return "unknown"
	}
	u, err := url.Parse(o)
	switch {
	case err != nil:
		return "cross-site"
	case u.Host == r.Host:
		return "same-origin"
	case hostOnly(u.Host) == hostOnly(r.Host):
		return "same-site"
	}
	return "cross-site"
}

func hostOnly(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		return h[:i]
	}
	return h
}

type csrfView struct {
	SameSite    string `json:"samesite"`
	CSRFToken   bool   `json:"csrf_token"`
	OriginCheck bool   `json:"origin_check"`
	Mode        string `json:"mode"` // "cookie" or "bearer"
	EvilURL     string `json:"evil_url"`
	SameSiteURL string `json:"same_site_url"` // the evil page on another port of this host; "" without a second listener
	BankPage    string `json:"bank_page"`     // bank/home: the page a navigation renders
	Note        string `json:"note"`
}

func (c *call) csrfView() csrfView {
	s := c.st().Atk.CSRF
	v := csrfView{SameSite: s.sameSite(), CSRFToken: s.Token, OriginCheck: s.Origin, Mode: "cookie", EvilURL: c.m.evilURL(c),
		SameSiteURL: c.m.sameSiteURL(c), BankPage: c.cookiePath() + "bank/home"}
	if s.Bearer {
		v.Mode = "bearer"
	}
	var notes []string
	switch {
	case s.Bearer:
		notes = append(notes, "Bearer mode: the bank reads Authorization only, which no form and no other site can set. Nothing to forge — but the token must live somewhere scripts can reach.")
	case s.SameSite == "None":
		notes = append(notes, "SameSite=None: the browser attaches the cookie to requests from any site (it must be Secure too).")
	case s.SameSite == "Strict":
		notes = append(notes, "SameSite=Strict: the cookie never leaves with a request that starts on another site — not even a plain link, so you arrive logged out.")
	default:
		notes = append(notes, "SameSite=Lax: cross-site POSTs and subrequests go without the cookie; top-level GET links keep it.")
	}
	if s.Token {
		notes = append(notes, "CSRF token: a secret value from the bank's own page must come with every transfer. Costs a field in every form.")
	}
	if s.Origin {
		notes = append(notes, "Origin check: http.CrossOriginProtection refuses requests whose Sec-Fetch-Site or Origin says another origin. Costs nothing.")
	}
	notes = append(notes, "SameSite changes apply from the next login.")
	v.Note = strings.Join(notes, " ")
	return v
}

// evilURL is where the evil page lives: the same server under the other
// loopback name (localhost vs 127.0.0.1), or the configured base.
func (m *Manager) evilURL(c *call) string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	if m.evilBase != "" {
		return strings.TrimRight(m.evilBase, "/") + "/lab/" + c.id + "/evil?bank=" + url.QueryEscape(scheme+"://"+c.r.Host)
	}
	host := EvilHost(c.r.Host)
	if host == "" {
		return ""
	}
	return scheme + "://" + host + "/lab/" + c.id + "/evil"
}

// sameSiteListener is the second loopback listener that serves the
// evil page on another port of the learner's host.
type sameSiteListener struct{ ip, port string }

// SetSameSiteListener tells the CSRF lab that the evil page is also
// served at addr ("127.0.0.1:8081"), a loopback listener of this server
// on another port: the same site as a bank on localhost or that IP, but
// another origin. "" turns it off.
func (m *Manager) SetSameSiteListener(addr string) {
	if addr == "" {
		m.sameSite.Store(nil)
		return
	}
	ip, port, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	m.sameSite.Store(&sameSiteListener{ip: ip, port: port})
}

// sameSiteURL is the evil page on the second listener, for a bank the
// learner reaches as localhost or as the listener's own IP; "" when
// there is no such listener or the bank is elsewhere (another machine
// cannot reach a loopback port).
func (m *Manager) sameSiteURL(c *call) string {
	l := m.sameSite.Load()
	if l == nil || c.r.TLS != nil {
		return ""
	}
	host := hostOnly(c.r.Host)
	switch {
	case strings.EqualFold(host, "localhost"):
		host = "localhost"
	case strings.Trim(host, "[]") == l.ip:
	default:
		return ""
	}
	return "http://" + net.JoinHostPort(strings.Trim(host, "[]"), l.port) + "/lab/" + c.id + "/evil?bank=" + url.QueryEscape("http://"+c.r.Host)
}

// EvilHost is the other site for the CSRF lab: "localhost:8080" becomes
// "127.0.0.1:8080" and the reverse. Any other host has none ("").
func EvilHost(host string) string {
	h, port := host, ""
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		h, port = host[:i], host[i:]
	}
	switch strings.ToLower(h) {
	case "localhost":
		return "127.0.0.1" + port
	case "127.0.0.1", "[::1]":
		return "localhost" + port
	}
	return ""
}

// GET csrf/settings
func (m *Manager) csrfSettingsGet(c *call) { c.json(http.StatusOK, c.csrfView()) }

// PUT csrf/settings {"samesite", "csrf_token", "origin_check", "mode"}
func (m *Manager) csrfSettingsPut(c *call) {
	var p struct {
		SameSite *string `json:"samesite"`
		Token    *bool   `json:"csrf_token"`
		Origin   *bool   `json:"origin_check"`
		Mode     *string `json:"mode"`
	}
	if !c.patchJSON(&p, "samesite, csrf_token, origin_check, mode") {
		return
	}
	if p.SameSite != nil && !slices.Contains([]string{"Lax", "Strict", "None"}, *p.SameSite) {
		c.fail(http.StatusBadRequest, "bad_request", `samesite must be "Lax", "Strict" or "None"`)
		return
	}
	if p.Mode != nil && *p.Mode != "cookie" && *p.Mode != "bearer" {
		c.fail(http.StatusBadRequest, "bad_request", `mode must be "cookie" or "bearer"`)
		return
	}
	if c.update(func(st *labState, _ time.Time) error {
		s := &st.Atk.CSRF
		if p.SameSite != nil {
			s.SameSite = *p.SameSite
			if s.SameSite == "Lax" {
				s.SameSite = ""
			}
		}
		setIf(&s.Token, p.Token)
		setIf(&s.Origin, p.Origin)
		if p.Mode != nil {
			s.Bearer = *p.Mode == "bearer"
		}
		return nil
	}) {
		c.json(http.StatusOK, c.csrfView())
	}
}

// POST bank/login: the bank's login. Cookie mode sets lab_sid with the
// chosen SameSite; bearer mode answers with a token and clears the
// cookie, so nothing the browser sends by itself can move money.
func (m *Manager) bankLogin(c *call) {
	c.side = "session"
	cr, ok := c.credentials()
	if !ok {
		return
	}
	if c.st().Atk.CSRF.Bearer {
		c.side = "token"
		if !c.ensureRSA() {
			return
		}
		var tok string
		if !c.update(func(st *labState, now time.Time) error {
			var err error
			tok, _, err = c.issueAccess(st, now, cr.Username)
			return err
		}) {
			return
		}
		http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Path: c.cookiePath(), MaxAge: -1, HttpOnly: true, Secure: c.secure(), SameSite: http.SameSiteLaxMode})
		c.verdict = "bearer mode: a token for " + cr.Username + " in the body; the page sends it in Authorization, which no other site can"
		c.json(http.StatusOK, map[string]any{"user": cr.Username, "access_token": tok, "token_type": "Bearer"})
		return
	}
	old := c.sessionID()
	var sid string
	if !c.update(func(st *labState, now time.Time) error {
		sid, _ = st.login(old, cr.Username, now)
		return nil
	}) {
		return
	}
	ss := c.st().Atk.CSRF.sameSite()
	if !c.update(func(st *labState, _ time.Time) error {
		b := &st.Atk.CSRF
		b.Issued = append(b.Issued, bankCookie{SID: sid, SameSite: ss})
		if n := len(b.Issued); n > maxBankIssued {
			b.Issued = slices.Delete(b.Issued, 0, n-maxBankIssued)
		}
		return nil
	}) {
		return
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: sid, Path: c.cookiePath(), HttpOnly: true,
		Secure: c.secure() || ss == "None", SameSite: sameSiteMode(ss)})
	c.store("store session "+short(sid), "stored ("+cr.Username+")")
	c.verdict = "bank session for " + cr.Username + " in lab_sid with SameSite=" + ss
	c.json(http.StatusOK, map[string]any{"user": cr.Username, "samesite": ss})
}

// bankUser is who the request's credential says, per the bank's mode;
// sid is the session (cookie mode only).
func (c *call) bankUser() (user, sid, why string) {
	st := c.st()
	if st.Atk.CSRF.Bearer {
		raw := bearer(c.r)
		if raw == "" {
			return "", "", "no Authorization header (bearer mode ignores cookies)"
		}
		chk := c.checkAccess(raw)
		if chk.reason != "" {
			return "", "", chk.reason
		}
		return chk.user, "", ""
	}
	sid = c.sessionID()
	if sid == "" {
		return "", "", reasonNoCredentials
	}
	s := st.Sessions[sid]
	if s == nil || s.User == "" || c.now().After(s.expires()) {
		return "", sid, reasonSessionNotFound
	}
	return s.User, sid, ""
}

// GET bank/account: balance, the CSRF token for the bank's own form,
// and the latest transfers.
func (m *Manager) bankAccount(c *call) {
	c.side = "session"
	user, sid, why := c.bankUser()
	if why != "" {
		c.verdict = "bank: " + why
		c.refuse(why, `Bearer realm="lab"`)
		return
	}
	st := c.st()
	out := map[string]any{"user": user, "balance": st.Atk.CSRF.balance(user), "transfers": orEmpty(st.Atk.CSRF.Transfers)}
	if sid != "" {
		out["csrf_token"] = csrfToken(st, sid)
	}
	c.verdict = "bank account of " + user
	c.json(http.StatusOK, out)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// POST bank/transfer {to, amount, csrf_token}: form or JSON.
func (m *Manager) bankTransfer(c *call) {
	c.side = "session"
	if c.st().Atk.CSRF.Bearer {
		c.side = "token"
	}
	site := fetchSite(c.r)
	cross := site == "cross-site"
	s := c.st().Atk.CSRF
	// The Origin check runs before anything else, like the middleware
	// it stands for.
	if s.Origin {
		if err := http.NewCrossOriginProtection().Check(c.r); err != nil {
			c.verdict = "refused by the Origin / Sec-Fetch-Site check (Sec-Fetch-Site: " + site + "): http.CrossOriginProtection"
			if cross {
				c.reach(msCSRFOrigin)
			}
			if cross || site == "same-site" {
				c.noteCSRFStopped(!s.Bearer)
			}
			c.bankAnswer(http.StatusForbidden, "cross_origin", "cross-origin request refused")
			return
		}
	}
	user, sid, why := c.bankUser()
	if why != "" {
		c.verdict = "no transfer: " + why
		switch {
		case s.Bearer && cross:
			c.verdict = "no transfer: the forged request has no Authorization header — a bearer token never travels by itself"
			c.reach(msCSRFBearer)
			c.noteCSRFStopped(false)
		case cross && why == reasonNoCredentials && s.sameSite() != "None":
			c.verdict = "no transfer: the cross-site POST arrived without the cookie — SameSite=" + s.sameSite() + " kept it home"
			c.reach(msCSRFSameSite)
			c.noteCSRFStopped(true)
		}
		c.bankAnswer(http.StatusUnauthorized, "unauthorized", why)
		return
	}
	in, ok := c.formOrJSON()
	if !ok {
		return
	}
	if s.Token && sid != "" {
		want := csrfToken(c.st(), sid)
		if subtle.ConstantTimeCompare([]byte(in["csrf_token"]), []byte(want)) != 1 {
			c.verdict = "refused: the request carries the session cookie but not the CSRF token from the bank's own page"
			if cross {
				c.reach(msCSRFToken)
			}
			if cross || site == "same-site" {
				c.noteCSRFStopped(false)
			}
			c.bankAnswer(http.StatusForbidden, "csrf_token", "missing or wrong CSRF token")
			return
		}
	}
	to := strings.TrimSpace(in["to"])
	amount, err := strconv.Atoi(strings.TrimSpace(in["amount"]))
	switch {
	case !slices.Contains([]string{"alice", "bob", "mallory"}, to):
		c.bankAnswer(http.StatusBadRequest, "bad_request", "to must be alice, bob or mallory")
		return
	case to == user:
		c.bankAnswer(http.StatusBadRequest, "bad_request", "a transfer to yourself changes nothing")
		return
	case err != nil || amount < 1 || amount > maxAmount:
		c.bankAnswer(http.StatusBadRequest, "bad_request", "amount must be a whole number from 1 to 1000000")
		return
	}
	var left int
	if !c.update(func(st *labState, now time.Time) error {
		b := &st.Atk.CSRF
		if b.balance(user) < amount {
			return userError{http.StatusConflict, "insufficient_funds", "not enough money: " + user + " has " + strconv.Itoa(b.balance(user))}
		}
		if b.Balances == nil {
			b.Balances = map[string]int{}
		}
		b.Balances[user], b.Balances[to] = b.balance(user)-amount, b.balance(to)+amount
		left = b.Balances[user]
		b.Transfers = append(b.Transfers, transfer{From: user, To: to, Amount: amount, At: now, Site: site})
		if n := len(b.Transfers); n > maxTransfers {
			b.Transfers = slices.Delete(b.Transfers, 0, n-maxTransfers)
		}
		return nil
	}) {
		return
	}
	c.verdict = "transferred " + strconv.Itoa(amount) + " from " + user + " to " + to + " (Sec-Fetch-Site: " + site + ")"
	switch {
	case cross:
		c.verdict += " — a request from another site, and the browser attached " + user + "'s cookie: CSRF"
		c.reach(msCSRFWorks)
		if sid != "" {
			c.noteCSRFIn()
		}
	case site == "same-site" && sid != "":
		c.verdict += " — a form on another origin of the same site (another port of this host), and the browser attached " + user + "'s cookie"
		if ss := c.st().Atk.CSRF.issuedAs(sid); ss != "" {
			c.verdict += ", set with SameSite=" + ss + ": SameSite compares sites, and ports are not part of a site"
			if ss == "Strict" {
				c.reach(msCSRFSamePort)
			}
		}
		c.noteCSRFIn()
	}
	c.bankAnswer(http.StatusOK, "", "transferred "+strconv.Itoa(amount)+" to "+to+"; "+user+" has "+strconv.Itoa(left)+" left")
}

// bankAnswer answers JSON, or a small HTML page when a browser navigated
// here with a form (the evil page's auto-submit lands on this answer).
func (c *call) bankAnswer(status int, code, msg string) {
	if !strings.Contains(c.r.Header.Get("Accept"), "text/html") {
		if status == http.StatusOK {
			c.json(status, map[string]any{"ok": true, "message": sentence(msg)})
		} else {
			c.fail(status, code, msg)
		}
		return
	}
	page := "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width, initial-scale=1\"><link rel=icon href=\"data:,\"><title>Lab bank</title><h1>Lab bank: " + html.EscapeString(http.StatusText(status)) + "</h1><p>" +
		html.EscapeString(sentence(msg)) + "</p><p>" + html.EscapeString(sentence(c.verdict)) + `</p><p><a href="` + html.EscapeString(c.cookiePath()) + `csrf">Back to the lab</a></p>`
	h := c.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	c.w.Write([]byte(page))
	c.status, c.respBody = status, []byte(page)
}

// GET bank/home: the bank's own page, rendered on the server from the
// request the browser sent for it — the navigation's Cookie header and
// Sec-Fetch-Site decide what it shows, not a script on the page. A plain
// link from the evil page arrives without a Strict cookie; the "My
// account" link on this page starts inside the bank and carries it.
func (m *Manager) bankHome(c *call) {
	c.side = "session"
	st := c.st()
	b := st.Atk.CSRF
	site := fetchSite(c.r)
	user, sid, why := c.bankUser()
	ss := b.issuedAs(sid)
	var state, carried, explain string
	switch {
	case b.Bearer:
		state = "Not logged in on this page."
		carried = "Bearer mode: the bank reads only an Authorization header, and a navigation never has one."
		explain = "The token lives in the lab page's memory; no link can bring it here, and no form on another site can either."
	case sid == "":
		state = "Not logged in."
		carried = "This request carried no lab_sid cookie (Sec-Fetch-Site: " + site + ")."
		switch {
		case site == "cross-site" && b.sameSite() == "Strict":
			explain = "The navigation started on another site, and a SameSite=Strict cookie stays home even for a plain link. Follow the link below: it starts inside the bank, and the cookie comes along."
			c.verdict = "bank page: the navigation from another site arrived without the SameSite=Strict cookie — logged out here"
			if !b.StrictMiss && !c.update(func(st *labState, _ time.Time) error {
				st.Atk.CSRF.StrictMiss = true
				return nil
			}) {
				return
			}
		case site == "cross-site":
			explain = "The navigation started on another site. If you logged in to the bank, your cookie was set with SameSite=Strict; otherwise log in to the bank in the lab first."
		default:
			explain = "Log in to the bank in the lab first: the browser has no bank cookie to send."
		}
	case why != "":
		state = "Not logged in."
		carried = "This request carried lab_sid, but it names no live bank session (Sec-Fetch-Site: " + site + ")."
		explain = "Log in to the bank in the lab again."
	default:
		state = "Logged in as " + user + " — balance " + strconv.Itoa(b.balance(user)) + "."
		carried = "This request carried lab_sid"
		if ss != "" {
			carried += ", which the bank set with SameSite=" + ss
		}
		carried += " (Sec-Fetch-Site: " + site + ")."
		switch site {
		case "cross-site":
			explain = "The navigation started on another site, and the cookie still came: a top-level GET link keeps a SameSite=Lax (or None) cookie. SameSite changes apply from the next login: switch to Strict and log in again to see the difference."
		case "same-site":
			explain = "The navigation came from another origin of the same site: SameSite compares sites, and a port is not part of a site."
		default:
			explain = "The navigation started inside the bank, so every SameSite setting sends the cookie."
			if ss == "Strict" && b.StrictMiss {
				explain += " It is the same Strict cookie that the link from the other site arrived without."
				c.reach(msCSRFStrict)
			}
		}
		c.verdict = "bank page for " + user + ": the navigation carried the cookie (Sec-Fetch-Site: " + site + ")"
	}
	if c.verdict == "" {
		c.verdict = "bank page: " + strings.TrimSuffix(state, ".")
	}
	home := c.cookiePath() + "bank/home"
	page := `<!doctype html><meta charset=utf-8><meta name=viewport content="width=device-width, initial-scale=1"><link rel=icon href="data:,"><title>Lab bank</title>` +
		`<h1>Lab bank</h1><p><strong class=bank-state>` + html.EscapeString(state) + `</strong></p>` +
		`<p class=bank-carried>` + html.EscapeString(carried) + `</p><p>` + html.EscapeString(explain) + `</p>` +
		`<p><a class=bank-inside href="` + html.EscapeString(home) + `">My account</a> — a link inside the bank</p>` +
		`<p><a href="` + html.EscapeString(c.cookiePath()) + `csrf">Back to the lab</a></p>`
	h := c.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write([]byte(page))
	c.status, c.respBody = http.StatusOK, []byte(page)
}

func (m *Manager) addCSRFRoutes(rs map[string]route) {
	rs["csrf/settings"] = settingsRoute(m.csrfSettingsGet, m.csrfSettingsPut)
	rs["bank/login"] = recorded(http.MethodPost, m.bankLogin)
	rs["bank/account"] = getRoute(m.bankAccount) // the page polls it: not worth a trace line
	rs["bank/transfer"] = recorded(http.MethodPost, m.bankTransfer)
	rs["bank/home"] = recorded(http.MethodGet, m.bankHome)
}

// EvilTarget is the bank's origin for the evil page: the bank query
// parameter when it names a loopback origin, else the other loopback
// name of this host; "" when there is none.
func EvilTarget(param, host string, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	if param != "" {
		u, err := url.Parse(param)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return ""
		}
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return u.Scheme + "://" + u.Host
		}
		return ""
	}
	if other := EvilHost(host); other != "" {
		return scheme + "://" + other
	}
	return ""
}
