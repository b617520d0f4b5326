/* "Reproduce it in code": load an export when its panel opens, and the Copy buttons.
   An export's text comes from /api/export as it is. (A plain fetch, not htmx: these requests must not count as
   answers to the form, which the page script follows through htmx's events.) Copy uses the clipboard and says
   "Copied" beside the button; where the clipboard is refused (an insecure page, a denied permission), the
   text is selected instead so that Ctrl+C or the touch menu can copy it. */
(() => {
  "use strict";

  const pending = new WeakMap();
  // An open panel whose text is not loaded (or was cleared when the state changed) asks for it.
  function fill(details) {
    const code = details.querySelector("code[data-src]");
    if (!details.open || !code) return null;
    if (code.dataset.loaded === code.dataset.src) return pending.get(code) || null;
    const src = code.dataset.src;
    code.dataset.loaded = src;
    const loading = fetch(src).then((response) => response.text()).then((text) => {
      if (code.dataset.src === src) code.textContent = text;
    }).catch(() => { code.textContent = "The server cannot be reached: use the link above."; });
    pending.set(code, loading);
    return loading;
  }
  const fillOpen = () => document.querySelectorAll("details.export[open]").forEach(fill);
  document.addEventListener("toggle", (event) => {
    if (event.target instanceof Element && event.target.matches("details.export")) fill(event.target);
  }, true);
  document.addEventListener("htmx:after:swap", fillOpen);

  function say(button, words) {
    const status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!status) return;
    status.textContent = words;
    clearTimeout(Number(status.dataset.timer));
    status.dataset.timer = String(setTimeout(() => { status.textContent = ""; }, 4000));
  }

  function selectText(code) {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-copy-code]") : null;
    if (!button) return;
    const code = document.getElementById(button.dataset.copyCode);
    if (!code) return;
    const details = code.closest("details");
    if (details && !details.open) details.open = true;
    const loading = details && fill(details);
    if (loading) await loading;
    try {
      await navigator.clipboard.writeText(code.textContent);
      say(button, "Copied");
    } catch {
      selectText(code);
      say(button, "Selected: press Ctrl+C (⌘C) to copy");
    }
  });
})();
