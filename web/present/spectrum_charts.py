"""The geometry of the "Frequencies" panel's pictures: the heat map's axis labels and stride box, its colour
legend, and the two cuts as line charts, all in SVG user units or percentages the template writes out.

Frequencies are in cycles per pixel, −0.5 … 0.5; gains are the :class:`kernels.teaching.spectrum.Spectrum`'s. The texts
(numbers and words) come from :mod:`web.page.spectrum_view`, which calls these with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kernels.teaching.spectrum_picture import STOPS, TICKS, scale_position

FREQUENCY_TICKS: tuple[float, ...] = (-0.5, -0.25, 0.0, 0.25, 0.5)

WIDTH, HEIGHT = 300.0, 124.0
"""A cut chart's size in SVG user units (it scales to its box)."""
LEFT, RIGHT, TOP, BOTTOM = 34.0, 10.0, 14.0, 22.0
"""The margins around a cut chart's plot: gain labels on the left, frequency labels below."""
HEADROOM = 1.15
"""The gain axis runs to this many times the highest gain (or 1), leaving room for the labels above the line."""
LABEL_CLEAR = (34.0, 11.0)
"""A value label is left out when it would come within this (across, up) of one already placed."""


@dataclass(frozen=True)
class AxisLabel:
    at: float  # SVG units along the axis, or a percentage of the heat map for its labels
    text: str


@dataclass(frozen=True)
class ValueMark:
    """A gain labelled on the line: the point (x, y) and its text, placed above it."""

    x: float
    y: float
    text: str
    anchor: str  # SVG text-anchor


@dataclass(frozen=True)
class CutChart:
    """One cut through zero frequency as an inline SVG line chart.

    ``points`` is the polyline; ``one_y`` the height of the dashed line at gain 1; ``shaded`` the (x0, x1)
    ranges a stride cannot keep; ``frequency_labels`` and ``gain_labels`` the axes' ticks; ``marks`` the gains
    labelled on the line. ``title`` and ``desc`` are what a screen reader reads.
    """

    id: str
    title: str
    desc: str
    points: str
    one_y: float
    zero_y: float
    frequency_labels: list[AxisLabel]
    gain_labels: list[AxisLabel]
    marks: list[ValueMark]
    shaded: list[tuple[float, float]] = field(default_factory=list)
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    right: float = WIDTH - RIGHT
    top: float = TOP


def frequency_x(f: float) -> float:
    """Where a frequency (cycles per pixel, −0.5…0.5) sits across a cut chart."""
    return LEFT + (f + 0.5) * (WIDTH - LEFT - RIGHT)


def cut_chart(
    chart_id: str,
    title: str,
    desc: str,
    gains: np.ndarray,
    top_gain: float,
    stride: int,
    text: Callable[[float], str],
) -> CutChart:
    """A line chart of ``gains`` (N values at −0.5 … 0.5 − 1/N) on a gain axis from 0 to ``top_gain`` × headroom.

    Args:
        top_gain: the highest gain of the whole map (or 1 if higher): both cuts share one scale.
        stride: the stride along this axis; frequencies above 0.5 / stride are shaded.
        text: how a gain or frequency is written for people.
    """
    n = gains.size
    values = np.append(gains, gains[0])  # the gain at +0.5 is the one at −0.5
    freqs = np.arange(n + 1) / n - 0.5
    ceiling = max(top_gain, 1.0) * HEADROOM
    bottom = HEIGHT - BOTTOM

    def y_of(gain: float) -> float:
        return bottom - (gain / ceiling) * (bottom - TOP)

    points = " ".join(f"{frequency_x(f):.2f},{y_of(g):.2f}" for f, g in zip(freqs, values, strict=True))
    gain_labels = [AxisLabel(y_of(1.0), "1")]
    if bottom - y_of(1.0) >= LABEL_CLEAR[1]:  # else the axis line says where 0 is
        gain_labels.insert(0, AxisLabel(bottom, "0"))
    if abs(y_of(top_gain) - y_of(1.0)) >= LABEL_CLEAR[1] and top_gain > 0:
        gain_labels.append(AxisLabel(y_of(top_gain), text(top_gain)))
    centre = n // 2
    wanted = [(centre, values[centre])]
    right_half = values[centre:]
    high = centre + int(np.argmax(right_half))
    low = centre + int(np.argmin(right_half))
    wanted += [(high, values[high]), (n, values[n]), (low, values[low])]
    marks: list[ValueMark] = []
    for index, gain in wanted:
        x, y = frequency_x(freqs[index]), y_of(float(gain))
        if any(abs(x - m.x) < LABEL_CLEAR[0] and abs(y - m.y) < LABEL_CLEAR[1] for m in marks):
            continue
        anchor = "end" if x > WIDTH - RIGHT - 12 else "middle"
        marks.append(ValueMark(x, y, text(float(gain)), anchor))
    shaded = []
    if stride > 1:
        band = 0.5 / stride
        shaded = [(frequency_x(-0.5), frequency_x(-band)), (frequency_x(band), frequency_x(0.5))]
    return CutChart(
        id=chart_id,
        title=title,
        desc=desc,
        points=points,
        one_y=y_of(1.0),
        zero_y=bottom,
        frequency_labels=[AxisLabel(frequency_x(f), text(f)) for f in FREQUENCY_TICKS],
        gain_labels=gain_labels,
        marks=marks,
        shaded=shaded,
    )


@dataclass(frozen=True)
class MapAxes:
    """The heat map's frequency labels (percent of the picture's side, at the pixels' centres) and, with a
    stride, the box of frequencies it keeps (x, y, width, height in the picture's pixels)."""

    labels: list[AxisLabel]
    kept: tuple[float, float, float, float] | None


def map_axes(n: int, stride: tuple[int, int], text: Callable[[float], str]) -> MapAxes:
    """Labels at −0.5, 0 and 0.5 for an (N + 1)-pixel heat map, and the box a stride of (sy, sx) keeps."""
    side = n + 1
    labels = [AxisLabel(100 * (f * n + n / 2 + 0.5) / side, text(f)) for f in (-0.5, 0.0, 0.5)]
    kept = None
    sy, sx = stride
    if sy > 1 or sx > 1:
        half_x, half_y = n * 0.5 / sx, n * 0.5 / sy
        centre = n / 2 + 0.5
        kept = (centre - half_x, centre - half_y, 2 * half_x, 2 * half_y)
    return MapAxes(labels, kept)


@dataclass(frozen=True)
class Legend:
    """The colour scale, drawn from the weakest gain (left) to the strongest (right): gradient stops (offset 0…1,
    colour) and labelled gains at their place (0…1 from the left)."""

    stops: list[tuple[float, str]]
    ticks: list[AxisLabel]


def legend(text: Callable[[float], str]) -> Legend:
    """The heat map's colour scale with its ticks (:data:`kernels.teaching.spectrum_picture.TICKS`)."""
    last = len(STOPS) - 1
    stops = [(i / last, colour) for i, colour in enumerate(STOPS)]
    ticks = [AxisLabel(float(scale_position(g)), text(g)) for g in TICKS]
    return Legend(stops, ticks)
