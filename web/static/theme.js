// Runs before first paint (a classic, blocking script) so the page never
// flashes the wrong theme. It sets data-theme on <html> from the saved
// choice, or from the operating system when there is none.
(function () {
  var saved = null;
  try { saved = localStorage.getItem("authlab-theme"); } catch (e) { /* storage blocked */ }
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
  // Interview mode counts practice days, streaks and "due today" in the
  // learner's own days: tell it this device's offset from UTC (minutes).
  // Scoped to /interview, so no other page (a lab's document.cookie
  // above all) sees it; it identifies nobody; without it days are UTC.
  document.cookie = "authlab_tzo=" + String(-new Date().getTimezoneOffset()) +
    "; Path=/interview; Max-Age=31536000; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
})();
