// The twin lab page: log in with a session cookie and with a JWT, watch
// every exchange the server recorded, play Mallory, flip the defences.
// Every request goes to this lab's own endpoints under /lab/{id}/.

import * as kit from "authlab/lab_kit";
const { page, base, $, $$, el, call, say, reason, renderExchange, placeExchange, tick } = kit;

// Where the token lives is the learner's choice: that is one of the lessons.
const store = {
  kind: "memory",
  mem: {},
  get(k) {
    if (this.kind === "memory") return this.mem[k] || "";
    try { return window[this.kind].getItem("lab:" + k) || ""; } catch { return ""; }
  },
  set(k, v) {
    if (this.kind === "memory") { this.mem[k] = v; return; }
    try { window[this.kind].setItem("lab:" + k, v); } catch { this.mem[k] = v; }
  },
  clear(k) {
    delete this.mem[k];
    for (const s of ["sessionStorage", "localStorage"]) { try { window[s].removeItem("lab:" + k); } catch { /* blocked */ } }
  },
};

let lastCookieSeen = ""; // the last live lab_sid the server set for you (from the trace)
let clockOffsetMs = 0;   // lab clock minus browser clock
let expiresAt = 0;       // current access token exp (ms, lab clock)

// ---- Exchanges -----------------------------------------------------------

function sideOf(x) {
  if (x.side) return x.side;
  const p = x.path || "";
  if (p.includes("/session") || p.includes("/sessions")) return "session";
  if (p.includes("/token")) return "token";
  const hdrs = (x.request_headers || []).map((h) => (h.name ?? h[0]).toLowerCase());
  if (hdrs.includes("authorization")) return "token";
  return "session";
}

const seen = new Set();
function addExchange(x) {
  const key = x.id ?? `${x.time}|${x.method}|${x.path}|${x.status}`;
  if (seen.has(key)) return;
  seen.add(key);
  const list = $(`.trace[data-side="${sideOf(x)}"]`);
  const empty = $(".trace-empty", list);
  if (empty) empty.remove();
  placeExchange(list, renderExchange(x), x);
  // Remember what Mallory could have stolen from the wire: the victim's
  // last live cookie. A logout's deleting Set-Cookie (an empty value)
  // steals nothing, and Mallory's own logins are not the victim's.
  if (x.actor !== "attacker") {
    for (const h of x.response_headers || []) {
      const name = (h.name ?? h[0]).toLowerCase();
      const value = h.value ?? h[1];
      const pair = value.split(";")[0].trim();
      if (name === "set-cookie" && pair.startsWith("lab_sid=") && pair !== "lab_sid=") lastCookieSeen = pair;
    }
  }
  if (x.milestones) x.milestones.forEach(tick);
  refreshDiagram();
}

let diagramTimer = 0;
function refreshDiagram() {
  clearTimeout(diagramTimer);
  diagramTimer = setTimeout(async () => {
    const resp = await fetch(base + "/diagram", { headers: { Accept: "image/svg+xml" } });
    if (resp.ok) {
      const holder = $(".lab-sequence");
      holder.innerHTML = "";
      const doc = new DOMParser().parseFromString(await resp.text(), "image/svg+xml");
      holder.append(document.importNode(doc.documentElement, true));
    }
  }, 300);
}

// ---- JWT decoder -----------------------------------------------------------

const claimMeaning = {
  iss: "issuer: who made the token", sub: "subject: who it is about", aud: "audience: who should accept it",
  exp: "expires at", nbf: "not valid before", iat: "issued at", jti: "token id (what a deny-list stores)",
};

function showToken(token) {
  const view = $(".jwt-view");
  if (!token) { view.hidden = true; expiresAt = 0; return; }
  const jwt = kit.decodeJWT(token);
  if (!jwt) { view.hidden = true; return; }
  const { header, payload, parts } = jwt;
  view.hidden = false;
  $(".jwt-header").textContent = parts[0];
  $(".jwt-payload").textContent = parts[1];
  $(".jwt-signature").textContent = parts[2];
  $(".jwt-header-json").textContent = JSON.stringify(header, null, 2);
  $(".jwt-payload-json").textContent = JSON.stringify(payload, null, 2);
  const tbody = $(".claims tbody");
  tbody.innerHTML = "";
  for (const [k, v] of Object.entries(payload)) {
    let shown = typeof v === "object" ? JSON.stringify(v) : String(v);
    if (["exp", "nbf", "iat"].includes(k) && typeof v === "number") shown = `${v} (${new Date(v * 1000).toISOString().replace(".000", "")})`;
    tbody.append(el("tr", {}, el("th", { scope: "row" }, el("code", { text: k })), el("td", { text: shown }), el("td", { class: "muted", text: claimMeaning[k] || "" })));
  }
  expiresAt = typeof payload.exp === "number" ? payload.exp * 1000 : 0;
  countdown();
}

