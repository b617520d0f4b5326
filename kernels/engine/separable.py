"""The separable method: a rank-1 kernel K = column ⊗ row runs as two 1-D passes (kh + kw taps, not kh·kw).

Rank 1 is decided by the SVD: the kernel counts as separable when the best rank-1 approximation
misses it by at most :data:`RANK_ONE_TOLERANCE` of Σ|K| (summed absolute difference). The factors are
balanced (both scaled by √σ₁) so neither pass overflows or loses precision more than the other.

Both passes run strip by strip: each strip pads its rows, runs the column pass as a banded product
straight on them, and the row pass on the result while it is still in cache.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from kernels.engine import direct
from kernels.engine.direct import ROW_BAND_MIN_TAPS, ROW_BLOCK, ColumnBand, Ranges, row_band_matrix, row_pass
from kernels.engine.padding import PaddedSource
from kernels.engine.workers import run_tasks

RANK_ONE_TOLERANCE = 1e-9
"""Largest Σ|K − column ⊗ row| / Σ|K| still treated as rank 1 (float64 SVD rounding is ~1e-15)."""


def rank_one_factors(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(column, row, residual) with kernel ≈ column ⊗ row, or None when the kernel is not rank 1.

    ``residual`` is Σ|K − column ⊗ row| in the kernel's units (0 for a single row or column). The
    returned arrays are shared between calls with equal kernels: do not modify them.
    """
    kernel = np.ascontiguousarray(kernel, dtype=np.float64)
    return _factors(kernel.shape, kernel.tobytes())


@lru_cache(maxsize=64)
def _factors(shape: tuple[int, int], data: bytes) -> tuple[np.ndarray, np.ndarray, float] | None:
    kernel = np.frombuffer(data, dtype=np.float64).reshape(shape)
    kh, kw = kernel.shape
    if kh == 1:
        return np.ones(1), kernel[0].copy(), 0.0
    if kw == 1:
        return kernel[:, 0].copy(), np.ones(1), 0.0
    scale = float(np.abs(kernel).sum())
    if scale == 0:
        return np.zeros(kh), np.zeros(kw), 0.0
    u, sigma, vt = np.linalg.svd(kernel)
    root = np.sqrt(sigma[0])
    column, row = u[:, 0] * root, vt[0] * root
    if column[np.argmax(np.abs(column))] < 0:
        column, row = -column, -row
    residual = float(np.abs(kernel - np.outer(column, row)).sum())
    if residual > RANK_ONE_TOLERANCE * scale:
        return None
    return column, row, residual


def correlate_separable(
    padded: np.ndarray | PaddedSource,
    column: np.ndarray,
    row: np.ndarray,
    dilation: tuple[int, int],
    stride: tuple[int, int],
    out_shape: tuple[int, int],
    ranges: Ranges | None = None,
) -> np.ndarray:
    """The valid strided, dilated correlation of ``padded`` by ``column ⊗ row`` in two fused passes.

    The column pass covers every padded column of the output rows; the row pass then reads them
    with the horizontal stride and dilation. ``ranges`` receives each strip's (min, max) read and written.
    """
    source = PaddedSource.of(padded)
    (dy, dx), (sy, sx), (oh, ow) = dilation, stride, out_shape
    dtype = source.dtype
    width, channels = source.shape[1], source.shape[2]
    column_pass = ColumnBand(source, column.astype(dtype).reshape(-1, 1), (dy, 1), (sy, 1), (oh, width))
    row_kernel = row.astype(dtype).reshape(-1)
    band = row_band_matrix(row_kernel, sx, dx, channels) if row_kernel.size >= ROW_BAND_MIN_TAPS else None
    column_pass.parallel = oh * (width * column.size + ow * row.size) * channels >= direct.SPLIT_WORK
    out = np.empty((oh, ow, channels), dtype=dtype)
    block = column_pass.block

    def scratch() -> dict[str, np.ndarray]:
        buffers = column_pass.scratch()
        strip = column_pass.strip
        buffers["out"] = np.empty((strip, ow, channels), dtype=dtype)
        if band is not None:
            buffers["windows"] = np.empty(strip * (ow // ROW_BLOCK + 1) * band.shape[0], dtype=dtype)
        return buffers

    def work(task: tuple[int, int, int], buffers: dict[str, np.ndarray]) -> None:
        rho, t0, n = task
        nblk = -(-n // block)
        middle = buffers["result"][:nblk]
        read = column_pass.compute(task, buffers, middle, ranges is not None)
        rows = middle.reshape(nblk * block, width, channels)[:n]
        written = out[rho :: column_pass.classes][t0 : t0 + n]
        target = written if column_pass.classes == 1 else buffers["out"][:n]
        row_pass(rows, row_kernel, band, dx, sx, target, buffers.get("windows"))
        if column_pass.classes > 1:
            written[...] = target
        if ranges is not None:
            ranges.append((*read, float(written.min()), float(written.max())))

    run_tasks(column_pass.tasks, work, scratch, column_pass.parallel)
    return source.shaped(out)
