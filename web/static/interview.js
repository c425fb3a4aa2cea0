// Interview mode, enhanced: answers go by fetch and the result shows
// without a reload, the timer counts down, and the keyboard drives it all
// (1–9 pick a choice or a rating, Enter checks, Space reveals, N goes on,
// ? lists the keys). Every step is a plain form that works without this
// file, and the server renders every panel this file inserts.

import { enhanceOrder, newKey, postForm, problem, showProblem } from "authlab/common";

const say = (region, text) => showProblem(region, text, { alert: true });
const refusal = (res) => problem(res, `The answer could not be checked (HTTP ${res.status}).`);

// typing reports whether a key press belongs to a field: text fields and
// menus keep their keys; choices (radio, checkbox) do not need digits.
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  return target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type);
}

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

// setupTimer counts down from what the server said was left, to the
// millisecond, so the clock reads 0:00 when the server starts to count an
// answer as late. A timer per question stops once the question is
// answered; a whole-run one goes on.
function setupTimer() {
  const box = document.querySelector("[data-timer]");
  if (!box) return null;
  const face = box.querySelector("[data-timer-clock]");
  const bar = box.querySelector("[data-timer-bar]");
  const status = box.querySelector("[data-timer-status]");
  const whole = box.hasAttribute("data-whole");
  const total = Number(box.dataset.seconds) || 0;
  const endsAt = Date.now() + (Number(box.dataset.remainingMs) || 0);
  const said = new Set();
  let interval = 0;
  const tick = () => {
    const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    face.textContent = clock(left);
    bar.value = left;
    box.classList.toggle("is-low", left > 0 && left <= Math.max(5, Math.min(30, total / 4)));
    for (const mark of [60, 30, 10]) {
      if (left === mark && total > mark && !said.has(mark)) {
        said.add(mark);
        status.textContent = `${mark} seconds left.`;
      }
    }
    if (left === 0) {
      box.classList.add("is-over");
      status.textContent = whole
        ? "Time is up for this run. Finish this question, or end here and see the summary."
        : "Time is up. Finish your answer, then move on.";
      clearInterval(interval);
    }
  };
  interval = setInterval(tick, 250);
  tick();
  return {
    stop() {
      if (whole) return;
      clearInterval(interval);
      box.classList.add("is-stopped");
    },
  };
}

// bumpAnswered moves the "answered" bar and the "right so far" count
// after an answer without a reload.
function bumpAnswered(correct) {
  const bar = document.querySelector(".run-header progress.progress");
  const text = document.querySelector(".run-header .progress-text");
  if (!bar || !text) return;
  bar.value = Math.min(Number(bar.max), Number(bar.value) + 1);
  text.textContent = `${bar.value} / ${bar.max} answered`;
  const score = document.querySelector("[data-score]");
  if (!score) return;
  const right = score.querySelector("[data-score-correct]");
  right.textContent = String(Number(right.textContent) + (correct ? 1 : 0));
  score.querySelector("[data-score-answered]").textContent = String(bar.value);
  score.hidden = false;
}

// markRating marks the rating an open prompt was given, once the answer
// is in and the four ratings are disabled with their fieldset: the chosen
// one is pressed and says "Your rating", to the eye and to screen readers.
function markRating(reveal, chosen) {
  if (!chosen?.dataset.rating) return;
  for (const button of reveal.querySelectorAll("button[data-rating]")) {
    button.setAttribute("aria-pressed", String(button === chosen));
  }
  const note = document.createElement("span");
  note.className = "run-rating-chosen";
  note.textContent = "Your rating";
  chosen.append(note);
}

function setupForm(form, timer) {
  const started = performance.now();
  const result = form.querySelector("[data-result]");
  const reveal = form.querySelector("[data-reveal]");
  const actions = form.querySelector("[data-actions]");
  let busy = false;
  // A fresh key per page view, even when the page came from a cache.
  form.elements.key.value = newKey();
  enhanceOrder(form); // Move up / Move down, as in the lessons

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    form.elements.elapsed.value = String(Math.round(performance.now() - started));
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form, e.submitter)) body.append(k, v);
    try {
      const res = await postForm(form.action, body);
      if (!res.ok) {
        // Nothing was stored: keep the key, so a retry stays one answer.
        say(result, await refusal(res));
        return;
      }
      const data = await res.json();
      if (data.reveal) {
        reveal.innerHTML = data.html;
        actions.hidden = true;
        result.replaceChildren();
        reveal.querySelector("input, button")?.focus();
        return;
      }
      result.innerHTML = data.html;
      for (const fs of form.querySelectorAll("fieldset")) fs.disabled = true;
      markRating(reveal, e.submitter);
      actions.hidden = true;
      timer?.stop();
      bumpAnswered(data.correct);
      result.querySelector("[data-result-panel]")?.focus();
    } catch (err) {
      say(result, "The answer could not be sent. Check your connection and try again.");
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  });
}