function countdown() {
  const out = $(".jwt-countdown");
  const clock = $(".lab-clock");
  const now = Date.now() + clockOffsetMs;
  clock.textContent = new Date(now).toISOString().slice(11, 19) + " UTC";
  if (!expiresAt) { out.textContent = "—"; return; }
  const left = Math.round((expiresAt - now) / 1000);
  out.textContent = left > 0 ? `${Math.floor(left / 60)}m ${String(left % 60).padStart(2, "0")}s` : "expired";
  out.classList.toggle("bad", left <= 0);
}

// ---- Actions --------------------------------------------------------------

function syncCookieView() {
  $(".doc-cookie").textContent = JSON.stringify(document.cookie);
}

async function login(form) {
  const mode = form.dataset.mode;
  const creds = { username: form.username.value, password: form.password.value };
  if (mode === "session") {
    await call("POST", "/session/login", { form: creds });
  } else {
    const { status, data } = await call("POST", "/token/login", { body: creds });
    if (status === 200 && data) {
      store.set("access", data.access_token || "");
      store.set("refresh", data.refresh_token || "");
      stolenRefresh.length = 0; // a new login starts a new family
      stolenRefresh.push(data.refresh_token || "");
      showToken(data.access_token);
    }
  }
  afterAction();
}

async function tokenCall(method, path, body) {
  const token = store.get("access");
  return call(method, path, { body, headers: token ? { Authorization: "Bearer " + token } : {} });
}

const actions = {
  "session-me": () => call("GET", "/api/me"),
  "session-logout": () => call("POST", "/session/logout"),
  "token-me": () => tokenCall("GET", "/api/me"),
  "token-logout": async () => {
    await tokenCall("POST", "/token/logout");
    // "Logging out" a bearer token is the client forgetting it. A copy
    // Mallory already has is another matter: that is the lesson.
    store.clear("access"); store.clear("refresh"); showToken("");
  },
  "token-refresh": async () => {
    const { status, data } = await call("POST", "/token/refresh", { body: { refresh_token: store.get("refresh") } });
    if (status === 200 && data) {
      store.set("access", data.access_token || ""); store.set("refresh", data.refresh_token || ""); showToken(data.access_token);
      // Rotation off hands back the same refresh token: nothing new to copy.
      if (data.refresh_token && data.refresh_token !== stolenRefresh.at(-1)) stolenRefresh.push(data.refresh_token);
    }
    afterAction();
  },
  "steal-cookie": () => fillHeader("Cookie", lastCookieSeen || "lab_sid=(log in first)"),
  "steal-token": () => fillHeader("Authorization", "Bearer " + (stolenToken || store.get("access") || "(log in first)")),
  "steal-refresh": () => {
    // The refresh token the victim held before her last refresh, in her
    // current family: already spent once she has refreshed (with
    // rotation on). Before any refresh, the only one Mallory has seen.
    const form = $(".attack-form");
    form.method.value = "POST";
    form.path.value = base + "/token/refresh";
    const old = stolenRefresh.length > 1 ? stolenRefresh.at(-2) : stolenRefresh[0];
    form.body.value = JSON.stringify({ refresh_token: old || "(log in with a token first)" });
    form.body.focus();
  },
  "refresh-admin": () => loadAdmin(),
};

// Mallory keeps the last token she saw, even after the victim "logs out",
// and the refresh tokens of the victim's current family, oldest first.
let stolenToken = "";
const stolenRefresh = [];

// credentialHeaders are the lines that carry who Mallory claims to be.
const credentialHeaders = ["cookie", "authorization"];

