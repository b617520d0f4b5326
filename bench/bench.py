"""The engine against SciPy, OpenCV and Pillow, side by side in one table.

    python -m bench.bench            # 512² and 1024², grey and RGB, kernels 3…31 (a few minutes)
    python -m bench.bench --quick    # 512² only, fewer repeats
    python -m bench.bench --png      # also: Pillow PNG encoding of a 512² RGB image per compress level

Every contender filters the same float32 image (Pillow: the same pixels as 8-bit, its only input)
with the same kernel and replicated borders (our ``extend``). Dense kernels are uniform random
weights; separable ones are OpenCV's default Gaussian of that size, given to the engine, SciPy and
filter2D as the full 2-D table (the engine detects rank 1 itself) and to sepFilter2D as its factors.
The engine is timed through its public entry point, ``filter_image``, checks and padding included.
Times are medians over rounds; each round runs every contender in turn for a short loop (see
:func:`median_times`), so a busy machine slows all of them alike.

Targets (the "check" column): at least 3× faster than SciPy everywhere; within 6× of filter2D for
dense kernels up to 9×9 and within 2.5× from 11×11; faster than filter2D for separable kernels from
15×15. Rows with every option on (:func:`every_option_row`) have the dense targets. Request rows
(:func:`request_rows`) have their own targets.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import PIL
import scipy
import scipy.ndimage as ndi
from PIL import Image, ImageFilter

from bench.references import every_option, opencv_result, scipy_result
from kernels.engine import filter_image
from kernels.options import Options

KERNEL_SIZES = (3, 5, 7, 15, 31)


@dataclass
class Row:
    """One line of the table: times in milliseconds (None when a reference does not apply)."""

    case: str
    engine_ms: float
    method: str = ""
    scipy_ms: float | None = None
    filter2d_ms: float | None = None
    sep_ms: float | None = None
    pillow_ms: float | None = None
    target: str = ""
    passed: bool | None = None


def median_times(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call for each contender.

    After one warm-up call each, every round runs each contender in turn for a short loop (as many
    calls as fit in about 20 ms, at least one) and records the mean time per call; contenders
    alternate within every round, so a change in machine load affects all of them alike. Slow
    references (over half a second a call) are measured in three rounds only.
    """
    loops = {}
    for name, run in contenders.items():
        start = time.perf_counter()
        run()
        loops[name] = max(1, min(50, int(0.02 / max(time.perf_counter() - start, 1e-6))))
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for index in range(rounds):
        for name, run in contenders.items():
            if loops[name] == 1 and samples[name] and samples[name][0] > 0.5 and index >= 3:
                continue
            start = time.perf_counter()
            for _ in range(loops[name]):
                run()
            samples[name].append((time.perf_counter() - start) / loops[name])
    return {name: statistics.median(times) for name, times in samples.items()}


def gaussian(size: int) -> np.ndarray:
    """OpenCV's default Gaussian of this size (sigma from the size), as a column."""
    return cv2.getGaussianKernel(size, 0.3 * ((size - 1) * 0.5 - 1) + 0.8)


def engine_row(size: int, channels: int, k: int, kind: str, rounds: int, rng: np.random.Generator) -> Row:
    shape = (size, size) if channels == 1 else (size, size, channels)
    image = (rng.random(shape, dtype=np.float32) * 255).astype(np.float32)
    pixels = np.rint(image).astype(np.uint8)
    if kind == "dense":
        kernel = rng.random((k, k))
        column = None
    else:
        column = gaussian(k)
        kernel = column @ column.T
    kernel32 = kernel.astype(np.float32)
    scipy_kernel = kernel32 if channels == 1 else kernel32[:, :, None]
    method = filter_image(image, kernel).method
    contenders: dict[str, Callable[[], object]] = {
        "engine": lambda: filter_image(image, kernel),
        "scipy": lambda: ndi.correlate(image, scipy_kernel, mode="nearest"),
        "filter2d": lambda: cv2.filter2D(image, -1, kernel32, borderType=cv2.BORDER_REPLICATE),
    }
    if column is not None:
        col32 = column.astype(np.float32)
        contenders["sep"] = lambda: cv2.sepFilter2D(image, -1, col32, col32, borderType=cv2.BORDER_REPLICATE)
    if k in (3, 5):
        pil_image = Image.fromarray(pixels)
        pil_filter = ImageFilter.Kernel((k, k), kernel.ravel().tolist(), scale=1)
        contenders["pillow"] = lambda: pil_image.filter(pil_filter)
    ms = {name: seconds * 1e3 for name, seconds in median_times(contenders, rounds).items()}
    row = Row(
        case=f"{size}² {'grey' if channels == 1 else 'RGB '} {k:>2}×{k:<2} {kind}",
        engine_ms=ms["engine"],
        method=method,
        scipy_ms=ms["scipy"],
        filter2d_ms=ms["filter2d"],
        sep_ms=ms.get("sep"),
        pillow_ms=ms.get("pillow"),
    )
    judge(row, k, kind)
    return row


