// The fixation lab: Mallory plants a session ID before you log in;
// with rotation off she shares your session. Counter IDs let her guess:
// she logs in as herself and tries the numbers next to hers.

import * as kit from "authlab/lab_kit";
const { $, call, reason, say } = kit;

const settings = $(".fixation-settings");
const attackForm = $(".fixation-attack");
let malloryID = "";

function showSettings(d) {
  if (!d) return;
  settings.rotate_on_login.checked = d.rotate_on_login;
  settings.ids.value = d.ids;
  say($(".fixation-note"), d.note || "");
  if (d.planted && !malloryID) {
    malloryID = d.planted;
    $(".mallory-sid").textContent = d.planted;
    attackForm.sid.value = d.planted;
  }
}

function cookieOf(x) {
  for (const h of x.response_headers || []) {
    if (h.name === "Set-Cookie" && h.value.startsWith("lab_sid=")) return h.value.split(";")[0].slice("lab_sid=".length);
  }
  return null;
}

settings.addEventListener("change", async () => {
  const res = await call("PUT", "/fixation/settings", { body: { rotate_on_login: settings.rotate_on_login.checked, ids: settings.ids.value } });
  if (res.status === 200) showSettings(res.data);
  else say($(".fixation-note"), reason(res), false);
});

$('[data-action="visit"]').addEventListener("click", async () => {
  const res = await kit.mallory("POST", "/fixation/visit");
  const x = res.data && res.data.exchange;
  const sid = x && cookieOf(x);
  if (!sid) { say($(".plant-result"), reason(res), false); return; }
  malloryID = sid;
  $(".mallory-sid").textContent = sid;
  attackForm.sid.value = sid;
});

$('[data-action="plant"]').addEventListener("click", async () => {
  if (!malloryID) { say($(".plant-result"), "Let Mallory visit first: she needs an ID to plant.", false); return; }
  const res = await call("POST", "/fixation/plant", { body: { sid: malloryID } });
  say($(".plant-result"), res.status === 200 ? "Planted: your browser's lab_sid is now Mallory's ID. Log in and see whether it survives." : reason(res), res.status === 200);
});

$(".fixation-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/session/login", { form: { username: f.username.value, password: f.password.value } });
  if (res.status !== 200) say($(".login-result"), reason(res), false);
});

// Mallory's own login, from her machine with her own (empty) cookie jar:
// alice's session lives on, and Mallory learns the ID she was given.
$('[data-action="mallory-login"]').addEventListener("click", async () => {
  const res = await kit.mallory("POST", "/session/login", { "Content-Type": "application/x-www-form-urlencoded" }, "username=mallory&password=mallory");
  const x = res.data && res.data.exchange;
  const sid = x && x.status === 200 && cookieOf(x);
  const out = $(".mallory-own");
  if (!sid) { say(out, reason(res), false); return; }
  attackForm.sid.value = sid;
  say(out, `The server gave Mallory the session ID ${sid} for her own login. ${settings.ids.value === "counter" ? "Try the numbers next to it (−1, +1)." : "Try the IDs next to it (−1, +1)."}`, true);
});

// The login's Set-Cookie is in the trace (JavaScript cannot read it from
// the response): show which ID the browser holds now.
kit.onExchange((x) => {
  if (x.actor !== "learner" || !x.path.endsWith("/session/login") || x.status !== 200) return;
  const sid = cookieOf(x);
  const out = $(".login-result");
  if (sid && sid === malloryID) say(out, `Logged in, and the session ID is still ${sid} — Mallory's. She is now logged in as you.`, false);
  else if (sid) say(out, `Logged in with a new session ID ${sid}. ${malloryID ? "Mallory's " + malloryID + " is dead." : ""}`, true);
});

$('[data-action="me"]').addEventListener("click", async () => {
  const res = await call("GET", "/api/me");
  say($(".me-result"), res.status === 200 ? `200: you are ${res.data.user}.` : `${res.status}: ${reason(res)}`, res.status === 200);
});

// neighbour is the ID next to v: counter IDs count in decimal, random
// ones (32 hex digits) in hex — where nobody lives next door.
function neighbour(v, step) {
  v = v.trim();
  if (/^\d{1,15}$/.test(v)) return String(Number(v) + step);
  if (/^[0-9a-f]{32}$/.test(v)) {
    const n = BigInt("0x" + v) + BigInt(step);
    if (n >= 0n && n < (1n << 128n)) return n.toString(16).padStart(32, "0");
  }
  return null;
}

attackForm.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-step]");
  if (!b) return;
  const next = neighbour(attackForm.sid.value, Number(b.dataset.step));
  if (next !== null) attackForm.sid.value = next;
});

attackForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const sid = attackForm.sid.value.trim();
  const out = $(".fixation-result");
  if (!sid) { say(out, "Type a session ID for Mallory to try.", false); return; }
  const predict = kit.predicted(attackForm);
  kit.showMallory(out, await kit.mallory("GET", "/api/me", { Cookie: "lab_sid=" + sid }, "", predict), predict);
});

kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await call("GET", "/fixation/settings").then((res) => { if (res.status === 200) showSettings(res.data); }).catch(() => {});
kit.ready();
