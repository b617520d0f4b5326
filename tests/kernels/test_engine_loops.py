"""A slow, plain float64 reference engine written straight from the definitions, and checks of it.

The other engine tests compare against :func:`reference_filter`. It shares no code with the engine:
edge modes are folded by explicit reflection, convolution uses the true-convolution formula
out[y, x] = Σ K[i, j] · in[y − (i − oy)·dy, x − (j − ox)·dx] (no rotated copy of the kernel), and
kernel-crop rescales by ΣK / Σ(used weights) with plain Python sums.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.ndimage as ndi

from kernels.options import Options

ZERO = 1e-12  # same meaning as the engine's "sum is zero up to rounding"


def fold(position: int, size: int, edge: str) -> int | None:
    """The input index a position reads, or None (constant fill, or a skipped kernel-crop tap)."""
    if 0 <= position < size:
        return position
    if edge == "extend":
        return min(max(position, 0), size - 1)
    if edge == "wrap":
        return position % size
    if edge in ("mirror", "symmetric"):
        if edge == "mirror" and size == 1:
            return 0
        while not 0 <= position < size:
            if position < 0:
                position = -position if edge == "mirror" else -position - 1
            else:
                position = 2 * (size - 1) - position if edge == "mirror" else 2 * size - 1 - position
        return position
    return None


def _is_zero(total: float, magnitude: float) -> bool:
    return abs(total) <= ZERO * magnitude


def _one_pass(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    height, width, channels = image.shape
    kh, kw = kernel.shape
    oy, ox = options.origin if options.origin is not None else (kh // 2, kw // 2)
    (dy, dx), (sy, sx) = options.dilation, options.stride
    sign = 1 if options.op == "correlate" else -1
    # Offsets (in input pixels) of every tap from the output pixel's input position.
    tap_rows = [sign * (i - oy) * dy for i in range(kh)]
    tap_cols = [sign * (j - ox) * dx for j in range(kw)]
    if options.edge == "crop":
        first_y, last_y = -min(tap_rows), height - 1 - max(tap_rows)
        first_x, last_x = -min(tap_cols), width - 1 - max(tap_cols)
    else:
        first_y, last_y, first_x, last_x = 0, height - 1, 0, width - 1
    ys = list(range(first_y, last_y + 1, sy))
    xs = list(range(first_x, last_x + 1, sx))
    total = sum(float(w) for w in kernel.ravel())
    magnitude = sum(abs(float(w)) for w in kernel.ravel())
    out = np.zeros((len(ys), len(xs), channels))
    for r, y in enumerate(ys):
        for c, x in enumerate(xs):
            for ch in range(channels):
                acc, used, used_abs = 0.0, 0.0, 0.0
                for i in range(kh):
                    for j in range(kw):
                        row = fold(y + tap_rows[i], height, options.edge)
                        col = fold(x + tap_cols[j], width, options.edge)
                        if row is None or col is None:
                            if options.edge == "constant":
                                acc += kernel[i, j] * options.cval
                            continue
                        acc += kernel[i, j] * image[row, col, ch]
                        used += kernel[i, j]
                        used_abs += abs(kernel[i, j])
                if options.edge == "kernel-crop" and not _is_zero(total, magnitude) and not _is_zero(used, used_abs):
                    acc *= total / used
                out[r, c, ch] = acc / options.divisor + options.offset
    return out


def reference_filter(image: np.ndarray, kernel: np.ndarray, options: Options) -> np.ndarray:
    """The raw result, float64, shaped like the engine's (grey input gives (h, w))."""
    kernel = np.asarray(kernel, dtype=np.float64)
    if options.normalize:
        total = math.fsum(kernel.ravel())
        if not _is_zero(total, float(np.abs(kernel).sum())):
            kernel = kernel / total
    current = np.asarray(image, dtype=np.float64)
    grey = current.ndim == 2
    if grey:
        current = current[:, :, None]
    for _ in range(options.repeat):
        current = _one_pass(current, kernel, options)
    return current[:, :, 0] if grey else current


def tolerance(expected: np.ndarray) -> float:
    """The engine's promise: 1e-4 × max(1, largest |value|)."""
    return 1e-4 * max(1.0, float(np.abs(expected).max()) if expected.size else 1.0)


SCIPY_MODES = {"extend": "nearest", "wrap": "grid-wrap", "mirror": "mirror", "symmetric": "reflect"}


@pytest.mark.parametrize("edge", sorted(SCIPY_MODES))
@pytest.mark.parametrize("op", ["correlate", "convolve"])
def test_reference_matches_scipy(edge: str, op: str) -> None:
    rng = np.random.default_rng(7)
    image = rng.random((6, 7)) * 255
    kernel = rng.standard_normal((4, 3))
    for origin in [(0, 0), (3, 2), (1, 1), (2, 0)]:
        options = Options(op=op, edge=edge, origin=origin)
        shift = (origin[0] - 2, origin[1] - 1)
        scipy_run = ndi.correlate if op == "correlate" else ndi.convolve
        expected = scipy_run(image, kernel, mode=SCIPY_MODES[edge], origin=shift)
        np.testing.assert_allclose(reference_filter(image, kernel, options), expected, atol=1e-9)


def test_fold_reads_as_documented() -> None:
    row = "abcd"
    left = [row[fold(p, 4, "mirror")] for p in (-3, -2, -1)]
    assert left == ["d", "c", "b"]
    assert [row[fold(p, 4, "symmetric")] for p in (-3, -2, -1)] == ["c", "b", "a"]
    assert [row[fold(p, 4, "wrap")] for p in (-3, -2, -1)] == ["b", "c", "d"]
    assert [row[fold(p, 4, "extend")] for p in (-3, -2, -1)] == ["a", "a", "a"]
    assert fold(-1, 4, "constant") is None
