"""Whether a kernel is separable (an outer product of a column and a row), its rank and its two factors.

A separable kh × kw kernel filters as a kh × 1 pass then a 1 × kw pass. The presets' properties
(:mod:`kernels.library.presets`), the teaching properties (:mod:`kernels.teaching.properties`) and the page's
kernel summary (:mod:`web.page.kernel_summary`) read the rank and the factors from here.
"""

from __future__ import annotations

import numpy as np

SEPARABLE_RTOL = 1e-9
"""Singular values below this fraction of the largest one count as zero when finding the rank."""


def is_separable(kernel: np.ndarray) -> tuple[bool, tuple[np.ndarray, np.ndarray] | None, int]:
    """Whether a 2-D finite kernel is an outer product, its factors and its rank.

    The rank counts singular values above ``SEPARABLE_RTOL`` × the largest.
    Factors are read from the kernel itself (the column and the row through
    its largest weight), the column scaled to small coprime integers when it
    allows, so published kernels give the factors people write: Scharr left →
    [3, 10, 3] and [1, 0, -1]; the 3×3 Gaussian → [1, 2, 1] and [1, 2, 1] / 16.

    Returns:
        (separable, (column, row) or None, rank).

    Raises:
        ValueError: the kernel is not 2-D, has an empty side or a non-finite value.
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or 0 in k.shape or not np.all(np.isfinite(k)):
        raise ValueError(f"a kernel must be a finite 2-D array with no empty side, not shape {k.shape}")
    if not k.any():
        return True, (np.zeros(k.shape[0]), np.zeros(k.shape[1])), 0
    singular = np.linalg.svd(k, compute_uv=False)
    rank = int(np.count_nonzero(singular > SEPARABLE_RTOL * singular[0]))
    if rank != 1:
        return False, None, rank
    i, j = np.unravel_index(int(np.argmax(np.abs(k))), k.shape)
    column = _plain_column(k[:, j])
    # Adding 0.0 turns -0.0 into 0.0.
    return True, (column + 0.0, k[i, :] / column[i] + 0.0), 1


def _plain_column(column: np.ndarray) -> np.ndarray:
    """A multiple of ``column`` that reads well: coprime integers when possible, first non-zero entry positive."""
    magnitudes = np.abs(column[column != 0])
    with np.errstate(over="ignore"):
        candidates = (column, column / magnitudes.min())
    for candidate in candidates:
        if np.all(np.abs(candidate) < 2**53) and np.array_equal(candidate, np.round(candidate)):
            candidate = candidate / np.gcd.reduce(np.abs(candidate).astype(np.int64))
            break
    else:
        candidate = column / magnitudes.max()  # cannot overflow: every entry ends up within [-1, 1]
    return candidate if candidate[np.flatnonzero(candidate)[0]] > 0 else -candidate
