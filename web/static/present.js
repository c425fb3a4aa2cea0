// The presenter screen: the room's projector. It shows the board's
// snapshot (/workshops/ID/board.json) in one view at a time and follows
// the board's event stream: a round opening shows the question, its
// close the histogram, the reveal the right answer; → steps on (the
// leaderboard, the podium, back to the join screen, the next queued
// question) and space ends or reveals the round, so a clicker drives it.

import { getJSON, post } from "authlab/common";

const root = document.querySelector("[data-workshop-page=present]");
const id = root.dataset.id;
const views = Object.fromEntries([...root.querySelectorAll("[data-view]")].map((v) => [v.dataset.view, v]));
const hint = root.querySelector("[data-hint]");
const status = root.querySelector("[data-status]");

let board = null; // the last snapshot
let offset = 0; // server clock minus this one
let view = "lobby";

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// md puts server-rendered Markdown (raw HTML escaped on the server) in.
function md(tag, cls, markup) {
  const e = el(tag, cls);
  e.innerHTML = markup;
  return e;
}

const say = (text) => { status.textContent = text; };

// show makes one view visible and fits it to the screen.
function show(name) {
  view = name;
  for (const [n, v] of Object.entries(views)) v.hidden = n !== name;
  render();
}

function render() {
  if (!board) return;
  const r = board.round;
  if (view === "lobby") lobby();
  else if (view === "round" && r) round(r);
  else if (view === "leaderboard") leaderboard();
  else if (view === "podium") podium(board.workshop.ended ? "Thanks for coming!" : "Podium");
  else if (view === "moment") moment();
  hint.textContent = hintFor();
  fit();
}

function hintFor() {
  const r = board.round;
  if (board.workshop.ended) return "The workshop has ended";
  if (view === "round" && r && !r.closed) return "space: end the round now";
  if (view === "round" && r && !r.revealed) return "space: reveal the answer";
  if (view === "round") return "→ leaderboard";
  if (view === "leaderboard") return "→ podium";
  if (view === "podium" || view === "moment") return "→ join screen";
  return (board.queue || []).length ? `→ next question (${board.queue.length} queued)` : "Start a round from the board";
}

// ---- Views ------------------------------------------------------------

function lobby() {
  const people = (board.participants || []).filter((p) => !p.removed);
  views.lobby.querySelector("[data-count]").textContent = people.length === 1 ? "1 person has joined" : `${people.length} people have joined`;
  views.lobby.querySelector("[data-names]").replaceChildren(...people.slice(-48).map((p) => el("li", "", p.nickname)));
}

function round(r) {
  const head = el("header", "present-round-head");
  head.append(el("span", "present-round-seq", `Round ${r.seq}`));
  const answered = el("span", "present-answered");
  answered.dataset.answered = "";
  answered.textContent = `${r.answered} of ${r.total} answered`;
  head.append(answered);
  if (!r.closed) {
    const c = el("span", "present-countdown");
    c.dataset.countdown = "";
    c.setAttribute("role", "timer");
    head.append(c);
  } else {
    head.append(el("span", "present-state", r.revealed ? "The answer" : "Time is up"));
  }
  const q = md("div", "present-question", r.prompt);
  const ol = el("ol", "present-choices");
  const most = Math.max(1, ...Object.values(r.counts || {}));
  r.options.forEach((o, i) => {
    const right = r.revealed && (r.correct || []).includes(o.key);
    const li = el("li", "present-choice" + (right ? " is-correct" : "") + (r.revealed && !right ? " is-wrong" : ""));
    li.append(el("span", "present-letter", "ABCDEF"[i] || String(i + 1)), md("span", "present-choice-text", o.html));
    if (right) li.append(el("span", "present-right", "✓ right"));
    if (r.closed) {
      const n = (r.counts || {})[o.key] || 0;
      const bar = el("span", "present-bar");
      bar.style.setProperty("--share", String(n / most));
      bar.setAttribute("aria-hidden", "true");
      li.append(bar, el("span", "present-n", String(n)));
    }
    ol.append(li);
  });
  views.round.replaceChildren(head, q, ol);
  tick();
}

function standingRow(s) {
  const li = el("li", "present-standing");
  li.append(el("span", "present-rank", s.rank ? String(s.rank) : "–"), el("span", "present-nick", s.nickname), el("span", "present-points", `${s.points} pts`));
  return li;
}

function leaderboard() {
  const list = el("ol", "present-leaderboard");
  list.append(...(board.leaderboard || []).slice(0, 8).map(standingRow));
  views.leaderboard.replaceChildren(el("h2", "present-h", "Leaderboard"), list);
}

// podium stands the places 1–3 side by side, second, first, third; a
// tie puts several names on one step, and nobody without a point is on it.
function podium(title) {
  const steps = el("ol", "present-podium");
  const byRank = new Map();
  for (const s of board.podium || []) byRank.set(s.rank, [...(byRank.get(s.rank) || []), s]);
  for (const rank of [2, 1, 3]) {
    const people = byRank.get(rank);
    if (!people) continue;
    const step = el("li", `present-step present-step-${rank}`);
    step.append(el("span", "present-step-rank", `#${rank}`));
    for (const s of people) step.append(el("span", "present-nick", s.nickname), el("span", "present-points", `${s.points} pts`));
    steps.append(step);
  }
  const body = byRank.size ? steps : el("p", "present-empty", "Nobody has scored yet.");
  views.podium.replaceChildren(el("h2", "present-h", title), body);
}

