"""The live camera in headless Chromium with a fake camera: frames per second, round trips and bytes per frame.

    python -m bench.camera [--network loopback classroom phone] [--seconds 15] [--pattern]
                           [--server gunicorn|werkzeug] [--url http://host:port]

For each network (default: loopback, then classroom) a new page opens ``/?kernel=sharpen&color=rgb`` (a 3×3
kernel on colour frames), presses Start camera and lets it run for ``--seconds`` after the first frame. The
page sends 320×240 JPEGs (quality 0.8) to ``POST /api/frame``, one at a time, at most 15 a second. The table
gives, from the page's own ``camera:frame`` events:

* frames per second: filtered frames shown over the measured time, and the frames the camera delivered while a
  request was under way (dropped, never queued);
* round trip, p50 and p95: from the request being sent to its answer received (ms), and capture → shown: from
  the frame drawn into the canvas to its filtered picture decoded, ready to paint;
* bytes per frame, p50: the JPEG sent up and the picture sent back (bodies; headers add about 0.3 KB each way).

Targets: loopback ≥ 12 frames/s and round trip p95 ≤ 60 ms; classroom (20/5 Mbit/s, 20 ms) ≥ 5 frames/s.
``--network`` emulates the network in Chromium (DevTools network emulation, see :mod:`bench.network`).

The fake camera plays a photo panned slowly with a little sensor noise (a Y4M file made here, 640×480 at 30
frames a second), so the frames compress and filter like a camera's; ``--pattern`` uses Chromium's own test
pattern instead (flat colours: smaller frames). Starts its own server on a free port unless ``--url`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from bench.latency import serve
from bench.latency_report import percentile
from bench.network import PROFILES, Profile, emulate
from imaging.samples import load_sample
from tests.chromium import ARGS as CHROMIUM_ARGS
from tests.chromium import find_chromium

PAGE = "/?kernel=sharpen&color=rgb"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000
MIN_FPS = {"loopback": 12.0, "classroom": 5.0}
MAX_ROUND_TRIP_P95_MS = {"loopback": 60.0}

# Runs in the page through the DevTools protocol (the page's CSP does not apply): keeps every frame's event.
RECORD = """() => {
  const section = document.getElementById("camera");
  window.__camera = [];
  section.addEventListener("camera:frame", (event) => window.__camera.push({ at: performance.now(), ...event.detail }));
}"""


@dataclass
class Run:
    """One network's measurement: the frames shown (their events), the seconds measured, frames dropped."""

    profile: Profile
    frames: list[dict]
    seconds: float
    dropped: int

    @property
    def fps(self) -> float:
        return len(self.frames) / self.seconds

    def times(self, key: str) -> list[float]:
        return [float(frame[key]) for frame in self.frames]


DROPPED = "Number(document.getElementById('camera').dataset.dropped || 0)"


def make_fake_video(path: Path, seconds: float = 4.0, fps: int = 30, size: tuple[int, int] = (640, 480)) -> None:
    """A Y4M video (4:2:0, full-range JPEG colours) of the coffee photo, enlarged and panned across slowly and
    back, with Gaussian noise of σ = 2 grey levels on every frame, as a camera would give."""
    width, height = size
    photo = Image.fromarray(np.ascontiguousarray(load_sample("coffee"))).resize((960, 640), Image.Resampling.LANCZOS)
    rng = np.random.default_rng(7)
    count = round(seconds * fps)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for index in range(count):
            phase = 0.5 - 0.5 * np.cos(2 * np.pi * index / count)  # there and back: the loop has no jump
            left, top = round(phase * (photo.width - width)), round(phase * (photo.height - height) / 2)
            crop = np.asarray(photo.crop((left, top, left + width, top + height)), dtype=np.float32)
            noisy = np.clip(crop + rng.normal(0, 2, crop.shape), 0, 255).astype(np.uint8)
            y, cb, cr = Image.fromarray(noisy).convert("YCbCr").split()
            half = (width // 2, height // 2)
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize(half, Image.Resampling.BOX).tobytes())
            out.write(cr.resize(half, Image.Resampling.BOX).tobytes())