def judge(row: Row, k: int, kind: str) -> None:
    """Fill in the row's target text and whether it passed."""
    checks = [("SciPy÷eng ≥ 3", row.scipy_ms / row.engine_ms >= 3)]
    if kind == "dense" and k <= 9:
        checks.append(("eng÷f2D ≤ 6", row.engine_ms / row.filter2d_ms <= 6))
    elif kind == "dense":
        checks.append(("eng÷f2D ≤ 2.5", row.engine_ms / row.filter2d_ms <= 2.5))
    elif k >= 15:
        checks.append(("eng÷f2D < 1", row.engine_ms < row.filter2d_ms))
    row.target = ", ".join(text for text, _ in checks)
    row.passed = all(ok for _, ok in checks)


EVERY_OPTION_CASES = (
    (512, 3, "extend"), (512, 3, "wrap"), (512, 3, "mirror"), (512, 3, "symmetric"), (512, 3, "constant"),
    (512, 15, "mirror"), (1024, 3, "mirror"), (1024, 15, "wrap"),
)
"""(image side, kernel side, edge mode) of the rows with every option on; RGB images."""


def every_option_row(size: int, k: int, edge: str, rounds: int, rng: np.random.Generator) -> Row:
    """A dense k×k kernel on an RGB image with every option at once: convolve, the edge mode (cval 40),
    normalise, divisor 2, offset 10, stride 2, dilation 2, two passes and a corner origin.

    SciPy and filter2D have no stride, normalise, divisor, offset or repeat: they filter at full
    resolution and slice, as their users would (:func:`bench.references.every_option`). The engine's
    result is checked against SciPy's in the same row.
    """
    image = (rng.random((size, size, 3), dtype=np.float32) * 255).astype(np.float32)
    kernel = rng.random((k, k))
    options = Options(op="convolve", edge=edge, cval=40.0, normalize=True, divisor=2.0, offset=10.0,
                      stride=(2, 2), dilation=(2, 2), repeat=2, origin=(0, k - 1))
    kernel32 = kernel.astype(np.float32)
    engine = filter_image(image, kernel, options)
    expected = every_option(scipy_result, image, kernel32, options)
    same = bool(np.abs(engine.raw - expected).max() <= 1e-4 * max(1.0, float(np.abs(expected).max())))
    contenders: dict[str, Callable[[], object]] = {
        "engine": lambda: filter_image(image, kernel, options),
        "scipy": lambda: every_option(scipy_result, image, kernel32, options),
        "filter2d": lambda: every_option(opencv_float32, image, kernel32, options),
    }
    ms = {name: seconds * 1e3 for name, seconds in median_times(contenders, rounds).items()}
    row = Row(f"{size}² RGB  {k:>2}×{k:<2} all options, {edge}", ms["engine"], engine.method, ms["scipy"],
              ms["filter2d"])
    judge(row, k, "dense")
    if not same:
        row.target += ", result = SciPy's"
        row.passed = False
    return row


