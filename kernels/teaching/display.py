"""Turning raw sums into stored 0…255 pixels, with one rounding rule for the image and the numbers shown.

Displays (v is a raw value; rint rounds half to even, as NumPy does):

* ``clamp``: clip(rint(v), 0, 255).
* ``abs``: clip(rint(|v|), 0, 255).
* ``midgray``: clip(rint(v + 128), 0, 255) (computed as rint(v) + 128, which is the same number).
* ``stretch``: rint((v − min) / (max − min) · 255), min and max over the whole output (all 0 when flat).
* ``signed``: a blue–white–orange colour map centred on 0 and scaled by m = max |v| over the output:
  colour index rint(v / m · 127) + 128, so −m is index 1 (dark blue), 0 is index 128 (white) and +m is
  index 255 (dark orange). One channel only; the result is RGB.

:func:`render` and :func:`stored_value` run the same NumPy code on float64 values, so the pixel a
person hovers over and the number printed beside it always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kernels.errors import InputError
from kernels.options import DISPLAYS

SIGNED_COLOURS_FROM_ZERO = "white at 0, orange above 0"
SIGNED_COLOURS = "blue below 0, " + SIGNED_COLOURS_FROM_ZERO
"""The signed display's colours in words: the one wording every page and legend uses (the shorter one for
values that are never negative)."""


@dataclass(frozen=True)
class DisplayWords:
    """One display in words: ``menu`` completes "Turn values into pixels by"; ``rule`` says what becomes of
    a raw value, written ``{v}``."""

    menu: str
    rule: str


_WITHIN = "rounded and kept within 0\u2060…\u2060255"  # word joiners: 0…255 never breaks across lines
DISPLAY_WORDS: dict[str, DisplayWords] = {
    "clamp": DisplayWords("Clipping to 0…255", _WITHIN),
    "abs": DisplayWords("Absolute value, then clipping", "|{v}| " + _WITHIN),
    "midgray": DisplayWords("Adding 128 (0 becomes mid-grey)", "{v} + 128, " + _WITHIN),
    "stretch": DisplayWords(
        "Stretching lowest…highest to 0…255", "the output's lowest…highest values stretched to 0…255"
    ),
    "signed": DisplayWords("Colour by sign (grey pictures)", SIGNED_COLOURS),
}
"""Each of :data:`~kernels.options.DISPLAYS` in words, worded once beside the colour map."""

_SIGNED_ANCHORS = (  # (position in −1…1, sRGB): blue and orange stay apart for red–green colour blindness
    (-1.0, (8, 69, 148)),
    (-0.5, (116, 169, 207)),
    (0.0, (255, 255, 255)),
    (0.5, (244, 165, 97)),
    (1.0, (179, 64, 8)),
)


def _signed_lut() -> np.ndarray:
    positions = np.array([p for p, _ in _SIGNED_ANCHORS])
    colours = np.array([c for _, c in _SIGNED_ANCHORS], dtype=np.float64)
    t = (np.arange(256) - 128) / 127.0
    t[0] = -1.0
    lut = np.stack([np.interp(t, positions, colours[:, k]) for k in range(3)], axis=1)
    return np.rint(lut).astype(np.uint8)


SIGNED_LUT = _signed_lut()
"""(256, 3) uint8 sRGB colours of the ``signed`` display; index 128 is 0 (white), 1 is −max, 255 is +max."""


def check_display(display: str, channels: int) -> None:
    """Raise InputError (field ``display``) for an unknown display, or ``signed`` with more than one channel."""
    if display not in DISPLAYS:
        raise InputError("display", f"must be one of {', '.join(DISPLAYS)}", display)
    if display == "signed" and channels > 1:
        raise InputError("display", "signed shows one channel as colours: use it with color=gray", display)


def display_range(raw: np.ndarray) -> tuple[float, float]:
    """(min, max) of the raw values over the whole output, every channel included."""
    return float(raw.min()), float(raw.max())


def signed_scale(lo: float, hi: float) -> float:
    """m = max |v| for the ``signed`` display, from :func:`display_range`'s (min, max)."""
    return max(abs(lo), abs(hi))


def _levels(values: np.ndarray, display: str, lo: float, hi: float) -> np.ndarray:
    """Rounded, clipped levels of float values (a new array); for ``signed``, colour indices 1…255.

    ``midgray`` uses rint(v) + 128, which equals rint(v + 128) exactly (adding an even integer never
    changes how a half is rounded) and stays exact in float32. ``stretch`` and ``signed`` work in
    float64, one operation at a time in place, so :func:`stored_value` repeats them bit for bit.
    """
    if display in ("clamp", "abs", "midgray"):
        levels = np.abs(values) if display == "abs" else values.copy()
        np.rint(levels, out=levels)
        if display == "midgray":
            levels += 128
        return np.clip(levels, 0, 255, out=levels)
    levels = values.astype(np.float64)
    if display == "stretch":
        if not hi > lo:
            levels[...] = 0.0
            return levels
        levels -= lo
        levels /= hi - lo
        levels *= 255.0
        np.rint(levels, out=levels)
        return np.clip(levels, 0, 255, out=levels)
    scale = signed_scale(lo, hi)
    if scale == 0:
        levels[...] = 128.0
        return levels
    levels /= scale
    levels *= 127.0
    np.rint(levels, out=levels)
    levels += 128.0
    return np.clip(levels, 1, 255, out=levels)


def render(raw: np.ndarray, display: str) -> np.ndarray:
    """The stored image: uint8, (h, w) or (h, w, C) like ``raw``; (h, w, 3) RGB for ``signed``.

    Raises :class:`InputError` (field ``display``) for an unknown display or ``signed`` with colour.
    """
    channels = raw.shape[2] if raw.ndim == 3 else 1
    check_display(display, channels)
    lo, hi = display_range(raw) if display in ("stretch", "signed") else (0.0, 0.0)
    if raw.ndim == 3 and channels == 1:
        raw = raw[:, :, 0]
    levels = _levels(raw, display, lo, hi).astype(np.uint8)
    if display == "signed":
        return np.take(SIGNED_LUT, levels, axis=0)
    return levels


def stored_value(value: float, display: str, lo: float, hi: float) -> int | list[int]:
    """The stored pixel for one raw value, exactly as :func:`render` stores it.

    Args:
        value: the raw value.
        display: one of ``DISPLAYS``.
        lo, hi: :func:`display_range` of the whole output (used by ``stretch`` and ``signed``).

    Returns:
        The level 0…255, or [r, g, b] for ``signed``.
    """
    check_display(display, 1)
    level = int(_levels(np.array([value], dtype=np.float64), display, lo, hi)[0])
    if display == "signed":
        return [int(c) for c in SIGNED_LUT[level]]
    return level


def is_clipped(value: float, display: str) -> bool:
    """Whether the display had to clip this value (``clamp``, ``abs``, ``midgray``; never the others)."""
    check_display(display, 1)
    if display == "clamp":
        level = float(np.rint(value))
    elif display == "abs":
        level = float(np.rint(abs(value)))
    elif display == "midgray":
        level = float(np.rint(value)) + 128.0
    else:
        return False
    return level < 0 or level > 255
