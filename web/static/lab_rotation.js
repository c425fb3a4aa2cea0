// The key-rotation lab: tokens carry a kid; rotate the key, watch old
// tokens keep working, then retire or "compromise" the old key.

import * as kit from "authlab/lab_kit";
const { $, el, call, reason, say } = kit;

const tokens = []; // {user, token, kid, last}
const algSelect = $(".rotation-alg");

function kidOf(token) {
  const d = kit.decodeJWT(token);
  return d ? d.header.kid : "?";
}

function renderTokens() {
  const tbody = $(".token-table tbody");
  tbody.replaceChildren();
  if (!tokens.length) {
    tbody.append(el("tr", {}, el("td", { colspan: "4", class: "muted", text: "Log in to get a token." })));
    return;
  }
  tokens.forEach((t, i) => {
    // Named after its token: one "GET /api/me" per row reads the same
    // in a screen reader's list of buttons.
    const btn = el("button", { type: "button", class: "button button-small", "data-me": String(i), "aria-label": `GET /api/me with ${t.user}'s token (${t.kid})`, text: "GET /api/me" });
    const cls = t.last ? (t.last.startsWith("200") ? "ok" : "bad") : "";
    tbody.append(el("tr", {}, el("td", { text: t.user }), el("td", {}, el("code", { text: t.kid })), el("td", { class: cls, text: t.last || "—" }), el("td", {}, btn)));
  });
}

async function loadKeys() {
  const res = await call("GET", "/keys");
  if (res.status !== 200) return;
  algSelect.value = res.data.alg;
  say($(".alg-note"), res.data.alg === "HS256" ? "HS256 keys are shared secrets: the JWKS never lists them, so a gateway cannot verify these tokens on its own." : `New tokens are signed with kid ${res.data.signing_kid}.`);
  const tbody = $(".key-table tbody");
  tbody.replaceChildren();
  for (const k of res.data.keys) {
    const actions = el("div", {});
    const signing = k.kid === res.data.signing_kid;
    if (k.status === "previous") {
      actions.append(el("button", { type: "button", class: "button button-small", "data-retire": k.kid, "aria-label": `Retire ${k.kid}`, text: "Retire" }));
    }
    if (k.status === "previous" || signing) {
      actions.append(el("button", { type: "button", class: "button button-small button-danger", "data-compromised": k.kid, "aria-label": `Compromised! ${k.kid}`, text: "Compromised!" }));
    }
    let status = k.status + (signing ? " · signs new tokens" : "");
    if (k.tokens_expire_by) status += ` · its tokens expire by ${new Date(k.tokens_expire_by).toISOString().slice(11, 19)} (lab clock)`;
    if (k.note && k.status !== "current") status = k.note.startsWith(k.status) ? k.note + (signing ? " · signs new tokens" : "") : `${status} · ${k.note}`;
    const cls = k.status === "compromised" || k.status === "retired" ? "bad" : k.status === "previous" ? "warn" : "";
    tbody.append(el("tr", {}, el("td", {}, el("code", { text: k.kid })), el("td", { text: k.alg || "" }), el("td", { class: cls, text: status })));
    // The key's buttons get a row of their own under it, not a fourth
    // column: at 360 px that column pushed them out of the table's view.
    // Their names carry the kid, which the row no longer shows.
    if (actions.childNodes.length) tbody.append(el("tr", { class: "key-actions" }, el("td", { colspan: "3" }, el("div", { class: "side-actions" }, ...actions.childNodes))));
  }
}

async function login(user) {
  const res = await call("POST", "/token/login", { body: { username: user, password: user === "bob" ? "builder" : "wonderland" } });
  if (res.status !== 200) { say($(".keys-result"), reason(res), false); return; }
  tokens.push({ user, token: res.data.access_token, kid: kidOf(res.data.access_token), last: "" });
  renderTokens();
}

async function me(i) {
  const t = tokens[i];
  const res = await call("GET", "/api/me", { headers: { Authorization: "Bearer " + t.token } });
  t.last = res.status === 200 ? `200 — ${res.data.user}` : `${res.status} — ${(res.data && res.data.reason) || reason(res)}`;
  renderTokens();
}

async function retire(kid, compromised) {
  const res = await call("POST", "/keys/retire", { body: { kid, compromised } });
  say($(".keys-result"), reason(res), res.status === 200);
  loadKeys();
}

algSelect.addEventListener("change", async () => {
  const res = await call("PUT", "/settings", { body: { alg: algSelect.value } });
  if (res.status !== 200) say($(".alg-note"), reason(res), false);
  loadKeys();
});
for (const b of kit.$$("[data-login]")) b.addEventListener("click", () => login(b.dataset.login));
$(".token-table").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-me]");
  if (b) me(Number(b.dataset.me));
});
$(".key-table").addEventListener("click", (e) => {
  const b = e.target.closest("button[data-retire], button[data-compromised]");
  if (!b) return;
  if (b.dataset.retire) retire(b.dataset.retire, false);
  else retire(b.dataset.compromised, true);
});
$('[data-action="rotate"]').addEventListener("click", async () => {
  const res = await call("POST", "/keys/rotate");
  say($(".keys-result"), reason(res), res.status === 200);
  loadKeys();
});
$('[data-action="jwks"]').addEventListener("click", async () => {
  const res = await call("GET", "/.well-known/jwks.json");
  const pre = $(".jwks-view");
  pre.hidden = false;
  pre.textContent = res.status === 200 ? kit.pretty(res.data) : reason(res);
  const kids = tokens.map((t) => t.kid);
  const found = res.data && res.data.keys ? res.data.keys.filter((k) => kids.includes(k.kid)).map((k) => k.kid) : [];
  const hs = tokens.filter((t) => t.kid.startsWith("hs-") && !found.includes(t.kid)).map((t) => t.kid);
  let msg = "Log in first: your token's kid is what a gateway looks up in this list.";
  // Say what is missing too: after an HS256 login beside an older EdDSA
  // or RS256 one, the new token's kid is the one to look for.
  const parts = [];
  if (found.length) parts.push(`Your tokens' kid ${found.join(", ")} is in the set: a gateway verifies them with that key alone.`);
  if (hs.length) parts.push(`${found.length ? "But your HS256" : "Your"} token's kid ${hs.join(", ")} is not in the set: an HS256 key is a shared secret and is never published, so a gateway cannot check ${found.length ? "that token" : "these tokens. Switch to EdDSA or RS256 and log in again"}.`);
  if (parts.length) msg = parts.join(" ");
  else if (tokens.length) msg = "None of your tokens' kids is in the set: their keys were retired, or the lab was reset.";
  say($(".keys-result"), msg, found.length ? true : tokens.length ? false : undefined);
});

renderTokens();
kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await Promise.resolve(loadKeys()).catch(() => {});
kit.ready();
