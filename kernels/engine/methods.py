"""Choosing and running a method for one pass: direct, separable or FFT, by modelled cost.

``auto`` estimates, for every pass, the time of each method that applies (separable only for a rank-1
kernel) and runs the least. Each implementation's time is modelled as a weighted sum of the work it
does, worked out from the pass's sizes alone:

* direct, banded products (:func:`kernels.engine.direct.correlate_band`): elements copied into the shifted
  row copies (contiguous, or gathered from strided columns), multiply-adds of the band (zeros
  included), NumPy calls, a fixed cost; single-row kernels: the row band's copied windows and
  multiply-adds, or shift-and-add below 5 taps;
* direct, shift-and-add (:func:`kernels.engine.direct.correlate_taps`): tap × output elements (contiguous or
  strided), taps, the padded copy; the direct method uses whichever of its two forms is cheaper;
* separable: the two passes' own models, plus the intermediate rows and a fixed cost;
* FFT: Σ over tiles of L²·log2(L²) plus fixed costs per tile and per batch (the tile size is chosen
  by the same model, :func:`kernels.engine.fftconv.tile_shape`), and the elements copied in and out.

The weights in :data:`COSTS` are seconds per unit of work. ``python -m bench.calibrate`` measured
every implementation (best of 5 runs) on 300 random passes (images 64–1024 px a side, grey and RGB,
kernels 1–63 taps a side, strides 1–8, dilations 1–4) on the development machine, a 2-core AMD EPYC
VM with NumPy 2.4 and OpenBLAS, and fitted them by non-negative least squares on relative error; it
prints the table to paste here (run it twice when the separable row changes: that row builds on the
others). Predictions land within 0.5–2× of the measurements for most passes, which is enough: only the
ordering of the methods matters.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd, log2
from typing import NamedTuple

import numpy as np

from kernels.engine.direct import (
    ROW_BAND_MIN_TAPS,
    STRIP_BYTES,
    Ranges,
    band_block,
    correlate_band,
    correlate_taps,
)
from kernels.engine.fftconv import correlate_fft, fft_work, tile_shape
from kernels.engine.geometry import PassGeometry
from kernels.engine.padding import PaddedSource
from kernels.engine.separable import correlate_separable

METHODS = ("direct", "separable", "fft")
"""Method names as reported in :class:`kernels.engine.filtering.FilterResult`."""

COSTS: dict[str, tuple[float, ...]] = {
    # seconds per: element copied, element copied from strided columns, multiply-add, NumPy call, run
    "band": (1.65e-10, 3.93e-10, 3.06e-11, 1.45e-06, 7.74e-05),
    # seconds per: element copied, multiply-add, NumPy call, run
    "row_band": (3.28e-10, 1.47e-11, 1.21e-05, 3.79e-05),
    # seconds per: tap·element (contiguous rows), tap·element (strided columns), tap, padded element, run
    "taps": (3.18e-10, 6.82e-10, 1.58e-06, 2.85e-10, 1.35e-06),
    # × the two passes' own models, seconds per intermediate element, run (the passes share strips)
    "separable": (0.664, 4.32e-10, 7.3e-05),
    # seconds per: transform work unit (pixel·log2), element copied, run
    "fft": (3.16e-10, 2.74e-09, 2.23e-04),
}
"""Fitted seconds per unit of work of each implementation (see the module docstring)."""


class Work(NamedTuple):
    """One pass's sizes: output rows and columns, channels, kernel rows and columns, stride, dilation."""

    oh: int
    ow: int
    channels: int
    kh: int
    kw: int
    sy: int = 1
    sx: int = 1
    dy: int = 1
    dx: int = 1

    @classmethod
    def of(cls, geometry: PassGeometry, channels: int) -> Work:
        return cls(*geometry.out_shape, channels, *geometry.kernel_shape, *geometry.stride, *geometry.dilation)


def uses_row_band(w: Work) -> bool:
    """Whether :func:`kernels.engine.direct.correlate_band` runs this pass as the row band's products."""
    return w.kh == 1 and w.kw >= ROW_BAND_MIN_TAPS