def opencv_float32(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    return opencv_result(image, kernel, options, dtype=np.float32)


# --- Request timing -----------------------------------------------------------------------------------------
# The web layer times whole `/api/output.png` requests (parse + engine + display + PNG encoding) here, e.g.
# 512² RGB with a 3×3 and a 31×31 dense kernel (targets ≤ 30 ms and ≤ 45 ms median). Return one Row per
# request with engine_ms = the request's median time, target = "≤ 30 ms" and passed filled in.


def request_rows(rounds: int) -> list[Row]:
    """Whole ``/api/output.png`` requests (parse + engine + display + PNG encoding) on the 512² RGB astronaut.

    Each call asks for a kernel no earlier call used, so neither the result nor the PNG cache can
    answer it. filter2D on the same image and kernel stands beside it for scale.
    """
    from app import create_app
    from kernels.samples import load_sample

    client = create_app({"TESTING": True}).test_client()
    photo = load_sample("astronaut").astype(np.float32)
    rng = np.random.default_rng(7)
    rows = []
    for k, limit in ((3, 30.0), (31, 45.0)):
        base = rng.uniform(-1, 1, (k, k)).round(3)
        calls = 0

        def request(base: np.ndarray = base) -> None:
            nonlocal calls
            calls += 1
            weights = base.copy()
            weights[0, 0] += calls * 1e-3  # a new state every call: nothing cached
            kernel = ";".join(",".join(f"{w:g}" for w in row) for row in weights)
            response = client.get(f"/api/output.png?image=astronaut&color=rgb&kernel={kernel}")
            assert response.status_code == 200, response.data[:200]

        times = median_times({
            "request": request,
            "filter2d": lambda base=base: cv2.filter2D(photo, -1, base.astype(np.float32),
                                                       borderType=cv2.BORDER_REPLICATE),
        }, max(rounds, 15))
        ms = times["request"] * 1e3
        rows.append(Row(case=f"request 512² RGB {k}×{k} dense", engine_ms=ms, method="http",
                        filter2d_ms=times["filter2d"] * 1e3, target=f"median ≤ {limit:g} ms",
                        passed=ms <= limit))
    return rows


# ------------------------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}×"


def print_table(rows: list[Row]) -> None:
    header = ("case", "engine ms", "method", "SciPy ms", "SciPy÷eng", "filter2D ms", "eng÷f2D", "sepF2D ms",
              "eng÷sep", "Pillow ms", "eng÷PIL", "target", "check")
    lines = []
    for row in rows:
        lines.append((
            row.case, _ms(row.engine_ms), row.method, _ms(row.scipy_ms),
            _ratio(row.scipy_ms / row.engine_ms if row.scipy_ms else None),
            _ms(row.filter2d_ms), _ratio(row.engine_ms / row.filter2d_ms if row.filter2d_ms else None),
            _ms(row.sep_ms), _ratio(row.engine_ms / row.sep_ms if row.sep_ms else None),
            _ms(row.pillow_ms), _ratio(row.engine_ms / row.pillow_ms if row.pillow_ms else None),
            row.target, "" if row.passed is None else ("PASS" if row.passed else "FAIL"),
        ))
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    left = {0, 2, 11, 12}

    def fmt(cells: tuple[str, ...]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return " | ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in pairs)

    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def png_encoding(rounds: int) -> None:
    """Median ms to encode a 512² RGB output as PNG at each Pillow compress level.

    The image is the bundled astronaut photo after a 3×3 sharpen (clamp display) when the sample is
    there, else a smooth noisy test pattern.
    """
    import io
    from pathlib import Path

    from kernels.display import render

    photo = Path(__file__).resolve().parent.parent / "kernels" / "data" / "samples" / "astronaut.png"
    if photo.exists():
        rgb = np.asarray(Image.open(photo).convert("RGB").resize((512, 512)), dtype=np.float32)
        source = "astronaut photo, 3×3 sharpen, clamp"
    else:
        rng = np.random.default_rng(0)
        rgb = cv2.GaussianBlur((rng.random((512, 512, 3)) * 255).astype(np.float32), (0, 0), 3)
        source = "blurred noise, 3×3 sharpen, clamp"
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64)
    image = Image.fromarray(render(filter_image(rgb, sharpen).raw, "clamp"))
    print(f"\nPNG encoding of a 512² RGB output ({source}), Pillow {PIL.__version__}:")
    for level in range(7):
        buffer = io.BytesIO()

        def encode(level: int = level, buffer: io.BytesIO = buffer) -> None:
            buffer.seek(0)
            buffer.truncate()
            image.save(buffer, format="PNG", compress_level=level)

        ms = median_times({"png": encode}, rounds)["png"] * 1e3
        print(f"  compress_level={level}: {ms:6.2f} ms, {len(buffer.getvalue()) / 1024:7.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description="Engine benchmark against SciPy, OpenCV and Pillow.")
    parser.add_argument("--quick", action="store_true", help="512² only, fewer rounds")
    parser.add_argument("--png", action="store_true", help="also time PNG encoding per compress level")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per case (default 9, quick 5)")
    options = parser.parse_args()
    rounds = options.rounds or (5 if options.quick else 9)
    sizes = (512,) if options.quick else (512, 1024)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; NumPy {np.__version__}, "
          f"SciPy {scipy.__version__}, OpenCV {cv2.__version__} ({cv2.getNumThreads()} threads), "
          f"Pillow {PIL.__version__}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"median ms per call over {rounds} rounds of short loops, contenders interleaved; float32 images; "
          "borders replicated\n")
    rng = np.random.default_rng(2026)
    rows = []
    for size in sizes:
        for channels in (1, 3):
            for k in KERNEL_SIZES:
                for kind in ("dense", "separable"):
                    rows.append(engine_row(size, channels, k, kind, rounds, rng))
    rows.extend(every_option_row(size, k, edge, rounds, rng) for size, k, edge in EVERY_OPTION_CASES if size in sizes)
    rows.extend(request_rows(rounds))
    print_table(rows)
    failed = [row.case for row in rows if row.passed is False]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} rows meet their targets"
          + (f"; failing: {', '.join(failed)}" if failed else "")
          + f". Load average at end {os.getloadavg()[0]:.2f}.")
    if options.png:
        png_encoding(rounds)


if __name__ == "__main__":
    main()
