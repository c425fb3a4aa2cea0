// The CSRF lab's evil page: it submits its hidden form by itself after
// a short countdown, as a real attack page would (without the countdown).

const page = document.querySelector(".evil-page");
const form = document.querySelector(".evil-form");
if (page && form && page.dataset.auto === "1") {
  let left = 3;
  const out = document.querySelector(".evil-countdown");
  const timer = setInterval(() => {
    left -= 1;
    out.textContent = String(left);
    if (left <= 0) { clearInterval(timer); form.submit(); }
  }, 1000);
  document.querySelector('[data-action="stop"]').addEventListener("click", () => { clearInterval(timer); out.textContent = "—"; });
}
