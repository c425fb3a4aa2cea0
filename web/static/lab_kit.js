// The attack and scale labs' shared parts: requests to this lab, the
// trace of exchanges (filtered to the panel's endpoints), milestones,
// and Mallory's console. Each panel module loads it with
//   const kit = await import(document.querySelector(".lab-page").dataset.kit);

export const page = document.querySelector(".lab-page");
export const base = page.dataset.labBase;
export const $ = (sel, root = page) => root.querySelector(sel);
export const $$ = (sel, root = page) => Array.from(root.querySelectorAll(sel));

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// call sends a request to this lab (path relative to /lab/{id}) and
// returns {status, data, text}; data is the parsed JSON, if any.
export async function call(method, path, { body, headers = {}, form } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin" };
  if (form) {
    init.body = new URLSearchParams(form);
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(base + path, init);
  } catch {
    return { status: 0, data: { message: "The server could not be reached." }, text: "" };
  }
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  return { status: resp.status, data, text };
}

// reason is the human part of an error answer.
export function reason(res) {
  const d = res.data || {};
  return d.message || d.reason || d.error || `The lab answered ${res.status}.`;
}

export function say(target, text, ok) {
  target.textContent = text;
  target.classList.toggle("ok", ok === true);
  target.classList.toggle("bad", ok === false);
}

// ---- Exchanges ---------------------------------------------------------------

function headerRows(headers, flag) {
  const dl = el("dl", { class: "headers" });
  for (const h of headers || []) {
    const hot = flag.includes(h.name.toLowerCase());
    dl.append(el("dt", { class: hot ? "hot" : "", text: h.name }), el("dd", { class: hot ? "hot" : "", text: h.value }));
    if (h.attributes && h.attributes.length) {
      const ul = el("ul", { class: "cookie-attrs" });
      for (const a of h.attributes) ul.append(el("li", {}, el("code", { text: a.name + (a.value ? "=" + a.value : "") }), " — " + (a.explanation || "")));
      dl.append(el("dd", { class: "attrs" }, ul));
    }
  }
  return dl;
}

export function renderExchange(x) {
  const status = x.status || 0;
  const ok = status < 400;
  const li = el("li", { class: "exchange" + (x.actor === "attacker" ? " attacker" : "") });
  const summary = el("summary", {},
    el("span", { class: "status " + (ok ? "ok" : "bad"), text: String(status) }),
    el("code", { text: `${x.method} ${x.path}` }),
    x.actor === "attacker" ? el("span", { class: "tag", text: "Mallory" }) : null,
    el("span", { class: "verdict", text: x.verdict || "" }));
  const details = el("details", {}, summary);
  // append(null) would write the text "null": leave absent bodies out.
  details.append(...[
    el("p", { class: "x-label", text: "Request as the server saw it" }),
    headerRows(x.request_headers, ["cookie", "authorization", "origin", "sec-fetch-site"]),
    x.request_body ? el("pre", { class: "x-body", text: x.request_body }) : null,
    el("p", { class: "x-label", text: "Response" }),
    headerRows(x.response_headers, ["set-cookie", "www-authenticate"]),
    x.response_body ? el("pre", { class: "x-body", text: x.response_body }) : null].filter(Boolean));
  const sizes = [];
  if (x.cookie_bytes) sizes.push(`Cookie header: ${x.cookie_bytes} bytes`);
  if (x.authorization_bytes) sizes.push(`Authorization header: ${x.authorization_bytes} bytes`);
  if (sizes.length) details.append(el("p", { class: "sizes", text: sizes.join(" · ") }));
  if (x.curl) details.append(el("p", { class: "x-label", text: "The same request with curl" }), el("pre", { class: "curl-line", text: x.curl }));
  else details.append(el("p", { class: "muted small", text: "No curl line: only the lab's owner, from this page, may call this endpoint." }));
  li.append(details);
  return li;
}

// tick marks a step done: the green dot for the eye, and a "Done: "
// prefix for a screen reader (the dot is aria-hidden). The panel's goal
// milestone is no step: it shows the Solved state instead.
export function tick(milestone) {
  const goal = $(".lab-goal[data-goal]");
  if (goal && milestone === goal.dataset.goal) {
    solve();
    return;
  }
  for (const li of $$(`.lab-guide li[data-milestone="${milestone}"]`)) {
    li.classList.add("done");
    const state = li.querySelector("[data-step-state]");
    if (state) state.textContent = "Done: ";
  }
  countSteps();
}

// solved reports whether the page shows the goal met: it arrives so
// from the learner's record, or solve showed it since.
function solved() {
  const s = $(".lab-solved");
  return !!s && !s.hidden;
}

// solve shows the Solved state once the server reports the goal met.
// The status region is shown empty and filled a moment later, so a
// screen reader announces what the learner proved.
function solve() {
  const s = $(".lab-solved");
  if (!s || !s.hidden) return;
  const content = Array.from(s.childNodes);
  s.replaceChildren();
  s.hidden = false;
  setTimeout(() => s.append(...content), 50);
  page.dataset.solved = "";
  countSteps();
}

// countSteps writes "3 of 4 steps" (and "· Solved" once the goal is met)
// in the header. The page arrives with the steps the server has on
// record for the learner; tick only ever adds to them.
function countSteps() {
  const out = $("[data-lab-progress]");
  if (!out) return;
  const total = $$(".lab-guide li").length;
  const done = $$(".lab-guide li.done").length;
  const text = `${done} of ${total} step${total === 1 ? "" : "s"}${solved() ? " · Solved" : ""}`;
  const count = $(".lab-progress-count", out);
  if (count && count.textContent !== text) count.textContent = text;
  out.classList.toggle("is-solved", solved());
}