def band_features(w: Work) -> tuple[float, ...]:
    """(copied, copied from strided columns, multiply-adds, calls, 1) of the column band."""
    step = w.sy // gcd(w.sy, w.dy)
    classes = w.dy // gcd(w.sy, w.dy)
    block = band_block(w.kh)
    band_rows = (block - 1) * step + w.kh
    row_len = w.ow * w.channels
    rows = -(-w.oh // block) * block
    copied = 0.0 if (w.kw == 1 and w.sx == 1) else w.kw * (w.oh * step + classes * w.kh) * row_len
    strips = max(classes, copied * 4 / STRIP_BYTES, 1.0)
    flops = band_rows * w.kw * rows * row_len
    if w.sx > 1:
        return 0.0, copied, flops, strips * (w.kw + 2), 1.0
    return copied, 0.0, flops, strips * (w.kw + 2), 1.0


def row_band_features(w: Work, block: int = 16) -> tuple[float, ...]:
    """(copied, multiply-adds, calls, 1) of :func:`kernels.engine.direct.correlate_row_band`."""
    window = ((block - 1) * w.sx + (w.kw - 1) * w.dx + 1) * w.channels
    blocks = w.ow / block
    copied = w.oh * blocks * window
    strips = max(1.0, w.oh / 64)
    return copied, copied * block * w.channels, strips * 3, 1.0


def taps_features(w: Work, taps: int, padded: bool = True) -> tuple[float, ...]:
    """(tap·elements contiguous, tap·elements strided, taps, padded elements, 1) of the shift-and-add.

    ``padded``: whether it pads the whole input first (:func:`kernels.engine.direct.correlate_taps` does;
    the row pass of a strip does not).
    """
    elements = taps * w.oh * w.ow * w.channels
    hp, wp = (w.oh - 1) * w.sy + (w.kh - 1) * w.dy + 1, (w.ow - 1) * w.sx + (w.kw - 1) * w.dx + 1
    whole = hp * wp * w.channels if padded else 0.0
    if w.sx == 1:
        return elements, 0.0, taps, whole, 1.0
    return 0.0, elements, taps, whole, 1.0


def fft_features(w: Work) -> tuple[float, ...]:
    """(transform work, copied, 1) of :func:`kernels.engine.fftconv.correlate_fft`."""
    valid = ((w.oh - 1) * w.sy + 1, (w.ow - 1) * w.sx + 1)
    span = ((w.kh - 1) * w.dy + 1, (w.kw - 1) * w.dx + 1)
    copied = ((valid[0] + span[0]) * (valid[1] + span[1]) + w.oh * w.ow) * w.channels
    return w.channels * fft_work(valid, span), copied, 1.0


def _seconds(implementation: str, features: tuple[float, ...]) -> float:
    return sum(c * f for c, f in zip(COSTS[implementation], features, strict=True))


def band_seconds(w: Work) -> float:
    """Modelled seconds of :func:`kernels.engine.direct.correlate_band` (column band or row band)."""
    if uses_row_band(w):
        return _seconds("row_band", row_band_features(w))
    if w.kh == 1:  # narrow single-row kernels shift and add, strip by strip
        return _seconds("taps", taps_features(w, w.kw, padded=False))
    return _seconds("band", band_features(w))


@lru_cache(maxsize=512)
def direct_cost(w: Work, taps: int) -> tuple[float, str]:
    """Modelled seconds of the direct method and which form ("band" or "taps") it would use."""
    band = band_seconds(w)
    shift = _seconds("taps", taps_features(w, taps))
    return (band, "band") if band <= shift else (shift, "taps")


def separable_features(w: Work) -> tuple[float, ...]:
    """(modelled seconds of the column pass plus the row pass, intermediate elements, 1) of the fused passes."""
    wp = (w.ow - 1) * w.sx + (w.kw - 1) * w.dx + 1
    column = Work(w.oh, wp, w.channels, w.kh, 1, w.sy, 1, w.dy, 1)
    row = Work(w.oh, w.ow, w.channels, 1, w.kw, 1, w.sx, 1, w.dx)
    return band_seconds(column) + band_seconds(row), w.oh * wp * w.channels, 1.0


def separable_cost(w: Work) -> float:
    """Modelled seconds of :func:`kernels.engine.separable.correlate_separable`."""
    return _seconds("separable", separable_features(w))


def fft_cost(w: Work) -> float:
    """Modelled seconds of the tiled FFT."""
    return _seconds("fft", fft_features(w))


def estimates(geometry: PassGeometry, channels: int, weights: np.ndarray, separable: bool) -> dict[str, float]:
    """Modelled seconds per method name for one pass."""
    return dict(_estimates(Work.of(geometry, channels), int(np.count_nonzero(weights)), separable))


@lru_cache(maxsize=512)
def _estimates(w: Work, taps: int, separable: bool) -> tuple[tuple[str, float], ...]:
    costs = [("direct", direct_cost(w, taps)[0])]
    if w.kh * w.kw > 1:
        costs.append(("fft", fft_cost(w)))
    if separable:
        costs.append(("separable", separable_cost(w)))
    return tuple(costs)


def choose(geometry: PassGeometry, channels: int, weights: np.ndarray, separable: bool) -> str:
    """The method with the least modelled time for this pass."""
    costs = _estimates(Work.of(geometry, channels), int(np.count_nonzero(weights)), separable)
    return min(costs, key=lambda item: item[1])[0]


def run(
    method: str,
    source: PaddedSource,
    weights: np.ndarray,
    factors: tuple[np.ndarray, np.ndarray, float] | None,
    geometry: PassGeometry,
    taps: int,
    ranges: Ranges | None = None,
) -> np.ndarray:
    """One pass's valid correlation of the padded ``source`` by ``weights`` (in the source's dtype).

    ``taps`` is the number of non-zero weights (the direct method's shift-and-add skips the others).
    The strip-wise methods append each strip's value ranges to ``ranges`` (see :data:`Ranges`).
    """
    dilation, stride, out_shape = geometry.dilation, geometry.stride, geometry.out_shape
    if method == "separable":
        assert factors is not None
        return correlate_separable(source, factors[0], factors[1], dilation, stride, out_shape, ranges)
    if method == "fft":
        return correlate_fft(source, weights, dilation, stride, out_shape)
    _, form = direct_cost(Work.of(geometry, source.shape[2]), taps)
    if form == "taps":
        return correlate_taps(source, weights, dilation, stride, out_shape)
    return correlate_band(source, weights, dilation, stride, out_shape, ranges)


def fft_log_size(geometry: PassGeometry) -> float:
    """log2 of the transform area the FFT method uses for this pass (its rounding error grows with it)."""
    (oh, ow), (sy, sx) = geometry.out_shape, geometry.stride
    ly, lx = tile_shape(((oh - 1) * sy + 1, (ow - 1) * sx + 1), geometry.span)
    return log2(ly * lx)