// fillHeader puts one stolen credential in Mallory's request, in place
// of any other: with a cookie and a token both in the box, the lab API
// checks the token (the credential a client chose to send wins), so
// "replay the cookie" would have replayed the token. Other lines stay.
function fillHeader(name, value) {
  const ta = $(".attack-form textarea[name=headers]");
  const lines = ta.value.split("\n").filter((l) => l.trim() && !credentialHeaders.includes(l.split(":")[0].trim().toLowerCase()));
  lines.push(`${name}: ${value}`);
  ta.value = lines.join("\n");
  ta.focus();
}

async function attack(form) {
  const headers = {};
  for (const line of form.headers.value.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const predict = form.predict.value ? Number(form.predict.value) : undefined;
  const { status, data } = await call("POST", "/attack", { body: { method: form.method.value, path: form.path.value, headers, body: form.body.value, predict } });
  const out = $(".attack-result");
  out.innerHTML = "";
  if (status !== 200 || !data) {
    out.append(el("p", { class: "bad", text: data ? reason({ status, data }) : `The console refused the request (${status}).` }));
    return;
  }
  const x = data.exchange || data;
  out.append(el("p", {}, el("strong", { text: `Mallory got ${x.status}` }), " — " + (x.verdict || "")));
  if (predict) {
    const right = data.prediction_correct ?? (predict === x.status);
    out.append(el("p", { class: right ? "ok" : "bad", text: right ? "Your prediction was right." : `You predicted ${predict}.` }));
  }
  if (x.curl) out.append(el("pre", { class: "curl-line", text: x.curl }));
  addExchange(x);
  afterAction();
}

async function loadSettings() {
  const { status, data } = await call("GET", "/settings");
  if (status !== 200 || !data) return;
  const f = $(".settings-form");
  for (const k of ["denylist", "allowlist", "refresh_rotation", "reuse_detection"]) f[k].checked = !!data[k];
  if (data.alg) f.alg.value = data.alg;
  if (data.token_ttl) f.token_ttl.value = data.token_ttl;
  if (data.now) clockOffsetMs = Date.parse(data.now) - Date.now();
}

// saveSettings sends the form as it is when its turn comes, one save
// after another: two quick clicks must not land in the wrong order and
// leave the first click's state on the server. A save that failed does
// not stop the ones after it.
let saving = Promise.resolve();
function saveSettings(f) {
  const next = () => putSettings(f);
  saving = saving.then(next, next);
  return saving;
}

async function putSettings(f) {
  const body = { alg: f.alg.value, token_ttl: f.token_ttl.value };
  for (const k of ["denylist", "allowlist", "refresh_rotation", "reuse_detection"]) body[k] = f[k].checked;
  const { status, data } = await call("PUT", "/settings", { body });
  say($(".settings-note"), status === 200 ? "Applied." + (data && data.note ? " " + data.note : "") : (data && (data.reason || data.message)) || `Refused (${status}).`, status === 200);
}

async function loadAdmin() {
  const { status, data } = await call("GET", "/sessions");
  const ul = $(".session-list");
  ul.innerHTML = "";
  const sessions = (data && (data.sessions || data)) || [];
  if (status !== 200 || !Array.isArray(sessions) || sessions.length === 0) {
    ul.append(el("li", { class: "muted", text: "No sessions in the store." }));
  } else {
    for (const s of sessions) {
      const btn = el("button", { type: "button", class: "button button-small", text: "Revoke" });
      btn.addEventListener("click", async () => { await call("DELETE", "/sessions/" + encodeURIComponent(s.id)); afterAction(); });
      ul.append(el("li", {}, el("code", { text: (s.id || "").slice(0, 10) + "…" }), ` ${s.user || ""} `, btn));
    }
  }
  const tokens = $(".token-list");
  tokens.textContent = data && data.tokens_note ? data.tokens_note : "";
  await loadFamilies();
}

// loadFamilies draws each login's refresh tokens as a small tree: who
// was spent, who is live, and a whole family revoked at once on reuse.
async function loadFamilies() {
  const box = $(".family-tree");
  if (!box) return;
  const { status, data } = await call("GET", "/token/families");
  box.innerHTML = "";
  const fams = (status === 200 && data && data.families) || [];
  if (!fams.length) {
    box.append(el("p", { class: "muted small", text: "No refresh tokens yet. Log in on the token side." }));
    return;
  }
  for (const f of fams) {
    const byParent = new Map();
    for (const t of f.tokens) {
      const k = t.parent || "";
      if (!byParent.has(k)) byParent.set(k, []);
      byParent.get(k).push(t);
    }
    const branch = (parent) => {
      const ul = el("ul");
      for (const t of byParent.get(parent) || []) {
        const li = el("li", { class: "rt rt-" + t.status }, el("code", { text: t.id.slice(0, 8) + "…" }), " " + t.status);
        if (byParent.has(t.id)) li.append(branch(t.id));
        ul.append(li);
      }
      return ul;
    };
    const head = `Family of ${f.user}` + (f.revoked ? ` — revoked: ${f.revoked}` : "");
    box.append(el("div", { class: "family" + (f.revoked ? " revoked" : "") }, el("p", { class: "family-head", text: head }), branch("")));
  }
}

async function advance(d) {
  const { status, data } = await call("POST", "/clock", { body: { advance: d } });
  if (status === 200 && data && data.now) clockOffsetMs = Date.parse(data.now) - Date.now();
  countdown();
}

function afterAction() {
  syncCookieView();
  loadAdmin();
  const t = store.get("access");
  if (t) stolenToken = t;
}

// ---- Wiring ---------------------------------------------------------------

page.addEventListener("submit", (e) => {
  const f = e.target;
  e.preventDefault();
  if (f.classList.contains("login-form")) login(f);
  else if (f.classList.contains("attack-form")) attack(f);
  else if (f.classList.contains("settings-form")) saveSettings(f);
});
// A defence applies as soon as it is switched (a ticked box that did
// nothing until a button further down was pressed read as "on"); the
// lifetime field applies when it is left or on Enter.
page.addEventListener("change", (e) => {
  const f = e.target.form;
  if (f && f.classList.contains("settings-form")) saveSettings(f);
});
page.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-action], button[data-advance]");
  if (!b) return;
  if (b.dataset.advance) { advance(b.dataset.advance); return; }
  const fn = actions[b.dataset.action];
  if (fn) Promise.resolve(fn()).then(afterAction);
});
// A lesson that teaches one side opens the lab with the other folded
// away (?side=); one click shows it, and the address forgets the fold so
// a reload keeps both.
$("[data-action=show-both]")?.addEventListener("click", (e) => {
  const folded = $(".twin > .side[hidden]");
  e.target.closest("[data-side-note]").remove();
  if (!folded) return;
  folded.hidden = false;
  const heading = folded.querySelector("h2");
  heading.tabIndex = -1;
  heading.focus();
  const u = new URL(location.href);
  u.searchParams.delete("side");
  history.replaceState(history.state, "", u);
});
for (const sel of $$(".login-form select[name=username]")) {
  sel.addEventListener("change", () => { sel.form.password.value = sel.value === "bob" ? "builder" : "wonderland"; });
}
$(".token-storage").addEventListener("change", (e) => {
  const t = store.get("access"), r = store.get("refresh");
  store.clear("access"); store.clear("refresh");
  store.kind = e.target.value;
  store.set("access", t); store.set("refresh", r);
});