const seen = new Set();
const listeners = [];

// addExchange shows x in the panel's trace if it belongs to the panel.
export function addExchange(x) {
  if (!x || seen.has(x.id)) return;
  seen.add(x.id);
  (x.milestones || []).forEach(tick);
  const list = $(".panel-trace");
  if (!list || !matches(x.path, list.dataset.paths)) return;
  const empty = $(".trace-empty", list);
  if (empty) empty.remove();
  placeExchange(list, renderExchange(x), x);
  for (const fn of listeners) fn(x);
}

// placeExchange puts li into list newest first, by the lab clock, so an
// exchange fetched late (the backlog after a reconnect) lands where it
// belongs rather than on top.
export function placeExchange(list, li, x) {
  li.dataset.time = String(Date.parse(x.time) || 0);
  const t = Number(li.dataset.time);
  const after = Array.from(list.children).find((n) => n.dataset.time && Number(n.dataset.time) < t);
  list.insertBefore(li, after || null);
}

// onExchange calls fn for every exchange of the panel, live.
export function onExchange(fn) { listeners.push(fn); }

function matches(path, prefixes) {
  if (!prefixes) return true;
  const rest = path.replace(/^\/lab\/[0-9a-f]+\//, "").split("?")[0];
  return prefixes.split(" ").some((p) => rest.startsWith(p));
}

// Lab clock: the header shows the lab's own time (it can be moved forward).
let clockOffsetMs = 0;
export async function syncClock() {
  const res = await call("GET", "/settings");
  if (res.status === 200 && res.data && res.data.now) clockOffsetMs = Date.parse(res.data.now) - Date.now();
}
export function labNow() { return Date.now() + clockOffsetMs; }
function showClock() {
  const out = $(".lab-clock");
  if (out) out.textContent = new Date(labNow()).toISOString().slice(11, 19) + " UTC";
}

// follow hands add every exchange of this lab: those recorded so far and
// each new one, live. It listens first and reads the backlog once the
// stream is open, and again after every reconnect, so an exchange made
// while the stream was not (or no longer) open is never lost; add must
// drop the ones it has already shown.
export function follow(add) {
  const backlog = async () => {
    const res = await call("GET", "/trace");
    if (res.status === 200 && res.data) (res.data.exchanges || []).forEach(add);
  };
  if (!window.EventSource) return backlog();
  const es = new EventSource(base + "/events");
  es.addEventListener("exchange", (e) => { try { add(JSON.parse(e.data)); } catch { /* a torn event */ } });
  es.addEventListener("milestone", (e) => { try { tick(JSON.parse(e.data).milestone); } catch { /* a torn event */ } });
  es.addEventListener("open", backlog);
}

// startTrace follows the panel's trace and starts the lab clock in the
// header.
export function startTrace() {
  syncClock().then(showClock);
  setInterval(showClock, 1000);
  follow(addExchange);
}

// ---- Mallory ---------------------------------------------------------------

// mallory sends a request from the attacker's machine (run server-side,
// with none of the browser's cookies) and shows it in the trace.
export async function mallory(method, path, headers = {}, body = "", predict) {
  const res = await call("POST", "/attack", { body: { method, path, headers, body, predict } });
  if (res.status === 200 && res.data && res.data.exchange) addExchange(res.data.exchange);
  return res;
}

// showMallory writes Mallory's result into out: status, verdict, the
// prediction check and the curl line.
export function showMallory(out, res, predict) {
  out.replaceChildren();
  if (res.status !== 200 || !res.data || !res.data.exchange) {
    out.append(el("p", { class: "bad", text: reason(res) }));
    return null;
  }
  const x = res.data.exchange;
  out.append(el("p", {}, el("strong", { class: x.status < 400 ? "ok" : "bad", text: `Mallory got ${x.status}` }), " — " + (x.verdict || "")));
  if (predict) {
    const right = res.data.prediction_correct;
    out.append(el("p", { class: right ? "ok" : "bad", text: right ? "Your prediction was right." : `You predicted ${predict}.` }));
  }
  if (x.curl) out.append(el("pre", { class: "curl-line", text: x.curl }));
  return x;
}

// predicted is the value of a predict fieldset (name="predict") in form.
export function predicted(form) {
  const v = form.querySelector("input[name=predict]:checked");
  return v && v.value ? Number(v.value) : undefined;
}

// ---- Tokens -------------------------------------------------------------------

export function b64urlDecode(s) {
  s = s.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4) s += "=";
  return atob(s);
}

// decodeJWT takes a token apart without checking it; null if it is not one.
export function decodeJWT(token) {
  const parts = (token || "").trim().split(".");
  if (parts.length !== 3) return null;
  try {
    const text = (s) => new TextDecoder().decode(Uint8Array.from(b64urlDecode(s), (c) => c.charCodeAt(0)));
    return { header: JSON.parse(text(parts[0])), payload: JSON.parse(text(parts[1])), parts };
  } catch {
    return null;
  }
}

export function pretty(v) { return JSON.stringify(v, null, 2); }

// ready is the last call of every lab script, once its controls are
// wired: the page arrives with its work area inert and the reset button
// disabled, so a click made before the script has run is not silently
// lost. ready wires the reset button and hands the controls over.
export function ready() {
  const b = $('[data-action="reset"]');
  if (b) {
    b.addEventListener("click", async () => {
      if (!confirm("Reset this lab? Sessions, tokens, settings and the trace are cleared.")) return;
      await call("POST", "/reset");
      location.reload();
    });
    b.disabled = false;
  }
  const work = $(".lab-work");
  if (work) work.inert = false;
  page.removeAttribute("aria-busy");
  page.dataset.ready = "";
}
