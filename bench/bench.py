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

Targets (the "check" column): at least 3× faster than SciPy everywhere; within 6× of filter2D for
dense kernels up to 9×9 and within 2.5× from 11×11; faster than filter2D for separable kernels from
15×15. Rows with every option on (:func:`every_option_row`) have the dense targets. Request rows
(:func:`request_rows`) have their own targets.

Big-photo rows (:func:`big_rows`, in the default run, not in ``--quick``): a 4000×3000 photo (what a phone
takes), grey and RGB, through a 3×3 and a 31×31 dense random kernel, a 19×19 box (``np.ones((19, 19)) / 361``)
and OpenCV's 25×25 Gaussian, beside SciPy, filter2D and (box, Gaussian) sepFilter2D. The image is the
astronaut resized with Pillow (LANCZOS) plus Gaussian noise of σ = 2 (:func:`big_photo`), so it looks like
a photo, not noise. They are slow (SciPy takes about half a minute a call on the RGB 31×31), so they take 3 rounds
(``--big-rounds``). Their one target: the RGB 19×19 box in at most 0.5 s (median); the other big rows are
for scale and have no target.

Picture table (:func:`picture_table`, in the default run; ``--png`` adds it to ``--quick``): what the page
would send for an output. The pictures: the 512² RGB astronaut after the ``sharpen`` and the ``blur``
presets (clamp display), its grey version likewise, and the same four for a 512×384 picture downsized
(Pillow LANCZOS) from the 4000×3000 photo, which is what a phone photo becomes at the default working size.
Each is encoded as the page preview (:func:`kernels.preview.encode_preview`: its media type and PSNR),
Pillow PNG at ``compress_level=1``, our stored PNG (:func:`kernels.images.encode_png`), its ``compact=True``
form and lossless WebP (method 0): median encode ms, size in KB (1000 bytes) and PSNR measured by decoding
(∞ when exact). Target: the preview of the 512² RGB sharpen output is at most 225 KB.
"""

from __future__ import annotations

import argparse
import functools
import io
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
from kernels.display import render
from kernels.engine import filter_image
from kernels.images import encode_png, to_engine_input
from kernels.options import Options
from kernels.presets import load_presets
from kernels.preview import encode_preview, psnr_db
from kernels.samples import load_sample

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


def random_image(size: int, channels: int, rng: np.random.Generator) -> np.ndarray:
    """A size² float32 image of uniform noise in 0…255, (size, size) grey or (size, size, channels)."""
    shape = (size, size) if channels == 1 else (size, size, channels)
    return (rng.random(shape, dtype=np.float32) * 255).astype(np.float32)


def _picture_label(image: np.ndarray) -> str:
    """The image's size (width × height) and colour for a table: "512² grey", "4000×3000 RGB "."""
    height, width = image.shape[:2]
    size = f"{height}²" if height == width else f"{width}×{height}"
    return f"{size} {'grey' if image.ndim == 2 else 'RGB '}"


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
        case=f"{_picture_label(image)} {k:>2}×{k:<2} {kind}",
        engine_ms=ms["engine"],
        method=method,
        scipy_ms=ms["scipy"],
        filter2d_ms=ms["filter2d"],
        sep_ms=ms.get("sep"),
        pillow_ms=ms.get("pillow"),
    )


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


BIG_SIZE = (4000, 3000)
"""Width and height of the big photo: what a 12-megapixel phone camera takes."""

BIG_CASES = ((3, "dense"), (19, "box"), (25, "separable"), (31, "dense"))
"""(kernel side, kind) of the big-photo rows; each runs on the grey and the RGB photo."""

BIG_ROUNDS = 3
"""Rounds for the big-photo rows: a SciPy call takes up to a minute there."""

BIG_BOX_LIMIT_MS = 500.0
"""Target for the RGB 19×19 box on the big photo: median engine time."""


@functools.cache
def _big_astronaut() -> np.ndarray:
    """The astronaut resized to :data:`BIG_SIZE` with Pillow's LANCZOS: uint8 (H, W, 3)."""
    photo = Image.fromarray(np.ascontiguousarray(load_sample("astronaut")), "RGB")
    return np.asarray(photo.resize(BIG_SIZE, Image.Resampling.LANCZOS))


@functools.cache
def big_photo(color: str) -> np.ndarray:
    """A photo-like float32 image of :data:`BIG_SIZE`: (H, W) for "gray", (H, W, 3) for "rgb".

    The astronaut resized with LANCZOS (:func:`_big_astronaut`), as the engine gets it
    (:func:`kernels.images.to_engine_input`), plus Gaussian noise of σ = 2 grey levels, clipped to 0…255.
    The same pixels every run; cached, as it takes a second or two.
    """
    image = to_engine_input(_big_astronaut(), color)
    noise = np.random.default_rng(12).standard_normal(image.shape, dtype=np.float32)
    image += 2.0 * noise
    return np.clip(image, 0, 255, out=image)


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
    resolution and slice, as their users would (:func:`bench.references.every_option`). The engine's
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


# ------------------------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _rounds(count: int) -> str:
    return f"{count} round{'' if count == 1 else 's'}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}×"


