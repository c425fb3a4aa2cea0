// The opaque-vs-jwt lab: one login, an opaque token, a JWT and a PASETO
// token; decode each, call the API with each, revoke the opaque one.

import * as kit from "authlab/lab_kit";
const { $, $$, call, reason, say } = kit;

const tokens = { opaque: "", jwt: "", paseto: "" };
const card = (kind) => $(`.token-card[data-kind="${kind}"]`);

function bytesOf(b64) {
  try { return Array.from(kit.b64urlDecode(b64), (c) => c.charCodeAt(0)); } catch { return null; }
}

function decode(kind) {
  const t = tokens[kind];
  if (!t) return "Log in first.";
  if (kind === "jwt") {
    const d = kit.decodeJWT(t);
    return d ? "header  " + JSON.stringify(d.header) + "\npayload " + kit.pretty(d.payload) : "not a JWT";
  }
  if (kind === "paseto") {
    const [, , body, footer] = t.split(".");
    const raw = bytesOf(body);
    if (!raw) return "not base64url";
    const msg = new TextDecoder().decode(Uint8Array.from(raw.slice(0, raw.length - 64)));
    const foot = footer ? new TextDecoder().decode(Uint8Array.from(bytesOf(footer) || [])) : "";
    return `version.purpose  v4.public (fixes Ed25519: no alg to choose)\nmessage  ${msg}\nsignature  64 bytes\nfooter  ${foot}`;
  }
  const raw = bytesOf(t);
  const hex = raw ? raw.map((b) => b.toString(16).padStart(2, "0")).join("") : "?";
  return `${raw ? raw.length : "?"} random bytes: ${hex}\nNo claims inside: only the server knows whose token this is.`;
}

function show(kind) {
  const c = card(kind);
  $("[data-token]", c).textContent = tokens[kind] || "—";
  $("[data-size]", c).textContent = tokens[kind] ? `${tokens[kind].length} bytes; Authorization header ${"Authorization: Bearer ".length + tokens[kind].length} bytes` : "—";
  $("[data-decoded]", c).hidden = true;
  $("[data-result]", c).textContent = "";
  $("[data-verdict]", c).textContent = "";
  $("[data-check]", c).textContent = "";
}

$(".opaque-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/opaque/login", { form: { username: f.username.value, password: f.password.value } });
  if (res.status !== 200) { say($(".opaque-login-result"), reason(res), false); return; }
  tokens.opaque = res.data.opaque_token;
  tokens.jwt = res.data.access_token;
  tokens.paseto = res.data.paseto;
  ["opaque", "jwt", "paseto"].forEach(show);
  say($(".opaque-login-result"), `Three tokens for ${f.username.value}, valid ${res.data.expires_in} s.`, true);
});
$(".opaque-login select[name=username]").addEventListener("change", (e) => {
  e.target.form.password.value = e.target.value === "bob" ? "builder" : "wonderland";
});

// introspect asks the authorization server about the opaque token now
// and shows its answer in the card.
async function introspect(c, label) {
  const res = await call("POST", "/opaque/introspect", { form: { token: tokens.opaque } });
  const pre = $("[data-decoded]", c);
  pre.hidden = false;
  pre.textContent = res.status === 200 ? `${label}: ` + kit.pretty(res.data) : reason(res);
}

function fmt(ns) {
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + " ms";
  if (ns >= 1e3) return (ns / 1e3).toFixed(1) + " µs";
  return ns.toFixed(0) + " ns";
}

// showCheck writes the check's own time, measured on the server by
// repeating just that check (not the whole request).
function showCheck(c, check) {
  const p = $("[data-check]", c);
  p.textContent = check ? `The check alone: ${fmt(check.ns_per_op)} — ${check.what}, repeated ${check.runs.toLocaleString("en")} times on the server (fastest of 4 rounds).` : "";
}

for (const c of $$(".token-card")) {
  const kind = c.dataset.kind;
  c.addEventListener("click", async (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    const out = $("[data-result]", c);
    if (!tokens[kind]) { say(out, "Log in first.", false); return; }
    if (b.hasAttribute("data-decode")) {
      const pre = $("[data-decoded]", c);
      pre.hidden = false;
      pre.textContent = decode(kind);
    } else if (b.hasAttribute("data-me")) {
      const res = await call("GET", "/opaque/me", { headers: { Authorization: "Bearer " + tokens[kind] } });
      say(out, res.status === 200 ? `200 — ${res.data.user}, checked as ${res.data.via}` : `${res.status} — ${reason(res)}`, res.status === 200);
      showCheck(c, res.status === 200 && res.data.check);
    } else if (b.hasAttribute("data-introspect")) {
      await introspect(c, "introspection");
    } else if (b.hasAttribute("data-revoke")) {
      const res = await call("POST", "/opaque/revoke", { form: { token: tokens.opaque } });
      say(out, res.status === 200 ? "Revoked. Call the API with it again — and with the JWT." : reason(res), res.status === 200);
      // What the authorization server says now, not before the revoke.
      if (res.status === 200) await introspect(c, "introspection after the revoke");
    }
  });
}

// The server's verdict (how it checked) arrives in the trace.
kit.onExchange((x) => {
  if (x.actor !== "learner" || !x.path.endsWith("/opaque/me")) return;
  const auth = (x.request_headers || []).find((h) => h.name === "Authorization");
  const kind = Object.keys(tokens).find((k) => auth && tokens[k] && auth.value === "Bearer " + tokens[k]);
  if (kind) $("[data-verdict]", card(kind)).textContent = `The server: ${x.verdict}`;
});

kit.startTrace();
kit.ready();
