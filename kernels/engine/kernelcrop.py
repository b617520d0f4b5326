"""Kernel-crop bookkeeping: which taps land inside the image, and how the sum is rescaled.

With ``kernel-crop`` the taps outside the image are skipped and the sum is multiplied by
ΣK / Σ(weights of the taps used) when both sums are non-zero. The taps inside always form a
rectangle of the kernel (a run of rows times a run of columns), so the used weight sum only depends
on the output pixel's row pattern and column pattern; the engine computes one table entry per
distinct pattern pair, and ``explain`` uses the same functions for one pixel.
"""

from __future__ import annotations

import numpy as np

from kernels.engine.geometry import PassGeometry

ZERO_SUM_TOLERANCE = 1e-12
"""A sum counts as zero when |Σ w| ≤ this × Σ|w|: rounding (e.g. 0.1 + 0.2 − 0.3) is not a real sum."""


def sum_is_zero(total: float, magnitude: float) -> bool:
    """Whether a weight sum ``total`` of weights with Σ|w| = ``magnitude`` counts as zero."""
    return abs(total) <= ZERO_SUM_TOLERANCE * magnitude


def kernel_sum(weights: np.ndarray) -> float:
    """ΣK (float64), with zero when it is zero up to rounding (see :func:`sum_is_zero`)."""
    total = float(np.sum(weights, dtype=np.float64))
    return 0.0 if sum_is_zero(total, float(np.abs(weights).sum())) else total


def tap_masks(geometry: PassGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (out_h, kh) and (out_w, kw): whether tap row i / column j of each output row / column is inside."""
    (height, width), (kh, kw) = geometry.image_shape, geometry.kernel_shape
    (oy, ox), (dy, dx) = geometry.origin, geometry.dilation
    (oh, ow), (by, bx), (sy, sx) = geometry.out_shape, geometry.base, geometry.stride
    rows = by + np.arange(oh)[:, None] * sy + (np.arange(kh)[None, :] - oy) * dy
    cols = bx + np.arange(ow)[:, None] * sx + (np.arange(kw)[None, :] - ox) * dx
    return (rows >= 0) & (rows < height), (cols >= 0) & (cols < width)


def used_scale(weights: np.ndarray, row_used: np.ndarray, col_used: np.ndarray) -> np.ndarray:
    """ΣK / Σ(used weights) for each (row pattern, column pattern) pair; 1 where either sum is zero.

    Args:
        weights: (kh, kw) float64 weights as multiplied.
        row_used: (m, kh) booleans, one row pattern per line.
        col_used: (n, kw) booleans.

    Returns:
        (m, n) float64 factors; exactly 1 where every tap is used.
    """
    rows = row_used.astype(np.float64)
    cols = col_used.astype(np.float64)
    used = rows @ weights @ cols.T
    magnitude = rows @ np.abs(weights) @ cols.T
    total = kernel_sum(weights)
    scale = np.ones_like(used)
    usable = (np.abs(used) > ZERO_SUM_TOLERANCE * magnitude) & (total != 0)
    scale[usable] = total / used[usable]
    scale[np.outer(row_used.all(axis=1), col_used.all(axis=1))] = 1.0
    return scale


def scale_grid(weights: np.ndarray, geometry: PassGeometry) -> np.ndarray | None:
    """The (out_h, out_w) factor for every output pixel, or None when no pixel needs rescaling."""
    row_used, col_used = tap_masks(geometry)
    row_patterns, row_group = np.unique(row_used, axis=0, return_inverse=True)
    col_patterns, col_group = np.unique(col_used, axis=0, return_inverse=True)
    table = used_scale(weights, row_patterns, col_patterns)
    if np.all(table == 1.0):
        return None
    return table[row_group.reshape(-1)[:, None], col_group.reshape(-1)[None, :]]
