/* The "Frequencies" panel starts open on the full page, where the kernel's dock is a sidebar. Narrower, the dock
   sits above the pictures, so the panel starts closed there; a closed panel's region is neither computed nor sent
   (data-hides, see app.js), and opening it asks for it. */
(() => {
  "use strict";
  const panel = document.getElementById("spectrum-panel");
  if (panel && panel.open && !window.matchMedia("(min-width: 1100px)").matches) panel.open = false;
})();
