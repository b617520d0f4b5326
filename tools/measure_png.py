"""Measure PNG encoding of a 512×512 image: Pillow at compress_level 0…6 against ``imaging.images.encode_png``.

Prints the median time (ms) and size (KiB) of each, for the astronaut photo in RGB and grey and for
a Sobel-filtered version (edge images compress differently from photos). This is the measurement
behind the choice of encoder for ``/api/output.png``.

Usage: ``python tools/measure_png.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from imaging.images import encode_png, to_engine_input
from imaging.samples import load_sample


def timed(encode: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    """Median milliseconds over ``repeat`` runs, and the size of the output in bytes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        body = encode()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(body)


def pillow_png(pixels: np.ndarray, level: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", compress_level=level, optimize=False)
    return buffer.getvalue()


def edges(pixels: np.ndarray) -> np.ndarray:
    """|vertical Sobel| of each channel, clipped to 0…255: a typical high-contrast output image."""
    values = pixels.astype(np.float32)
    padded = np.pad(values, ((1, 1), (1, 1), (0, 0)), mode="edge")
    rows = padded[:-2] - padded[2:]
    sobel = rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]
    return np.clip(np.abs(sobel), 0, 255).astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=25, help="runs per measurement (median is printed)")
    args = parser.parse_args(argv)

    astronaut = np.ascontiguousarray(load_sample("astronaut"))
    images = {
        "astronaut RGB": astronaut,
        "astronaut grey": to_engine_input(astronaut, "gray").astype(np.uint8),
        "|Sobel| RGB": edges(astronaut),
    }
    print(f"{'image':16s} {'encoder':28s} {'median ms':>9s} {'KiB':>7s}")
    for label, pixels in images.items():
        rows: list[tuple[str, Callable[[], bytes]]] = [
            (f"Pillow compress_level={level}", partial(pillow_png, pixels, level)) for level in range(7)
        ]
        rows.append(("encode_png (fast)", partial(encode_png, pixels)))
        rows.append(("encode_png(compact=True)", partial(encode_png, pixels, compact=True)))
        for name, encode in rows:
            ms, size = timed(encode, args.repeat)
            print(f"{label:16s} {name:28s} {ms:9.2f} {size / 1024:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
