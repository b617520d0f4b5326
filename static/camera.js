/* Image Kernels: the live camera. Each camera frame is drawn into a canvas at the working size (320×240 by
   default, aspect kept), encoded as a JPEG and sent to POST /api/frame with the page's last good state (the
   form's "good" field); the answer, the frame through the kernel, is shown. One frame is on its way at a time:
   frames that arrive meanwhile are dropped, never queued, and at most data-max-fps are sent a second.
   Freeze uploads the frame on screen (POST /api/images) and makes it the playground's picture.
   The section's data-state, data-frames, data-fps and data-round-trip-ms say how it is going; each frame shown
   also fires a "camera:frame" event on the section with its timings and sizes. Nothing here runs until the
   person presses Start camera, and nothing is said to screen readers per frame. */
(() => {
  "use strict";

  const section = document.querySelector("[data-camera]");
  if (!section) return;
  const form = document.getElementById("controls");
  const part = (name) => section.querySelector(`[data-camera-${name}]`);
  const video = part("video"), output = part("output"), toggle = part("toggle"), freezeButton = part("freeze");
  const statsLine = part("stats"), statusLine = part("status"), offNote = part("off"), waitingNote = part("waiting");
  const dims = part("dims");
  const config = {
    width: Number(section.dataset.width) || 320,
    height: Number(section.dataset.height) || 240,
    quality: Number(section.dataset.quality) || 0.8,
    maxFps: Number(section.dataset.maxFps) || 15,
  };
  const canvas = document.createElement("canvas");
  const drawing = canvas.getContext("2d", { alpha: false });
  const byFrame = "requestVideoFrameCallback" in HTMLVideoElement.prototype;

  let stream = null;
  let running = false;
  let busy = false;
  let loop = 0;
  let tokens = 1; // frames that may be sent now: refilled at maxFps a second, at most 2 kept
  let lastTick = 0;
  let pauseUntil = 0; // after a refusal, no frame is sent before this time (performance.now())...
  let pausedQuery = null; // ...unless the state has changed since (null: whatever the state)
  let shownUrl = null;
  let shownFrom = null;
  let frames = 0, dropped = 0, statsAt = 0;
  const shownAt = [];

  /* ---- words ---- */

  function say(text, isError = false, link = null) {
    const same = statusLine.textContent === text + (link ? ` ${link.text}` : "");
    statusLine.classList.toggle("is-error", isError);
    if (same) return; // nothing new to announce
    statusLine.textContent = text;
    if (link) {
      const anchor = Object.assign(document.createElement("a"), { href: link.href, textContent: link.text });
      if (link.newTab) Object.assign(anchor, { target: "_blank", rel: "noopener" });
      statusLine.append(" ", anchor);
    }
  }

  function setState(name) {
    section.dataset.state = name;
    toggle.textContent = name === "on" || name === "starting" ? "Stop camera" : "Start camera";
    freezeButton.disabled = !shownFrom || name === "freezing";
    offNote.hidden = name === "on";
  }

  // Why the camera cannot be offered here at all, or "".
  function unavailable() {
    if (!window.isSecureContext) {
      return `The camera needs HTTPS or localhost: browsers give a camera only to pages that came over a secure
        connection, and this page came over plain HTTP (from ${location.host}). Open the site's https:// address,
        or run it on this computer and open http://localhost.`.replace(/\s+/g, " ");
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return "This browser offers no camera to web pages.";
    const policy = document.permissionsPolicy || document.featurePolicy;
    if (policy && policy.allowsFeature && !policy.allowsFeature("camera")) {
      return 'This frame may not use the camera: the page around it must give its iframe allow="camera".';
    }
    return "";
  }

  function refusal(error) {
    const name = (error && error.name) || "";
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "The camera was refused, so nothing is sent. To use it, allow the camera for this site (the camera " +
        "icon in the address bar or the site settings), then press Start camera again.";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return "No camera was found. Connect one, then press Start camera again.";
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
      return "The camera could not start: another program may be using it. Close that program, then press Start camera again.";
    }
    return `The camera could not start (${name || error}).`;
  }

  /* ---- the state the frames are filtered with ---- */

  function stateQuery() {
    const good = form && form.elements.namedItem("good");
    const query = new URLSearchParams(good ? good.value : "");
    query.delete("image"); // the frame is the picture
    query.delete("compare");
    return query.toString();
  }

  /* ---- start, stop ---- */

  async function start() {
    setState("starting");
    say("Asking for the camera…");
    let granted;
    try {
      granted = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
      });
    } catch (error) {
      if (section.dataset.state !== "starting") return; // stopped while the browser was asking
      setState("refused");
      say(refusal(error), true);
      return;
    }
    if (section.dataset.state !== "starting") { // stopped while the browser was asking
      granted.getTracks().forEach((track) => track.stop());
      return;
    }
    stream = granted;
    for (const track of stream.getVideoTracks()) track.addEventListener("ended", () => stop("The camera was disconnected."));
    video.srcObject = stream;
    try {
      await video.play();
    } catch (error) {
      if (stream) stop(`The camera's picture could not be shown (${error.name || error}).`, true);
      return;
    }
    if (section.dataset.state !== "starting") return; // stopped while the picture was starting
    running = true;
    tokens = 1;
    lastTick = performance.now();
    setState("on");
    say("Camera on: each frame goes through the kernel.");
    next();
  }

  function stop(message, isError = false) {
    running = false;
    if (byFrame) video.cancelVideoFrameCallback(loop);
    else cancelAnimationFrame(loop);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    section.dataset.fps = "0";
    if (section.dataset.roundTripMs) statsLine.textContent = `Last round trip ${section.dataset.roundTripMs} ms`;
    setState("off");
    if (message !== null) say(message || (shownFrom ? "Camera off. The last frame stays on screen." : "Camera off."), isError);
  }

  /* ---- frames ---- */

  function next() {
    if (!running) return;
    loop = byFrame ? video.requestVideoFrameCallback(frameArrived) : requestAnimationFrame(frameArrived);
  }

  function frameArrived() {
    if (!running) return;
    next();
    const now = performance.now();
    tokens = Math.min(2, tokens + ((now - lastTick) * config.maxFps) / 1000);
    lastTick = now;
    if (busy) {
      dropped += 1;
      section.dataset.dropped = String(dropped);
      return;
    }
    const query = stateQuery();
    if (now < pauseUntil && (pausedQuery === null || pausedQuery === query)) return;
    if (tokens < 1 || !video.videoWidth) return;
    tokens -= 1;
    send(query);
  }

  // The frame's size: the video scaled down (never up) into the working size, aspect kept.
  function frameSize() {
    const scale = Math.min(config.width / video.videoWidth, config.height / video.videoHeight, 1);
    return [Math.max(1, Math.round(video.videoWidth * scale)), Math.max(1, Math.round(video.videoHeight * scale))];
  }

  const encode = () => new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the frame could not be encoded"))), "image/jpeg", config.quality);
  });

  async function send(query) {
    busy = true;
    try {
      const capturedAt = performance.now();
      const [width, height] = frameSize();
      if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
      drawing.drawImage(video, 0, 0, width, height);
      const frame = await encode();
      const sentAt = performance.now();
      const response = await fetch(`${section.dataset.frameUrl}?${query}`, {
        method: "POST",
        body: frame,
        headers: { "Content-Type": "image/jpeg" },
        cache: "no-store",
      });
      if (!response.ok) {
        await refused(response, query);
        return;
      }
      const answer = await response.blob();
      const roundTrip = performance.now() - sentAt;
      if (!running) return; // stopped or frozen meanwhile: the frame on screen stays the one Freeze keeps
      await show(answer, frame, { roundTrip, capturedAt, width, height });
    } catch (error) {
      if (!running) return;
      pauseUntil = performance.now() + 2000;
      pausedQuery = null;
      say(`The server cannot be reached (${error.message}). Trying again…`, true);
    } finally {
      busy = false;
    }
  }

  async function refused(response, query) {
    const body = await response.json().catch(() => ({}));
    if (!running) return;
    const why = body.error || `the server answered ${response.status}`;
    const wait = Number(response.headers.get("Retry-After")) || 0;
    if (response.status === 429 || response.status === 503) {
      pauseUntil = performance.now() + Math.max(1, wait) * 1000;
      pausedQuery = null;
      say(`Frames paused for ${Math.max(1, wait)} s: ${why}`, true);
    } else { // the state or the frame: nothing changes until the state does
      pauseUntil = performance.now() + 1000;
      pausedQuery = query;
      const what = body.field === "frame" ? "The server refused the camera's frames" : "The frames cannot be filtered with these settings";
      say(`${what}: ${why}`, true);
    }
  }

  async function show(answer, frame, timing) {
    const url = URL.createObjectURL(answer);
    const loaded = new Image();
    loaded.src = url;
    try {
      await loaded.decode(); // decoded before it replaces the picture on screen, so it never flickers
    } catch {
      URL.revokeObjectURL(url);
      return;
    }
    if (!running) { // stopped or frozen while it was decoded
      URL.revokeObjectURL(url);
      return;
    }
    output.src = url;
    output.hidden = false;
    waitingNote.hidden = true;
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = url;
    const first = !shownFrom;
    shownFrom = frame;
    section.cameraShown = { frame, answer }; // the frame on screen, for tests and the benchmark
    dims.textContent = `${loaded.naturalWidth}×${loaded.naturalHeight}`;
    if (first) freezeButton.disabled = false;
    if (statusLine.classList.contains("is-error")) say("Camera on: each frame goes through the kernel.");
    const now = performance.now();
    frames += 1;
    shownAt.push(now);
    while (shownAt.length > 1 && now - shownAt[0] > 2000) shownAt.shift();
    const fps = shownAt.length > 1 ? ((shownAt.length - 1) * 1000) / (now - shownAt[0]) : 0;
    Object.assign(section.dataset, { frames: String(frames), fps: fps.toFixed(1), roundTripMs: String(Math.round(timing.roundTrip)) });
    if (now - statsAt > 500) { // small text, rewritten twice a second at most
      statsAt = now;
      const trip = `${Math.round(timing.roundTrip)} ms`;
      statsLine.textContent = fps ? `${fps.toFixed(1)} frames/s · round trip ${trip}` : `Round trip ${trip}`;
    }
    section.dispatchEvent(new CustomEvent("camera:frame", {
      detail: {
        roundTripMs: timing.roundTrip,
        shownMs: now - timing.capturedAt,
        upBytes: frame.size,
        downBytes: answer.size,
        type: answer.type,
        width: timing.width,
        height: timing.height,
      },
    }));
  }

  /* ---- freeze ---- */

  async function freeze() {
    const frame = shownFrom;
    if (!frame) return;
    if (running) stop(null);
    setState("freezing");
    say("Keeping this frame…");
    const body = new FormData();
    body.append("file", frame, "camera-frame.jpg");
    let answer;
    try {
      const response = await fetch(section.dataset.uploadUrl, { method: "POST", body });
      answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
      if (!response.ok) throw new Error(answer.error);
    } catch (error) {
      setState("off");
      say(`The frame could not be kept: ${error.message}`, true);
      return;
    }
    section.dataset.upload = answer.id;
    setState("frozen");
    const select = form && form.elements.namedItem("image");
    if (select instanceof HTMLSelectElement) {
      if (![...select.options].some((option) => option.value === answer.id)) select.add(new Option("Camera frame", answer.id));
      select.value = answer.id;
      const uploadStatus = document.getElementById("upload-status");
      if (uploadStatus) {
        uploadStatus.textContent = `Frozen camera frame: ${answer.width}×${answer.height} pixels.`;
        uploadStatus.classList.remove("is-error");
      }
      if (window.htmx) htmx.trigger(form, "pick", { part: "all" });
      say(`Frozen: this ${answer.width}×${answer.height} frame is now the playground's picture.`, false,
        { href: "#playground", text: "Point at its pixels" });
    } else { // an embed: the full page, with this frame in its playground
      const query = new URLSearchParams(stateQuery());
      query.set("image", answer.id);
      say(`Frozen: this ${answer.width}×${answer.height} frame is kept.`, false,
        { href: `${section.dataset.pageUrl}?${query}#playground`, text: "Point at its pixels (opens a new tab)", newTab: true });
    }
  }

  /* ---- buttons ---- */

  const reason = unavailable();
  if (reason) {
    toggle.disabled = true;
    setState("unavailable");
    say(reason, true);
  } else {
    setState("off");
  }
  toggle.addEventListener("click", () => {
    if (section.dataset.state === "on" || section.dataset.state === "starting") stop();
    else start();
  });
  freezeButton.addEventListener("click", freeze);
  addEventListener("pagehide", () => {
    if (stream) stop(null);
  });
})();
