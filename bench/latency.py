"""In-browser latency of the explorable, and the bytes it moves, measured in headless Chromium.

    python -m bench.latency [--network loopback|classroom|phone] [--trials 50] [--big-photo | --upload PATH]
                            [--server gunicorn|werkzeug] [--url http://host:port]

Two measurements on the playground with a 512×512 RGB photo (``image=astronaut&color=rgb``):

* typing: from the moment the debounce of the last keystroke fires (htmx's ``htmx:config:request``) to the
  new output image decoded and painted (``img.decode()``, then the next animation frame has been drawn);
* pointing: from a pointer move over the output image (the event's time stamp) to the panel showing the
  new pixel, painted, with the pictures and the whole panel on screen (the report says in how many trials);
* and, as the reference beside it, the floor this browser and machine put under any answer from the
  server: a pointer move over a plain box sends ``GET /healthz`` (a few bytes, no work) and writes its text
  into the box, timed the same way. The page's own script ignores moves outside its pictures.

Prints p50 and p95 of each against the targets (typing p95 ≤ 60 ms and pointing p95 ≤ 2 display frames,
33.3 ms, on loopback).

``--network`` emulates a network in Chromium (DevTools network emulation, see :mod:`bench.network`) from
before the first page load on: ``classroom`` (20 Mbit/s down, 5 up, 20 ms round trip; typing p95 ≤ 200 ms)
or ``phone`` (9 Mbit/s down, 1.5 up, 60 ms; typing p95 ≤ 400 ms). There the pointing target is two display
frames plus the round trip. The default, ``loopback``, emulates nothing.

On every network it also counts the bytes on the wire (headers included, compressed if the answer was) of
the cold page load, from an empty cache until the network is idle (≤ 400 KB), with its largest requests,
and of each edit: everything a typing trial sends until the network is idle again (p50 and max; max ≤ 250 KB).
The cold load is timed too, from navigation start to the playground's output image decoded and painted.

``--big-photo`` uploads a 4000×3000 JPEG of a few MB (see :mod:`bench.big_photo`), ``--upload PATH`` a file of
your own, from Python, outside the emulated network; then times the cold load of the playground on it
(≤ 3 s on classroom), counts its bytes, and runs the typing trials on it (at most 30 unless
``--upload-trials`` says otherwise) against the same targets per edit.

Starts its own server on a free port unless ``--url`` is given: gunicorn with one worker process (so both
requests of an edit share the worker's caches) and several threads, or Werkzeug's threaded server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Browser, Page, sync_playwright

from bench.big_photo import DESCRIPTION as BIG_PHOTO
from bench.big_photo import make_big_photo, upload
from bench.latency_report import BIG_PHOTO_SHOWN_MS, COLD_PAGE_KB, ColdLoad, PageResult, report_page
from bench.network import PROFILES, Profile, Request, Traffic, emulate
from tests.chromium import ARGS as CHROMIUM_ARGS
from tests.chromium import find_chromium
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
QUERY = "color=rgb&kernel=sharpen"
PAGE = f"/?image=astronaut&{QUERY}"
VIEWPORT = {"width": 1280, "height": 900}

UPLOAD_TRIALS = 30
TIMEOUT_MS = 30_000
BIG_TIMEOUT_MS = 180_000
"""How long one answer may take before the run stops: a 12-megapixel picture over a slow network is slow."""

# Runs in the page (through the DevTools protocol, so the page's CSP does not apply). Marks a start time,
# then watches the output photo's src (waiting for the new picture to be decoded) or the playground panel
# (waiting for the pixel pointed at), then for the next frame and the task after it, which runs once that
# frame has been painted. The output photo is looked up by its id at each change, so an answer that
# replaced the element would be seen as well.
INSTRUMENT = """() => {
  const bench = window.__bench = { mode: null, start: null, end: null };
  document.addEventListener("htmx:config:request", () => {
    // The edit's own request; the one the page sends for the regions once the picture is shown comes later.
    if (bench.mode === "typing" && bench.start === null) bench.start = performance.now();
  }, true);
  document.addEventListener("pointermove", (event) => {
    if (bench.mode !== "pointing" && bench.mode !== "reference") return;
    bench.start = event.timeStamp;
    // Chromium hands pointermove to the page in a frame (pointerrawupdate comes at once). Did that frame come
    // before the answer did? The answer's own frame then waits for the next display refresh.
    bench.ownFrame = bench.end === null;
  }, true);
  const painted = () => requestAnimationFrame(() => setTimeout(() => {
    bench.end = performance.now();
    bench.resolve(bench.end - bench.start);
  }));
  new MutationObserver(() => {
    if (bench.mode !== "typing") return;
    const image = document.getElementById("play-output-image");
    if (!image || image.getAttribute("src") === bench.src) return;
    bench.src = image.getAttribute("src");
    image.decode().then(painted, () => {});
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
  const box = document.createElement("div");
  box.id = "bench-reference";
  box.style.cssText = "position:fixed;left:0;top:0;width:320px;height:320px;z-index:99;background:#fff";
  document.body.append(box);
  // As the page's script does: pointerrawupdate does not wait for the next frame as pointermove does.
  box.addEventListener("onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove", () => {
    if (bench.mode !== "reference" || bench.end !== null) return;
    bench.end = -1;
    fetch("/healthz", { cache: "no-store" }).then((answer) => answer.text()).then((text) => {
      box.textContent = `${text} ${bench.x},${bench.y}`;
      painted();
    });
  });
  new MutationObserver(() => {
    const panel = document.getElementById("play-explain");
    if (bench.mode === "pointing" && bench.end === null && panel.dataset.x === bench.x && panel.dataset.y === bench.y) {
      bench.end = -1;
      painted();
    }
  }).observe(document.getElementById("play-panel"), { childList: true, subtree: true, attributes: true });
}"""

# Added to the page before it loads (Playwright's init script): the first time the playground's output
# image has loaded, wait for it to be decoded and painted, and note when, in ms from navigation start.
COLD = """(() => {
  if (window.top !== window) return;
  const cold = window.__cold = { src: null };
  cold.done = new Promise((resolve) => {
    document.addEventListener("load", (event) => {
      const image = event.target;
      if (cold.src !== null || image.id !== "play-output-image" || !image.complete || !image.naturalWidth) return;
      cold.src = image.currentSrc;
      image.decode().then(
        () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))),
        () => { cold.src = null; },
      );
    }, true);
  });
})();"""


@contextlib.contextmanager
def serve(kind: str, threads: int) -> Iterator[str]:
    """Start the app on a free loopback port in a child process; yield its base URL."""
    port = free_port()
    uploads = tempfile.mkdtemp(prefix="latency-uploads-")
    env = {**os.environ, "IMAGE_KERNELS_UPLOAD_FOLDER": uploads}
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "app:create_app()",
        ]
    else:
        code = (
            "from werkzeug.serving import run_simple; from app import create_app; "
            f"run_simple('127.0.0.1', {port}, create_app(), threaded=True)"
        )
        command = [sys.executable, "-c", code]
    log = Path(uploads) / "server.log"  # a file, not a pipe: an unread pipe would fill up and stall the server
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(uploads, ignore_errors=True)


def wait_in_page(page: Page, promise: str, timeout_ms: int) -> Any:
    """The value of the page's ``promise`` (an expression), or None if it has not settled after ``timeout_ms``."""
    return page.evaluate(
        f"""timeout => Promise.race([{promise},
                                     new Promise((resolve) => setTimeout(() => resolve(null), timeout))])""",
        timeout_ms,
    )