function moment() {
  const m = board.moment;
  if (!m) { views.moment.replaceChildren(el("h2", "present-h", "No lab moment yet")); return; }
  const side = (name, t) => {
    const box = el("div", "present-side");
    box.append(el("h3", "", name));
    const refused = el("p", "present-tile bad");
    refused.append(el("strong", "", String(t.refused)), el("span", "", "refused (401)"));
    const inside = el("p", "present-tile ok");
    inside.append(el("strong", "", String(t.in)), el("span", "", "still let in"));
    box.append(refused, inside, el("p", "present-none", `${t.none} not logged in`));
    return box;
  };
  const sides = el("div", "present-sides");
  sides.append(side("Session side", m.session), side("Token side", m.token));
  views.moment.replaceChildren(
    el("h2", "present-h", m.kind === "labs-revoked" ? "Every lab session revoked" : "Every lab token deny-listed"),
    sides,
    el("p", "present-note", `${m.active} labs in the room, read on the server · ${m.reported} checked in`));
}

// ---- Fitting and time ----------------------------------------------------

// fit keeps the view on one screen: the join URL on one line, long
// choices smaller (never the question under 40 px).
function fit() {
  const url = views.lobby.querySelector("[data-fit]");
  if (url && !views.lobby.hidden) {
    url.style.fontSize = "";
    for (let i = 0; i < 30 && url.scrollWidth > url.clientWidth; i++) {
      url.style.fontSize = `${parseFloat(getComputedStyle(url).fontSize) * 0.94}px`;
    }
  }
  const v = views[view];
  if (!v || v.hidden) return;
  v.style.removeProperty("--shrink");
  for (let s = 1; s > 0.5 && v.scrollHeight > v.clientHeight + 1; s -= 0.06) v.style.setProperty("--shrink", String(s - 0.06));
}

function tick() {
  const c = views.round.querySelector("[data-countdown]");
  if (!c || !board.round) return;
  const left = Math.max(0, board.round.deadline - (Date.now() + offset));
  const text = `${Math.ceil(left / 1000)} s`;
  if (c.textContent !== text) c.textContent = text;
}

// ---- The snapshot and the stream -------------------------------------------

// Snapshots can answer out of order: one asked for just before the
// workshop ended may arrive after the one that shows the end. Each load
// is numbered, and an answer older than the snapshot on screen is dropped.
let timer = 0, loads = 0, shown = 0;
async function load() {
  const n = ++loads;
  const res = await getJSON(`/workshops/${id}/board.json`);
  if (n < shown) return;
  if (!res.ok) { say(`The screen could not be refreshed (${res.status}).`); return; }
  const b = await res.json();
  if (n < shown) return;
  shown = n;
  board = b;
  offset = board.now - Date.now();
  render();
}
const soon = (ms = 150) => { clearTimeout(timer); timer = setTimeout(load, ms); };

// then moves to a view once the snapshot that shows it is in; a later
// event's move wins, and an ended workshop always shows its podium.
let moves = 0;
const then = (name) => async () => {
  const n = ++moves;
  await load();
  if (n === moves) show(board.workshop.ended ? "podium" : name);
};

const es = new EventSource(`/workshops/${id}/events`);
es.addEventListener("hello", async () => {
  await load();
  const r = board.round;
  show(board.workshop.ended ? "podium" : r && !r.revealed ? "round" : view);
});
for (const name of ["resync", "roster", "locks", "focus", "queue", "labcheck", "labs-denylist-off"]) es.addEventListener(name, () => soon());
es.addEventListener("round", then("round"));
es.addEventListener("closed", then("round"));
es.addEventListener("reveal", then("round"));
es.addEventListener("podium", then("podium"));
es.addEventListener("labs-revoked", then("moment"));
es.addEventListener("labs-denylist", then("moment"));
es.addEventListener("ended", then("podium"));
es.addEventListener("answered", (e) => {
  const d = JSON.parse(e.data);
  if (!board || !board.round || board.round.id !== d.round) return;
  board.round.answered = d.answered;
  const n = views.round.querySelector("[data-answered]");
  if (n) n.textContent = `${d.answered} of ${board.round.total} answered`;
});
es.onerror = () => say("Connection lost; reconnecting…");

// ---- The clicker -------------------------------------------------------------

const act = (path, body = {}) => post(`/workshops/${id}${path}`, body).catch((err) => say(err.message));

function next() {
  const r = board && board.round;
  if (!board || board.workshop.ended) return;
  if (view === "round" && r && r.revealed) show("leaderboard");
  else if (view === "leaderboard") act("/podium");
  else if (view === "lobby" && (board.queue || []).length) act("/rounds", { next: "1", seconds: "30" });
  else show("lobby");
}

function space() {
  const r = board && board.round;
  if (!r || board.workshop.ended) return;
  if (!r.closed) act(`/rounds/${r.id}/close`);
  else if (!r.revealed) act(`/rounds/${r.id}/reveal`);
  else show("round");
}

document.addEventListener("keydown", (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest("input, textarea, select")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") { e.preventDefault(); next(); }
  else if (e.key === " " || e.key === "Enter" && e.target === document.body) { e.preventDefault(); space(); }
  else if (e.key === "Escape") show("lobby");
});

setInterval(tick, 250);
addEventListener("resize", fit);
// The countdown reaching zero: record the close, so the room gets its
// histogram even if the replica that started the round has gone.
setInterval(() => {
  const r = board && board.round;
  if (r && !r.closed && Date.now() + offset > r.deadline + 500) { r.closed = true; act(`/rounds/${r.id}/close`); }
}, 500);
