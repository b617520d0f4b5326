"""In-browser latency of the explorable, measured in headless Chromium on loopback.

    python -m bench.latency [--trials 50] [--server gunicorn|werkzeug] [--url http://host:port]

Two measurements on the playground with a 512×512 RGB photo (``image=astronaut&color=rgb``):

* typing: from the moment the debounce of the last keystroke fires (htmx's ``htmx:config:request``) to the
  new output image decoded and painted (``img.decode()``, then the next animation frame has been drawn);
* pointing: from a pointer move over the output image (the event's time stamp) to the panel showing the
  new pixel, painted, with the pictures and the whole panel on screen (the report says in how many trials);
* and, as the reference beside it, the floor this browser and machine put under any answer from the
  server: a pointer move over a plain box sends ``GET /healthz`` (a few bytes, no work) and writes its text
  into the box, timed the same way. The page's own script ignores moves outside its pictures.

Prints p50 and p95 of each against the targets (p95 ≤ 60 ms and ≤ 30 ms). Starts its own server on a
free port unless ``--url`` is given: gunicorn with one worker process (so both requests of an edit share
the worker's caches) and several threads, or Werkzeug's threaded server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.chromium import ARGS as CHROMIUM_ARGS
from bench.chromium import find_chromium

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/?image=astronaut&color=rgb&kernel=sharpen"
TARGETS_MS = {"typing": 60.0, "pointing": 30.0}

# Runs in the page (through the DevTools protocol, so the page's CSP does not apply). Marks a start time,
# then watches the output photo's src (waiting for the new picture to be decoded) or the playground panel
# (waiting for the pixel pointed at), then for the next frame and the task after it, which runs once that
# frame has been painted.
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
    document.getElementById("play-output-image").decode().then(painted, () => {});
  }).observe(document.getElementById("play-output-image"), { attributes: true, attributeFilter: ["src"] });
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(kind: str, threads: int) -> Iterator[str]:
    """Start the app on a free loopback port in a child process; yield its base URL."""
    port = free_port()
    uploads = tempfile.mkdtemp(prefix="latency-uploads-")
    env = {**os.environ, "IMAGE_KERNELS_UPLOAD_FOLDER": uploads}
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                   "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning",
                   "app:create_app()"]
    else:
        code = ("from werkzeug.serving import run_simple; from app import create_app; "
                f"run_simple('127.0.0.1', {port}, create_app(), threaded=True)")
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


def wait_for_end(page: Page, timeout_ms: int = 10_000) -> float:
    """Milliseconds from the marked start to the painted result. One call that waits in the page: polling
    from here would put work on the page's main thread while it is being measured."""
    elapsed = page.evaluate(
        """timeout => Promise.race([window.__bench.done,
                                    new Promise((resolve) => setTimeout(() => resolve(null), timeout))])""",
        timeout_ms,
    )
    if elapsed is None:
        raise TimeoutError("the page did not update in time")
    return float(elapsed)


def arm(page: Page, mode: str, x: int = -1, y: int = -1) -> None:
    page.evaluate("""([mode, x, y]) => {
        const bench = Object.assign(window.__bench, { mode, x, y, start: null, end: null, ownFrame: false });
        bench.done = new Promise((resolve) => { bench.resolve = resolve; });
    }""", [mode, str(x), str(y)])


def measure_typing(page: Page, trials: int, warmup: int) -> list[float]:
    """Type a new centre weight (a different one each time, so nothing is cached) and time the image."""
    cell = page.locator("#k-1-1")
    samples = []
    for trial in range(warmup + trials):
        cell.click()
        cell.press("Control+a")
        arm(page, "typing")
        cell.press_sequentially(f"5.{trial + 1:03d}", delay=15)
        elapsed = wait_for_end(page)
        if trial >= warmup:
            samples.append(elapsed)
        page.wait_for_timeout(50)
    return samples


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


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(label: str, samples: list[float], target: float | None = None) -> bool:
    """Print one row: p50 and p95, and the verdict against ``target`` (ms) when the row has one."""
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    if target is None:
        verdict = "the floor under any answer from the server here"
    else:
        verdict = f"p95 ≤ {target:.0f} ms: {'meets' if p95 <= target else 'MISSES'}"
    print(f"{label:<44} {p50:7.1f} ms {p95:7.1f} ms   {verdict}"
          f"   (mean {statistics.fmean(samples):.1f}, max {max(samples):.1f})")
    return target is None or p95 <= target


def run(base: str, trials: int, warmup: int) -> bool:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + PAGE)
        page.evaluate(INSTRUMENT)
        typing = measure_typing(page, trials, warmup)
        pointing, on_screen, own_frames = measure_pointing(page, trials, warmup)
        reference = measure_reference(page, trials, warmup)
        version = browser.version
        browser.close()
    print(f"Image Kernels latency, headless Chromium {version}, {base}{PAGE}, {trials} trials each")
    print(f"{'':<44} {'p50':>10} {'p95':>10}")
    ok = report("last keystroke's debounce → new image shown", typing, TARGETS_MS["typing"])
    ok = report("pointer move → updated panel shown", pointing, TARGETS_MS["pointing"]) and ok
    report("reference: pointer move → GET /healthz shown", reference)
    print(f"The whole panel was on screen, below the pictures, in {on_screen} of {trials} pointing trials.")
    report_frames(pointing, own_frames)
    return ok


def report_frames(samples: list[float], own_frames: list[bool]) -> None:
    """Split the pointing trials by whether the pointer move got a frame of its own before the answer came.

    Chromium hands a pointer move to the page in the next frame (the display refreshes every 16.7 ms at 60 Hz).
    When that frame comes before the answer, the answer is drawn one refresh later; otherwise both are drawn
    in one frame, as soon as the answer is in."""
    waited = [t for t, own in zip(samples, own_frames, strict=True) if own]
    shared = [t for t, own in zip(samples, own_frames, strict=True) if not own]
    for label, group in (("the pointer's own frame came first", waited), ("one frame for both", shared)):
        if group:
            print(f"  {label + ':':<42} {len(group):3} trials, p50 {percentile(group, 50):5.1f} ms, "
                  f"p95 {percentile(group, 95):5.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--url", help="measure a server that is already running instead of starting one")
    args = parser.parse_args(argv)
    if args.url:
        ok = run(args.url.rstrip("/"), args.trials, args.warmup)
    else:
        with serve(args.server, args.threads) as base:
            ok = run(base, args.trials, args.warmup)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
