// Quizzes in lessons, enhanced: answers go by fetch and the result shows
// inline without a reload; a hint button, "try again" and "show answer".
// Also ticks the done steps in each lab card's hints.
// Every quiz is a plain form that works without this file, and the server
// renders every panel this file inserts, so both paths look the same.

import { enhanceOrder, getJSON, newKey, postForm, problem, showProblem } from "authlab/common";

const say = (region, text) => showProblem(region, text);
const refusal = (res) => problem(res, `The answer could not be checked (HTTP ${res.status}).`);

// The hint: a button that shows and hides it (a <details> without JS).
function enhanceHint(form) {
  const details = form.querySelector("details[data-hint]");
  if (!details) return;
  const body = details.querySelector(".quiz-hint-body");
  body.id = `${form.closest(".quiz").id}-hint`;
  body.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button-small quiz-hint-button";
  button.textContent = "Show hint";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", body.id);
  button.addEventListener("click", () => {
    body.hidden = !body.hidden;
    button.setAttribute("aria-expanded", String(!body.hidden));
    button.textContent = body.hidden ? "Show hint" : "Hide hint";
  });
  const wrap = document.createElement("div");
  wrap.className = "quiz-hint";
  wrap.append(button, body);
  details.replaceWith(wrap);
}

function setup(form) {
  const feedback = form.querySelector("[data-feedback]");
  const solution = form.querySelector("[data-solution]");
  const compare = form.querySelector("[data-compare]");
  const tryAgain = form.querySelector("[data-try-again]");
  const best = form.querySelector("[data-best]");
  let busy = false;
  // A fresh key per page view, even when the page came from a cache.
  form.elements.key.value = newKey();
  enhanceHint(form);
  enhanceOrder(form);
  if (feedback.children.length) tryAgain.hidden = false;

  // Arrow keys inside a quiz move between radio buttons; they must not
  // also turn the page (the site's ← → lesson shortcuts listen on document).
  form.addEventListener("keydown", (e) => {
    if (e.key.startsWith("Arrow")) e.stopPropagation();
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form, e.submitter)) {
      if (!k.startsWith("pos.")) body.append(k, v);
    }
    for (const li of form.querySelector("[data-order]")?.children ?? []) body.append("order", li.dataset.key);
    try {
      const res = await postForm(form.action, body);
      if (!res.ok) {
        // Nothing was stored: keep the key, so a retry stays one attempt.
        say(feedback, await refusal(res));
        return;
      }
      const data = await res.json();
      if (data.compare) {
        compare.innerHTML = data.html;
        // One primary action per state: now it is "Record my self-check".
        e.submitter?.classList.remove("button-primary");
        compare.querySelector("input")?.focus();
        return;
      }
      feedback.innerHTML = data.html;
      solution.replaceChildren();
      if (compare) compare.replaceChildren();
      if (data.best && best) {
        best.textContent = data.best.text;
        best.hidden = false;
      }
      const completion = document.querySelector("[data-lesson-completion]");
      if (data.completion_html && completion && !completion.querySelector(".state-done")) {
        completion.innerHTML = data.completion_html;
      }
      form.elements.key.value = newKey();
      tryAgain.hidden = false;
    } catch (err) {
      say(feedback, "The server could not be reached. Your answer is still here: check it again when you are back online.");
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  });

  form.addEventListener("click", async (e) => {
    const link = e.target.closest("[data-show-answer]");
    if (!link) return;
    e.preventDefault();
    try {
      const res = await getJSON(form.dataset.answerUrl);
      if (!res.ok) {
        say(solution, await refusal(res));
        return;
      }
      solution.innerHTML = (await res.json()).html;
      solution.querySelector(".quiz-answer")?.focus();
    } catch (err) {
      say(solution, "The server could not be reached to show the answer.");
    }
  });

  tryAgain.addEventListener("click", () => {
    for (const el of form.querySelectorAll("input[type=radio], input[type=checkbox]")) el.checked = false;
    for (const el of form.querySelectorAll("input[type=text], textarea")) el.value = "";
    for (const el of form.querySelectorAll("select")) if (!el.name.startsWith("pos.")) el.value = "";
    feedback.replaceChildren();
    solution.replaceChildren();
    if (compare) {
      compare.replaceChildren();
      form.querySelector("button[name=step][value=compare]")?.classList.add("button-primary");
    }
    form.elements.key.value = newKey();
    tryAgain.hidden = true;
    const first = [...form.querySelectorAll("fieldset input, fieldset select, fieldset textarea, fieldset button")]
      .find((el) => el.type !== "hidden" && el.offsetParent !== null);
    first?.focus();
  });
}

for (const form of document.querySelectorAll("form[data-quiz]")) setup(form);

// Lab cards: the server names the card's done steps in data-lab-done;
// tick their hints ("the lab checks this step" becomes "✓ done").
for (const card of document.querySelectorAll(".lab-card")) {
  const done = card.querySelector("[data-lab-done]")?.dataset.labDone.split(" ").filter(Boolean) ?? [];
  for (const li of card.querySelectorAll(".lab-steps li[data-milestone]")) {
    if (!done.includes(li.dataset.milestone)) continue;
    li.classList.add("done");
    const tag = li.querySelector("[data-step-tag]");
    if (tag) tag.textContent = "✓ done";
  }
}