def print_table(rows: list[Row]) -> None:
    header = (
        "case",
        "engine ms",
        "method",
        "SciPy ms",
        "SciPy÷eng",
        "filter2D ms",
        "eng÷f2D",
        "sepF2D ms",
        "eng÷sep",
        "Pillow ms",
        "eng÷PIL",
        "target",
        "check",
    )
    lines = []
    for row in rows:
        lines.append(
            (
                row.case,
                _ms(row.engine_ms),
                row.method,
                _ms(row.scipy_ms),
                _ratio(row.scipy_ms / row.engine_ms if row.scipy_ms else None),
                _ms(row.filter2d_ms),
                _ratio(row.engine_ms / row.filter2d_ms if row.filter2d_ms else None),
                _ms(row.sep_ms),
                _ratio(row.engine_ms / row.sep_ms if row.sep_ms else None),
                _ms(row.pillow_ms),
                _ratio(row.engine_ms / row.pillow_ms if row.pillow_ms else None),
                row.target,
                "" if row.passed is None else ("PASS" if row.passed else "FAIL"),
            )
        )
    _print_grid(header, lines, left={0, 2, 11, 12})


def _print_grid(header: tuple[str, ...], lines: list[tuple[str, ...]], left: set[int]) -> None:
    """Print a table: columns padded to their widest cell, those in ``left`` left-aligned, others right."""
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: tuple[str, ...]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return " | ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in pairs)

    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


PREVIEW_LIMIT_KB = 225.0
"""Target: the page preview of the 512² RGB astronaut after ``sharpen``, in KB (1000 bytes)."""

SMALL_PHOTO_SIZE = (512, 384)
"""The big photo downsized to this (width, height): a phone photo at the default working size."""


def _pillow(pixels: np.ndarray, **params: object) -> bytes:
    """uint8 pixels encoded by Pillow with these ``save`` parameters (the array-to-image copy included)."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, **params)
    return buffer.getvalue()


def _encoders(pixels: np.ndarray) -> dict[str, Callable[[], bytes]]:
    """The contenders of the picture table, by the name the table gives them (the preview's is set later)."""
    return {
        "preview": lambda: encode_preview(pixels).data,
        "Pillow PNG level 1": lambda: _pillow(pixels, format="PNG", compress_level=1),
        "encode_png (stored)": lambda: encode_png(pixels),
        "encode_png compact": lambda: encode_png(pixels, compact=True),
        "WebP lossless m0": lambda: _pillow(pixels, format="WEBP", lossless=True, method=0),
    }


def picture_table(rounds: int) -> None:
    """Print the encoded size, median encode ms and PSNR of each output picture in each format.

    The pictures: the 512² RGB astronaut after the ``sharpen`` and ``blur`` presets (clamp display), in RGB
    and grey (:func:`kernels.images.to_engine_input`), and the same for the :data:`SMALL_PHOTO_SIZE` picture
    downsized with LANCZOS from the RGB :func:`big_photo`. The formats are timed interleaved by
    :func:`median_times`; the PSNR is measured by decoding the bytes (∞ when they give the pixels back
    exactly). One target: the preview of the 512² RGB sharpen output is at most :data:`PREVIEW_LIMIT_KB`.
    """
    presets = load_presets(None)
    big = np.rint(big_photo("rgb")).astype(np.uint8)
    small = np.asarray(Image.fromarray(big, "RGB").resize(SMALL_PHOTO_SIZE, Image.Resampling.LANCZOS))
    sources = (("astronaut", np.ascontiguousarray(load_sample("astronaut"))), ("from 4000×3000", small))
    header = ("picture", "format", "bytes", "KB", "encode ms", "PSNR dB", "target", "check")
    lines = []
    for source, rgb in sources:
        for color in ("rgb", "gray"):
            for preset in ("sharpen", "blur"):
                raw = filter_image(to_engine_input(rgb, color), presets[preset].weights).raw
                pixels = render(raw, "clamp")
                picture = f"{_picture_label(pixels)} {preset}, {source}"
                encoders = _encoders(pixels)
                ms = {name: seconds * 1e3 for name, seconds in median_times(encoders, rounds).items()}
                preview = encode_preview(pixels)
                for name, encode in encoders.items():
                    data = encode()
                    with Image.open(io.BytesIO(data)) as decoded:
                        back = np.asarray(decoded.convert("L" if pixels.ndim == 2 else "RGB"))
                    fidelity = psnr_db(pixels, back)
                    label = f"preview {preview.media_type}" if name == "preview" else name
                    target, check = "", ""
                    if name == "preview" and preset == "sharpen" and color == "rgb" and source == "astronaut":
                        target = f"≤ {PREVIEW_LIMIT_KB:g} KB"
                        check = "PASS" if len(data) / 1000 <= PREVIEW_LIMIT_KB else "FAIL"
                    lines.append(
                        (
                            picture,
                            label,
                            f"{len(data):,}",
                            f"{len(data) / 1000:.1f}",
                            f"{ms[name]:.2f}",
                            "∞" if fidelity == float("inf") else f"{fidelity:.2f}",
                            target,
                            check,
                        )
                    )
    features = ", ".join(f"{name} {PIL.features.version(name)}" for name in ("zlib", "jpg", "webp"))
    print(
        f"\nOutput pictures as the page could send them (Pillow {PIL.__version__}: {features}); median encode ms "
        f"over {_rounds(rounds)}, formats interleaved; KB = 1000 bytes; PSNR from the decoded bytes:"
    )
    _print_grid(header, lines, left={0, 1, 6, 7})


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
            _rounds(rounds) if "main" in sections else "",
            f"{_rounds(options.big_rounds)} for the 4000×3000 rows" if "big" in sections else "",
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


if __name__ == "__main__":
    main()