// pick selects the n-th choice (radio) or toggles it (checkbox).
function pick(form, n) {
  const input = form?.querySelector(`fieldset[data-inputs]:not([disabled]) [data-digit="${n}"]`);
  if (!input) return false;
  input.checked = input.type === "radio" ? true : !input.checked;
  input.focus();
  return true;
}

function setupKeys(dialog) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (dialog?.open) {
      if (e.key === "?") {
        e.preventDefault();
        dialog.close();
      }
      return; // Esc closes the dialog natively
    }
    const t = e.target;
    if (typing(t)) {
      if (e.key === "Escape") {
        t.blur();
        document.getElementById("question")?.focus();
      }
      return;
    }
    const form = document.querySelector("form[data-run-form]");
    const native = t instanceof HTMLElement && ["BUTTON", "A", "SUMMARY"].includes(t.tagName);
    if (e.key === "?") {
      e.preventDefault();
      dialog?.show();
    } else if (/^[1-9]$/.test(e.key)) {
      const rating = form?.querySelector(`[data-reveal] button[data-rating="${e.key}"]:not(:disabled)`);
      if (rating) {
        e.preventDefault();
        form.requestSubmit(rating);
      } else if (pick(form, e.key)) {
        e.preventDefault();
      }
    } else if (e.key === "Enter" && !native) {
      // On a choice, Enter means "check", never the form's default button.
      if (t instanceof HTMLInputElement) e.preventDefault();
      const submit = form?.querySelector("[data-actions]:not([hidden]) [data-submit]");
      if (submit) {
        e.preventDefault();
        form.requestSubmit(submit);
      }
    } else if (e.key === " " && !native && !(t instanceof HTMLInputElement)) {
      const button = form?.querySelector("[data-actions]:not([hidden]) [data-reveal-button]");
      if (button) {
        e.preventDefault();
        form.requestSubmit(button);
      }
    } else if (e.key === "n" || e.key === "N") {
      const next = document.querySelector("[data-next]");
      if (next) {
        e.preventDefault();
        next.click();
      }
    }
  });
}

// setupDialog wires the keyboard-shortcuts dialog. Closing it (Esc, ?,
// its Close button) puts the focus back where it was when it opened —
// or on the shortcuts button when nothing had the focus (? pressed just
// after the page loaded), never on <body>.
function setupDialog() {
  const dialog = document.querySelector("dialog[data-keys]");
  const open = document.querySelector("[data-keys-open]");
  if (!dialog) return null;
  let opener = null;
  const show = () => {
    if (dialog.open) return;
    const active = document.activeElement;
    opener = active instanceof HTMLElement && active !== document.body && !dialog.contains(active) ? active : open;
    dialog.showModal();
  };
  // restore runs when the dialog has closed: at once when this file
  // closes it, on the "close" event (a task later) after Esc or the
  // Close button — unless a key pressed meanwhile moved the focus.
  const restore = () => {
    const back = opener;
    opener = null;
    const active = document.activeElement;
    const lost = !active || active === document.body || dialog.contains(active);
    if (lost && back?.isConnected && !back.hidden) back.focus();
  };
  dialog.addEventListener("close", restore);
  if (open) {
    open.hidden = false;
    open.addEventListener("click", show);
  }
  return {
    get open() { return dialog.open; },
    show,
    close() {
      dialog.close();
      restore();
    },
  };
}

function setupPrint() {
  const button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// focusQuestion starts keyboard and screen-reader users at the question
// on each new question page, rather than at the header's links — unless
// they have already moved the focus themselves. It does not scroll: the
// clock and the progress above the question stay in view.
function focusQuestion() {
  const active = document.activeElement;
  if (active && active !== document.body) return;
  document.getElementById("question")?.focus({ preventScroll: true });
}

if (document.querySelector("[data-run]")) {
  const timer = setupTimer();
  const form = document.querySelector("form[data-run-form]");
  if (form) setupForm(form, timer);
  setupKeys(setupDialog());
  focusQuestion();
}
setupPrint();
