// Filter the claims ledger by verdict and section, and search its text. The form is hidden in
// the page's HTML, so that without JavaScript the reader sees the whole list and no dead controls.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("claims-filter");
  if (!form) return;
  const claims = Array.from(document.querySelectorAll("div.claim"));
  const update = () => {
    const verdict = form.elements.verdict.value;
    const section = form.elements.section.value;
    const words = form.elements.text.value.trim().toLowerCase();
    let shown = 0;
    for (const claim of claims) {
      const match = (!verdict || claim.classList.contains(`verdict-${verdict}`))
        && (!section || claim.classList.contains(`section-${section}`))
        && (!words || claim.textContent.toLowerCase().includes(words));
      claim.hidden = !match;
      if (match) shown += 1;
    }
    form.elements.count.value = `${shown} of ${claims.length} claims shown`;
  };
  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  update();
});
