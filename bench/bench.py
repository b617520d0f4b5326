"""The engine against SciPy, OpenCV and Pillow, side by side in one table.

    python -m bench.bench                 # everything below (about ten minutes on two cores)
    python -m bench.bench --quick         # 512² rows and requests only, fewer repeats (no big photo, no pictures)
    python -m bench.bench --quick --big   # … plus the 4000×3000 rows (--png: plus the picture table)
    python -m bench.bench --only big      # only the 4000×3000 rows; --only pictures: only the picture table

Every contender filters the same float32 image (Pillow: the same pixels as 8-bit, its only input)
with the same kernel and replicated borders (our ``extend``). Dense kernels are uniform random
weights; separable ones are OpenCV's default Gaussian of that size, given to the engine, SciPy and
filter2D as the full 2-D table (the engine detects rank 1 itself) and to sepFilter2D as its factors.
The engine is timed through its public entry point, ``filter_image``, checks and padding included.
Times are medians over rounds; each round runs every contender in turn for a short loop (see
:func:`median_times`), so a busy machine slows all of them alike.

Targets (the "check" column, :func:`bench.table.judge`): at least 3× faster than SciPy everywhere; within
6× of filter2D for dense kernels up to 9×9 and within 2.5× from 11×11; faster than filter2D for separable
kernels from 15×15. Rows with every option on (:func:`every_option_row`) have the dense targets. Request rows
(:func:`request_rows`) have their own targets.

Big-photo rows (:func:`big_rows`, in the default run, not in ``--quick``): a 4000×3000 photo (what a phone
takes), grey and RGB, through a 3×3 and a 31×31 dense random kernel, a 19×19 box (``np.ones((19, 19)) / 361``)
and OpenCV's 25×25 Gaussian, beside SciPy, filter2D and (box, Gaussian) sepFilter2D. The image is the
astronaut resized with Pillow (LANCZOS) plus Gaussian noise of σ = 2 (:func:`big_photo`), so it looks like
a photo, not noise. They are slow (SciPy takes about half a minute a call on the RGB 31×31), so they take 3 rounds
(``--big-rounds``). Their one target: the RGB 19×19 box in at most 0.5 s (median); the other big rows are
for scale and have no target.
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Callable

import cv2
import numpy as np
import PIL
import scipy
import scipy.ndimage as ndi
from PIL import Image, ImageFilter

from bench.layer import print_layer_table
from bench.pictures import big_photo, picture_table
from bench.table import Row, judge, print_table
from bench.timing import median_times, picture_label, rounds_text
from imaging.samples import load_sample
from kernels.engine import filter_image
from kernels.options import Options
from tests.oracles import every_option, opencv_result, scipy_result

KERNEL_SIZES = (3, 5, 7, 15, 31)


def gaussian(size: int) -> np.ndarray:
    """OpenCV's default Gaussian of this size (sigma from the size), as a column."""
    return cv2.getGaussianKernel(size, 0.3 * ((size - 1) * 0.5 - 1) + 0.8)


def random_image(size: int, channels: int, rng: np.random.Generator) -> np.ndarray:
    """A size² float32 image of uniform noise in 0…255, (size, size) grey or (size, size, channels)."""
    shape = (size, size) if channels == 1 else (size, size, channels)
    return (rng.random(shape, dtype=np.float32) * 255).astype(np.float32)


def engine_row(image: np.ndarray, k: int, kind: str, rounds: int, rng: np.random.Generator) -> Row:
    """One row: the engine and the references on a float32 image (0…255) with a k×k kernel.

    ``kind`` is "dense" (uniform random weights from ``rng``), "separable" (OpenCV's Gaussian, see
    :func:`gaussian`) or "box" (all weights 1/k²). sepFilter2D joins for the rank-1 kinds, Pillow for
    3×3 and 5×5. The row has no target yet (see :func:`judge`).
    """
    channels = 1 if image.ndim == 2 else image.shape[2]
    pixels = np.rint(image).astype(np.uint8)
    if kind == "dense":
        kernel = rng.random((k, k))
        column = None
    elif kind == "box":
        column = np.full((k, 1), 1.0 / k)
        kernel = np.ones((k, k)) / (k * k)
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
    return Row(
        case=f"{picture_label(image)} {k:>2}×{k:<2} {kind}",
        engine_ms=ms["engine"],
        method=method,
        scipy_ms=ms["scipy"],
        filter2d_ms=ms["filter2d"],
        sep_ms=ms.get("sep"),
        pillow_ms=ms.get("pillow"),
    )


BIG_CASES = ((3, "dense"), (19, "box"), (25, "separable"), (31, "dense"))
"""(kernel side, kind) of the big-photo rows; each runs on the grey and the RGB photo."""

BIG_ROUNDS = 3
"""Rounds for the big-photo rows: a SciPy call takes up to a minute there."""

BIG_BOX_LIMIT_MS = 500.0
"""Target for the RGB 19×19 box on the big photo: median engine time."""


def big_rows(rounds: int, rng: np.random.Generator) -> list[Row]:
    """The :data:`BIG_CASES` on the grey and RGB :func:`big_photo`, through :func:`engine_row`.

    Only the RGB 19×19 box has a target (median ≤ :data:`BIG_BOX_LIMIT_MS`); the rest are for scale.
    """
    rows = []
    for color in ("gray", "rgb"):
        image = big_photo(color)
        for k, kind in BIG_CASES:
            row = engine_row(image, k, kind, rounds, rng)
            if color == "rgb" and kind == "box":
                row.target = f"median ≤ {BIG_BOX_LIMIT_MS:g} ms"
                row.passed = row.engine_ms <= BIG_BOX_LIMIT_MS
            rows.append(row)
    return rows


