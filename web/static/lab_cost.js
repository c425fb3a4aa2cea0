// The cost lab: measure, on this server, what each credential check
// costs, and draw it as SVG bars.

import * as kit from "authlab/lab_kit";
const { $, el, call, reason, say } = kit;

const SVG = "http://www.w3.org/2000/svg";
let token = "";

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function fmt(ns) {
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + " ms";
  if (ns >= 1e3) return (ns / 1e3).toFixed(1) + " µs";
  return ns.toFixed(0) + " ns";
}

// chart draws one bar per check. The SVG is drawn at the box's own
// width, so its text stays at the page's size: on a narrow screen each
// label goes above its bar instead of shrinking beside it.
let last = null;
function chart(results) {
  last = results;
  const box = $(".cost-chart");
  const w = Math.max(260, Math.round(box.clientWidth || 840));
  const stacked = w < 600;
  const labelW = stacked ? 0 : Math.min(330, Math.round(w * 0.42));
  const valueW = 80, barH = 20;
  const rowH = stacked ? 46 : 30;
  const barW = w - labelW - valueW;
  const max = Math.max(...results.map((r) => r.ns_per_op));
  const s = svg("svg", { viewBox: `0 0 ${w} ${results.length * rowH + 10}`, width: w, role: "img", class: "bars" });
  s.append(svg("title", {}, "Time per check, in the table below"));
  results.forEach((r, i) => {
    const y = i * rowH + 5;
    const barY = stacked ? y + 20 : y + 4;
    const len = Math.max(2, (r.ns_per_op / max) * barW);
    s.append(
      stacked
        ? svg("text", { x: 0, y: y + 14, class: "bar-label" }, r.name)
        : svg("text", { x: labelW - 8, y: y + 17, "text-anchor": "end", class: "bar-label" }, r.name),
      svg("rect", { x: labelW, y: barY, width: len.toFixed(1), height: barH, rx: 3, class: "bar bar-" + r.group }),
      svg("text", { x: labelW + len + 6, y: barY + 15, class: "bar-value" }, fmt(r.ns_per_op)));
  });
  box.replaceChildren(s);
}
// Redraw when the box changes width (a phone turned, a window resized).
let drawnAt = 0;
new ResizeObserver(() => {
  const w = $(".cost-chart").clientWidth;
  if (last && Math.abs(w - drawnAt) > 4) { drawnAt = w; chart(last); }
}).observe($(".cost-chart"));

function tables(data) {
  const tb = $(".cost-table tbody");
  tb.replaceChildren(...data.results.map((r) => el("tr", {}, el("td", { text: r.name }), el("td", { class: "num", text: fmt(r.ns_per_op) }), el("td", { class: "num", text: r.runs.toLocaleString("en") }))));
  const bb = $(".bytes-table tbody");
  bb.replaceChildren(...data.bytes.map((b) => el("tr", {}, el("td", {}, el("code", { text: b.name })), el("td", { text: String(b.bytes) }))));
}

// run measures once at a time: a second click while a run is on starts
// nothing, since two runs would compete for the CPU and skew each other.
// The button keeps the focus (a disabled one would drop it).
let running = false;
async function run(e) {
  if (running) return;
  running = true;
  const button = e.currentTarget;
  const status = $(".cost-status");
  button.setAttribute("aria-disabled", "true");
  say(status, "Measuring…");
  const res = await call("POST", "/cost/run", { headers: token ? { Authorization: "Bearer " + token } : {} });
  running = false;
  button.removeAttribute("aria-disabled");
  if (res.status !== 200) { say(status, reason(res), false); return; }
  chart(res.data.results);
  tables(res.data);
  const deny = res.data.denylist
    ? "deny-list on: each token check below is the verification plus the deny-list lookup"
    : "deny-list off: the token checks are the verification alone; the deny-list row shows what turning it on adds to each";
  say(status, `Done. Store: ${res.data.store}; ${deny}. ${res.data.note}`, true);
}

$('[data-action="run"]').addEventListener("click", run);
$('[data-action="login"]').addEventListener("click", async () => {
  const creds = { username: "alice", password: "wonderland" };
  await call("POST", "/session/login", { form: creds });
  const res = await call("POST", "/token/login", { body: creds });
  if (res.status === 200) token = res.data.access_token;
  say($(".cost-status"), res.status === 200 ? "Logged in both ways: the next run sizes your own cookie and token." : reason(res), res.status === 200);
});
const deny = $(".cost-denylist");
deny.addEventListener("change", async () => {
  const res = await call("PUT", "/settings", { body: { denylist: deny.checked } });
  say($(".cost-status"), res.status === 200 ? `Deny-list ${deny.checked ? "on: every token check now includes its lookup" : "off: the token checks are the verification alone"}. Run again.` : reason(res), res.status === 200);
});

kit.startTrace();
// Settle the first load before ready(): a control that moves once its data
// arrives would take a click meant for another (the layout shifts under it).
await call("GET", "/settings").then((res) => { if (res.status === 200) deny.checked = !!res.data.denylist; }).catch(() => {});
kit.ready();
