"""Histograms of raw results, and how many raw values a display clips.

A raw result (the engine's values before display) can hold anything from large negative to large
positive numbers; the displays of :mod:`kernels.display` turn it into 0…255 pixels. This module
counts the raw values in equal bins over a range that always includes what the display shows
without clipping, and counts the values the display clips, with the same rounding rule as
:func:`kernels.display.is_clipped`:

* ``clamp``: rint(v) below 0 or above 255;
* ``abs``: rint(|v|) above 255 (never below 0);
* ``midgray``: rint(v) + 128 below 0 or above 255;
* ``stretch`` and ``signed``: nothing (the whole range is mapped onto the display).

Pure NumPy: no web framework.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.display import check_display

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
    values = np.asarray(raw, dtype=np.float64).ravel()
    lo, hi = float(values.min()), float(values.max())
    shown = SHOWN_RANGES.get(display)
    start, stop = (min(lo, shown[0]), max(hi, shown[1])) if shown else (lo, hi)
    if not stop > start:
        start, stop = start - 0.5, stop + 0.5
    counts, edges = np.histogram(values, bins=bins, range=(start, stop))
    below, above = clipped_counts(values, display)
    return RawHistogram(counts.astype(np.int64), edges, lo, hi, int(values.size), below, above, shown)