EVERY_OPTION_CASES = (
    (512, 3, "extend"),
    (512, 3, "wrap"),
    (512, 3, "mirror"),
    (512, 3, "symmetric"),
    (512, 3, "constant"),
    (512, 15, "mirror"),
    (1024, 3, "mirror"),
    (1024, 15, "wrap"),
)
"""(image side, kernel side, edge mode) of the rows with every option on; RGB images."""


def every_option_row(size: int, k: int, edge: str, rounds: int, rng: np.random.Generator) -> Row:
    """A dense k×k kernel on an RGB image with every option at once: convolve, the edge mode (cval 40),
    normalise, divisor 2, offset 10, stride 2, dilation 2, two passes and a corner origin.

    SciPy and filter2D have no stride, normalise, divisor, offset or repeat: they filter at full
    resolution and slice, as their users would (:func:`tests.oracles.every_option`). The engine's
    result is checked against SciPy's in the same row.
    """
    image = (rng.random((size, size, 3), dtype=np.float32) * 255).astype(np.float32)
    kernel = rng.random((k, k))
    options = Options(
        op="convolve",
        edge=edge,
        cval=40.0,
        normalize=True,
        divisor=2.0,
        offset=10.0,
        stride=(2, 2),
        dilation=(2, 2),
        repeat=2,
        origin=(0, k - 1),
    )
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
    row = Row(
        f"{size}² RGB  {k:>2}×{k:<2} all options, {edge}", ms["engine"], engine.method, ms["scipy"], ms["filter2d"]
    )
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

        times = median_times(
            {
                "request": request,
                "filter2d": lambda base=base: cv2.filter2D(
                    photo, -1, base.astype(np.float32), borderType=cv2.BORDER_REPLICATE
                ),
            },
            max(rounds, 15),
        )
        ms = times["request"] * 1e3
        rows.append(
            Row(
                case=f"request 512² RGB {k}×{k} dense",
                engine_ms=ms,
                method="http",
                filter2d_ms=times["filter2d"] * 1e3,
                target=f"median ≤ {limit:g} ms",
                passed=ms <= limit,
            )
        )
    return rows


SECTIONS = ("main", "big", "pictures")
"""What a run can print: the main table (512² and 1024² rows, every option, requests), the big-photo rows
(in the same table) and the picture table."""


def main() -> None:
    parser = argparse.ArgumentParser(description="Engine benchmark against SciPy, OpenCV and Pillow.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="512² only, fewer rounds; no big-photo rows or picture table unless asked for",
    )
    parser.add_argument("--big", action="store_true", help="with --quick: also the 4000×3000 rows")
    parser.add_argument("--png", action="store_true", help="with --quick: also the picture encoding table")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        metavar="SECTION",
        help=f"run only these sections ({', '.join(SECTIONS)})",
    )
    parser.add_argument("--rounds", type=int, default=None, help="rounds per case (default 9, quick 5)")
    parser.add_argument(
        "--big-rounds", type=int, default=BIG_ROUNDS, help=f"rounds per 4000×3000 case (default {BIG_ROUNDS})"
    )
    options = parser.parse_args()
    rounds = options.rounds or (5 if options.quick else 9)
    if options.only:
        sections = set(options.only)
    elif options.quick:
        sections = {"main"} | ({"big"} if options.big else set()) | ({"pictures"} if options.png else set())
    else:
        sections = set(SECTIONS)
    sizes = (512,) if options.quick else (512, 1024)
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; NumPy {np.__version__}, "
        f"SciPy {scipy.__version__}, OpenCV {cv2.__version__} ({cv2.getNumThreads()} threads), "
        f"Pillow {PIL.__version__}; load average at start {os.getloadavg()[0]:.2f}"
    )
    rng = np.random.default_rng(2026)
    rows = []
    if "main" in sections:
        for size in sizes:
            for channels in (1, 3):
                for k in KERNEL_SIZES:
                    for kind in ("dense", "separable"):
                        row = engine_row(random_image(size, channels, rng), k, kind, rounds, rng)
                        judge(row, k, kind)
                        rows.append(row)
    if "big" in sections:
        rows.extend(big_rows(options.big_rounds, np.random.default_rng(4000)))
    if "main" in sections:
        rows.extend(
            every_option_row(size, k, edge, rounds, rng) for size, k, edge in EVERY_OPTION_CASES if size in sizes
        )
        rows.extend(request_rows(rounds))
    if rows:
        counts = [
            rounds_text(rounds) if "main" in sections else "",
            f"{rounds_text(options.big_rounds)} for the 4000×3000 rows" if "big" in sections else "",
        ]
        print(
            f"median ms per call over rounds of short loops ({'; '.join(c for c in counts if c)}), contenders "
            "interleaved; float32 images; borders replicated\n"
        )
        print_table(rows)
        judged = [row for row in rows if row.passed is not None]
        failed = [row.case for row in judged if not row.passed]
        print(
            f"\n{len(judged) - len(failed)}/{len(judged)} rows with a target meet it"
            + (f"; failing: {', '.join(failed)}" if failed else "")
            + f". Load average at end {os.getloadavg()[0]:.2f}."
        )
    if "pictures" in sections:
        picture_table(rounds)
    if "main" in sections:
        print_layer_table(rounds)  # one convolutional layer, beside PyTorch's conv2d or SciPy


if __name__ == "__main__":
    main()
