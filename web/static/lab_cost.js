// The cost lab: measure, on this server, what each credential check
// costs, and draw it as SVG bars.

const kit = await import(document.querySelector(".lab-page").dataset.kit);
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

function chart(results) {
  const rowH = 30, labelW = 330, barW = 420, w = labelW + barW + 90;
  const max = Math.max(...results.map((r) => r.ns_per_op));
  const s = svg("svg", { viewBox: `0 0 ${w} ${results.length * rowH + 10}`, role: "img", class: "bars" });
  s.append(svg("title", {}, "Time per check, in the table below"));
  results.forEach((r, i) => {
    const y = i * rowH + 5;
    const len = Math.max(2, (r.ns_per_op / max) * barW);
    s.append(
      svg("text", { x: labelW - 8, y: y + 17, "text-anchor": "end", class: "bar-label" }, r.name),
      svg("rect", { x: labelW, y: y + 4, width: len.toFixed(1), height: rowH - 10, rx: 3, class: "bar bar-" + r.group }),
      svg("text", { x: labelW + len + 6, y: y + 17, class: "bar-value" }, fmt(r.ns_per_op)));
  });
  $(".cost-chart").replaceChildren(s);
}

function tables(data) {
  const tb = $(".cost-table tbody");
  tb.replaceChildren(...data.results.map((r) => el("tr", {}, el("td", { text: r.name }), el("td", { text: fmt(r.ns_per_op) }), el("td", { text: String(r.runs) }))));
  const bb = $(".bytes-table tbody");
  bb.replaceChildren(...data.bytes.map((b) => el("tr", {}, el("td", {}, el("code", { text: b.name })), el("td", { text: String(b.bytes) }))));
}

async function run() {
  const status = $(".cost-status");
  say(status, "Measuring…");
  const res = await call("POST", "/cost/run", { headers: token ? { Authorization: "Bearer " + token } : {} });
  if (res.status !== 200) { say(status, reason(res), false); return; }
  chart(res.data.results);
  tables(res.data);
  say(status, `Done. Store: ${res.data.store}; deny-list ${res.data.denylist ? "on" : "off"}. ${res.data.note}`, true);
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
  say($(".cost-status"), res.status === 200 ? `Deny-list ${deny.checked ? "on" : "off"}. Run again.` : reason(res), res.status === 200);
});
call("GET", "/settings").then((res) => { if (res.status === 200) deny.checked = !!res.data.denylist; });

kit.startTrace();
kit.ready();