syncCookieView();
loadSettings();
// In a workshop the lab runs in the attendee's screen; when the
// instructor revokes the room's lab sessions (or deny-lists its tokens),
// the screen tells the lab, which asks "who am I?" on both sides at once
// so the 401 shows live, and reports what it got for the board.
window.addEventListener("message", async (e) => {
  if (e.origin !== location.origin || e.source !== window.parent || window.parent === window) return;
  if (!e.data || e.data.type !== "authlab:room-labs") return;
  const note = $(".lab-room-note");
  note.hidden = false;
  note.textContent = e.data.event === "labs-revoked"
    ? "Your instructor just revoked every lab session in the room. The lab asked the server again on both sides: the session side is refused at once; a token lives on until it expires."
    : "Your instructor just put every lab token in the room on the deny-list. The lab asked again: now the token side is refused too — the server looked the jti up.";
  const [session, token] = await Promise.all([
    actions["session-me"](),
    store.get("access") ? actions["token-me"]() : Promise.resolve({ status: 0 }),
  ]);
  afterAction();
  window.parent.postMessage({ type: "authlab:lab-check", session: session.status, token: token.status }, location.origin);
});

kit.follow(addExchange);
setInterval(countdown, 1000);
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await Promise.resolve(loadAdmin()).catch(() => {});
kit.ready();