def wait_for_end(page: Page, timeout_ms: int = 10_000) -> float:
    """Milliseconds from the marked start to the painted result. One call that waits in the page: polling
    from here would put work on the page's main thread while it is being measured."""
    elapsed = wait_in_page(page, "window.__bench.done", timeout_ms)
    if elapsed is None:
        raise TimeoutError("the page did not update in time")
    return float(elapsed)


def arm(page: Page, mode: str, x: int = -1, y: int = -1) -> None:
    page.evaluate(
        """([mode, x, y]) => {
        const bench = Object.assign(window.__bench, { mode, x, y, start: null, end: null, ownFrame: false });
        bench.src = document.getElementById("play-output-image")?.getAttribute("src");
        bench.done = new Promise((resolve) => { bench.resolve = resolve; });
    }""",
        [mode, str(x), str(y)],
    )


def load_cold(browser: Browser, profile: Profile, url: str, timeout_ms: int) -> tuple[Page, Traffic, ColdLoad]:
    """Open ``url`` in a new browser context (an empty cache) under ``profile``, from before navigation on."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(COLD)
    cdp = context.new_cdp_session(page)
    traffic = Traffic(cdp)
    emulate(cdp, profile)
    start = traffic.mark()
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    shown = wait_in_page(page, "window.__cold.done", timeout_ms)
    if shown is None:
        raise TimeoutError(f"the output image of {url} did not show in time")
    page.wait_for_load_state("load", timeout=timeout_ms)
    if not traffic.wait_idle(page, quiet_ms=500, timeout_ms=timeout_ms):
        print(f"warning: the network did not go idle after loading {url}", file=sys.stderr)
    return page, traffic, ColdLoad(float(shown), page.evaluate("window.__cold.src"), traffic.between(start))


def measure_typing(
    page: Page, trials: int, warmup: int, traffic: Traffic, timeout_ms: int = TIMEOUT_MS
) -> tuple[list[float], list[list[Request]]]:
    """Type a new centre weight (a different one each time, so nothing is cached) and time the image. Each
    trial then waits for the network to be idle (the page asks for the regions once the picture shows), and
    keeps the requests it sent: the bytes of one edit."""
    cell = page.locator("#k-1-1")
    samples, edits = [], []
    for trial in range(warmup + trials):
        start = traffic.mark()
        cell.click()
        cell.press("Control+a")
        arm(page, "typing")
        cell.press_sequentially(f"5.{trial + 1:03d}", delay=15)
        elapsed = wait_for_end(page, timeout_ms)
        if not traffic.wait_idle(page, timeout_ms=timeout_ms):
            print(f"warning: the network did not go idle after typing trial {trial + 1}", file=sys.stderr)
        if trial >= warmup:
            samples.append(elapsed)
            edits.append(traffic.between(start, traffic.mark()))
    return samples, edits


PANEL_ON_SCREEN = """() => {
  const panel = document.getElementById("play-panel").getBoundingClientRect();
  return panel.top >= 0 && panel.bottom <= innerHeight;
}"""


def measure_pointing(page: Page, trials: int, warmup: int) -> tuple[list[float], int, list[bool]]:
    """Move the pointer to a new pixel of the output photo and time the panel. The pictures are scrolled to the
    top of the window, as someone pointing at them and reading the panel below would. Returns the times, the
    number of trials whose panel was wholly on screen, and for each trial whether Chromium drew a frame for the
    pointer move itself before the answer arrived."""
    page.evaluate("document.getElementById('play-region').scrollIntoView({ block: 'start' })")
    box = page.locator("#play-output-image").bounding_box()
    rng = random.Random(7)
    samples, on_screen, own_frames = [], 0, []
    for trial in range(warmup + trials):
        x, y = rng.randrange(512), rng.randrange(512)
        arm(page, "pointing", x, y)
        page.mouse.move(box["x"] + (x + 0.5) * box["width"] / 512, box["y"] + (y + 0.5) * box["height"] / 512)
        elapsed = wait_for_end(page)
        if trial >= warmup:
            samples.append(elapsed)
            on_screen += bool(page.evaluate(PANEL_ON_SCREEN))
            own_frames.append(bool(page.evaluate("window.__bench.ownFrame")))
        page.wait_for_timeout(30)
    return samples, on_screen, own_frames


def measure_reference(page: Page, trials: int, warmup: int) -> list[float]:
    """The same pointer move over the reference box, answered by the smallest round trip to the server."""
    rng = random.Random(11)
    samples = []
    for trial in range(warmup + trials):
        x, y = rng.randrange(10, 310), rng.randrange(10, 310)
        arm(page, "reference", x, y)
        page.mouse.move(x, y)
        elapsed = wait_for_end(page)
        if trial >= warmup:
            samples.append(elapsed)
        page.wait_for_timeout(30)
    return samples


def run(
    base: str,
    profile: Profile,
    trials: int,
    warmup: int,
    photo: tuple[Path, str] | None = None,
    upload_trials: int = UPLOAD_TRIALS,
) -> bool:
    big_page = big_title = ""
    if photo is not None:
        path, description = photo
        answer = upload(base, path)
        big_page = f"/?image={quote(str(answer['id']))}&{QUERY}"
        big_title = (
            f"{description}, {path.stat().st_size / 1e6:.1f} MB, uploaded as {answer['id']} "
            f"({answer['width']}×{answer['height']})"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=list(CHROMIUM_ARGS))
        version = browser.version
        page, traffic, cold = load_cold(browser, profile, base + PAGE, TIMEOUT_MS)
        page.evaluate(INSTRUMENT)
        typing, edits = measure_typing(page, trials, warmup, traffic)
        pointing, on_screen, own_frames = measure_pointing(page, trials, warmup)
        reference = measure_reference(page, trials, warmup)
        page.context.close()
        results = [PageResult(cold, typing, edits, pointing, on_screen, own_frames, reference)]
        if big_page:
            page, traffic, cold = load_cold(browser, profile, base + big_page, BIG_TIMEOUT_MS)
            page.evaluate(INSTRUMENT)
            typing, edits = measure_typing(page, upload_trials, warmup, traffic, BIG_TIMEOUT_MS)
            page.context.close()
            results.append(PageResult(cold, typing, edits))
        browser.close()
    print(f"Image Kernels latency and bytes, network: {profile.describe()}")
    print(f"headless Chromium {version}, {base}{PAGE}, {trials} trials each after {warmup} warm-up")
    ok = report_page(results[0], profile, base, None, COLD_PAGE_KB)
    if big_page:
        print(f"\nBig photo, network: {profile.name}: {big_title}")
        print(f"{base}{big_page}, {upload_trials} typing trials after {warmup} warm-up")
        ok = report_page(results[1], profile, base, BIG_PHOTO_SHOWN_MS.get(profile.name), None) and ok
    print(
        "\nBytes: Chromium's encodedDataLength of each request (headers and body as sent, compressed if it was); "
        "1 KB = 1000 bytes."
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", choices=tuple(PROFILES), default="loopback")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    photo = parser.add_mutually_exclusive_group()
    photo.add_argument("--big-photo", action="store_true", help="also measure a built-in 4000×3000 JPEG")
    photo.add_argument("--upload", type=Path, metavar="PATH", help="also measure this picture, uploaded")
    parser.add_argument(
        "--upload-trials", type=int, help=f"typing trials on the uploaded picture (default: at most {UPLOAD_TRIALS})"
    )
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--url", help="measure a server that is already running instead of starting one")
    args = parser.parse_args(argv)
    profile = PROFILES[args.network]
    upload_trials = args.upload_trials or min(args.trials, UPLOAD_TRIALS)
    with contextlib.ExitStack() as stack:
        photo_case = None
        if args.big_photo:
            path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="latency-photo-"))) / "big-photo.jpg"
            make_big_photo(path)
            photo_case = (path, BIG_PHOTO)
        elif args.upload:
            photo_case = (args.upload, str(args.upload))
        base = args.url.rstrip("/") if args.url else stack.enter_context(serve(args.server, args.threads))
        ok = run(base, profile, args.trials, args.warmup, photo_case, upload_trials)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
