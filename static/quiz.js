/* Image Kernels: "Predict, then reveal". Typing a guess sends nothing: "Check" (or Enter in the field) sends it
   with the form, and only then; every other request leaves it out, so pointing at another pixel or stepping
   never reveals one. After an answer the focus goes to what the server says about it. The server checks every
   answer: this script knows none. */
(() => {
  "use strict";
  const form = document.getElementById("controls");
  if (!form || !window.htmx) return;
  const isGuess = (node) => node instanceof Element && node.matches("[data-quiz-input]");
  let answered = false; // a quiz button's request is on its way: move the focus once it is answered

  // The guess field is not an edit: its events stop here, before htmx sees them.
  for (const type of ["input", "change"]) {
    form.addEventListener(type, (event) => {
      if (isGuess(event.target)) event.stopPropagation();
    }, true);
  }

  // Enter in the guess field checks it (the form's default button would send it without "Check").
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !isGuess(event.target)) return;
    event.preventDefault();
    const check = form.querySelector("[data-quiz-check]");
    if (check) form.requestSubmit(check);
  });

  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    if (ctx.sourceElement !== form) return;
    const submitter = ctx.sourceEvent && ctx.sourceEvent.submitter;
    const by = (selector) => submitter instanceof Element && submitter.matches(selector);
    if (!by("[data-quiz-check]")) ctx.request.body.delete("guess");
    answered = by("[data-quiz-check], [data-quiz-next], .quiz-pick");
  });

  // The button pressed is gone from the answer: the verdict (or the new question) takes the focus, so that
  // keyboard and screen-reader users continue from there.
  function moveFocus() {
    if (!answered) return;
    const target = document.querySelector("[data-quiz-focus]");
    const lost = !document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected;
    if (target && lost) {
      answered = false;
      target.focus();
    }
  }
  document.addEventListener("htmx:after:swap", moveFocus);
  document.addEventListener("htmx:finally:request", () => {
    moveFocus();
    answered = false;
  });

  // A link that turns a question on opens at it (section 1 comes first on the page).
  const section = document.getElementById("quiz-section");
  if (section && !location.hash) section.scrollIntoView({ block: "start" });
})();
