// Workshops, live: the instructor's board and lobby, and the attendee's
// screen. Everything the server knows arrives over one EventSource per
// page; a dropped connection reconnects by itself and reloads the state
// ("hello" on every connect), so nothing is lost on a flaky network.
// Without this file the pages still work as plain forms and links.

import { getJSON, post, showProblem } from "authlab/common";

const page = document.querySelector("[data-workshop-page]");

function say(text) {
  const region = document.querySelector("[data-status]");
  if (region) region.textContent = text;
}

// formError shows why the server refused a form, under the form, as
// every form's error (showProblem, read out at once); "" takes it away.
function formError(form, text) {
  let region = form.querySelector("[data-form-error]");
  if (!text) { region?.replaceChildren(); return; }
  if (!region) {
    region = el("div", "ws-form-error");
    region.dataset.formError = "";
    form.append(region);
  }
  showProblem(region, text, { alert: true });
  region.scrollIntoView({ block: "nearest" });
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// html puts server-rendered question HTML (Markdown rendered on the
// server with raw HTML escaped) into an element.
function html(tag, cls, markup) {
  const e = el(tag, cls);
  e.innerHTML = markup;
  return e;
}

// countdown keeps every [data-deadline] card's timer moving; offset
// corrects this device's clock by the server's.
// msLeft is how long a round has left, on the server's clock (offset:
// the server's clock minus this one).
const msLeft = (deadline, offset) => Math.max(0, Number(deadline) - (Date.now() + Number(offset || 0)));

function countdown(root, onZero) {
  let fired = "";
  const tick = () => {
    for (const card of root.querySelectorAll("[data-deadline]")) {
      if (card.dataset.closed === "true") continue;
      const left = msLeft(card.dataset.deadline, card.dataset.offset);
      const secs = Math.ceil(left / 1000);
      const text = card.querySelector("[data-countdown]");
      if (text && text.textContent !== `${secs} s`) text.textContent = `${secs} s`;
      const bar = card.querySelector("[data-timer]");
      if (bar) bar.value = left / 1000;
      if (left === 0 && fired !== card.dataset.roundId) {
        fired = card.dataset.roundId;
        onZero(card.dataset.roundId);
      }
    }
  };
  setInterval(tick, 250);
  tick();
}

// ---- The instructor's board ------------------------------------------

function board() {
  const id = page.dataset.id;
  let timer = 0;
  let busy = false;
  let again = false;

  const stamp = (root) => {
    for (const card of root.querySelectorAll("[data-deadline]")) {
      card.dataset.offset = String(Number(card.dataset.now) - Date.now());
    }
  };
  // refresh fetches the board page and swaps its live regions, except
  // one the instructor is typing in.
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(location.pathname, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!res.ok) { say(`The board could not be refreshed (${res.status}).`); return; }
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      for (const fresh of doc.querySelectorAll("[data-live]")) {
        const old = page.querySelector(`[data-live="${fresh.dataset.live}"]`);
        if (!old) continue;
        if (old.contains(document.activeElement) && document.activeElement !== document.body && document.activeElement.matches("input, textarea, select")) continue;
        if (old.querySelector("details[open]")) continue;
        stamp(fresh);
        old.replaceWith(document.adoptNode(fresh));
      }
    } catch (e) {
      say("The board could not be refreshed; retrying.");
    } finally {
      busy = false;
      if (again) { again = false; soon(); }
    }
  };
  const soon = (ms = 400) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, ms);
  };
  stamp(page);

  page.addEventListener("submit", async (e) => {
    const form = e.target;
    if (form.dataset.confirm && !confirm(form.dataset.confirm)) { e.preventDefault(); return; }
    if (!form.hasAttribute("data-ajax")) return;
    e.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const reply = await post(form.action, new FormData(form));
      // The live regions show the change; the status line says what it
      // was (the form's data-done), or the server's word if it has one.
      say((reply && typeof reply.message === "string" && reply.message) || form.dataset.done || "");
      formError(form, "");
      const details = form.closest("details");
      if (details) details.open = false;
      soon(0);
    } catch (err) {
      // Beside the form too: the status line is at the top of the board,
      // out of view when the instructor has scrolled down to the form.
      say(err.message);
      formError(form, err.message);
    } finally {
      if (button) button.disabled = false;
    }
  });

  const podium = document.createElement("div");
  podium.className = "ws-podium";
  podium.hidden = true;
  page.querySelector(".ws-board-grid")?.before(podium);

  const es = new EventSource(`/workshops/${id}/events`);
  for (const name of ["hello", "resync", "roster", "activity", "round", "closed", "reveal", "locks", "focus", "queue", "ended", "labs-revoked", "labs-denylist", "labs-denylist-off", "labcheck"]) {
    es.addEventListener(name, () => soon(name === "activity" ? 1500 : name === "labcheck" ? 300 : 100));
  }
  es.addEventListener("answered", (e) => {
    const d = JSON.parse(e.data);
    const n = page.querySelector(`[data-round-id="${d.round}"] [data-answered]`);
    if (n) n.textContent = String(d.answered);
    soon(1500);
  });
  es.addEventListener("podium", (e) => {
    renderPodium(podium, JSON.parse(e.data).podium);
    podium.scrollIntoView({ block: "start" });
  });
  es.onerror = () => say("Connection lost; reconnecting…");
  es.onopen = () => say("");
  // At zero the board records the close, so the room gets its histogram
  // even if the replica that started the round has gone (the server
  // closes it on time by itself; a second close is a no-op).
  countdown(page, (round) => {
    setTimeout(() => post(`/workshops/${id}/rounds/${round}/close`, {}).catch(() => {}).finally(() => soon(0)), 500);
  });
  setInterval(() => soon(0), 20000); // "last activity" and "stuck" move with time
}