def measure(browser: Browser, base: str, profile: Profile, seconds: float) -> Run:
    """Open the page under ``profile``, start the camera, wait for its first frame, then count for ``seconds``."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    emulate(cdp, profile)
    page.goto(base + PAGE, wait_until="load", timeout=TIMEOUT_MS)
    page.locator("#camera").wait_for(state="attached", timeout=TIMEOUT_MS)
    page.evaluate(RECORD)
    page.locator("#camera").scroll_into_view_if_needed()
    page.get_by_role("button", name="Start camera").click()
    page.wait_for_function("() => window.__camera.length >= 3", timeout=TIMEOUT_MS)  # warmed up
    start = page.evaluate(f"() => [performance.now(), window.__camera.length, {DROPPED}]")
    page.wait_for_timeout(seconds * 1000)
    end, frames, dropped = page.evaluate(f"() => [performance.now(), window.__camera, {DROPPED}]")
    page.get_by_role("button", name="Stop camera").click()
    context.close()
    return Run(profile, frames[start[1] :], (end - start[0]) / 1000, dropped - start[2])


def report(runs: list[Run], version: str, base: str, source: str) -> bool:
    print(f"Image Kernels live camera: headless Chromium {version}, {base}{PAGE}")
    print(f"fake camera: {source}; 320×240 JPEG frames (quality 0.8), 3×3 sharpen on colour, at most 15 a second\n")
    header = (
        "network",
        "frames/s",
        "dropped/s",
        "round trip p50",
        "p95",
        "capture→shown p50",
        "p95",
        "up KB",
        "down KB",
    )
    rows = [header]
    verdicts = []
    for run in runs:
        name = run.profile.name
        trips, shown = run.times("roundTripMs"), run.times("shownMs")
        up, down = run.times("upBytes"), run.times("downBytes")
        rows.append(
            (
                name,
                f"{run.fps:.1f}",
                f"{run.dropped / run.seconds:.1f}",
                f"{percentile(trips, 50):.0f} ms",
                f"{percentile(trips, 95):.0f} ms",
                f"{percentile(shown, 50):.0f} ms",
                f"{percentile(shown, 95):.0f} ms",
                f"{statistics.median(up) / 1000:.1f}",
                f"{statistics.median(down) / 1000:.1f}",
            )
        )
        if name in MIN_FPS:
            verdicts.append((f"{name}: frames/s ≥ {MIN_FPS[name]:g}", run.fps >= MIN_FPS[name]))
        if name in MAX_ROUND_TRIP_P95_MS:
            limit = MAX_ROUND_TRIP_P95_MS[name]
            verdicts.append((f"{name}: round trip p95 ≤ {limit:g} ms", percentile(trips, 95) <= limit))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print()
    for run in runs:
        print(f"{run.profile.describe()}: {len(run.frames)} frames in {run.seconds:.1f} s")
    print("round trip: request sent → answer received; capture → shown: frame drawn → filtered picture decoded.")
    print("KB: bodies, 1 KB = 1000 bytes (p50).\n")
    for words, passed in verdicts:
        print(f"{'PASS' if passed else 'FAIL'}  {words}")
    return all(passed for _, passed in verdicts)


def run(base: str, profiles: list[Profile], seconds: float, video: Path | None) -> bool:
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    if video is not None:
        args.append(f"--use-file-for-fake-video-capture={video}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=args)
        version = browser.version
        runs = [measure(browser, base, profile, seconds) for profile in profiles]
        browser.close()
    source = (
        "Chromium's test pattern" if video is None else "a photo panned slowly, with sensor noise (640×480, 30 fps)"
    )
    return report(runs, version, base, source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", nargs="+", choices=tuple(PROFILES), default=["loopback", "classroom"])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--pattern", action="store_true", help="Chromium's test pattern instead of a panned photo")
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--url", help="measure a server that is already running instead of starting one")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        video = None
        if not args.pattern:
            video = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="camera-bench-"))) / "camera.y4m"
            make_fake_video(video)
        base = args.url.rstrip("/") if args.url else stack.enter_context(serve(args.server, args.threads))
        ok = run(base, [PROFILES[name] for name in args.network], args.seconds, video)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
