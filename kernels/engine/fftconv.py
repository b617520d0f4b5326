"""The FFT method: correlation as a product of spectra, in overlapping tiles (overlap-save).

One tile of Ly × Lx input pixels gives (Ly − span_y + 1) × (Lx − span_x + 1) exact outputs: the
circular wrap-around only spoils the last span − 1 rows and columns, which the next tile recomputes.
Tiles of a few hundred pixels keep every transform in cache, let the kernel's spectrum be computed
once at tile size, and give the worker threads independent rows of tiles. Dilation is handled by
spreading the kernel with zeros; the stride by keeping every sy-th row and sx-th column of the result.
"""

from __future__ import annotations

from functools import lru_cache
from math import log2

import numpy as np

from kernels.engine.padding import PaddedSource
from kernels.engine.workers import run_tasks

FFT_CALL_COST = 2000.0
"""Fixed cost of one batched transform call, in units of one pixel·log2 of transform work (measured)."""

FFT_TILE_COST = 1500.0
"""Fixed cost of each tile's transform pair, in the same units (measured: ~1.3 µs per tile here)."""

MIN_TILE = 16
"""Shortest tile side: tiny transforms cost far more per pixel than the log2 model says."""

PARALLEL_PIXELS = 200_000
"""Transform pixels (all planes) above which tiles are shared among the worker threads."""


@lru_cache(maxsize=1)
def good_sizes(limit: int = 8192) -> tuple[int, ...]:
    """Even lengths up to ``limit`` with no prime factor above 5: the fastest transform lengths."""
    sizes = set()
    a = 2
    while a <= limit:
        b = a
        while b <= limit:
            c = b
            while c <= limit:
                sizes.add(c)
                c *= 5
            b *= 3
        a *= 2
    return tuple(sorted(sizes))


def _axis_options(valid: int, span: int) -> list[tuple[int, int, float]]:
    """(tile length, tiles, work) along one axis for every sensible good length."""
    options = []
    for length in good_sizes():
        if length < max(span + 1, MIN_TILE):
            continue
        per_tile = length - span + 1
        tiles = -(-valid // per_tile)
        options.append((length, tiles, tiles * length))
        if tiles == 1:
            break
    return options


@lru_cache(maxsize=256)
def tile_shape(valid: tuple[int, int], span: tuple[int, int]) -> tuple[int, int]:
    """The tile (Ly, Lx) that covers ``valid`` output positions at the least modelled cost.

    Cost = Σ over tiles of (Ly·Lx·log2(Ly·Lx) + a fixed cost per tile) plus a fixed cost per batched
    call (one per row of tiles).
    """
    best = None
    for ly, ny, _ in _axis_options(valid[0], span[0]):
        for lx, nx, _ in _axis_options(valid[1], span[1]):
            cost = _tiles_cost(ly, lx, ny, nx)
            if best is None or cost < best[0]:
                best = (cost, ly, lx)
    assert best is not None
    return best[1], best[2]


def _tiles_cost(ly: int, lx: int, ny: int, nx: int) -> float:
    return ny * nx * (ly * lx * log2(ly * lx) + FFT_TILE_COST) + ny * FFT_CALL_COST


def fft_work(valid: tuple[int, int], span: tuple[int, int]) -> float:
    """Modelled work of one plane, in pixel·log2 units (the cost model multiplies by a measured time)."""
    ly, lx = tile_shape(valid, span)
    ny = -(-valid[0] // (ly - span[0] + 1))
    nx = -(-valid[1] // (lx - span[1] + 1))
    return _tiles_cost(ly, lx, ny, nx)


def dilate(kernel: np.ndarray, dilation: tuple[int, int]) -> np.ndarray:
    """The kernel with dy − 1 zero rows and dx − 1 zero columns between taps."""
    kh, kw = kernel.shape
    dy, dx = dilation
    spread = np.zeros(((kh - 1) * dy + 1, (kw - 1) * dx + 1), dtype=kernel.dtype)
    spread[::dy, ::dx] = kernel
    return spread


def correlate_fft(
    padded: np.ndarray | PaddedSource,
    kernel: np.ndarray,
    dilation: tuple[int, int],
    stride: tuple[int, int],
    out_shape: tuple[int, int],
) -> np.ndarray:
    """The valid strided, dilated correlation of ``padded`` (see :mod:`kernels.engine.geometry`) by FFT."""
    spread = dilate(kernel, dilation)
    span_y, span_x = spread.shape
    (sy, sx), (oh, ow) = stride, out_shape
    valid = ((oh - 1) * sy + 1, (ow - 1) * sx + 1)
    ly, lx = tile_shape(valid, (span_y, span_x))
    vy, vx = ly - span_y + 1, lx - span_x + 1
    ny, nx = -(-valid[0] // vy), -(-valid[1] // vx)
    spectrum = np.conjugate(np.fft.rfft2(spread, s=(ly, lx)))
    if PaddedSource.of(padded).dtype == np.float32:
        spectrum = spectrum.astype(np.complex64)

    source = PaddedSource.of(padded)
    grid = source.full()
    channels = grid.shape[2]
    rows_total, cols_total = (ny - 1) * vy + ly, (nx - 1) * vx + lx
    planes = np.zeros((channels, rows_total, cols_total), dtype=source.dtype)
    height, width = min(rows_total, grid.shape[0]), min(cols_total, grid.shape[1])
    for ch in range(channels):
        planes[ch, :height, :width] = grid[:height, :width, ch]
    full = np.empty((channels, ny * vy, nx * vx), dtype=source.dtype)
    itemsize = planes.dtype.itemsize
    tasks = [(ch, ty) for ch in range(channels) for ty in range(ny)]

    def work(task: tuple[int, int], _: None) -> None:
        ch, ty = task
        plane = planes[ch, ty * vy : ty * vy + ly]
        tiles = np.lib.stride_tricks.as_strided(
            plane, (nx, ly, lx), (vx * itemsize, plane.strides[0], itemsize), writeable=False
        )
        product = np.fft.rfft2(tiles)
        product *= spectrum
        result = np.fft.irfft2(product, s=(ly, lx))
        target = full[ch, ty * vy : (ty + 1) * vy].reshape(vy, nx, vx)
        target[...] = result[:, :vy, :vx].transpose(1, 0, 2)

    run_tasks(tasks, work, parallel=channels * rows_total * cols_total >= PARALLEL_PIXELS)
    picked = full[:, : valid[0] : sy, : valid[1] : sx]
    out = np.empty((oh, ow, channels), dtype=source.dtype)
    for ch in range(channels):
        out[:, :, ch] = picked[ch]
    return source.shaped(out)
