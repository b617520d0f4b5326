/* Image Kernels: the kernel editor's origin handle.
   It sets the form's "origin" field (drag it with a mouse, pen or finger, or focus it and use the arrow keys);
   htmx sends the form and the server draws the result. (Generator sliders need no script: the form sends a
   range input's every move, and static/options.js echoes its value into the <output data-echo> beside it.) */
(() => {
  "use strict";

  const form = document.getElementById("controls");
  if (!form) return;
  const KEYS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  /* ---- small copies of the outputs beside the editor (shown on a phone while a weight is typed) ---- */

  const mirrors = [...document.querySelectorAll("[data-edit-preview] img[data-mirror]")];
  const mirror = () => {
    for (const copy of mirrors) {
      const image = document.getElementById(copy.dataset.mirror);
      const src = image && image.getAttribute("src");
      if (src && copy.getAttribute("src") !== src) copy.setAttribute("src", src);
    }
  };
  // An output's new picture has loaded (load does not bubble, so listen while it goes down to the <img>).
  document.addEventListener("load", (event) => {
    if (event.target instanceof HTMLImageElement && event.target.id && !event.target.dataset.mirror) mirror();
  }, true);
  mirror();

  const pair = (text) => text.split(",").map(Number);
  const closest = (node, selector) => (node instanceof Element ? node.closest(selector) : null);
  const originField = () => form.elements.namedItem("origin");

  /* ---- the origin ---- */

  // The origin the form will send: the origin field when it holds "row,col", else what the grid shows.
  function currentOrigin(grid) {
    const field = originField();
    if (field && /^\s*\d+\s*,\s*\d+\s*$/.test(field.value)) return pair(field.value);
    return pair(grid.dataset.origin);
  }

  function gridSize(grid) {
    const rows = grid.tBodies[0].rows;
    return [rows.length, rows[0].cells.length - 1]; // cell 0 of each row is its header
  }

  function markTarget(grid, cell) {
    for (const old of grid.querySelectorAll("td.origin-target")) if (old !== cell) old.classList.remove("origin-target");
    if (cell) cell.classList.add("origin-target");
  }

  // The centre is written as an empty field, so a permalink only spells an origin that moved.
  function setOrigin(grid, row, col) {
    const field = originField();
    if (!field) return;
    const [cr, cc] = pair(grid.dataset.centre);
    const text = row === cr && col === cc ? "" : `${row},${col}`;
    const [or, oc] = currentOrigin(grid);
    if (row === or && col === oc && field.value.trim() === text) return;
    field.value = text;
    markTarget(grid, grid.querySelector(`td[data-cell="${row},${col}"]`));
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  let drag = null;
  let refocus = false;

  function cellUnder(event) {
    const cell = closest(document.elementFromPoint(event.clientX, event.clientY), "td[data-cell]");
    return cell && drag && drag.grid.contains(cell) ? cell : null;
  }

  document.addEventListener("pointerdown", (event) => {
    const handle = closest(event.target, "[data-origin-handle]");
    if (!handle || event.button > 0) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    handle.classList.add("dragging");
    drag = { handle, grid: handle.closest("[data-kernel-grid]"), cell: null };
  });

  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    drag.cell = cellUnder(event) || drag.cell;
    markTarget(drag.grid, drag.cell);
  });

  function endDrag(event, apply) {
    if (!drag) return;
    const { handle, grid } = drag;
    const cell = apply ? cellUnder(event) || drag.cell : null;
    handle.classList.remove("dragging");
    drag = null;
    if (cell) {
      refocus = document.activeElement === handle;
      setOrigin(grid, ...pair(cell.dataset.cell));
    } else {
      markTarget(grid, null);
    }
  }
  document.addEventListener("pointerup", (event) => endDrag(event, true));
  document.addEventListener("pointercancel", (event) => endDrag(event, false));

  document.addEventListener("keydown", (event) => {
    const handle = closest(event.target, "[data-origin-handle]");
    const move = KEYS[event.key];
    if (!handle || !move) return;
    event.preventDefault();
    const grid = handle.closest("[data-kernel-grid]");
    const [rows, cols] = gridSize(grid);
    const [row, col] = currentOrigin(grid);
    refocus = true;
    setOrigin(grid, Math.min(Math.max(row + move[0], 0), rows - 1), Math.min(Math.max(col + move[1], 0), cols - 1));
  });

  // An answer swaps several regions one after another: wait until they are all in place.
  document.addEventListener("htmx:after:swap", () => {
    if (!refocus) return;
    requestAnimationFrame(() => {
      const handle = form.querySelector("[data-origin-handle]");
      if (!refocus || !handle) return;
      refocus = false;
      handle.focus();
    });
  });
})();
