"""The heat map of a :class:`kernels.teaching.spectrum.Spectrum`: each gain as a colour on a diverging log scale.

A gain of 1 (kept as it is) is near-white; weaker gains turn blue, down to the darkest blue at
:data:`LOWEST_GAIN` and below (0 included); stronger ones turn red, up to the darkest red at :data:`HIGHEST_GAIN`
and above. The colours are ColorBrewer's RdBu (11 classes, reversed), a scale that stays readable with the
common colour-vision deficiencies, interpolated in sRGB.
"""

from __future__ import annotations

import numpy as np

from kernels.teaching.spectrum import Spectrum

DECADES = 2
"""The scale spans this many powers of ten on each side of a gain of 1."""
LOWEST_GAIN = 10.0**-DECADES
HIGHEST_GAIN = 10.0**DECADES
TICKS: tuple[float, ...] = tuple(10.0**p for p in range(-DECADES, DECADES + 1))
"""The gains the colour scale's legend labels: 0.01, 0.1, 1, 10, 100."""

STOPS: tuple[str, ...] = (
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
)
"""The colours at equal steps of log10(gain) from :data:`LOWEST_GAIN` (first) to :data:`HIGHEST_GAIN` (last)."""
_STOP_RGB = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in STOPS], dtype=np.float64)


def scale_position(gains: np.ndarray | float) -> np.ndarray:
    """Where each gain (≥ 0) sits on the colour scale: 0 at :data:`LOWEST_GAIN` and below, 0.5 at 1, 1 at
    :data:`HIGHEST_GAIN` and above; log-spaced in between."""
    g = np.asarray(gains, dtype=np.float64)
    with np.errstate(divide="ignore"):
        decades = np.log10(np.maximum(g, 0.0))
    return np.clip((decades + DECADES) / (2 * DECADES), 0.0, 1.0)


def gain_colours(gains: np.ndarray) -> np.ndarray:
    """The colour of each gain, uint8 RGB with a trailing axis of 3."""
    position = scale_position(gains) * (len(STOPS) - 1)
    low = np.minimum(np.floor(position).astype(np.intp), len(STOPS) - 2)
    part = (position - low)[..., None]
    rgb = _STOP_RGB[low] * (1 - part) + _STOP_RGB[low + 1] * part
    return np.rint(rgb).astype(np.uint8)


def colour_hex(gain: float) -> str:
    """One gain's colour as ``#rrggbb``."""
    r, g, b = (int(v) for v in gain_colours(np.array([gain]))[0])
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_map(spectrum: Spectrum) -> np.ndarray:
    """The (N + 1, N + 1, 3) uint8 picture of the gains: rows fy and columns fx from −0.5 to +0.5, top-left
    first. The grid's row and column at −0.5 are repeated at +0.5 (the same frequency), so zero frequency is
    the middle pixel and the picture is as symmetric as the response."""
    gains = spectrum.magnitude
    closed = np.concatenate([gains, gains[:1, :]], axis=0)
    closed = np.concatenate([closed, closed[:, :1]], axis=1)
    return gain_colours(closed)
