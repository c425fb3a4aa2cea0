// Site-wide behaviour: the theme toggle, keyboard shortcuts, the
// lesson visit beacon and the glossary's filter.
// Small on purpose; everything works without it except the toggle.

const root = document.documentElement;

// On a phone the site's links sit behind a Menu button (app.css); without
// this script they wrap instead, all in view.
function setupNavMenu() {
  const header = document.querySelector(".site-header");
  const toggle = header?.querySelector(".nav-toggle");
  if (!toggle) return;
  header.classList.add("js-nav");
  toggle.hidden = false;
  const set = (open) => {
    header.classList.toggle("nav-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => set(!header.classList.contains("nav-open")));
  header.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && header.classList.contains("nav-open")) {
      set(false);
      toggle.focus();
    }
  });
}

function setupThemeToggle() {
  const button = document.querySelector(".theme-toggle");
  if (!button) return;
  const sync = () => {
    const dark = root.getAttribute("data-theme") === "dark";
    button.setAttribute("aria-pressed", String(dark));
  };
  button.hidden = false;
  sync();
  button.addEventListener("click", () => {
    const next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem("authlab-theme", next); } catch (e) { /* private mode */ }
    sync();
  });
  // Follow the OS while the learner has not chosen.
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", (e) => {
    let saved = null;
    try { saved = localStorage.getItem("authlab-theme"); } catch (err) { /* ignore */ }
    if (!saved) {
      root.setAttribute("data-theme", e.matches ? "dark" : "light");
      sync();
    }
  });
}

// typing reports whether a key press belongs to a form field.
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

// scrollsSideways reports whether an arrow key pressed in el should
// scroll it (a wide code block or table the learner focused) rather than
// turn the page.
function scrollsSideways(el) {
  for (let n = el; n instanceof HTMLElement && n !== document.body; n = n.parentElement) {
    if (n.scrollWidth > n.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(n).overflowX)) return true;
  }
  return false;
}

function setupShortcuts() {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e.target)) return;
    if (e.key.startsWith("Arrow") && scrollsSideways(e.target)) return;
    const link = document.querySelector(`a[data-key="${e.key}"]`);
    if (link) {
      e.preventDefault();
      link.click();
    }
  });
}

// setupVisitBeacon tells the server, when the learner leaves or hides a
// lesson, how long they read and which heading they reached, so "Resume"
// lands there. Only for learners the server already keeps progress for.
function setupVisitBeacon() {
  const article = document.querySelector("article.lesson[data-track]");
  if (!article || !navigator.sendBeacon) return;
  const url = `/lessons/${article.dataset.track}/visit`;
  let since = Date.now();
  const headings = Array.from(article.querySelectorAll("h2[id], h3[id]"));
  const position = () => {
    let id = "";
    for (const h of headings) {
      if (h.getBoundingClientRect().top < window.innerHeight / 3) id = h.id;
    }
    return id;
  };
  const send = () => {
    const seconds = Math.round((Date.now() - since) / 1000);
    since = Date.now();
    navigator.sendBeacon(url, new URLSearchParams({ position: position(), seconds: String(seconds) }));
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
    else since = Date.now();
  });
  window.addEventListener("pagehide", send);
}

// plural is "1 term", "2 terms".
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// setupGlossary narrows the glossary to the terms a reader types (the
// page lists a hundred), and says so when the address names a term the
// glossary does not have (an old bookmark, a mistyped link), which would
// otherwise open the page at its top without a word.
function setupGlossary() {
  const list = document.querySelector("dl.glossary");
  const missing = document.querySelector("[data-glossary-missing]");
  const box = document.querySelector("[data-glossary-filter]");
  if (!list || !missing || !box) return;
  const input = box.querySelector("input");
  const found = box.querySelector("[aria-live]");
  const index = document.querySelector(".glossary-index");
  const terms = Array.from(list.querySelectorAll("dt[id]"), (dt) => ({
    dt, dd: dt.nextElementSibling,
    link: index?.querySelector(`a[href="#${CSS.escape(dt.id)}"]`),
    text: `${dt.textContent} ${dt.id} ${dt.nextElementSibling?.textContent ?? ""}`.toLowerCase(),
  }));
  const filter = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const t of terms) {
      const show = words.every((w) => t.text.includes(w));
      for (const el of [t.dt, t.dd, t.link]) if (el) el.hidden = !show;
      if (show) shown++;
    }
    if (!words.length) found.textContent = plural(terms.length, "term", "terms");
    else if (!shown) found.textContent = `No term matches “${input.value.trim()}”. Try fewer letters, or clear the field to list them all.`;
    else found.textContent = `${shown} of ${terms.length} terms ${shown === 1 ? "matches" : "match"}`;
  };
  box.hidden = false;
  input.addEventListener("input", filter);
  // Enter goes to the first term left, as following its link would.
  input.addEventListener("keydown", (e) => {
    const first = terms.find((t) => !t.dt.hidden);
    if (e.key === "Enter" && first) {
      e.preventDefault();
      location.hash = first.dt.id;
    }
  });
  const checkHash = () => {
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* keep it as typed */ }
    const target = id && document.getElementById(id);
    if (target && target.hidden) { // a link in a definition to a term the filter hides
      input.value = "";
      filter();
    }
    missing.hidden = !id || Boolean(target);
    if (!missing.hidden) {
      missing.textContent = `The glossary has no term “${id}”. Type part of it in “Find a term”, or pick it from the list below.`;
    }
  };
  window.addEventListener("hashchange", checkHash);
  checkHash();
}

setupThemeToggle();
setupNavMenu();
setupShortcuts();
setupVisitBeacon();
setupGlossary();
