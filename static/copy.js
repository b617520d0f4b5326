/* Image Kernels: every Copy button, and loading an export when its panel opens.
   [data-copy-link] copies the page's address, [data-copy="id"] the value of a field (the share panel's link and
   embed snippets), [data-copy-code="id"] the text of a code block (the exports, the layer's snippets), loaded
   first when its panel has not shown it yet. An export's text comes from /api/export as it is. (A plain fetch,
   not htmx: these requests must not count as answers to the form, which the page script follows through htmx's
   events.)
   Copying uses the Clipboard API. Where it is missing or refused (an insecure page, a frame without
   allow="clipboard-write", a denied permission) the text is selected and copied the old way (execCommand); where
   that fails too it stays selected, so that Ctrl+C or the touch menu can copy it. The words go to the button's
   status (its aria-describedby) when it has one; otherwise the button reads "Copied ✓" for a moment and the
   page's live region says it. */
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

  /* ---- copying ---- */

  const flashes = new WeakMap(); // a button showing "Copied ✓" → { label, timer }
  function flash(button, copied) {
    const shown = flashes.get(button);
    if (shown) {
      clearTimeout(shown.timer);
      button.textContent = shown.label;
      flashes.delete(button);
    }
    if (!copied) return;
    flashes.set(button, { label: button.textContent, timer: setTimeout(() => flash(button, false), 1500) });
    button.textContent = "Copied ✓";
  }

  function say(button, copied, words) {
    const status = document.getElementById(button.getAttribute("aria-describedby"));
    if (status) {
      status.textContent = copied ? "Copied" : words;
      clearTimeout(Number(status.dataset.timer));
      status.dataset.timer = String(setTimeout(() => { status.textContent = ""; }, 4000));
      return;
    }
    const live = document.getElementById("announce");
    if (live) live.textContent = copied ? "Copied to the clipboard." : words;
    flash(button, copied);
  }

  function select(element) {
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      element.focus();
      element.select();
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Put `text` on the clipboard. `source` is the element that shows it, selected if the clipboard refuses;
  // without one (the page's address) a scratch field is used, and `words` say what to do when nothing works.
  async function copy(button, text, source, words) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      const scratch = source ? null : Object.assign(document.createElement("textarea"), { value: text });
      if (scratch) document.body.append(scratch);
      select(source || scratch);
      try {
        copied = document.execCommand("copy");
      } catch {
        copied = false;
      }
      if (scratch) scratch.remove();
      if (copied || scratch) button.focus(); // a selected field took the focus: it keeps it only to be copied by hand
    }
    say(button, copied, words || "Selected: press Ctrl+C (⌘C) to copy");
  }

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element
      ? event.target.closest("button[data-copy-link], button[data-copy], button[data-copy-code]") : null;
    if (!button) return;
    if (button.hasAttribute("data-copy-link")) {
      document.dispatchEvent(new CustomEvent("copy:link")); // address.js, layer.js: write an address still waiting
      copy(button, location.href, null, "Not copied: copy the address from the address bar");
      return;
    }
    if (button.dataset.copy) {
      const field = document.getElementById(button.dataset.copy);
      if (field) copy(button, field.value, field);
      return;
    }
    const code = document.getElementById(button.dataset.copyCode);
    if (!code) return;
    const details = code.closest("details");
    if (details && !details.open) details.open = true;
    const loading = details && fill(details);
    if (loading) await loading;
    copy(button, code.textContent, code);
  });
})();