// rankLine is an attendee's place: nobody is "#1 with 0 points" (the
// server gives no place without a point), and a shared place says so.
function rankLine(r) {
  if (!r.rank) return r.answered ? "No points yet: the next round is yours." : "No points yet.";
  return `You are #${r.rank}${r.tied ? " (tied)" : ""} with ${r.points} points (${r.right} right).`;
}

function renderPodium(box, podium) {
  box.replaceChildren(el("h2", "", "Podium"));
  if (!(podium || []).length) box.append(el("p", "muted", "Nobody has scored yet."));
  const ol = el("ol", "ws-podium-list");
  (podium || []).forEach((p) => {
    const li = el("li", `ws-podium-${p.rank}`);
    li.append(el("span", "ws-podium-rank", String(p.rank)), el("span", "ws-nick", p.nickname), el("span", "ws-points", `${p.points} pts${p.tied ? " (tied)" : ""}`));
    ol.append(li);
  });
  box.append(ol);
  box.hidden = false;
}

// ---- The lobby ---------------------------------------------------------

function lobby() {
  const id = page.dataset.id;
  const count = page.querySelector("[data-count]");
  const names = page.querySelector("[data-names]");
  const load = async () => {
    const res = await getJSON(`/workshops/${id}/board.json`);
    if (!res.ok) return;
    const b = await res.json();
    const people = (b.participants || []).filter((p) => !p.removed);
    count.textContent = people.length === 1 ? "1 person has joined" : `${people.length} people have joined`;
    names.replaceChildren(...people.slice(-60).map((p) => el("li", "", p.nickname)));
  };
  const es = new EventSource(`/workshops/${id}/events`);
  es.addEventListener("hello", load);
  es.addEventListener("roster", load);
  es.addEventListener("resync", load);
}

// ---- The attendee's screen ---------------------------------------------

