// The CSRF lab: a bank in the lab, an evil page on another site, and
// the defences that stop (or do not stop) the forged transfer.

import * as kit from "authlab/lab_kit";
const { $, el, call, reason, say } = kit;

const settings = $(".csrf-settings");
let token = "";     // bearer mode: kept in memory by the bank's page
let csrfToken = ""; // the bank's own form field
let mode = "cookie"; // how the bank knows you, from the settings

function showSettings(d) {
  if (!d) return;
  mode = d.mode;
  settings.querySelector(`input[name=mode][value="${d.mode}"]`).checked = true;
  settings.querySelector(`input[name=samesite][value="${d.samesite}"]`).checked = true;
  settings.csrf_token.checked = d.csrf_token;
  settings.origin_check.checked = d.origin_check;
  say($(".csrf-note"), d.note || "");
  const link = $(".evil-link");
  if (d.evil_url) {
    link.href = d.evil_url;
    $(".evil-origin").textContent = new URL(d.evil_url).origin;
  } else {
    link.hidden = true;
    $(".evil-missing").hidden = false;
  }
  // The evil page on another port of this host: same site, other origin.
  if (d.same_site_url) {
    $(".same-site-link").href = d.same_site_url;
    $(".same-site-origin").textContent = new URL(d.same_site_url).origin;
  }
  $(".same-site-box").hidden = !d.same_site_url;
  $(".same-site-missing").hidden = !!d.same_site_url;
  if (d.bank_page) $(".bank-page-link").href = d.bank_page;
}

settings.addEventListener("change", async () => {
  const body = {
    mode: settings.querySelector("input[name=mode]:checked").value,
    samesite: settings.querySelector("input[name=samesite]:checked").value,
    csrf_token: settings.csrf_token.checked,
    origin_check: settings.origin_check.checked,
  };
  const res = await call("PUT", "/csrf/settings", { body });
  if (res.status === 200) showSettings(res.data);
  else say($(".csrf-note"), reason(res), false);
});

const auth = () => (token ? { Authorization: "Bearer " + token } : {});

// The bank's session cookie is HttpOnly, so the page cannot see whether
// there is one; asking without one costs a 401, which Chromium logs as a
// console error on every visit. So the page remembers (per lab, in this
// browser) that it logged in with a cookie, and asks only then — or when
// it holds a bearer token, which lives in memory only.
const loginKey = "authlab.csrf-bank." + kit.page.dataset.labId;
function rememberCookieLogin(on) {
  try {
    if (on) localStorage.setItem(loginKey, "1");
    else localStorage.removeItem(loginKey);
  } catch { /* storage blocked: the page just asks less */ }
}
function mayBeLoggedIn() {
  if (token) return true;
  try { return localStorage.getItem(loginKey) === "1"; } catch { return false; }
}

function showLoggedOut(why) {
  $(".bank-user").textContent = "nobody — " + why;
  $(".bank-balance").textContent = "—";
  csrfToken = "";
}

async function loadAccount() {
  if (!token && mode === "bearer") { showLoggedOut("bearer mode: log in to get a token"); return; }
  if (!mayBeLoggedIn()) { showLoggedOut("log in to the bank first"); return; }
  const res = await call("GET", "/bank/account", { headers: auth() });
  if (res.status === 401 && !token) rememberCookieLogin(false); // the session is gone
  if (res.status !== 200) {
    showLoggedOut((res.data && res.data.reason) || String(res.status));
    return;
  }
  $(".bank-user").textContent = res.data.user;
  $(".bank-balance").textContent = String(res.data.balance);
  csrfToken = res.data.csrf_token || "";
  const ul = $(".bank-transfers");
  const xs = res.data.transfers.slice().reverse();
  ul.replaceChildren(...(xs.length ? xs.map((t) => el("li", { class: t.site === "cross-site" ? "bad" : "" }, `${t.amount} from ${t.from} to ${t.to} — Sec-Fetch-Site: ${t.site}`)) : [el("li", { class: "muted", text: "None yet." })]));
}

$(".bank-login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/bank/login", { form: { username: f.username.value, password: f.password.value } });
  token = res.status === 200 && res.data.access_token ? res.data.access_token : "";
  // Cookie mode sets lab_sid; bearer mode clears it.
  if (res.status === 200) rememberCookieLogin(!token);
  say($(".bank-status"), res.status === 200 ? (token ? "Logged in: the page holds a bearer token (no cookie)." : `Logged in: lab_sid set with SameSite=${res.data.samesite}.`) : reason(res), res.status === 200);
  loadAccount();
});

$(".bank-transfer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target;
  const res = await call("POST", "/bank/transfer", { form: { to: f.to.value, amount: f.amount.value, csrf_token: csrfToken }, headers: auth() });
  say($(".bank-status"), res.status === 200 ? res.data.message : reason(res), res.status === 200);
  loadAccount();
});

// A forged transfer arrives from the other tab: show it here.
kit.onExchange((x) => { if (x.path.endsWith("/bank/transfer")) loadAccount(); });

// The settings first: in bearer mode there is nothing to ask without a token.
kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await call("GET", "/csrf/settings").then((res) => { if (res.status === 200) showSettings(res.data); }).then(loadAccount).catch(() => {});
kit.ready();
