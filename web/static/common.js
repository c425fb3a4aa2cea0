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

// getJSON fetches url, asking for JSON, with the site's cookies.
export function getJSON(url) {
  return fetch(url, { headers: JSON_HEADERS, credentials: "same-origin" });
}

// postForm posts body (URLSearchParams, or what its constructor takes) as
// a form, asking for JSON, and returns the response.
export function postForm(url, body) {
  return fetch(url, { method: "POST", headers: JSON_HEADERS, body: new URLSearchParams(body), credentials: "same-origin" });
}

// post is postForm that returns the JSON reply ({} for 204 No Content),
// or throws an Error whose message is the server's reason.
export async function post(url, body) {
  const res = await postForm(url, body);
  if (!res.ok) throw new Error(await problem(res, `The server answered ${res.status}.`));
  return res.status === 204 ? {} : res.json();
}