function play() {
  const code = page.dataset.code;
  const me = page.dataset.me;
  const roundBox = page.querySelector("[data-round]");
  const frame = page.querySelector("[data-frame]");
  const note = page.querySelector("[data-frame-note]");
  const list = page.querySelector("[data-lessons]");
  let lessons = [];
  let current = "";
  let round = null; // the last round view
  let mine = null; // my answer to it
  let result = null; // my line of the last reveal
  let board = null; // the last leaderboard
  let lateFor = ""; // the round that had closed before this attendee joined
  let pending = null; // an answer not through yet: the form body, kept until it is
  let resend = 0; // the timer that tries it again

  const banner = page.querySelector("[data-banner]");
  const stage = page.querySelector(".ws-stage");
  const header = document.querySelector(".site-header");

  // follow tells the attendee what the room just did and shows it: a
  // banner pinned below the sticky header, read out at once, and the
  // panel it concerns scrolled to just below both (scroll-margin-top).
  const follow = (text, target) => {
    banner.querySelector("[data-banner-text]").textContent = text;
    banner.hidden = false;
    const top = header ? header.getBoundingClientRect().height : 0;
    banner.style.top = `${top}px`;
    page.style.setProperty("--ws-pinned", `${Math.ceil(top + banner.getBoundingClientRect().height + 12)}px`);
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    if (target === roundBox) roundBox.focus({ preventScroll: true });
  };
  banner.querySelector("[data-banner-close]").addEventListener("click", () => { banner.hidden = true; });
  const titleOf = (slug) => (lessons.find((l) => l.slug === slug) || { title: slug }).title;

  // inFrame scrolls the lesson or lab in the frame to sel, inside the
  // frame only (the page itself stays where follow put it).
  const inFrame = (sel, tries = 20) => {
    let doc;
    try { doc = frame.contentDocument; } catch (e) { return; }
    const target = doc && doc.querySelector(sel);
    if (!target || target.hidden || !target.getClientRects().length) {
      if (tries > 0) requestAnimationFrame(() => inFrame(sel, tries - 1));
      return;
    }
    doc.scrollingElement.scrollTop += target.getBoundingClientRect().top - 8;
  };

  const locked = (slug) => lessons.some((l) => l.slug === slug && l.locked);
  const known = (slug) => lessons.some((l) => l.slug === slug);

  const activity = (lesson, step, kind = "visit") => {
    post(`/w/${code}/activity`, { lesson, step, kind }).catch(() => { /* best effort */ });
  };

  const renderLessons = (ls) => {
    lessons = ls;
    list.replaceChildren(...ls.map((l) => {
      const li = el("li");
      if (l.locked) {
        const s = el("span", "ws-locked", l.title + " ");
        s.append(el("span", "muted small", "(locked)"));
        li.append(s);
      } else {
        const a = el("a", "", l.title);
        a.href = `/lessons/${l.slug}`;
        a.dataset.lesson = l.slug;
        if (l.slug === current) a.setAttribute("aria-current", "page");
        li.append(a);
      }
      return li;
    }));
  };

  const show = (slug, step = "") => {
    if (!known(slug)) return;
    if (locked(slug)) {
      note.textContent = "The instructor has not opened that lesson yet.";
      note.hidden = false;
      return;
    }
    note.hidden = true;
    current = slug;
    frame.hidden = false;
    frame.src = `/lessons/${slug}${step ? "#" + step : ""}`;
    for (const a of list.querySelectorAll("a[data-lesson]")) {
      if (a.dataset.lesson === slug) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  };

  list.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-lesson]");
    if (!a) return;
    e.preventDefault();
    show(a.dataset.lesson);
  });

  // The lesson runs in a same-origin frame: the screen follows where the
  // attendee goes in it, keeps locked lessons out and reports progress.
  frame.addEventListener("load", () => {
    let doc, path, hash;
    try {
      doc = frame.contentDocument;
      path = frame.contentWindow.location.pathname;
      hash = frame.contentWindow.location.hash.slice(1);
    } catch (e) { return; }
    if (!doc) return;
    doc.documentElement.classList.add("ws-embedded");
    const m = path.match(/^\/lessons\/([^/]+)$/);
    if (m) {
      const slug = m[1];
      if (known(slug) && locked(slug)) {
        note.textContent = "The instructor has not opened that lesson yet; back to where you were.";
        note.hidden = false;
        show(current);
        return;
      }
      if (known(slug)) {
        current = slug;
        activity(slug, /^[A-Za-z0-9_-]{0,100}$/.test(hash) ? hash : "");
      }
    } else if (path.startsWith("/lab/")) {
      activity(current, "", "lab");
    }
    doc.addEventListener("submit", (e) => {
      const action = e.target.getAttribute("action") || "";
      if (action.includes("/quiz/")) setTimeout(() => activity(current, e.target.closest("[id]")?.id?.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 100) || "", "quiz"), 700);
    }, true);
  });

  const score = (points) => { page.querySelector("[data-score]").textContent = `${points} points`; };

  const renderRound = () => {
    if (!round) { roundBox.replaceChildren(); roundBox.hidden = true; return; }
    roundBox.hidden = false;
    const card = el("div", "ws-round-card");
    card.dataset.deadline = String(round.deadline);
    card.dataset.offset = String(round.offset || 0);
    card.dataset.closed = String(round.closed);
    card.dataset.roundId = round.id;
    const meta = el("p", "ws-round-meta", `Round ${round.seq}`);
    // The time left is drawn with the card, not at the countdown's next
    // tick: a new round otherwise showed "Round 1 ·" and an empty bar.
    const left = msLeft(round.deadline, round.offset);
    if (!round.closed) {
      meta.append(" · ", el("span", "ws-countdown", `${Math.ceil(left / 1000)} s`));
      meta.lastChild.dataset.countdown = "";
      // The round card sits in a live region; a timer that spoke every
      // second would drown the question out.
      meta.lastChild.setAttribute("role", "timer");
      meta.lastChild.setAttribute("aria-live", "off");
    } else {
      meta.append(round.revealed ? " · the answer" : " · closed — waiting for the reveal");
    }
    card.append(meta);
    // The reveal's news first, where the screen scrolls to: right or
    // not, and the attendee's place; the histogram follows.
    if (round.revealed) {
      if (result && result.answered) {
        card.append(el("p", result.correct ? "ws-verdict ok" : "ws-verdict bad", result.correct ? `Right! +${result.round} points.` : "Not this time."));
      }
      if (result) card.append(el("p", "ws-rank-line", rankLine(result)));
    }
    if (!round.closed) {
      const bar = el("progress", "ws-timer");
      bar.max = round.seconds;
      bar.value = left / 1000;
      bar.dataset.timer = "";
      bar.setAttribute("aria-label", "Time left");
      card.append(bar);
    }
    card.append(html("div", "ws-prompt", round.prompt));
    if (!round.closed && !mine) {
      card.append(answerForm());
    } else {
      const chosen = new Set(mine ? mine.choices : []);
      const ol = el("ol", "ws-hist");
      for (const o of round.options) {
        const right = round.revealed && (round.correct || []).includes(o.key);
        const li = el("li", "ws-hist-row" + (chosen.has(o.key) ? " is-mine" : "") + (right ? " is-correct" : ""));
        const label = html("span", "ws-hist-label", o.html);
        if (chosen.has(o.key)) label.append(el("span", "ws-mine-mark", " — your answer"));
        if (right) label.append(el("span", "ws-right-mark", " ✓ right"));
        li.append(label);
        if (round.closed) {
          const n = (round.counts || {})[o.key] || 0;
          const meter = el("progress", "ws-bar-meter", String(n));
          meter.max = Math.max(1, round.answered);
          meter.value = n;
          meter.setAttribute("aria-label", `${n} answered this`);
          li.append(meter, el("span", "ws-hist-count", String(n)));
        }
        ol.append(li);
      }
      card.append(ol);
      if (!round.closed) card.append(el("p", "ws-wait", "Your answer is in. Waiting for the others…"));
      if (round.closed && !mine) card.append(el("p", "ws-wait muted", lateFor === round.id ? "You joined after this round." : "You did not answer this one."));
    }
    if (round.revealed) {
      if (round.explain) card.append(html("div", "ws-explain", round.explain));
      if (board && board.length) {
        card.append(el("h3", "", "Leaderboard"));
        const ol = el("ol", "ws-leaderboard");
        for (const s of board) {
          const li = el("li", s.id === me ? "is-me" : "");
          li.append(el("span", "ws-rank", s.rank ? String(s.rank) : "–"), " ", el("span", "ws-nick", s.nickname), " ", el("span", "ws-points", `${s.points} pts`), " ", el("span", "muted small", `${s.right} right of ${s.answered}`));
          ol.append(li);
        }
        card.append(ol);
      }
    }
    roundBox.replaceChildren(card);
  };

  const answerForm = () => {
    const form = el("form", "ws-answer-form");
    const fs = el("fieldset");
    fs.append(el("legend", "visually-hidden", "Your answer"));
    const multi = round.type === "multi";
    if (multi) {
      for (const o of round.options) {
        const label = el("label", "ws-option");
        const input = el("input");
        input.type = "checkbox";
        input.name = "choice";
        input.value = o.key;
        label.append(input, html("span", "", o.html));
        fs.append(label);
      }
      const submit = el("button", "button button-primary", "Answer");
      submit.type = "submit";
      form.append(fs, submit);
    } else {
      const grid = el("div", "ws-choices");
      round.options.forEach((o, i) => {
        const b = el("button", `ws-choice ws-choice-${i % 4}`);
        b.type = "submit";
        b.name = "choice";
        b.value = o.key;
        b.innerHTML = o.html;
        grid.append(b);
      });
      fs.append(grid);
      form.append(fs);
    }
    // An answer still on its way (no connection) keeps the form shut:
    // a second pick would only be refused, the first one counts.
    // It says so where the attendee is looking, not only in the status
    // line at the top, scrolled away under the banner.
    if (pending && pending.get("round") === round.id) {
      for (const b of form.querySelectorAll("button, input")) b.disabled = true;
      const note = el("p", "ws-wait", offlineNote);
      note.dataset.kept = "";
      note.style.scrollMarginTop = "var(--ws-pinned, 6rem)"; // clear of the sticky header and banner
      form.prepend(note);
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = new URLSearchParams({ round: round.id });
      if (multi) {
        for (const c of form.querySelectorAll("input:checked")) body.append("choice", c.value);
        if (!body.has("choice")) { say("Pick at least one answer."); return; }
      } else {
        body.append("choice", e.submitter ? e.submitter.value : "");
      }
      for (const b of form.querySelectorAll("button, input")) b.disabled = true;
      send(body);
    });
    return form;
  };

  // send posts an answer; the server keeps the first one, so retrying
  // can never count twice. Without a connection (fetch's TypeError) the
  // answer is kept and tried again until it goes through, at once when
  // the stream is back: a phone that drops off for longer than a few
  // retries must not lose an answer the attendee saw as given. Once the
  // round has closed, the server's refusal says why it did not count.
  const send = async (body) => {
    clearTimeout(resend);
    pending = body;
    try {
      const d = await post(`/w/${code}/answer`, body);
      pending = null;
      if (round && d.round === round.id) { mine = d.mine; renderRound(); }
      say("Answer recorded.");
    } catch (err) {
      if (pending !== body) return; // a newer try has taken over
      if (err instanceof TypeError) {
        say(offlineNote);
        // Once, not on every retry: the card would flicker and be read out again.
        if (!roundBox.querySelector("[data-kept]")) {
          renderRound();
          roundBox.querySelector("[data-kept]")?.scrollIntoView({ block: "nearest" });
        }
        resend = setTimeout(() => send(body), 3000);
        return;
      }
      pending = null;
      say(err.message);
      renderRound();
    }
  };
  const offlineNote = "No connection: your answer is kept on this phone and goes out as soon as the connection is back.";

  const setRound = (r, keepMine) => {
    if (!r) { round = null; renderRound(); return; }
    if (!round || round.id !== r.id) { mine = null; result = null; board = null; }
    if (!keepMine && r.mine !== undefined) mine = r.mine || null;
    r.offset = r.now - Date.now();
    round = r;
    renderRound();
  };

  // missed tells the attendee what the room did while this screen was
  // away (reloading, offline): a round opened, closed or was revealed
  // without its event reaching the phone. seen is what the screen showed
  // before; a first load tells only of an open round, the one thing to act on.
  const missed = (seen, r, first) => {
    if (!r) return;
    const same = seen && seen.id === r.id;
    if (!r.closed && !mine && !same) {
      const left = Math.max(1, Math.ceil(msLeft(r.deadline, r.offset) / 1000)); // as its card shows
      follow(`Round ${r.seq}: a question for everyone — ${left} s left to answer.`, roundBox);
    } else if (first || (same && seen.revealed === r.revealed && seen.closed === r.closed)) {
      // nothing new
    } else if (r.revealed) {
      follow("The answer is revealed.", roundBox);
    } else if (r.closed) {
      follow("The round has closed.", roundBox);
    }
  };
  let loadedOnce = false;

  // showPodium puts the room's podium in the round's place; podiumShown
  // says the screen shows it (a state after a reconnect that still has
  // it is nothing new).
  let podiumShown = false;
  const showPodium = (podium) => {
    const box = el("div", "ws-podium");
    renderPodium(box, podium);
    roundBox.hidden = false;
    roundBox.replaceChildren(box);
    podiumShown = true;
  };

  // loadState catches up after a reload or a reconnect. A network coming
  // back fires both the browser's online event and the stream's hello:
  // one load serves both, and sends a kept answer once.
  let loading = null;
  const loadState = () => (loading ??= fetchState().finally(() => { loading = null; }));
  const fetchState = async () => {
    const res = await getJSON(`/w/${code}/state.json`);
    if (res.status === 403) { removed(); return; }
    if (!res.ok) { say(`Could not load the workshop (${res.status}); retrying.`); return; }
    const st = await res.json();
    const seen = round, first = !loadedOnce;
    loadedOnce = true;
    renderLessons(st.workshop.lessons);
    page.querySelector("[data-nickname]").textContent = st.me.nickname;
    score(st.me.points);
    lateFor = st.late && st.round ? st.round.id : "";
    if (st.round) {
      round = null;
      setRound(st.round, false);
      mine = st.round.mine || null;
      if (st.round.revealed) {
        board = st.leaderboard || [];
        result = { rank: st.me.rank, tied: st.me.tied, points: st.me.points, right: st.me.right, answered: !!mine, correct: mine && mine.correct, round: mine && mine.points };
      }
      renderRound();
      if (!st.workshop.ended) missed(seen, st.round, first);
    }
    // The podium, if the room was shown it and no round has started
    // since; one missed while away is announced like the event.
    if (st.podium) {
      const fresh = !podiumShown;
      showPodium(st.podium);
      if (fresh && !first) follow("The podium!", roundBox);
    } else podiumShown = false;
    if (pending) send(pending); // back online: the kept answer goes now
    if (st.workshop.ended) ended();
    if (!current && page.dataset.start) show(page.dataset.start);
  };

  let es;
  const removed = () => {
    if (es) es.close();
    roundBox.hidden = false;
    roundBox.replaceChildren(el("p", "form-error", "The instructor has removed you from this workshop. Ask them to readmit you, then reload."));
    frame.hidden = true;
    follow("You have been removed from this workshop.", roundBox);
  };
  const ended = () => {
    say("This workshop has ended. Thanks for coming! The course stays open to you.");
    follow("This workshop has ended. Thanks for coming! The course stays open to you.", page);
    if (es) es.close();
  };

  es = new EventSource(`/w/${code}/events`);
  es.addEventListener("hello", loadState);
  es.addEventListener("resync", loadState);
  es.addEventListener("round", (e) => {
    const r = JSON.parse(e.data);
    podiumShown = false; // the new round takes the podium's place
    setRound(r, true);
    follow(`Round ${r.seq}: a question for everyone — ${r.seconds} s to answer.`, roundBox);
  });
  es.addEventListener("closed", (e) => {
    const r = JSON.parse(e.data);
    setRound(r, true);
    // Closed before its deadline: everyone answered, or the instructor
    // ended it; only a round that ran out is "time is up".
    if (r.total > 0 && r.answered >= r.total) follow("Everyone has answered: the round is closed.", roundBox);
    else if (r.now < r.deadline - 1000) follow("The instructor closed the round.", roundBox);
    else follow("Time is up.", roundBox);
  });
  es.addEventListener("reveal", (e) => {
    const d = JSON.parse(e.data);
    result = (d.mine || {})[me] || null;
    board = d.leaderboard;
    setRound(d.round, true);
    if (result) score(result.points);
    follow("The answer is revealed.", roundBox);
  });
  es.addEventListener("podium", (e) => {
    showPodium(JSON.parse(e.data).podium);
    follow("The podium!", roundBox);
  });
  es.addEventListener("focus", (e) => {
    const d = JSON.parse(e.data);
    show(d.lesson, d.step);
    follow(`The instructor brought everyone to “${titleOf(d.lesson)}”.`, stage);
  });
  es.addEventListener("locks", (e) => {
    renderLessons(JSON.parse(e.data).lessons);
    if (current && locked(current)) {
      note.textContent = `The instructor has locked “${titleOf(current)}” for now: finish your thought, the room will move on together.`;
      note.hidden = false;
      follow(`The instructor locked “${titleOf(current)}”, the lesson you are reading.`, stage);
    }
  });
  es.addEventListener("renamed", (e) => { page.querySelector("[data-nickname]").textContent = JSON.parse(e.data).nickname; });
  es.addEventListener("removed", removed);
  es.addEventListener("ended", ended);
  // The room-wide moment: the lab in the frame checks both of its sides
  // and answers with what it saw, which goes to the instructor's board.
  const moment = (e) => {
    follow({
      "labs-revoked": "The instructor revoked every lab session in the room: watch your lab's session side.",
      "labs-denylist": "The instructor deny-listed every lab token in the room: watch your lab's token side.",
      "labs-denylist-off": "The instructor turned the room's deny-list off: deny-listed tokens work again until they expire.",
    }[e.type], stage);
    if (e.type === "labs-denylist-off") return;
    try { frame.contentWindow.postMessage({ type: "authlab:room-labs", event: e.type }, location.origin); } catch (err) { /* no lab open */ }
    inFrame(".lab-room-note");
  };
  es.addEventListener("labs-revoked", moment);
  es.addEventListener("labs-denylist", moment);
  es.addEventListener("labs-denylist-off", moment);
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || e.source !== frame.contentWindow || !e.data || e.data.type !== "authlab:lab-check") return;
    post(`/w/${code}/labcheck`, { session: String(e.data.session || 0), token: String(e.data.token || 0) }).catch(() => { /* best effort */ });
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) return;
    say(pending ? offlineNote : "Connection lost; reconnecting… your answers are safe.");
  };
  es.onopen = () => say("");
  // The network is back: catch up and send a kept answer now, not when
  // the stream's next retry (up to 3 s) happens to come round.
  addEventListener("online", loadState);
  countdown(page, () => {});
  setInterval(() => { if (current) activity(current, ""); }, 60000);
  if (page.dataset.start) show(page.dataset.start);
}

// ---- The join page -----------------------------------------------------

// A failed join re-renders the form at /w/CODE/join, the address the
// form posts to; the bar shows the workshop's own address instead, so a
// reload or a shared link opens the join page rather than a 405.
function join() {
  const canonical = page.dataset.canonical;
  if (canonical && location.pathname !== canonical) history.replaceState(null, "", canonical);
}

if (page) {
  const kind = page.dataset.workshopPage;
  if (kind === "board") board();
  else if (kind === "join") join();
  else if (kind === "lobby") lobby();
  else if (kind === "play") play();
}
