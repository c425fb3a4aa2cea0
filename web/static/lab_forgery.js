// The jwt-forgery lab: a genuine token, Mallory's token editor, the
// dictionary attack on a weak HMAC secret (WebCrypto, in the browser),
// and a verifier the learner flips between naive and safe.

import * as kit from "authlab/lab_kit";
const { $, el, call, reason, say } = kit;

const settings = $(".forgery-settings");
const editor = $(".forgery-editor");
const genuine = $(".genuine-token");

function showSettings(data) {
  if (!data) return;
  settings.querySelector(`input[name=verifier][value="${data.verifier}"]`).checked = true;
  settings.signer.value = data.signer;
  say($(".forgery-note"), data.note || "");
}

async function loadSettings() {
  const res = await call("GET", "/forgery/settings");
  if (res.status === 200) showSettings(res.data);
}

async function saveSettings() {
  const verifier = settings.querySelector("input[name=verifier]:checked").value;
  const res = await call("PUT", "/forgery/settings", { body: { verifier, signer: settings.signer.value } });
  if (res.status === 200) showSettings(res.data);
  else say($(".forgery-note"), reason(res), false);
}

function loadEditor(token) {
  const d = kit.decodeJWT(token);
  if (!d) return;
  editor.header.value = kit.pretty(d.header);
  editor.payload.value = kit.pretty(d.payload);
}

function editJSON(field, fn) {
  let v;
  try { v = JSON.parse(editor[field].value || "{}"); } catch {
    say($(".sign-note"), `The ${field} is not valid JSON; fix it first.`, false);
    return;
  }
  fn(v);
  editor[field].value = kit.pretty(v);
}

// cleanHeader puts a fresh header in the editor: the genuine token's
// alg, typ and kid, with changes on top. Every preset starts from it, so
// a key planted by an earlier step (jwk, jku, Mallory's kid) cannot
// decide how this step's token is checked.
function cleanHeader(changes = {}) {
  const d = kit.decodeJWT(genuine.value);
  const h = { alg: d ? d.header.alg : "HS256", typ: "JWT" };
  if (d && d.header.kid) h.kid = d.header.kid;
  editor.header.value = kit.pretty({ ...h, ...changes });
}

const edits = {
  admin: () => {
    cleanHeader();
    editJSON("payload", (p) => { p.sub = "admin"; p.role = "admin"; });
  },
  kid: () => {
    cleanHeader({ alg: "HS256", kid: "../../../../dev/null" });
    editor.key.value = "hmac";
    editor.secret.value = "";
    say($(".sign-note"), "The naive verifier reads the key from /srv/lab/keys/<kid>: this kid resolves to /dev/null, an empty file — so sign with an empty HMAC secret.");
  },
  "public-key": async () => {
    const res = await call("GET", "/forgery/public-key");
    const pre = $(".public-key");
    pre.hidden = false;
    pre.textContent = res.status === 200 ? res.text : reason(res);
    if (res.status === 200) {
      cleanHeader({ alg: "HS256" });
      editor.key.value = "public-key";
      say($(".sign-note"), "Anyone can fetch this: it is the public half. A naive verifier handed an HS256 token uses these exact bytes as its HMAC secret.");
    }
  },
  sign: async () => {
    const res = await call("POST", "/forgery/sign", { body: { header: editor.header.value, payload: editor.payload.value, key: editor.key.value, secret: editor.secret.value } });
    if (res.status !== 200) {
      // Nothing was signed: an older forged token left in the box would
      // be sent as if it were this edit's.
      editor.forged.value = "";
      say($(".sign-note"), `${reason(res)} Nothing was signed, so the forged token was cleared: fix the edit and sign again.`, false);
      return;
    }
    editor.forged.value = res.data.token;
    loadEditor(res.data.token);
    say($(".sign-note"), "Signed: " + res.data.note + ".", true);
  },
};

async function send() {
  const token = editor.forged.value.trim() || genuine.value.trim();
  const out = $(".forgery-result");
  if (!token) { say(out, "Get a genuine token or sign a forged one first.", false); return; }
  const predict = kit.predicted(editor);
  const res = await kit.mallory("GET", "/forgery/me", { Authorization: "Bearer " + token }, "", predict);
  const x = kit.showMallory(out, res, predict);
  if (!x) return;
  let body = {};
  try { body = JSON.parse(x.response_body || "{}"); } catch { /* clipped */ }
  if (body.defence) out.append(el("p", { class: "ok" }, el("strong", { text: "Stopped by: " }), body.defence));
  if (body.admin) out.append(el("p", { class: "bad" }, el("strong", { text: "Admin access granted" }), " to a token Mallory made herself."));
}

// crack tries every word of the lab's list as the HMAC-SHA256 secret of
// the genuine token, in this browser.
async function crack() {
  const out = $(".crack-result");
  const d = kit.decodeJWT(genuine.value);
  if (!d) { say(out, "Get a genuine token first (with the weak HS256 signer).", false); return; }
  if (d.header.alg !== "HS256") { say(out, `This token is ${d.header.alg}: there is no shared secret to guess. Switch the signer to "HS256 with a weak secret" and get a new token.`, false); return; }
  if (!window.crypto || !crypto.subtle) { say(out, "WebCrypto needs a secure context (https, or http://localhost).", false); return; }
  const list = await call("GET", "/forgery/wordlist");
  const words = list.text.split("\n").filter(Boolean);
  const enc = new TextEncoder();
  const input = enc.encode(d.parts[0] + "." + d.parts[1]);
  const want = d.parts[2];
  const bar = $(".crack-progress");
  bar.hidden = false;
  bar.max = words.length;
  const start = performance.now();
  for (let i = 0; i < words.length; i++) {
    const key = await crypto.subtle.importKey("raw", enc.encode(words[i]), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, input));
    const b64 = btoa(String.fromCharCode(...sig)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    bar.value = i + 1;
    if (b64 === want) {
      const ms = Math.round(performance.now() - start);
      say(out, `Cracked: the secret is "${words[i]}" (word ${i + 1} of ${words.length}, ${ms} ms). It is now in the editor: edit the payload and sign with it.`, true);
      editor.secret.value = words[i];
      editor.key.value = "hmac";
      return;
    }
  }
  say(out, `No word of the ${words.length} matched: the secret is not in the list. A random 256-bit secret will never be.`, false);
}

settings.addEventListener("change", saveSettings);
$(".forgery-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/forgery/login", { form: { username: f.username.value, password: f.password.value } });
  if (res.status !== 200) { say($(".sign-note"), reason(res), false); return; }
  genuine.value = res.data.access_token;
  editor.forged.value = "";
  loadEditor(res.data.access_token);
});
$(".forgery-login select[name=username]").addEventListener("change", (e) => {
  e.target.form.password.value = e.target.value === "bob" ? "builder" : "wonderland";
});
editor.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-edit]");
  if (b) edits[b.dataset.edit]();
});
editor.addEventListener("submit", (e) => { e.preventDefault(); send(); });
$('[data-action="crack"]').addEventListener("click", crack);

kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await Promise.resolve(loadSettings()).catch(() => {});
kit.ready();
