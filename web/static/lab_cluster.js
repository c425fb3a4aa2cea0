// The cluster lab: three nodes behind a balancer; sessions per node or
// shared; tokens everywhere — until the keys disagree.

import * as kit from "authlab/lab_kit";
const { $, el, call, reason, say } = kit;

const settings = $(".cluster-settings");
let token = "";

function render(v) {
  if (!v || !v.nodes) return;
  settings.querySelector(`input[name=balance][value="${v.balance}"]`).checked = true;
  settings.querySelector(`input[name=store][value="${v.store}"]`).checked = true;
  say($(".cluster-note"), v.note || "");
  const grid = $(".node-grid");
  grid.replaceChildren(...v.nodes.map((n, i) => el("div", { class: "node-card" + (n.up ? "" : " node-down") },
    el("h3", { text: n.name }),
    el("p", { class: "small", text: `${n.up ? "up" : "down"} · ${count(n.sessions, "session")} in memory · key ${n.key}${n.restarts ? ` · ${count(n.restarts, "restart")}` : ""}` }),
    el("div", { class: "side-actions" },
      // Three cards hold the same three buttons: each one's name says
      // which node it acts on, for a screen reader's list of buttons.
      nodeButton(n, i, "restart", "Restart (deploy)"),
      nodeButton(n, i, "kill", "Kill"),
      nodeButton(n, i, "rotate", "Rotate key here only")))));
}

const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;

function nodeButton(n, i, action, text) {
  return el("button", { type: "button", class: "button button-small", "data-node": String(i + 1), "data-do": action, "aria-label": `${text}: ${n.name}`, text });
}

// Only the answer to the newest request is drawn: a redraw that was
// asked for before the learner changed a setting (after ten requests, a
// restart) must not put the old setting back.
let asked = 0;
async function view(method, path, opts) {
  const n = ++asked;
  const res = await call(method, path, opts);
  if (res.status === 200 && n === asked) render(res.data);
  return res;
}

const load = () => view("GET", "/cluster/settings");

settings.addEventListener("change", async () => {
  const body = { balance: settings.querySelector("input[name=balance]:checked").value, store: settings.querySelector("input[name=store]:checked").value };
  const res = await view("PUT", "/cluster/settings", { body });
  if (res.status !== 200) say($(".cluster-note"), reason(res), false);
});

$(".node-grid").addEventListener("click", async (e) => {
  const b = e.target.closest("button[data-node]");
  if (!b) return;
  const res = b.dataset.do === "rotate"
    ? await view("POST", "/cluster/rotate", { body: { node: b.dataset.node } })
    : await view("POST", "/cluster/restart", { body: { node: b.dataset.node, action: b.dataset.do } });
  if (res.status !== 200) say($(".cluster-status"), reason(res), false);
});

for (const b of kit.$$("[data-login]")) {
  b.addEventListener("click", async () => {
    const mode = b.dataset.login;
    const res = await call("POST", "/cluster/login", { body: { username: "alice", password: "wonderland", mode } });
    if (res.status !== 200) { say($(".cluster-status"), reason(res), false); return; }
    token = mode === "token" ? res.data.access_token : "";
    say($(".cluster-status"), mode === "token" ? `Logged in with a token signed by ${res.data.node} (key ${res.data.kid}).` : `Logged in on ${res.data.node}: the session is in ${res.data.store}.`, true);
    load();
  });
}

$('[data-action="ten"]').addEventListener("click", async () => {
  const list = $(".ten-results");
  list.replaceChildren();
  let ok = 0;
  for (let i = 0; i < 10; i++) {
    const res = await call("GET", "/cluster/me", { headers: token ? { Authorization: "Bearer " + token } : {} });
    const node = (res.data && res.data.node) || "—";
    if (res.status === 200) ok++;
    list.append(el("li", { class: res.status === 200 ? "ok" : "bad" }, el("strong", { text: String(res.status) }), ` ${node}`, res.status === 200 ? "" : ` — ${(res.data && res.data.reason) || reason(res)}`));
  }
  say($(".ten-summary"), `${ok} of 10 succeeded, ${10 - ok} failed.`, ok === 10);
  load();
});

kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await Promise.resolve(load()).catch(() => {});
kit.ready();
