// The CSRF lab's evil page: it submits its hidden form by itself after
// a short countdown, as a real attack page would (without the countdown).

const page = document.querySelector(".evil-page");
const form = document.querySelector(".evil-form");
if (page && form && page.dataset.auto === "1") {
  let left = 3;
  const out = document.querySelector(".evil-countdown");
  const unit = document.querySelector(".evil-unit");
  const show = () => {
    out.textContent = String(left);
    if (unit) unit.textContent = left === 1 ? "second" : "seconds";
  };
  const timer = setInterval(() => {
    left -= 1;
    show();
    if (left <= 0) { clearInterval(timer); form.submit(); }
  }, 1000);
  document.querySelector('[data-action="stop"]').addEventListener("click", () => {
    clearInterval(timer);
    const when = document.querySelector(".evil-when");
    if (when) when.textContent = "the countdown is stopped, so nothing is sent unless you click";
    else out.textContent = "—";
  });
}
