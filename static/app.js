/* Image Kernels: the little script the pages need.
   Pointer, touch and keys become pixel coordinates in the form; htmx sends the form and morphs the
   server's answer into place. No number shown on the page is computed here. The address bar follows the
   answers in static/address.js; the Copy buttons are static/copy.js's. */
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  const form = document.getElementById("controls");
  const matrix = document.querySelector("[data-matrix]");
  // Each part pointing redraws ("inspect", "play", "compare"): the fields of its pixel and the id of its panel,
  // as web/page/views.py's POINTING describes them.
  const AREAS = JSON.parse(document.getElementById("main").dataset.pointing || "{}");
  const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  const pair = (text) => text.split(",").map(Number);
  const clamp = (value, size) => Math.min(Math.max(value, 0), size - 1);
  const field = (name) => (form ? form.elements.namedItem(name) : null);
  const closest = (node, selector) => (node instanceof Element ? node.closest(selector) : null);

  /* ---- the selected output pixel of section 2 ("inspect") and of the playground ("play") ---- */

  // part: the one panel a pointer or key changed ("inspect", "play" or "compare"); anything else redraws every region.
  function send(part) {
    if (form && window.htmx) htmx.trigger(form, "pick", { part: part || "all" });
  }

  // Regions asked for by requests not answered yet. A newer request replaces (aborts) an older one, so it
  // asks for their regions too: a pointer move never drops the redraw an edit was waiting for.
  const waiting = new Set();
  // What each region shows now ("id:hash"): the server leaves out the regions whose HTML would not change.
  const shown = new Map();
  const learn = (text) => {
    for (const pair of (text || "").split(",")) {
      const [region, hash] = pair.split(":");
      if (hash) shown.set(region, hash);
    }
  };
  const hashes = () => {
    const holder = document.getElementById("region-hashes");
    learn(holder && holder.dataset.hashes);
  };
  hashes();
  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    if (ctx.sourceElement !== form) return;
    const detail = ctx.sourceEvent && ctx.sourceEvent.type === "pick" ? ctx.sourceEvent.detail : null;
    waiting.add((detail && detail.part) || "all");
    ctx.pointing = !waiting.has("all"); // static/address.js then lets the pointer rest before the address changes
    ctx.carried = { ...pending };
    for (const [area, [x, y]] of Object.entries(pending)) {
      ctx.request.body.set(AREAS[area].x, String(x));
      ctx.request.body.set(AREAS[area].y, String(y));
    }
    if (ctx.pointing) ctx.request.body.set("part", [...waiting].join(","));
    // A region inside a closed panel (the share panel) is marked "-": the server skips it until it opens.
    const hidden = new Set([...document.querySelectorAll("details[data-hides]:not([open])")].map((d) => d.dataset.hides));
    ctx.request.headers["X-Regions"] = [...shown].map(([region, hash]) => `${region}:${hidden.has(region) ? "-" : hash}`).join(",");
    const pictures = {};
    for (const image of document.querySelectorAll("img[data-picture]")) {
      if (image.getAttribute("src").startsWith(image.dataset.picture)) pictures[image.id] = image.getAttribute("src");
    }
    if (Object.keys(pictures).length) ctx.request.headers["X-Pictures"] = JSON.stringify(pictures);
  });
  document.addEventListener("toggle", (event) => {
    if (event.target instanceof HTMLDetailsElement && event.target.dataset.hides && event.target.open) send();
  }, true);

  // The pixel each area's pointer or keys chose last and the server has not answered for yet ("play" →
  // [x, y]). Requests send it in place of the x and y fields, and the fields take it with the answer: the
  // page then changes nothing while the server works (a frame painted then competes with the server for
  // the machine), and the fields change in the same frame as the panel they describe.
  const pending = {};

  function selected(area) {
    if (pending[area]) return pending[area];
    const names = AREAS[area];
    return [Number(field(names.x).value), Number(field(names.y).value)];
  }

  // Put the pixels a request carried into the fields, unless a newer choice is still on its way.
  function settle(carried) {
    for (const [area, xy] of Object.entries(carried || {})) {
      if (pending[area] && pending[area] !== xy) continue;
      delete pending[area];
      field(AREAS[area].x).value = String(xy[0]);
      field(AREAS[area].y).value = String(xy[1]);
    }
  }

  function isPinned(area) {
    const box = field(AREAS[area].pin);
    return Boolean(box && box.checked);
  }

  function choose(area, x, y, always) {
    if (!field(AREAS[area].x) || !field(AREAS[area].y)) return;
    const [cx, cy] = selected(area);
    if (!always && cx === x && cy === y) return;
    pending[area] = [x, y];
    send(area);
  }

  function togglePin(area) {
    const box = field(AREAS[area].pin);
    if (!box) return;
    box.checked = !box.checked;
    send(area);
  }

  // The pixel under the pointer, in the picture's own pixels.
  function pixelUnder(pick, event) {
    const [w, h] = pair(pick.dataset.size);
    const box = pick.querySelector("img").getBoundingClientRect();
    return [clamp(Math.floor(((event.clientX - box.left) / box.width) * w), w),
      clamp(Math.floor(((event.clientY - box.top) / box.height) * h), h)];
  }

  // A picture pixel to the output pixel it belongs to. The server writes the first position and the
  // step, because crop and stride make the output smaller than the input.
  function toOutput(pick, px, py) {
    const [sx, sy] = pair(pick.dataset.start), [tx, ty] = pair(pick.dataset.step), [ow, oh] = pair(pick.dataset.out);
    return [clamp(Math.floor((px - sx) / tx), ow), clamp(Math.floor((py - sy) / ty), oh)];
  }

  /* ---- section 1: the face as numbers ---- */

  const faceInput = () => document.querySelector('.pick[data-area="inspect"][data-role="in"]');

  function showMatrixPixel(x, y) {
    if (!matrix || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    const [w, h] = pair(matrix.dataset.size);
    matrix.dataset.selected = `${x},${y}`;
    for (const mark of matrix.querySelectorAll("[data-matrix-mark]")) {
      mark.style.left = `${(100 * x) / w}%`;
      mark.style.top = `${(100 * y) / h}%`;
    }
    const cell = matrix.querySelector("tbody").rows[y].cells[x + 1]; // cell 0 is the row header
    const old = matrix.querySelector("td.sel");
    if (old !== cell) {
      if (old) {
        old.classList.remove("sel");
        old.removeAttribute("tabindex");
      }
      cell.classList.add("sel");
      cell.tabIndex = 0;
    }
    const readout = matrix.querySelector("[data-matrix-readout]");
    readout.querySelector(".coord").textContent = `(x ${x}, y ${y})`;
    readout.querySelector(".num").textContent = cell.textContent;
    return cell;
  }

  // Pointing in section 1 highlights at once and asks section 2 to explain the same pixel.
  // Hovering leaves a pinned pixel alone; clicks and keys move it.
  function pointMatrix(x, y, deliberate) {
    const input = faceInput();
    if (input && isPinned("inspect") && !deliberate) return null;
    const cell = showMatrixPixel(x, y);
    if (input) {
      const [ox, oy] = toOutput(input, x, y);
      choose("inspect", ox, oy, deliberate);
    } else if (field(AREAS.inspect.x)) {
      // No section 2 on this page (an embed of the numbers alone): its fields hold the pixel, kept in the address.
      field(AREAS.inspect.x).value = x;
      field(AREAS.inspect.y).value = y;
      const url = new URL(location.href);
      url.searchParams.set(AREAS.inspect.x, x);
      url.searchParams.set(AREAS.inspect.y, y);
      history.replaceState(history.state, "", url);
    }
    return cell;
  }

  /* ---- pointer, touch and keys ---- */

  // pointerrawupdate (secure contexts, Chromium) arrives as soon as the pointer moves; pointermove waits for
  // the next frame, which would add up to 16 ms before the panel's request even starts.
  const moveEvent = "onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove";
  document.addEventListener(moveEvent, (event) => {
    if (event.pointerType === "touch") return; // touch: tap to pin, dragging scrolls the page
    const pick = closest(event.target, ".pick");
    if (pick) {
      const [px, py] = pixelUnder(pick, event);
      const area = pick.dataset.area;
      if (area === "matrix") pointMatrix(px, py, false);
      else if (!isPinned(area)) choose(area, ...toOutput(pick, px, py));
      return;
    }
    const cell = closest(event.target, ".numbers td");
    if (cell) pointMatrix(cell.cellIndex - 1, cell.parentElement.sectionRowIndex, false);
  });

  // A click or tap pins the pixel; a second one on the same pixel lets it follow the pointer again.
  // pointerup rather than click: its coordinates keep their fractions (a shrunk photo's pixels are
  // narrower than a screen pixel), and a touch that turns into scrolling ends in pointercancel instead.
  document.addEventListener("pointerup", (event) => {
    const pick = closest(event.target, ".pick");
    if (!pick || event.button > 0) return;
    const [px, py] = pixelUnder(pick, event);
    if (pick.dataset.area === "matrix") {
      pinMatrix(px, py);
      return;
    }
    const area = pick.dataset.area;
    const [x, y] = toOutput(pick, px, py);
    const [cx, cy] = selected(area);
    field(AREAS[area].pin).checked = !(isPinned(area) && cx === x && cy === y);
    choose(area, x, y, true);
  });

  function pinMatrix(x, y) {
    const pin = field(AREAS.inspect.pin);
    if (pin && faceInput()) pin.checked = true;
    pointMatrix(x, y, true);
  }

  document.addEventListener("click", (event) => {
    const cell = closest(event.target, ".numbers td");
    if (cell) pinMatrix(cell.cellIndex - 1, cell.parentElement.sectionRowIndex);
    if (closest(event.target, "button[data-open-share]")) openShare();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const move = KEYS[event.key];
    const enter = event.key === "Enter" || event.key === " ";
    if (!(move || enter)) return;
    const inMatrix = matrix && (target.matches(".numbers td") || target.matches('.pick[data-area="matrix"]'));
    if (inMatrix) {
      event.preventDefault();
      if (enter) return faceInput() && togglePin("inspect");
      const [x, y] = pair(matrix.dataset.selected), [w, h] = pair(matrix.dataset.size);
      const cell = pointMatrix(clamp(x + move[0], w), clamp(y + move[1], h), true);
      if (cell && target.matches("td")) cell.focus();
    } else if (target.matches(".pick")) {
      event.preventDefault();
      const area = target.dataset.area;
      if (enter) return togglePin(area);
      const [x, y] = selected(area), [ow, oh] = pair(target.dataset.out);
      choose(area, clamp(x + move[0], ow), clamp(y + move[1], oh));
    }
  });

  /* ---- after each answer ---- */

  // Morphing sets attributes, but a select or checkbox someone already touched ignores a changed
  // attribute: make every control but the one in use show what the server answered.
  function followAttributes() {
    if (!form) return;
    for (const option of form.querySelectorAll("option[selected]")) {
      if (!option.selected && option.parentElement.closest("select") !== document.activeElement) option.selected = true;
    }
    for (const box of form.querySelectorAll('input[type="checkbox"], input[type="radio"]')) {
      if (box !== document.activeElement) box.checked = box.hasAttribute("checked");
    }
  }

  const spoken = {};
  let speakTimer = 0, spokeAt = 0, nextWords = "";
  // One short sentence in the polite live region, at most every 1.5 s; the latest wins.
  function speak(words) {
    nextWords = words;
    if (speakTimer) return;
    speakTimer = setTimeout(() => {
      speakTimer = 0;
      spokeAt = Date.now();
      document.getElementById("announce").textContent = nextWords;
    }, Math.max(0, spokeAt + 1500 - Date.now()));
  }

  function panelsChanged(announce) {
    for (const { panel: id } of Object.values(AREAS)) {
      const panel = document.getElementById(id);
      if (!panel || panel.dataset.summary === spoken[id]) continue;
      spoken[id] = panel.dataset.summary;
      if (announce && !form.dataset.playing) speak(panel.dataset.summary); // a playing stepper speaks for itself
    }
  }

  function showStatus(text) {
    const box = document.getElementById("form-status");
    if (!box) return;
    box.innerHTML = `<div class="alert"><p><strong>${text}</strong></p></div>`;
    shown.delete("form-status"); // so the next answer replaces this message
  }

  // An edit (typing, a menu, a slider: the form then holds the whole new state) first loads the new output
  // pictures straight from the form's fields (/picture?img=<id>&<fields>); the <img> keeps showing the old
  // picture until the new one is ready. Once they are on screen the form asks for the regions, so the
  // pictures never wait for, nor share the machine with, the panels and tables. The answers keep these
  // addresses (X-Pictures tells the server which the page uses) rather than load the same picture twice.
  // Fields that never change an output picture are left out of its address.
  const pictureFree = new Set(["speed", ...Object.values(AREAS).flatMap(({ x, y, pin, step }) => [x, y, pin, step])]);
  const pictureFields = (body) => {
    const fields = new URLSearchParams();
    for (const [name, value] of body) if (!pictureFree.has(name) && !name.startsWith("compare-")) fields.append(name, value);
    return fields.toString();
  };
  let edits = 0;
  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    const type = ctx.sourceEvent && ctx.sourceEvent.type;
    const images = document.querySelectorAll("img[data-picture]");
    if (ctx.sourceElement !== form || !(type === "input" || type === "change") || !images.length) return;
    event.preventDefault(); // the regions are asked for once the pictures show
    const edit = ++edits;
    const fields = pictureFields(ctx.request.body);
    const loading = [];
    for (const image of images) {
      const src = `${image.dataset.picture}?img=${image.id}&${fields}`;
      if (image.getAttribute("src") === src) continue;
      image.setAttribute("src", src);
      loading.push(image);
    }
    const regions = () => {
      if (edit === edits) send();
    };
    if (!loading.length) return regions();
    // After the frame that shows them, and after whatever else was waiting for that frame.
    Promise.allSettled(loading.map((image) => image.decode()))
      .then(() => requestAnimationFrame(() => setTimeout(regions)));
  });

  // A choice typed into the x or y field replaces one the pointer or keys made.
  if (form) {
    form.addEventListener("input", (event) => {
      for (const [area, names] of Object.entries(AREAS)) {
        if (event.target.name === names.x || event.target.name === names.y) delete pending[area];
      }
    });
  }
  // The fields take the pixels a request carried as its answer is put in place (or fails).
  document.addEventListener("htmx:before:swap", (event) => settle(event.detail.ctx && event.detail.ctx.carried));
  document.addEventListener("htmx:finally:request", (event) => settle(event.detail.ctx && event.detail.ctx.carried));

  document.addEventListener("htmx:after:swap", (event) => {
    waiting.clear();
    hashes();
    followAttributes();
    // The dock's width follows the kernel grid's (see .bench[data-dock] in style.css).
    const bench = document.querySelector(".bench"), grid = document.querySelector("[data-kernel-grid]");
    if (bench) bench.dataset.dock = grid ? grid.dataset.dock : "";
    const panel = document.getElementById("explain");
    if (panel && matrix && matrix.dataset.selected !== `${panel.dataset.inputX},${panel.dataset.inputY}`) {
      showMatrixPixel(Number(panel.dataset.inputX), Number(panel.dataset.inputY));
    }
    panelsChanged(true);
  });
  document.addEventListener("htmx:response:error", (event) => {
    const response = event.detail.ctx.response;
    if (response.status >= 500) showStatus("The server could not finish that. The last result stays on screen.");
    if (response.status === 429) {
      const wait = Number(response.headers.get("Retry-After")) || 5;
      showStatus(`Too many new pictures from your network just now: try again in ${wait} s. The last result stays on screen.`);
    }
  });
  document.addEventListener("htmx:error", (event) => {
    if (!event.detail.ctx || !event.detail.ctx.response) showStatus("The server cannot be reached. The last result stays on screen.");
  });

  /* ---- the header's Embed button (its Copy link button is static/copy.js's) ---- */

  function openShare() {
    const panel = document.getElementById("share-panel");
    panel.open = true;
    panel.scrollIntoView({ block: "start" });
    document.getElementById("embed-inspect").focus();
  }

  // On a narrow screen the number table scrolls sideways: start with the highlighted number in view.
  const chosen = matrix && matrix.querySelector("td.sel");
  if (chosen) {
    const scroller = chosen.closest(".numbers-scroll");
    scroller.scrollLeft = chosen.offsetLeft - (scroller.clientWidth - chosen.offsetWidth) / 2;
  }
  panelsChanged(false);
})();
