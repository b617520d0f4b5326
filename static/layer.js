/* Image Kernels: the layer section. Its fields belong to the form "layer-form", which htmx sends to
   /layer/fragment; the answer's regions are morphed into place. Pointer, touch and keys on a feature map become
   the chosen pixel, sent with the layer's permalink parameters alone (part=panel). Nothing is computed here:
   every number and every mark's place comes from the server. The page's own form never sees the section's
   edits, and the section asks for nothing while it is off screen: a new picture in the playground is fetched
   for it only once it comes near the viewport. */
(() => {
  "use strict";

  const section = document.querySelector("[data-layer]");
  const form = document.getElementById("layer-form");
  if (!section || !form || !window.htmx) return;
  const controls = document.getElementById("controls");
  const embed = section.hasAttribute("data-embed");
  const params = section.dataset.params.split(",");
  const addressParams = embed ? params : params.filter((name) => name !== "image");
  const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  const clamp = (value, size) => Math.min(Math.max(value, 0), size - 1);
  const closest = (node, selector) => (node instanceof Element ? node.closest(selector) : null);
  const field = (id) => document.getElementById(id);

  // The page's parameters are carried in the form only for a browser without JavaScript.
  for (const input of section.querySelectorAll("[data-page-carry]")) input.disabled = true;

  /* ---- what each region shows now: the server leaves out the regions whose HTML would not change ---- */
  const shown = new Map();
  function learn() {
    const holder = field("layer-hashes");
    for (const pair of ((holder && holder.dataset.hashes) || "").split(",")) {
      const [region, hash] = pair.split(":");
      if (hash) shown.set(region, hash);
    }
  }
  learn();

  /* ---- edits: the section's own form, never the page's ---- */
  let typing = 0;
  let lastSent = "";
  const isText = (element) => element.matches("input:not([type=checkbox]):not([type=radio])");
  // What was asked for last, and what a request was made for: a trigger that arrives while the previous answer is
  // being put in place can be dropped, so the end of each request asks again for anything still waiting.
  let wanted = 0, asked = 0, lastKind = "edit";
  const send = (kind) => {
    wanted += 1;
    lastKind = kind;
    htmx.trigger(form, kind);
  };
  function edited(event) {
    const element = event.target;
    if (!(element instanceof Element) || element.getAttribute("form") !== "layer-form") return;
    event.stopPropagation(); // the page's form (an ancestor) must not take this for an edit of its own
    if (!isText(element)) {
      if (event.type === "change") send("edit");
      return;
    }
    // Typing is sent 250 ms after the last key; leaving the field sends what is still waiting, nothing more.
    const waiting = typing;
    clearTimeout(typing);
    typing = 0;
    if (event.type === "input") {
      typing = setTimeout(() => {
        typing = 0;
        send("edit");
      }, 250);
    } else if (waiting) {
      send("edit");
    }
  }
  section.addEventListener("input", edited);
  section.addEventListener("change", edited);

  /* ---- the chosen pixel ---- */
  let pending = null; // {f, map, x, y, pin}: chosen and not answered yet
  const panel = () => field("layer-explain");
  function current() {
    if (pending) return pending;
    const data = panel() ? panel().dataset : null;
    return data ? { f: Number(data.f), map: data.map, x: Number(data.x), y: Number(data.y) } : null;
  }
  const pinned = () => Boolean(field("lpin") && field("lpin").checked);

  // pin: whether the pixel is to stay put; it travels with the request (an answer still on its way may yet
  // redraw the box).
  function choose(pick, x, y, always, pin = pinned()) {
    const next = { f: Number(pick.dataset.f), map: pick.dataset.map, x, y, pin };
    const now = current();
    if (!always && now && now.f === next.f && now.map === next.map && now.x === x && now.y === y) return;
    pending = next;
    send("pick");
  }

  function pixelUnder(pick, event) {
    const [w, h] = pick.dataset.size.split(",").map(Number);
    const box = pick.querySelector("img").getBoundingClientRect();
    return [clamp(Math.floor(((event.clientX - box.left) / box.width) * w), w),
      clamp(Math.floor(((event.clientY - box.top) / box.height) * h), h)];
  }

  const moveEvent = "onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove";
  document.addEventListener(moveEvent, (event) => {
    if (event.pointerType === "touch" || (pending ? pending.pin : pinned())) return; // touch: tap, dragging scrolls
    const pick = closest(event.target, ".layer-pick");
    if (pick) choose(pick, ...pixelUnder(pick, event), false);
  });

  // A click or tap pins the pixel; a second one on the same pixel lets it follow the pointer again.
  document.addEventListener("pointerup", (event) => {
    const pick = closest(event.target, ".layer-pick");
    if (!pick || event.button > 0) return;
    const [x, y] = pixelUnder(pick, event);
    const now = current();
    const same = now && now.f === Number(pick.dataset.f) && now.map === pick.dataset.map && now.x === x && now.y === y;
    const pin = !((pending ? pending.pin : pinned()) && same);
    if (field("lpin")) field("lpin").checked = pin;
    choose(pick, x, y, true, pin);
  });

  section.addEventListener("keydown", (event) => {
    const pick = closest(event.target, ".layer-pick");
    const move = KEYS[event.key];
    const enter = event.key === "Enter" || event.key === " ";
    if (!pick || !(move || enter)) return;
    event.preventDefault();
    const [w, h] = pick.dataset.size.split(",").map(Number);
    const now = current();
    const here = now && now.f === Number(pick.dataset.f) && now.map === pick.dataset.map;
    let [x, y] = here ? [now.x, now.y] : [Math.floor(w / 2), Math.floor(h / 2)];
    let pin = pending ? pending.pin : pinned();
    if (enter) {
      pin = here ? !pin : pin;
      if (field("lpin")) field("lpin").checked = pin;
    } else {
      x = clamp(x + move[0], w);
      y = clamp(y + move[1], h);
    }
    choose(pick, x, y, true, pin);
  });

  // On a wide screen the input and the panel stay at the top of the window while the filters scroll under them:
  // a field or a map that takes the focus there is scrolled out from under them.
  section.addEventListener("focusin", (event) => {
    const side = section.querySelector(".layer-side");
    if (!side || side.contains(event.target) || getComputedStyle(side).position !== "sticky") return;
    const covered = side.getBoundingClientRect().bottom + 8 - event.target.getBoundingClientRect().top;
    if (covered > 0) window.scrollBy(0, -covered);
  });

  /* ---- requests ---- */
  document.addEventListener("htmx:config:request", (event) => {
    const ctx = event.detail.ctx;
    if (ctx.sourceElement !== form) return;
    asked = wanted;
    const body = ctx.request.body;
    const pointing = ctx.sourceEvent && ctx.sourceEvent.type === "pick" && pending;
    if (pointing) {
      // The layer as its permalink says it (every number reads), and the pixel chosen.
      const image = body.get("image");
      for (const name of [...body.keys()]) body.delete(name);
      for (const input of section.querySelectorAll("[data-layer-carry]")) body.set(input.name, input.value);
      if (image) body.set("image", image);
      body.set("lf", String(pending.f + 1));
      body.set("lmap", pending.map);
      body.set("lx", String(pending.x));
      body.set("ly", String(pending.y));
      if (pending.pin) body.set("lpin", "1");
      else body.delete("lpin");
      body.set("part", "panel");
      ctx.layerPick = pending;
    } else {
      const text = new URLSearchParams(body).toString();
      if (text === lastSent && ctx.sourceEvent && ctx.sourceEvent.type !== "submit") {
        event.preventDefault(); // the same state again (a field left after typing): nothing to ask
        return;
      }
      lastSent = text;
      pending = null;
    }
    if (embed) body.set("view", "layer");
    ctx.layerPointing = Boolean(pointing);
    ctx.request.headers["X-Layer-Regions"] = [...shown].map(([region, hash]) => `${region}:${hash}`).join(",");
  });

  /* ---- answers ---- */
  let nextUrl = null, urlTimer = 0;
  function writeAddress() {
    clearTimeout(urlTimer);
    urlTimer = 0;
    if (nextUrl && nextUrl !== location.pathname + location.search) history.replaceState(history.state, "", nextUrl);
    nextUrl = null;
  }
  function address(query) {
    const kept = location.search.slice(1).split("&").filter((part) => {
      const name = decodeURIComponent(part.split("=")[0].replace(/\+/g, " "));
      return part && !addressParams.includes(name);
    });
    const own = query.split("&").filter((part) => part && addressParams.includes(decodeURIComponent(part.split("=")[0])));
    return location.pathname + "?" + [...kept, ...own].join("&") + location.hash;
  }
  document.addEventListener("htmx:after:request", (event) => {
    const ctx = event.detail.ctx;
    if (ctx.sourceElement !== form || !ctx.response) return;
    if (ctx.layerPick && pending === ctx.layerPick) pending = null;
    const query = ctx.response.headers.get("X-Layer-Query");
    if (query === null) return;
    nextUrl = address(query);
    clearTimeout(urlTimer);
    if (ctx.layerPointing) urlTimer = setTimeout(writeAddress, 250);
    else requestAnimationFrame(() => setTimeout(writeAddress, 0));
    if (embed) {
      const link = document.querySelector("a.open-full");
      if (link) {
        const full = new URL(nextUrl, location.href);
        full.pathname = full.pathname.replace(/\/embed$/, "/");
        full.searchParams.delete("view");
        link.href = full.href;
      }
    }
    const share = document.getElementById("share-panel");
    if (share && share.open && controls) htmx.trigger(controls, "pick", { part: "all" }); // its links follow
  });
  addEventListener("pagehide", writeAddress);
  document.addEventListener("copy:link", writeAddress); // "Copy link" (static/copy.js) copies the latest address
  document.addEventListener("htmx:finally:request", (event) => {
    if (event.detail.ctx && event.detail.ctx.sourceElement === form && asked !== wanted) {
      setTimeout(() => {
        if (asked !== wanted) send(lastKind);
      });
    }
  });

  // The marks over the pictures follow the panel's pixel (the panel names their places).
  function placeMarks() {
    const data = panel() ? panel().dataset : null;
    if (!data || !data.marks) return;
    const marks = JSON.parse(data.marks);
    const put = (mark, box) => {
      if (!mark) return;
      mark.hidden = !box;
      if (box) Object.assign(mark.style, { left: `${box[0]}%`, top: `${box[1]}%`, width: `${box[2]}%`, height: `${box[3]}%` });
    };
    put(section.querySelector(".layer-window"), marks.input);
    for (const row of section.querySelectorAll(".layer-filter")) {
      const mine = Number(row.dataset.filter) === marks.f;
      row.classList.toggle("is-selected", mine);
      for (const pick of row.querySelectorAll(".layer-pick")) {
        put(pick.querySelector(".layer-mark"), mine ? marks[pick.dataset.map] : null);
        pick.classList.toggle("pinned", mine && pinned());
      }
    }
  }

  let spokeAt = 0, speakTimer = 0, spoken = "";
  function speak() {
    const summary = panel() ? panel().dataset.summary : "";
    if (!summary || summary === spoken || speakTimer) return;
    speakTimer = setTimeout(() => {
      speakTimer = 0;
      spokeAt = Date.now();
      const now = panel() ? panel().dataset.summary : "";
      if (now && now !== spoken) {
        spoken = now;
        document.getElementById("announce").textContent = now;
      }
    }, Math.max(0, spokeAt + 1500 - Date.now()));
  }

  // On a narrow screen the tap-by-tap tables start folded, so the sums stay in view; a choice made is kept.
  let tapsChoice = null, tapsSet = null;
  function foldTaps() {
    const taps = section.querySelector(".layer-taps");
    if (!taps) return;
    const wanted = tapsChoice !== null ? tapsChoice : taps.open && section.clientWidth >= 520;
    if (taps.open !== wanted) {
      tapsSet = wanted;
      taps.open = wanted;
    }
  }
  section.addEventListener("toggle", (event) => {
    if (!(event.target instanceof Element) || !event.target.matches(".layer-taps")) return;
    if (event.target.open === tapsSet) tapsSet = null;
    else tapsChoice = event.target.open;
  }, true);

  document.addEventListener("htmx:after:swap", (event) => {
    const ctx = event.detail && event.detail.ctx;
    if (ctx && ctx.sourceElement === form) {
      learn();
      placeMarks();
      foldTaps();
      speak();
      for (const input of section.querySelectorAll("[data-page-carry]")) input.disabled = true;
    } else if (ctx && ctx.sourceElement === controls) {
      followPicture();
    }
  });

  /* ---- a new picture in the playground: the layer follows it, when it is on screen ---- */
  let visible = false, stale = false;
  function followPicture() {
    const good = controls && controls.elements.namedItem("good");
    const mine = section.querySelector("[data-layer-image]");
    if (!good || !mine) return;
    const image = new URLSearchParams(good.value).get("image");
    if (!image || image === mine.value) return;
    mine.value = image;
    stale = true;
    if (visible) refresh();
  }
  function refresh() {
    stale = false;
    send("edit");
  }
  if ("IntersectionObserver" in window) {
    new IntersectionObserver((entries) => {
      visible = entries.some((entry) => entry.isIntersecting);
      if (visible && stale) refresh();
    }, { rootMargin: "400px 0px" }).observe(section);
  } else {
    visible = true;
  }
  placeMarks();
  foldTaps();
})();
