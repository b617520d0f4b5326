"""Worst-case rounding error of one pass, so the engine knows when float32 is good enough.

A sum of n products computed in floating point, in any order, is within γ·u·Σ|K_ij · x_ij| of the
exact sum (u: unit roundoff, 2^-24 for float32; γ ≈ n − 1 additions, plus one rounding each for the
products, the float32 weights and the float32 input). Σ|K·x| is at most Σ|K| · max|x|; when the kernel
and the input each have one sign it equals |Σ K·x|, the magnitude of the result itself, which is
what makes float32 enough for blurs with large kernels. The FFT's error is not per product but
grows with log2 of the transform size; its constant was measured (worst case over 120 random cases —
signed and positive kernels 3–63 wide, dilations 1–3, images of noise, flat 255, stripes ±255 — was
0.62 units of u·Σ|K|·max|x| per log2 of the tile area) and is used as 4, a margin of 6×.
"""

from __future__ import annotations

import numpy as np

UNIT_ROUNDOFF = {np.dtype(np.float32): 2.0**-24, np.dtype(np.float64): 2.0**-53}
"""u per float type: half the distance from 1 to the next representable number."""

FFT_ERROR_PER_LOG2 = 4.0
"""Rounding units per log2(transform area) of the tiled FFT, per unit of Σ|K| · max|x| (with margin)."""


def rounding_units(method: str, taps: int, kernel_shape: tuple[int, int], fft_log2: float) -> float:
    """γ for one pass: the error is at most γ · u · (the magnitude the method is sensitive to)."""
    if method == "fft":
        return FFT_ERROR_PER_LOG2 * fft_log2 + 3
    if method == "separable":
        return kernel_shape[0] + kernel_shape[1] + 4
    return taps + 2


def pass_error(
    *,
    method: str,
    units: float,
    unit: float,
    gain: float,
    reach: float,
    result_magnitude: float,
    one_sign: bool,
    boost: float,
    offset: float,
    residual: float,
) -> float:
    """The largest absolute rounding error one pass can add to its output.

    Args:
        method: the method that ran.
        units: :func:`rounding_units` for it.
        unit: u of the float type used.
        gain: Σ|K| / |divisor|.
        reach: max |value| the pass read (input and fill value).
        result_magnitude: max |sum / divisor| the pass computed (before kernel-crop scale and offset).
        one_sign: the weights share one sign and so do the values read.
        boost: the largest kernel-crop factor applied (1 without kernel-crop).
        offset: the offset added.
        residual: Σ|K − column ⊗ row| / |divisor| of the separable factors (0 otherwise).
    """
    magnitude = gain * reach
    if one_sign and method != "fft":
        magnitude = min(magnitude, result_magnitude * (1 + 2 * units * unit))
    scaled = magnitude * boost
    return units * unit * scaled + residual * reach * boost + 2 * unit * (scaled + abs(offset))
