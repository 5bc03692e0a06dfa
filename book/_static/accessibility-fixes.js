// Small repairs to markup the theme and docutils generate, found by the axe-core audit that
// tests/test_browser.py runs on every page.
document.addEventListener("DOMContentLoaded", () => {
  // The search and colour-mode buttons carry an aria-label ("Search", "Color mode") that
  // differs from their visible text (label-content-name-mismatch): name them by what they show.
  for (const button of document.querySelectorAll(".search-button__button, .theme-switch-button")) {
    const visible = button.innerText.replace(/\s+/g, " ").trim();
    if (visible) {
      button.setAttribute("aria-label", visible);
    } else {
      button.removeAttribute("aria-label");
    }
  }
  // Bibliography entries sit in role="list" but carry the deprecated role doc-biblioentry,
  // so the list has no list items (aria-required-children): make them list items.
  for (const entry of document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]')) {
    entry.setAttribute("role", "listitem");
  }
});
