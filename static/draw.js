/* Image Kernels: painting your own 32×32 picture in the playground.
   A drawing is an ordinary image= value, draw:<base64url of a zlib stream of the 1,024 grey levels>, so painting
   only rewrites the picture menu's "Your drawing" option and lets the form send it like any other change: the
   server computes the After picture and the arithmetic. The server writes the drawing's grey levels into the
   page ([data-draw-start] data-pixels); this script paints on its own copy and shows it at once, and keeps it
   while answers to older strokes are still arriving. With Paint on, pointer and keys on the Before picture
   paint instead of choosing the pixel to explain (app.js never sees them). */
(() => {
  "use strict";

  const form = document.getElementById("controls");
  const tools = document.querySelector("[data-draw-tools]");
  if (!form || !tools) return;

  const TARGET = '.pick[data-area="play"][data-role="in"]';
  const PLAY = JSON.parse(document.getElementById("main").dataset.pointing || "{}").play || {}; // its pixel fields
  const PREFIX = "draw:";
  const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  const toggle = tools.querySelector("[data-draw-toggle]");
  const inks = [...tools.querySelectorAll("[data-draw-ink]")];
  const swatches = [...tools.querySelectorAll("[data-draw-swatch]")];
  const chosen = tools.querySelector("[data-draw-chosen]");
  const canvas = document.createElement("canvas");

  const pair = (text) => text.split(",").map(Number);
  const clamp = (value, size) => Math.min(Math.max(value, 0), size - 1);
  const field = (name) => form.elements.namedItem(name);
  const closest = (node, selector) => (node instanceof Element ? node.closest(selector) : null);

  let painting = false; // Paint is on
  let ink = 0; // the grey level painted, 0–255
  let side = 0; // the drawing is side × side pixels
  let pixels = null; // Uint8Array of side × side grey levels, row by row: the drawing as shown here
  let dirty = false; // painted since the server last showed these very pixels
  let generation = 0; // a new start makes every stroke still being encoded stale
  let queue = Promise.resolve(); // encodings, one after the other, so the field gets them in order
  let stroke = null; // the pointer painting now: { id, last: [x, y] or null, changed }
  let keyCursor = null; // the output pixel the arrow keys moved to, before the server has answered
  let starting = false; // a start was chosen: turn Paint on when the drawing arrives
  let latest = null; // the value of the newest encoded drawing

  /* ---- the drawing the server shows, and the picture menu ---- */

  function served() {
    const holder = document.querySelector("[data-draw-start][data-pixels]");
    if (!holder) return null;
    return { side: Number(holder.dataset.side), pixels: Uint8Array.from(pair(holder.dataset.pixels)) };
  }

  const same = (a, b) => a.length === b.length && a.every((value, index) => value === b[index]);

  const startValues = () => new Set([...document.querySelectorAll("[data-draw-start-value]")].map((b) => b.value));

  // The menu's "Your drawing" option: the drawing group's option that is no start (made when painting on a start).
  function yourOption(select, make) {
    const group = [...select.querySelectorAll("optgroup")].find((g) => g.label === "Draw your own");
    if (!group) return null;
    const starts = startValues();
    const option = [...group.querySelectorAll("option")].find((o) => !starts.has(o.value));
    if (option || !make) return option || null;
    const made = new Option("Your drawing", "");
    group.prepend(made);
    return made;
  }

  // Put a drawing's value in the form and let the form send it: "input" waits for the strokes to pause
  // (the form's 250 ms), "change" sends at once.
  function sendValue(value, type) {
    const select = field("image");
    const option = select && yourOption(select, true);
    if (!option) return;
    option.value = value;
    option.selected = true;
    select.dispatchEvent(new Event(type, { bubbles: true }));
  }

  // After every answer (and on load): adopt the server's drawing, or keep painting on ours when the answer is
  // for an older stroke.
  function sync() {
    const drawing = served();
    tools.hidden = !drawing;
    if (!drawing) {
      pixels = latest = null;
      dirty = false;
      setPainting(false);
      return;
    }
    if (dirty && pixels && pixels.length === drawing.pixels.length && !same(pixels, drawing.pixels)) {
      reassert();
    } else {
      side = drawing.side;
      pixels = drawing.pixels;
      dirty = false;
    }
    if (starting) {
      starting = false;
      setPainting(true);
    }
    describeTarget();
  }

  // The answer morphed the menu back to an older drawing (or to the start it began from): ours goes back in.
  function reassert() {
    const select = field("image");
    const option = select && latest && yourOption(select, true);
    if (option && option.value !== latest) option.value = latest;
    if (option) option.selected = true;
    show();
  }

  /* ---- encoding: what the server reads (see imaging/drawing.py) ---- */

  // A zlib stream (RFC 1950) holding the bytes in one stored deflate block, for browsers without CompressionStream.
  function stored(bytes) {
    const n = bytes.length;
    const out = new Uint8Array(11 + n);
    out.set([0x78, 0x01, 0x01, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255]);
    out.set(bytes, 7);
    let a = 1, b = 0;
    for (const value of bytes) {
      a = (a + value) % 65521;
      b = (b + a) % 65521;
    }
    out.set([b >> 8, b & 255, a >> 8, a & 255], 7 + n);
    return out;
  }

  async function zlib(bytes) {
    if (typeof CompressionStream !== "function") return stored(bytes);
    try {
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch {
      return stored(bytes);
    }
  }

  async function encode(bytes) {
    const packed = await zlib(bytes);
    let text = "";
    for (const value of packed) text += String.fromCharCode(value);
    return PREFIX + btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // Send the drawing as it is now (in order: a slow encoding never overtakes a newer one).
  function commit(type) {
    const snapshot = pixels.slice();
    const mine = generation;
    queue = queue.then(() => encode(snapshot)).then((value) => {
      if (mine !== generation) return;
      latest = value;
      sendValue(value, type);
    });
  }

  /* ---- painting ---- */

  function paintAt(x, y) {
    if (!pixels || x < 0 || y < 0 || x >= side || y >= side) return false;
    const index = y * side + x;
    if (pixels[index] === ink) return false;
    pixels[index] = ink;
    dirty = true;
    return true;
  }

  // Every pixel on the straight line between two (Bresenham), so a quick drag leaves no gaps.
  function paintLine([x0, y0], [x1, y1]) {
    let changed = false;
    const dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    let error = dx + dy;
    for (;;) {
      changed = paintAt(x0, y0) || changed;
      if (x0 === x1 && y0 === y1) return changed;
      const twice = 2 * error;
      if (twice >= dy) {
        error += dy;
        x0 += sx;
      }
      if (twice <= dx) {
        error += dx;
        y0 += sy;
      }
    }
  }

  // The Before picture shows the drawing as painted here, before the server has seen it.
  let showing = false;
  function show() {
    if (showing) return;
    showing = true;
    requestAnimationFrame(() => {
      showing = false;
      const image = document.getElementById("play-input-image");
      if (!image || !pixels) return;
      canvas.width = canvas.height = side;
      const context = canvas.getContext("2d");
      const data = context.createImageData(side, side);
      pixels.forEach((value, index) => data.data.set([value, value, value, 255], 4 * index));
      context.putImageData(data, 0, 0);
      image.src = canvas.toDataURL("image/png");
    });
  }

  // The picture pixel under the pointer, or null outside the picture.
  function pixelUnder(event) {
    const pick = document.querySelector(TARGET);
    const image = pick && pick.querySelector("img");
    if (!image) return null;
    const box = image.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * side);
    const y = Math.floor(((event.clientY - box.top) / box.height) * side);
    return x >= 0 && y >= 0 && x < side && y < side ? [x, y] : null;
  }

  // Paint up to where the pointer is now; whether a pixel changed.
  function strokeTo(event) {
    const at = pixelUnder(event);
    if (!at) {
      stroke.last = null; // off the picture: the line starts again where the pointer comes back
      return false;
    }
    const changed = stroke.last ? paintLine(stroke.last, at) : paintAt(...at);
    stroke.last = at;
    stroke.changed = stroke.changed || changed;
    if (changed) show();
    return changed;
  }

  const aimed = (event) => painting && pixels && closest(event.target, TARGET);

  window.addEventListener("pointerdown", (event) => {
    const pick = aimed(event);
    if (!pick || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault(); // no text selection, no picture drag
    event.stopPropagation();
    pick.focus({ preventScroll: true });
    try {
      pick.setPointerCapture(event.pointerId);
    } catch {
      // the pointer is already gone; its pointerup ends the stroke
    }
    stroke = { id: event.pointerId, last: null, changed: false };
    strokeTo(event);
  }, true);

  // pointerrawupdate is what app.js listens to where it exists; both kinds are kept from it while painting.
  for (const type of ["pointermove", "pointerrawupdate"]) {
    window.addEventListener(type, (event) => {
      const mine = stroke && event.pointerId === stroke.id;
      if (!mine && !aimed(event)) return;
      event.stopPropagation();
      if (!mine || type !== "pointermove") return;
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      let changed = false;
      for (const each of events.length ? events : [event]) changed = strokeTo(each) || changed;
      if (changed) commit("input");
    }, true);
  }

  for (const type of ["pointerup", "pointercancel"]) {
    window.addEventListener(type, (event) => {
      const mine = stroke && event.pointerId === stroke.id;
      if (!mine && !aimed(event)) return;
      event.stopPropagation(); // no pinning by app.js
      if (!mine) return;
      const changed = stroke.changed;
      stroke = null;
      if (changed) commit("change");
    }, true);
  }

  /* ---- keys: arrows move the selected pixel (app.js), Space or P paints it ---- */

  function selectedOutput() {
    if (keyCursor) return keyCursor;
    const [x, y] = [field(PLAY.x), field(PLAY.y)];
    return x && y ? [Number(x.value), Number(y.value)] : null;
  }

  window.addEventListener("keydown", (event) => {
    const pick = event.target;
    if (!painting || !pixels || !(pick instanceof Element) || !pick.matches(TARGET)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const move = KEYS[event.key], selected = selectedOutput();
    if (!selected) return;
    if (move) {
      // app.js moves the selection the same way; remember where, as its answer may not be here yet.
      const [ow, oh] = pair(pick.dataset.out);
      keyCursor = [clamp(selected[0] + move[0], ow), clamp(selected[1] + move[1], oh)];
      return;
    }
    if (event.key !== " " && event.key.toLowerCase() !== "p") return;
    event.preventDefault();
    event.stopPropagation(); // Space would pin in app.js
    const [ox, oy] = selected, [sx, sy] = pair(pick.dataset.start), [tx, ty] = pair(pick.dataset.step);
    const x = clamp(sx + ox * tx, side), y = clamp(sy + oy * ty, side);
    if (paintAt(x, y)) {
      show();
      commit("change");
    }
    say(`Painted x ${x}, y ${y} grey ${ink}.`);
  }, true);

  // Pointing or typing a pixel replaces the one the keys chose.
  const forget = (event) => {
    if (closest(event.target, '.pick[data-area="play"]')) keyCursor = null;
  };
  document.addEventListener("pointerup", forget);
  document.addEventListener("pointermove", forget);
  form.addEventListener("input", (event) => {
    if (event.target.name === PLAY.x || event.target.name === PLAY.y) keyCursor = null;
  });

  function say(words) {
    const live = document.getElementById("announce");
    if (live) live.textContent = words;
  }

  /* ---- the toolbar ---- */

  function describeTarget() {
    const pick = document.querySelector(TARGET);
    if (!pick) return;
    if (painting) pick.setAttribute("aria-describedby", "draw-how");
    else pick.removeAttribute("aria-describedby");
  }

  function setPainting(on) {
    painting = Boolean(on && pixels);
    toggle.setAttribute("aria-pressed", String(painting));
    document.documentElement.classList.toggle("draw-painting", painting);
    if (!painting) stroke = null;
    describeTarget();
  }

  function setInk(value, from) {
    const number = Math.round(Number(value));
    if (!Number.isFinite(number)) return;
    ink = Math.min(Math.max(number, 0), 255);
    for (const input of inks) if (input !== from) input.value = String(ink);
    chosen.style.background = `rgb(${ink},${ink},${ink})`;
    for (const swatch of swatches) swatch.setAttribute("aria-pressed", String(Number(swatch.value) === ink));
  }

  toggle.addEventListener("click", () => setPainting(!painting));
  tools.addEventListener("click", (event) => {
    const swatch = closest(event.target, "[data-draw-swatch]");
    if (swatch) setInk(swatch.value);
  });
  // The toolbar's fields are not the form's: their events must not send it.
  for (const type of ["input", "change"]) {
    tools.addEventListener(type, (event) => {
      event.stopPropagation();
      if (!event.target.matches("[data-draw-ink]") || event.target.value === "") return;
      setInk(event.target.value, type === "input" ? event.target : null);
    });
  }
  tools.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches("[data-draw-ink]")) return;
    event.preventDefault(); // Enter would submit the form
    setInk(event.target.value);
  });

  /* ---- starting a drawing ---- */

  function begin() {
    generation += 1;
    latest = null;
    dirty = false;
    starting = true;
    keyCursor = null;
  }

  document.addEventListener("click", (event) => {
    const button = closest(event.target, "[data-draw-start-value]");
    const select = field("image");
    if (!button || !select) return;
    begin();
    if (select.value === button.value && pixels) return sync(); // already this start: just paint
    select.value = button.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // A start chosen in the picture menu itself; or another picture, which no stroke still being encoded may undo.
  form.addEventListener("change", (event) => {
    if (event.target !== field("image") || !event.isTrusted) return;
    if (startValues().has(event.target.value)) begin();
    else if (!event.target.value.startsWith(PREFIX)) {
      generation += 1;
      latest = null;
      dirty = false;
    }
  });

  document.addEventListener("htmx:after:swap", sync);
  setInk(inks.length ? inks[0].value : 0);
  sync();
})();
