/* Image Kernels: the address bar. It holds the whole state from the start, and each answer of the page's form
   brings the new address (X-Page-Url), written once the new state has been painted. history.replaceState costs
   Chromium a few milliseconds and a fresh look at the page's icon: after a pointer move (static/app.js marks its
   request ctx.pointing) it waits until the pointer rests, so the next pixel's answer is not held up by it. An
   address still waiting is written when the page is left and before "Copy link" (static/copy.js) reads it. */
(() => {
  "use strict";

  let nextUrl = null, urlTimer = 0;
  const replaceUrl = () => {
    clearTimeout(urlTimer);
    urlTimer = 0;
    if (nextUrl && nextUrl !== location.pathname + location.search) history.replaceState(history.state, "", nextUrl);
    nextUrl = null;
  };
  document.addEventListener("htmx:after:request", (event) => {
    const ctx = event.detail.ctx;
    const url = ctx.response && ctx.response.headers.get("X-Page-Url");
    if (!url) return;
    nextUrl = url;
    clearTimeout(urlTimer);
    if (ctx.pointing) urlTimer = setTimeout(replaceUrl, 250);
    else requestAnimationFrame(() => setTimeout(replaceUrl, 0));
  });
  addEventListener("pagehide", replaceUrl);
  document.addEventListener("copy:link", replaceUrl);

  const here = document.getElementById("page-url");
  if (here) history.replaceState(history.state, "", here.dataset.url);
})();
