"""Histograms of raw results, and how many raw values a display clips.

A raw result (the engine's values before display) can hold anything from large negative to large
positive numbers; the displays of :mod:`kernels.teaching.display` turn it into 0…255 pixels. This module
counts the raw values in equal bins over a range that always includes what the display shows
without clipping, and counts the values the display clips, with the same rounding rule as
:func:`kernels.teaching.display.is_clipped`:

* ``clamp``: rint(v) below 0 or above 255;
* ``abs``: rint(|v|) above 255 (never below 0);
* ``midgray``: rint(v) + 128 below 0 or above 255;
* ``stretch`` and ``signed``: nothing (the whole range is mapped onto the display).

Pure NumPy: no web framework.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.teaching.display import check_display

SHOWN_RANGES: dict[str, tuple[float, float]] = {
    "clamp": (0.0, 255.0),
    "abs": (-255.0, 255.0),
    "midgray": (-128.0, 127.0),
}
"""Per display that clips, the raw values (whole grey levels) it shows without clipping, inclusive."""

DEFAULT_BINS = 48


@dataclass(frozen=True)
class RawHistogram:
    """Counts of raw values in equal bins, and how many the display clipped.

    Attributes:
        counts: int64 (bins,), values per bin; every value falls in one bin.
        edges: float64 (bins + 1,), increasing bin edges in raw units (the last bin includes its right edge).
        lo, hi: the smallest and largest raw value.
        total: how many values (pixels × channels).
        below, above: how many values the display stored as 0 or 255 because they were below 0 or above 255
            (after ``abs`` or the +128 of ``midgray``).
        shown: the raw interval the display shows without clipping (inclusive whole grey levels), or None
            when the display maps the whole range (``stretch``, ``signed``).
    """

    counts: np.ndarray
    edges: np.ndarray
    lo: float
    hi: float
    total: int
    below: int
    above: int
    shown: tuple[float, float] | None

    @property
    def clipped(self) -> int:
        return self.below + self.above

    @property
    def clipped_share(self) -> float:
        """The clipped values' share of all values, 0…1."""
        return self.clipped / self.total if self.total else 0.0


CLIP_LIMITS: dict[str, tuple[float, float]] = {
    "clamp": (-0.5, 255.5),
    "abs": (-np.inf, 255.5),
    "midgray": (-128.5, 127.5),
}
"""Per display that clips, (low, high): a value v is clipped below when v < low, above when v ≥ high (for
``abs``, |v| ≥ high). rint rounds halves to even, so rint(v) < 0 exactly when v < −0.5 and rint(v) > 255
exactly when v ≥ 255.5 (256 is even); the +128 of ``midgray`` moves both by 128."""


def clipped_counts(raw: np.ndarray, display: str) -> tuple[int, int]:
    """(below, above): how many raw values ``display`` clips at 0 and at 255, as :func:`is_clipped` decides."""
    check_display(display, 1)
    if display not in CLIP_LIMITS:
        return 0, 0
    values = np.asarray(raw)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    low, high = CLIP_LIMITS[display]
    if display == "abs":
        return 0, int(np.count_nonzero(values >= high)) + int(np.count_nonzero(values <= -high))
    return int(np.count_nonzero(values < low)), int(np.count_nonzero(values >= high))


def raw_histogram(raw: np.ndarray, display: str, bins: int = DEFAULT_BINS) -> RawHistogram:
    """Bin every raw value (all channels together) over [min(lo, shown lo), max(hi, shown hi)].

    Args:
        raw: the raw result, (h, w) or (h, w, C), any real dtype, finite values.
        display: one of :data:`kernels.options.DISPLAYS`; decides ``shown`` and what counts as clipped.
        bins: number of equal bins, ≥ 1.

    The range stretches to include the display's unclipped interval, so a picture of it always shows
    where 0…255 lies; a flat result (lo = hi) with a display that maps the whole range gets a range
    one grey level wide around its value.
    """
    check_display(display, 1)
    values = np.asarray(raw).ravel()
    if values.dtype != np.float32:
        values = values.astype(np.float64)
    lo, hi = float(values.min()), float(values.max())
    shown = SHOWN_RANGES.get(display)
    start, stop = (min(lo, shown[0]), max(hi, shown[1])) if shown else (lo, hi)
    if not stop > start:
        start, stop = start - 0.5, stop + 0.5
    edges = np.linspace(start, stop, bins + 1)
    counts = _bin_counts(values, edges)
    below, above = clipped_counts(values, display)
    return RawHistogram(counts, edges, lo, hi, int(values.size), below, above, shown)


NEAR_EDGE = 1e-3
"""How close (in bins) a float32 estimate of a value's bin position must come to an edge for the value to be
placed again in float64; float32's error on the position is below 1e-5 bins for any range of finite values."""


def _bin_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The counts ``np.histogram(values.astype(float64), bins=edges)`` gives for equal bins, bin for bin.

    Every value lies within [edges[0], edges[-1]]. The position is estimated in float32 (half the memory
    traffic of float64, which matters for a megapixel RGB result); values within :data:`NEAR_EDGE` of an
    edge are placed again with NumPy's own float64 rule (``(v − first) / (last − first) · bins``, then a
    step down or up when the value lies on the other side of an edge).
    """
    bins = len(edges) - 1
    start, stop = float(edges[0]), float(edges[-1])
    position = values.astype(np.float32, copy=False) - np.float32(start)
    position *= np.float32(bins / (stop - start))
    floor = np.floor(position)
    position -= floor  # now the fraction of a bin past its lower edge
    near = np.flatnonzero((position < np.float32(NEAR_EDGE)) | (position > np.float32(1 - NEAR_EDGE)))
    index = floor.astype(np.intp)
    np.clip(index, 0, bins - 1, out=index)
    if near.size:
        exact = values[near].astype(np.float64)
        placed = (((exact - start) / (stop - start)) * bins).astype(np.intp)
        placed[placed == bins] -= 1
        placed[exact < edges[placed]] -= 1
        placed[(exact >= edges[placed + 1]) & (placed != bins - 1)] += 1
        index[near] = placed
    return np.bincount(index, minlength=bins).astype(np.int64)
