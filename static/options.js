/* Image Kernels: two small helpers for the options.
   A slider's <output> shows the slider's own position while it moves (the server's answer then redraws it),
   and "Change c" in the edge comparison opens the options if they are folded away and focuses the field. */
(() => {
  "use strict";

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "range") return;
    for (const output of document.querySelectorAll(`output[data-echo="${input.name}"]`)) output.textContent = input.value;
  });

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("[data-focus-field]") : null;
    const field = link && document.getElementById(link.dataset.focusField);
    if (!field) return;
    event.preventDefault();
    for (let box = field.closest("details"); box; box = box.parentElement.closest("details")) box.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus();
    field.select();
  });
})();
