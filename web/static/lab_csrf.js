// The CSRF lab: a bank in the lab, an evil page on another site, and
// the defences that stop (or do not stop) the forged transfer.

const kit = await import(document.querySelector(".lab-page").dataset.kit);
const { $, el, call, reason, say } = kit;

const settings = $(".csrf-settings");
let token = "";     // bearer mode: kept in memory by the bank's page
let csrfToken = ""; // the bank's own form field

function showSettings(d) {
  if (!d) return;
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

async function loadAccount() {
  const res = await call("GET", "/bank/account", { headers: auth() });
  if (res.status !== 200) {
    $(".bank-user").textContent = "nobody — " + ((res.data && res.data.reason) || res.status);
    $(".bank-balance").textContent = "—";
    csrfToken = "";
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

call("GET", "/csrf/settings").then((res) => { if (res.status === 200) showSettings(res.data); });
loadAccount();
kit.startTrace();
kit.ready();
