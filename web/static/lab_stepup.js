// The step-up lab: a bank transfer wants a recent login. On the session
// side a stale login gets 403 until the password is entered again (a new
// auth_time under a new session ID); on the token side the API answers
// with RFC 9470's challenge and a new login brings a fresh token.

import * as kit from "authlab/lab_kit";
const { $, call, reason, say } = kit;

let token = "";
const side = (s) => $(`.stepup-side[data-side="${s}"]`);
const clock = (ms) => new Date(ms).toISOString().slice(11, 19) + " UTC";

$(".su-later").addEventListener("click", async () => {
  const res = await call("POST", "/clock", { body: { advance: "10m" } });
  if (res.status !== 200) { say($(".su-later-result"), reason(res), false); return; }
  await kit.syncClock();
  say($(".su-later-result"), `The lab clock reads ${clock(Date.parse(res.data.now))}: every login on this page is 10 minutes older.`, true);
});

$(".su-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/stepup/session/login", { form: { username: f.username.value, password: f.password.value } });
  say($("[data-login]", side("session")), res.status === 200 ? `Logged in as alice at ${clock(kit.labNow())}: that is the session's auth_time.` : reason(res), res.status === 200);
});

$(".su-reauth").addEventListener("submit", async (e) => {
  e.preventDefault();
  const res = await call("POST", "/stepup/session/reauth", { form: { password: e.target.password.value } });
  const ok = res.status === 200;
  say($("[data-reauth]", side("session")), ok ? `Password checked. New auth_time ${clock(res.data.auth_time * 1000)}, and a new session ID: the old one is deleted.` : `${res.status} — ${reason(res)}`, ok);
  if (ok) e.target.password.value = "";
});

function showClaims() {
  const d = kit.decodeJWT(token);
  const p = (d && d.payload) || {};
  const at = (n) => (n ? clock(n * 1000) : "— (none)");
  $('[data-claim="auth_time"]').textContent = at(p.auth_time);
  $('[data-claim="acr"]').textContent = p.acr || "—";
  $('[data-claim="amr"]').textContent = p.amr ? JSON.stringify(p.amr) : "—";
  $('[data-claim="exp"]').textContent = at(p.exp);
}

$(".su-token-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/stepup/token", { form: { username: f.username.value, password: f.password.value } });
  if (res.status !== 200) { say($("[data-result]", side("token")), reason(res), false); return; }
  token = res.data.access_token;
  showClaims();
  say($("[data-result]", side("token")), `A fresh token for alice: auth_time ${clock(res.data.auth_time * 1000)}.`, true);
});

for (const s of ["session", "token"]) {
  $(".su-transfer", side(s)).addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $("[data-result]", side(s));
    if (s === "token" && !token) { say(out, "Log in first.", false); return; }
    const f = e.target;
    const res = await call("POST", "/stepup/transfer", {
      form: { to: f.to.value, amount: f.amount.value },
      headers: s === "token" ? { Authorization: "Bearer " + token } : {},
    });
    const ok = res.status === 200;
    say(out, ok ? `200 — sent ${res.data.transferred} to ${res.data.to}; alice has ${res.data.left} left.` : `${res.status} — ${reason(res)}`, ok);
  });
}

// The challenge is a response header: the trace has it as the server sent it.
kit.onExchange((x) => {
  if (x.actor !== "learner" || x.side !== "token" || !x.path.endsWith("/stepup/transfer")) return;
  const h = (x.response_headers || []).find((h) => h.name === "Www-Authenticate" || h.name === "WWW-Authenticate");
  $("[data-challenge]").textContent = h ? h.value : `none: the bank answered ${x.status}`;
});

kit.startTrace();
kit.ready();
