/* Image Kernels: the stepper. Play, pause, the step buttons and the scrubber walk the selected output pixel
   through the output in raster order. Each step is a request like pointing (part=inspect or part=play); the
   server answers with the panel and the marks, the pixels not reached yet dimmed. The script counts steps
   and nothing else: every number shown is the server's. */
(() => {
  "use strict";
  const form = document.getElementById("controls");
  if (!form || !window.htmx) return;

  // The parts with a stepper (a step field) and the fields of their pixel, [x, y, pin], from <main data-pointing>
  // (web/page/views.py's POINTING). Without that table no stepper steps, as without htmx.
  const main = document.getElementById("main");
  const PIXEL_FIELDS = {};
  for (const [area, names] of Object.entries(JSON.parse((main && main.dataset.pointing) || "{}"))) {
    if (names.step) PIXEL_FIELDS[area] = [names.x, names.y, names.pin];
  }
  if (!Object.keys(PIXEL_FIELDS).length) return;
  const ANNOUNCE_EVERY_MS = 4000; // while playing, the live region hears where the stepper is this often
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const players = {}; // area → { timer, busy, queued, spokeAt }
  const count = new Intl.NumberFormat("en");

  const stepper = (area) => form.querySelector(`[data-stepper="${area}"]`);
  const part = (root, selector) => root.querySelector(selector);
  const field = (name) => form.elements.namedItem(name);
  const player = (area) => (players[area] ||= { timer: 0, busy: false, queued: false, spokeAt: 0 });

  function say(words) {
    const live = document.getElementById("announce");
    if (live) live.textContent = words;
  }

  // Stepping: the scrubber carries the step's field, and the pixel is pinned (hovering leaves it alone).
  function startStepping(area) {
    const box = stepper(area);
    box.dataset.stepping = "";
    part(box, "[data-scrub]").name = box.dataset.stepName;
    const pin = field(PIXEL_FIELDS[area][2]);
    if (pin) pin.checked = true;
  }

  function stopStepping(area) {
    const box = stepper(area);
    pause(area, false);
    if (!box) return;
    delete box.dataset.stepping;
    part(box, "[data-scrub]").removeAttribute("name");
  }

  // Ask the server for step n (1 … the number of output pixels). One request at a time per area: a step
  // chosen while one is on its way waits for its answer, and only the latest waits.
  function go(area, n) {
    const box = stepper(area), scrub = part(box, "[data-scrub]");
    const last = Number(scrub.max);
    const step = Math.min(Math.max(n, 1), last);
    startStepping(area);
    scrub.value = String(step);
    scrub.setAttribute("aria-valuetext", `Pixel ${count.format(step)} of ${count.format(last)}`);
    const p = player(area);
    if (p.busy) {
      p.queued = true;
      return;
    }
    p.busy = true;
    htmx.trigger(form, "pick", { part: area, stepper: area });
  }

  const speed = (area) => Number(part(stepper(area), "[data-speed-input]").value) || 5;

  function play(area) {
    const p = player(area), box = stepper(area);
    if (p.timer) return;
    const scrub = part(box, "[data-scrub]");
    if (!box.hasAttribute("data-stepping") || Number(scrub.value) >= Number(scrub.max)) go(area, 1);
    p.timer = setInterval(() => tick(area), 1000 / speed(area));
    p.spokeAt = Date.now();
    showPlaying(area);
    say(`Playing, ${speed(area)} steps a second.`);
  }

  function pause(area, announce = true) {
    const p = player(area);
    if (!p.timer) return;
    clearInterval(p.timer);
    p.timer = 0;
    showPlaying(area);
    const box = stepper(area);
    if (announce && box) say(`Paused at ${part(box, "[data-step-where]").textContent}.`);
  }

  function tick(area) {
    const p = player(area);
    if (p.busy) return; // a slow answer: this tick is skipped rather than queued
    const box = stepper(area), scrub = part(box, "[data-scrub]");
    let next = Number(scrub.value) + 1;
    if (next > Number(scrub.max)) {
      if (!part(box, "[data-loop]").checked) return pause(area);
      next = 1;
    }
    go(area, next);
  }

  function showPlaying(area) {
    const box = stepper(area);
    if (!box) return;
    const playing = Boolean(player(area).timer);
    const button = part(box, "[data-play]");
    button.textContent = playing ? "Pause" : "Play";
    button.setAttribute("aria-pressed", String(playing));
    if (playing) form.dataset.playing = area;
    else if (form.dataset.playing === area) delete form.dataset.playing;
  }

  form.addEventListener("click", (event) => {
    const box = event.target instanceof Element ? event.target.closest("[data-stepper]") : null;
    if (!box) return;
    const area = box.dataset.stepper;
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-play")) {
      if (player(area).timer) pause(area);
      else play(area);
    } else if (button.dataset.stepBy) {
      event.preventDefault(); // without the script these buttons submit the form
      pause(area, false);
      go(area, Number(part(box, "[data-scrub]").value) + Number(button.dataset.stepBy));
    }
  });

  // The stepper's own controls never count as an edit: their events stop here, before htmx sees them.
  for (const type of ["input", "change"]) {
    form.addEventListener(type, (event) => {
      const box = event.target instanceof Element ? event.target.closest("[data-stepper]") : null;
      if (!box) return;
      event.stopPropagation();
      if (event.target.matches("[data-loop]")) {
        for (const box of form.querySelectorAll("[data-loop]")) box.checked = event.target.checked;
      }
      if (type !== "input") return;
      const area = box.dataset.stepper;
      if (event.target.matches("[data-scrub]")) {
        pause(area, false);
        go(area, Number(event.target.value));
      } else if (event.target.matches("[data-speed-input]")) {
        const value = event.target.value;
        for (const menu of form.querySelectorAll("[data-speed-input]")) menu.value = value;
        if (field("speed")) field("speed").value = value; // the permalink keeps it
        if (player(area).timer) {
          pause(area, false);
          play(area);
        }
      }
    }, true);
  }

  // Requests for the areas that are stepping: a step of the stepper's own sends the step; pointing or a key
  // that chose a pixel moves the step there; unpinning ends stepping.
  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    if (ctx.sourceElement !== form) return;
    const detail = ctx.sourceEvent && ctx.sourceEvent.type === "pick" ? ctx.sourceEvent.detail : null;
    ctx.stepper = detail && detail.stepper;
    const body = ctx.request.body;
    for (const area of Object.keys(PIXEL_FIELDS)) {
      const box = stepper(area);
      if (!box || !box.hasAttribute("data-stepping") || area === ctx.stepper) continue;
      const [xName, yName, pinName] = PIXEL_FIELDS[area];
      if (!body.has(pinName)) {
        stopStepping(area);
        body.delete(box.dataset.stepName);
        continue;
      }
      const pick = form.querySelector(`.pick[data-area="${area}"]`);
      const width = pick ? Number(pick.dataset.out.split(",")[0]) : 0;
      if (width) body.set(box.dataset.stepName, String(Number(body.get(yName)) * width + Number(body.get(xName)) + 1));
    }
  });

  document.addEventListener("htmx:finally:request", (event) => {
    const area = event.detail.ctx && event.detail.ctx.stepper;
    if (!area) return;
    const p = player(area);
    p.busy = false;
    if (p.queued) {
      p.queued = false;
      go(area, Number(part(stepper(area), "[data-scrub]").value));
    }
  });

  // After each answer the slider shows where the server says the stepper is (a slider someone moved keeps its
  // value, as do the steps still waiting), and Play says whether it plays.
  document.addEventListener("htmx:after:swap", () => {
    for (const box of form.querySelectorAll("[data-stepper]")) {
      const area = box.dataset.stepper, p = player(area);
      showPlaying(area);
      if (!p.queued) {
        const scrub = part(box, "[data-scrub]");
        scrub.max = box.dataset.steps;
        scrub.value = box.dataset.step;
        scrub.setAttribute("aria-valuetext", box.dataset.text);
      }
      if (p.timer && Date.now() - p.spokeAt > ANNOUNCE_EVERY_MS) {
        p.spokeAt = Date.now();
        say(box.dataset.short);
      }
    }
  });

  // A link may ask the first stepper to play at once, unless the browser asks for reduced motion.
  const first = form.querySelector("[data-stepper][data-autoplay]");
  if (first && !reducedMotion.matches) play(first.dataset.stepper);
})();
