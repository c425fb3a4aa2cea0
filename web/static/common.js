// What the quiz, interview and workshop scripts share: fetch with the
// site's JSON conventions, the server's reason for a refusal, and the
// idempotency key of an answer. Pages import it by name through the
// layout's import map, which points at its current fingerprinted URL:
//
//   import { newKey, postForm, problem } from "authlab/common";

// JSON_HEADERS ask the server for its JSON reply (and JSON errors).
export const JSON_HEADERS = { Accept: "application/json" };

// newKey is an idempotency key for one answer: a retried request with
// the same key is stored once. (crypto.randomUUID needs a secure context.)
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// problem is the server's reason for refusing res (the message of its
// JSON error), or fallback when the reply carries none.
export async function problem(res, fallback) {
  try {
    const data = await res.json();
    if (data && data.message) return data.message;
  } catch (e) { /* not JSON: fall through */ }
  return fallback;
}

// showProblem puts text into region as the error of a form; alert has
// screen readers announce it at once.
export function showProblem(region, text, { alert = false } = {}) {
  const p = document.createElement("p");
  p.className = "quiz-error";
  if (alert) p.setAttribute("role", "alert");
  p.textContent = text;
  region.replaceChildren(p);
}

// showNote says, once, above the page, what the server put in the
// X-Authlab-Note header: a request whose session had been revoked (from
// another device) was answered as a guest, and no page follows to say
// so, while the header still shows the account's name.
function showNote(res) {
  const note = res.headers.get("X-Authlab-Note");
  if (!note || document.getElementById("server-note")) return res;
  const p = document.createElement("p");
  p.id = "server-note";
  p.className = "flash server-note";
  p.setAttribute("role", "alert");
  const a = document.createElement("a");
  a.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search);
  a.textContent = "Sign in";
  p.append(note + " ", a);
  // In the sticky site header: the learner is scrolled down at the quiz
  // they just answered, and the top of the page is out of view.
  const header = document.querySelector(".site-header");
  if (header) header.append(p);
  else (document.querySelector("main") || document.body).prepend(p);
  return res;
}

// getJSON fetches url, asking for JSON, with the site's cookies.
export function getJSON(url) {
  return fetch(url, { headers: JSON_HEADERS, credentials: "same-origin" }).then(showNote);
}

// postForm posts body (URLSearchParams, or what its constructor takes) as
// a form, asking for JSON, and returns the response.
export function postForm(url, body) {
  return fetch(url, { method: "POST", headers: JSON_HEADERS, body: new URLSearchParams(body), credentials: "same-origin" }).then(showNote);
}

// post is postForm that returns the JSON reply ({} for 204 No Content),
// or throws an Error whose message is the server's reason.
export async function post(url, body) {
  const res = await postForm(url, body);
  if (!res.ok) throw new Error(await problem(res, `The server answered ${res.status}.`));
  return res.status === 204 ? {} : res.json();
}

// enhanceOrder gives an order question up/down buttons instead of its
// position selects (which stay in the form, hidden, and carry the answer):
// lessons' quizzes and interview drills alike.
export function enhanceOrder(form) {
  const list = form.querySelector("[data-order]");
  if (!list) return;
  const help = form.querySelector("[data-order-help]");
  const status = form.querySelector("[data-order-status]");
  if (help) help.textContent = "Put the items in order, first at the top, with the Move up and Move down buttons.";
  const sync = () => {
    const items = [...list.children];
    items.forEach((li, i) => {
      const select = li.querySelector("select");
      if (select) select.value = String(i + 1);
      li.querySelector("[data-move=up]").setAttribute("aria-disabled", String(i === 0));
      li.querySelector("[data-move=down]").setAttribute("aria-disabled", String(i === items.length - 1));
    });
  };
  for (const li of list.children) {
    li.querySelector("[data-order-pos]")?.setAttribute("hidden", "");
    const text = li.querySelector(".quiz-order-text").textContent.trim();
    const moves = document.createElement("span");
    moves.className = "quiz-order-moves";
    for (const [dir, arrow] of [["up", "↑"], ["down", "↓"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "button button-small";
      b.dataset.move = dir;
      b.textContent = arrow;
      b.setAttribute("aria-label", `Move ${dir}: ${text}`);
      moves.append(b);
    }
    li.append(moves);
  }
  list.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-move]");
    if (!b || b.getAttribute("aria-disabled") === "true") return;
    const li = b.closest("li");
    if (b.dataset.move === "up") list.insertBefore(li, li.previousElementSibling);
    else list.insertBefore(li.nextElementSibling, li);
    b.focus(); // moving the item took focus away
    sync();
    const pos = [...list.children].indexOf(li) + 1;
    if (status) status.textContent = `${li.querySelector(".quiz-order-text").textContent.trim()}: position ${pos} of ${list.children.length}.`;
  });
  sync();
}
